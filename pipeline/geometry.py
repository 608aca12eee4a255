"""Small geometric core shared by layout, segment and tables. Boxes are (x0, y0, x1, y1)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemas.common import BBox


def union(boxes: Iterable[BBox]) -> BBox:
    bs = list(boxes)
    if not bs:
        raise ValueError("union of no boxes")
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def width(b: BBox) -> float:
    return b[2] - b[0]


def height(b: BBox) -> float:
    return b[3] - b[1]


def x_overlap(a: BBox, b: BBox) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def y_overlap(a: BBox, b: BBox) -> float:
    return max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def center(b: BBox) -> tuple[float, float]:
    return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def contains_point(b: BBox, x: float, y: float, tol: float = 0.0) -> bool:
    return b[0] - tol <= x <= b[2] + tol and b[1] - tol <= y <= b[3] + tol


def inside(inner: BBox, outer: BBox, tol: float = 1.0) -> bool:
    """True when the center of `inner` lies within `outer`."""
    cx, cy = center(inner)
    return contains_point(outer, cx, cy, tol)


def round_box(b: Sequence[float], nd: int = 2) -> BBox:
    return (round(b[0], nd), round(b[1], nd), round(b[2], nd), round(b[3], nd))


def cluster_values(values: Iterable[float], gap: float) -> list[list[float]]:
    """Sort values and split them wherever two neighbours are more than `gap` apart."""
    vs = sorted(values)
    groups: list[list[float]] = []
    for v in vs:
        if groups and v - groups[-1][-1] <= gap:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups

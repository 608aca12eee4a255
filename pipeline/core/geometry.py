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


# --- helpers for table detection (tables.py, parse_tables.py) ---

def merge_intervals(intervals: Iterable[tuple[float, float]], gap: float = 0.0) -> list[tuple[float, float]]:
    """Union of 1-D intervals; intervals closer than `gap` are joined."""
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def free_gaps(intervals: Iterable[tuple[float, float]], lo: float, hi: float, min_width: float) -> list[tuple[float, float]]:
    """The stretches of [lo, hi] that no interval covers, at least `min_width` wide (pdfplumber's whitespace idea)."""
    gaps: list[tuple[float, float]] = []
    x = lo
    for a, b in merge_intervals(intervals):
        if a - x >= min_width:
            gaps.append((x, a))
        x = max(x, b)
    if hi - x >= min_width:
        gaps.append((x, hi))
    return gaps


def merge_hrules(boxes: Iterable[BBox], y_tol: float = 1.2, x_gap: float = 3.0) -> list[BBox]:
    """Join collinear horizontal rule pieces (cell borders drawn per cell, double rules) into whole rules.

    Returns boxes (x0, y, x1, y) sorted top to bottom, y the mean height of the pieces.
    """
    items = sorted(((b[1] + b[3]) / 2, b[0], b[2]) for b in boxes)
    rows: list[list[tuple[float, float, float]]] = []
    for it in items:
        if rows and it[0] - rows[-1][-1][0] <= y_tol:
            rows[-1].append(it)
        else:
            rows.append([it])
    out: list[BBox] = []
    for row in rows:
        y = round(sum(r[0] for r in row) / len(row), 2)
        for a, b in merge_intervals(((r[1], r[2]) for r in row), gap=x_gap):
            out.append((a, y, b, y))
    out.sort(key=lambda b: (b[1], b[0]))
    return out


def turn_box(b: Sequence[float], d: tuple[int, int], w: float, h: float) -> BBox:
    """A box of a page of size w x h whose text runs in direction d, in upright-reading coordinates
    (the same mapping as parse's turner)."""
    if d == (0, -1):
        return (h - b[3], b[0], h - b[1], b[2])
    if d == (0, 1):
        return (b[1], w - b[2], b[3], w - b[0])
    if d == (-1, 0):
        return (w - b[2], h - b[3], w - b[0], h - b[1])
    return (b[0], b[1], b[2], b[3])


def unturn_box(b: Sequence[float], d: tuple[int, int], w: float, h: float) -> BBox:
    """Inverse of turn_box: upright-reading coordinates back to the page's own."""
    if d == (0, -1):
        return (b[1], h - b[2], b[3], h - b[0])
    if d == (0, 1):
        return (w - b[3], b[0], w - b[1], b[2])
    if d == (-1, 0):
        return (w - b[2], h - b[3], w - b[0], h - b[1])
    return (b[0], b[1], b[2], b[3])


def sparse_gaps(intervals: Sequence[tuple[float, float]], lo: float, hi: float, min_width: float,
                max_cover: int = 0) -> list[tuple[float, float]]:
    """Like free_gaps, but a stretch covered by at most `max_cover` intervals still counts as free:
    one cell spilling over a column gap does not hide the gap."""
    if max_cover <= 0:
        return free_gaps(intervals, lo, hi, min_width)
    events: list[tuple[float, int]] = []
    for a, b in intervals:
        events.append((a, 1))
        events.append((b, -1))
    events.sort(key=lambda e: (e[0], e[1]))
    gaps: list[tuple[float, float]] = []
    count = 0
    start: float | None = lo
    for x, d in events:
        before = count
        count += d
        if before <= max_cover < count:  # leaving a sparse stretch
            if start is not None and x - start >= min_width:
                gaps.append((start, x))
            start = None
        elif before > max_cover >= count:  # entering one
            start = x
    if start is not None and hi - start >= min_width:
        gaps.append((start, hi))
    return gaps

"""Columns of a table body: boundaries from vertical rules or white space, fitted to the header; which column a piece falls in."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.geometry import cluster_values, free_gaps, sparse_gaps
from pipeline.stages.tables.segments import Seg


def column_bounds(segs: list[Seg], x0: float, x1: float, vxs: list[float], min_gap: float) -> list[float]:
    """Inner column boundaries (x positions), from vertical rules or from whitespace."""
    if vxs:
        return sorted(vxs)
    return [(a + b) / 2 for a, b in column_gaps(segs, x0, x1, min_gap)]


def column_gaps(segs: list[Seg], x0: float, x1: float, min_gap: float) -> list[tuple[float, float]]:
    """The whitespace stretches between columns (each holds one inner boundary)."""
    rows = text_rows(segs)
    intervals = []
    multi = sum(1 for r in rows if len(r.segs) >= 2)
    for r in rows:
        if len(r.segs) < 2 and multi >= 2:
            continue  # group labels and wrapped lines: they may cross column gaps
        for s in r.segs:
            intervals.append((s.x0, s.x1))
    if not intervals:
        return []
    lo = min(a for a, _ in intervals)
    hi = max(b for _, b in intervals)
    tol = int(0.05 * len(rows)) if len(rows) >= 10 else 0
    return [g for g in sparse_gaps(intervals, lo, hi, min_gap, tol) if lo < g[0] and g[1] < hi]


def fit_to_header(gaps: list[tuple[float, float]], header_segs: list[Seg]) -> list[float]:
    """Boundaries inside the body's column gaps, moved off the header cells that spill into a gap:
    a header wider than its column's values (left-aligned "Immunotherapy (n = 22)" over "9 (40.9)")
    reaches into the gap, and the boundary belongs in the gap's part that no header covers. A header
    cell covering the whole gap spans both columns: the boundary stays in the middle."""
    out = []
    for a, b in gaps:
        cover = [(max(a, s.x0), min(b, s.x1)) for s in header_segs if s.x0 < b and s.x1 > a]
        free = free_gaps(cover, a, b, 1.5) if cover else []
        if cover and free:
            fa, fb = max(free, key=lambda g: g[1] - g[0])
            out.append((fa + fb) / 2)
        else:
            out.append((a + b) / 2)
    return out


def col_of(x: float, bounds: list[float]) -> int:
    i = 0
    while i < len(bounds) and x > bounds[i]:
        i += 1
    return i


def seg_cols(s: Seg, bounds: list[float], tol: float = 2.0) -> tuple[int, int]:
    """First and last column a segment covers (a segment crossing a boundary spans columns)."""
    return col_of(s.x0 + tol, bounds), col_of(s.x1 - tol, bounds)


def _split_touching(s: Seg, bounds: list[float], tol: float) -> list[Seg]:
    """A segment crossing a column boundary that is two spans printed touching, the second
    starting at the boundary (its cell's text set flush against the previous one): two cells."""
    if not s.cuts:
        return [s]
    a, b = seg_cols(s, bounds)
    if a == b:
        return [s]
    for x, off in s.cuts:
        near = [bd for bd in bounds if -tol <= x - bd <= 3 * tol]
        if near and col_of(s.x0 + 2, bounds) < col_of(x + 2, bounds):
            left = Seg(s.x0, s.y0, x, s.y1, s.text[:off].strip(), s.size, s.bold, s.line)
            right = Seg(x, s.y0, s.x1, s.y1, s.text[off:].strip(), s.size, s.bold, s.line,
                        [(cx, co - off) for cx, co in s.cuts if co > off])
            return [left] + _split_touching(right, bounds, tol)
    return [s]


def _empty_columns(hdr_rows: list[TRow], body_right: float, min_gap: float) -> list[float]:
    """Boundaries of columns right of all body text that only the header names (checklist tables
    whose item columns are named only above coloured cells): the leaf header cells there (those with no header cell under
    them), one column each."""
    segs = [s for r in hdr_rows for s in r.segs]
    beyond = [s for s in segs if s.x0 > body_right + min_gap]
    leaves = sorted((s for s in beyond if not any(o is not s and o.y0 >= s.y1 - 1.0 and o.x0 < s.x1 and o.x1 > s.x0
                                                   for o in segs)), key=lambda s: s.x0)
    out: list[float] = []
    right = body_right
    for s in leaves:
        if s.x0 - right >= min_gap:
            out.append((right + s.x0) / 2)
        right = max(right, s.x1)
    return out


def _vertical_bounds(vrules, x0, x1, y_top, y_bot) -> list[float]:
    h = max(1.0, y_bot - y_top)
    xs = []
    for r in vrules:
        cx = (r[0] + r[2]) / 2
        if r[2] < r[0] or not (x0 + 3 < cx < x1 - 3):
            continue
        cov = min(r[3], y_bot) - max(r[1], y_top)
        if cov > 0:
            xs.append((cx, cov))
    out = []
    for grp in cluster_values([x for x, _ in xs], 2.0):
        cov = sum(c for x, c in xs if grp[0] - 0.01 <= x <= grp[-1] + 0.01)
        if cov >= 0.4 * h:
            out.append(sum(grp) / len(grp))
    return out


@dataclass
class TRow:
    """Segments printed on one line height across the table."""

    segs: list[Seg]
    y0: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def text_rows(segs: list[Seg]) -> list[TRow]:
    """Group segments into rows of vertically overlapping segments, top to bottom."""
    rows: list[TRow] = []
    for s in sorted(segs, key=lambda s: (s.y0, s.x0)):
        h = s.y1 - s.y0
        for r in reversed(rows[-3:]):
            ov = min(r.y1, s.y1) - max(r.y0, s.y0)
            if ov > 0.5 * min(h, r.height):
                r.segs.append(s)
                r.y0, r.y1 = min(r.y0, s.y0), max(r.y1, s.y1)
                break
        else:
            rows.append(TRow([s], s.y0, s.y1))
    for r in rows:
        r.segs.sort(key=lambda s: s.x0)
    return rows

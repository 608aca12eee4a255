"""The structure of one table body: columns, header leaf cells, rows of cells.

Input: the text lines of the body (already cut into segments), the rules inside it, and its
horizontal extent. Columns come from vertical rules when the table is a grid, else from
whitespace: the stretches of x that no cell segment covers (pdfplumber's "text" idea, on
segments instead of characters). Rows come from the horizontal rules between rows when every
row is ruled, else from the text: lines grouped by height, then joined into logical rows by
the spacing between them (rows set apart by extra space) or, for evenly spaced tables, by
what the first column holds (a wrapped first cell starts in lower case).
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from pipeline.core.geometry import cluster_values, free_gaps, sparse_gaps, union
from pipeline.core.hyphenation import Vocabulary
from pipeline.stages.tables.segments import Seg, TLine, join_cell_lines

_FOOTNOTE_START = re.compile(r"^\s*(\*|†|‡|§|¶|#|[a-z]\s|[a-z]\)|Abbreviations?\b|Note|Data are|Values are|[A-Z][A-Za-z0-9-]{0,10}\s*[,:=])")
_CONT_WORDS = ("and", "or", "of", "in", "with", "for", "to", "the", "a", "by", "vs", "vs.", "at", "on")


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]
    continuation: list[bool]
    row_boxes: list[tuple[float, float, float, float]]
    footnote_lines: list[TLine] = field(default_factory=list)
    header_lines: list[TLine] = field(default_factory=list)
    ncols: int = 0


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


def build_grid(lines: list[TLine], hrules: list[tuple[float, float, float, float]], vrules: list[tuple[float, float, float, float]],
               x0: float, x1: float, vocab: Vocabulary | None, trailing_footnotes: bool = True) -> Grid | None:
    segs = [s for ln in lines for s in ln.segs]
    if not segs:
        return None
    width = x1 - x0
    y_top = min(s.y0 for s in segs)
    y_bot = max(s.y1 for s in segs)
    sizes = [s.size for s in segs]
    size = statistics.median(sizes)
    lh = statistics.median([s.y1 - s.y0 for s in segs])

    inner = [r for r in hrules if y_top - 0.5 < r[1] < y_bot + 0.5]
    full = [r for r in inner if r[2] - r[0] >= 0.85 * width]

    # header: the lines above the first full-width rule inside the body (the rule under the header)
    rows_all = text_rows(segs)
    header_cut = None
    if full and len(rows_all) > 1:
        cut = full[0][1]
        above = [r for r in rows_all if r.y1 <= cut + 0.5]
        if above and len(above) <= max(4, len(rows_all) // 3):
            header_cut = cut
            if len(above) == 1 and len(above[0].segs) == 1 and len(full) > 1:
                # a group title over the table ("Intervention"): the header is the next band
                nxt = full[1][1]
                above2 = [r for r in rows_all if cut < (r.y0 + r.y1) / 2 < nxt]
                if 0 < len(above2) <= 4 and any(len(r.segs) > 1 for r in above2):
                    header_cut = nxt
    if header_cut is None:
        lead = []
        for r in rows_all:
            if all(s.bold for s in r.segs) and (lead or r is rows_all[0]):
                lead.append(r)
            else:
                break
        if lead and len(lead) < len(rows_all):
            header_cut = lead[-1].y1 + 0.1
    if header_cut is not None:
        # bold bands right below the header rule that are still header (multi-row grid headers)
        hdr_rows = [r for r in rows_all if (r.y0 + r.y1) / 2 < header_cut]
        rest = [r for r in rows_all if (r.y0 + r.y1) / 2 >= header_cut]
        if hdr_rows and all(s.bold for r in hdr_rows for s in r.segs):
            while rest and all(s.bold for s in rest[0].segs) and len(rest[0].segs) > 1 and len(rest) > 1:
                nxt_rule = [f[1] for f in full if f[1] > rest[0].y1 - 0.5]
                hdr_rows.append(rest.pop(0))
                if nxt_rule:
                    header_cut = nxt_rule[0]
                else:
                    header_cut = hdr_rows[-1].y1 + 0.1
    else:
        hdr_rows, rest = [], rows_all

    # columns
    vxs = _vertical_bounds(vrules, x0, x1, y_top, y_bot)
    body_segs = [s for r in rest for s in r.segs]
    min_gap = max(4.0, 0.45 * size)
    gaps = [] if vxs else column_gaps(body_segs or segs, x0, x1, min_gap)
    bounds = sorted(vxs) if vxs else [(a + b) / 2 for a, b in gaps]
    ncols = len(bounds) + 1

    # footnote lines at the end of the body: a lone segment spanning several columns
    foot_rows: list[TRow] = []
    if trailing_footnotes:
        while len(rest) > 1:
            r = rest[-1]
            if len(r.segs) == 1 and not r.segs[0].bold:
                a, b = seg_cols(r.segs[0], bounds)
                above = rest[-2].segs if len(rest) > 1 else []
                para_end = (len(above) == 1 and above[0].width > 0.6 * width and abs(above[0].size - r.segs[0].size) < 0.3
                            and abs(above[0].x0 - r.segs[0].x0) < 2)
                if b > a and (r.segs[0].width > 0.45 * width or _FOOTNOTE_START.match(r.segs[0].text) or para_end):
                    foot_rows.insert(0, rest.pop())
                    continue
            # a justified note line whose word gaps came out as column gaps
            span = max(s.x1 for s in r.segs) - min(s.x0 for s in r.segs)
            small = max(s.size for s in r.segs) < size - 0.2
            if span >= 0.75 * width and small and (foot_rows or _FOOTNOTE_START.match(r.segs[0].text)):
                foot_rows.insert(0, rest.pop())
                continue
            break
        # footnote paragraphs: once a footnote starts, lines above it of the same kind join it
    if not hdr_rows and rest:
        # no rule and no bold: the first logical row is the header
        pass

    # rows
    row_rules = [r for r in inner if r[2] - r[0] >= 0.2 * width and (header_cut is None or r[1] > header_cut + 0.5)]
    full_row_rules = [r for r in row_rules if r[2] - r[0] >= 0.85 * width]
    ruled_rows = len(full_row_rules) >= 2
    logical = _logical_rows(rest, row_rules, ruled_rows, bounds, lh)
    if not hdr_rows and logical:
        hdr_rows = logical.pop(0)

    if gaps and hdr_rows:
        bounds = fit_to_header(gaps, [s for r in hdr_rows for s in r.segs])
    if not vxs and hdr_rows and body_segs:
        bounds = bounds + _empty_columns(hdr_rows, max(s.x1 for s in body_segs), min_gap)
    header = _header_cells(hdr_rows, bounds, inner, lh, vocab) if hdr_rows else []
    if not vxs and bounds:
        for group in logical:
            for r in group:
                r.segs = [p for sg in r.segs for p in _split_touching(sg, bounds, min_gap)]
    rows, cont, boxes = [], [], []
    for group in logical:
        cells = _cells(group, bounds, vocab)
        if not any(cells):
            continue
        rows.append(cells)
        boxes.append(union([s.bbox for r in group for s in r.segs]))
        cont.append(len(rows) > 1 and cells[0] == "" and any(cells[1:]))
    line_of = {ln.idx: ln for ln in lines}
    foot_lines = sorted({line_of[s.line].idx: line_of[s.line] for r in foot_rows for s in r.segs}.values(), key=lambda t: t.y0)
    hdr_lines = sorted({line_of[s.line].idx: line_of[s.line] for r in hdr_rows for s in r.segs}.values(), key=lambda t: t.y0)
    return Grid(header, rows, cont, boxes, foot_lines, hdr_lines, ncols)


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
    """Boundaries of columns right of all body text that only the header names (MDPI's QUADAS
    items 1-5 over coloured cells): the leaf header cells there (those with no header cell under
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


def _first_cell(r: TRow, bounds: list[float]) -> Seg | None:
    for s in r.segs:
        if col_of(s.x0 + 2, bounds) == 0:
            return s
    return None


def _logical_rows(rows: list[TRow], row_rules, ruled_rows: bool, bounds: list[float], lh: float) -> list[list[TRow]]:
    if not rows:
        return []
    ys = sorted(r[1] for r in row_rules)

    def band(r: TRow) -> int:
        c = (r.y0 + r.y1) / 2
        return sum(1 for y in ys if y < c)

    gaps = []
    reach = rows[0].y1
    for i in range(1, len(rows)):  # the space above each line, below everything before it (centred cells interleave)
        gaps.append(rows[i].y0 - reach)
        reach = max(reach, rows[i].y1)
    bimodal = False
    thr = 0.0
    if len(gaps) >= 2:
        small = max(0.0, sorted(gaps)[max(0, len(gaps) // 10)])
        thr = small + max(0.5 * lh, 2.0)
        big = [g for g in gaps if g > thr]
        bimodal = 0 < len(big) and len(big) >= 0.1 * len(gaps) and len(big) < len(gaps)
    if not bimodal and not ruled_rows and not ys:
        centred = _centred_rows(rows, bounds, lh)
        if centred is not None:
            return centred
    col0_right = max((s.x1 for r in rows for s in r.segs if seg_cols(s, bounds) == (0, 0)), default=None)
    out: list[list[TRow]] = [[rows[0]]]
    for i in range(1, len(rows)):
        r, prev = rows[i], rows[i - 1]
        if band(r) != band(prev):
            out.append([r])
            continue
        if ruled_rows:
            out[-1].append(r)
            continue
        if bimodal:
            new = gaps[i - 1] > thr
        else:
            new = _starts_row(r, out[-1], bounds, col0_right)
        if new:
            out.append([r])
        else:
            out[-1].append(r)
    return out


def _starts_row(r: TRow, group: list[TRow], bounds: list[float], col0_right: float | None = None) -> bool:
    """Evenly spaced rows: a line starts a new row when it has a first-column cell that is not
    the wrapped tail of the one above."""
    first = _first_cell(r, bounds)
    if first is None:
        return False
    prev_first = None
    for g in reversed(group):
        prev_first = _first_cell(g, bounds)
        if prev_first is not None:
            break
    t = first.text.lstrip()
    if not t:
        return False
    if prev_first is not None:
        pt = prev_first.text.rstrip()
        if pt.endswith(("-", ",", "/", "(", "&", "+")) or pt.split(" ")[-1] in _CONT_WORDS:
            return False
        if len(r.segs) == 1 and col0_right is not None and _forced_wrap(prev_first, first, col0_right):
            return False  # a lone word that did not fit on the line above ("N 2 waves ≥3d" / "AG")
    if (t[0].islower() and not _CODE_WORD.match(t)) or t[0] in "([":
        return False
    # the other cells on this line carry on the text above them ("mentors to the pilot ..."):
    # the first-column line is a second paragraph of the same cell
    others = [s for s in r.segs if s is not first]
    if others:
        carried = sum(1 for s in others if s.text[:1].islower())
        if carried * 2 > len(others):
            return False
    return True


_CODE_WORD = re.compile(r"^[a-z]+[A-Z0-9]")  # jRCTs031180123, mAb, iPSC: not a wrapped lower-case word


def _forced_wrap(prev: Seg, first: Seg, right: float) -> bool:
    """The first word of `first` would not have fitted after `prev` within the column's width (the
    right edge of its widest line): the line break was the typesetter's, inside one cell."""
    if abs(prev.x0 - first.x0) > 2.0 or prev.bold != first.bold or abs(prev.size - first.size) > 0.3:
        return False  # a group label (bold, other type) starts a row of its own
    t = first.text.strip()
    word = t.split(" ")[0]
    w = first.width * len(word) / max(1, len(t))
    space = 0.25 * first.size
    return prev.x1 + space + w > right + 1.0


def _cells(group: list[TRow], bounds: list[float], vocab) -> list[str]:
    parts: list[list[Seg]] = [[] for _ in range(len(bounds) + 1)]
    for r in group:
        for s in r.segs:
            parts[col_of(s.x0 + 2, bounds)].append(s)
    return [join_cell_lines([s.text for s in reading_order(p)], vocab) for p in parts]


def reading_order(segs: list[Seg]) -> list[Seg]:
    """A cell's segments line by line (by their middle height), left to right within a line."""
    out: list[Seg] = []
    line: list[Seg] = []
    for s in sorted(segs, key=lambda s: (s.y0 + s.y1) / 2):
        c = (s.y0 + s.y1) / 2
        if line and abs(c - (line[0].y0 + line[0].y1) / 2) > 0.4 * (s.y1 - s.y0):
            out += sorted(line, key=lambda t: t.x0)
            line = []
        line.append(s)
    return out + sorted(line, key=lambda t: t.x0)


def _header_cells(rows: list[TRow], bounds: list[float], rules, lh: float, vocab) -> list[str]:
    ncols = len(bounds) + 1
    per: list[list[Seg]] = [[] for _ in range(ncols)]
    spanning: list[list[Seg]] = [[] for _ in range(ncols)]
    for r in rows:
        for s in r.segs:
            a, b = seg_cols(s, bounds)
            if a == b:
                per[a].append(s)
            else:
                for c in range(a, b + 1):
                    spanning[c].append(s)
    out = []
    for c in range(ncols):
        segs = sorted(per[c], key=lambda s: (s.y0, s.x0))
        if not segs:
            out.append("")
            continue
        # the lowest group of vertically adjacent segments, not split by a rule
        group = [segs[-1]]
        for s in reversed(segs[:-1]):
            top = group[0]
            gap = top.y0 - s.y1
            ruled = any(s.y1 - 0.5 <= rl[1] <= top.y0 + 0.5 and rl[0] <= s.x1 and rl[2] >= s.x0 for rl in rules)
            if gap <= 0.8 * lh and not ruled:
                group.insert(0, s)
            else:
                break
        out.append(join_cell_lines([s.text for s in group], vocab))
    return out


def _centred_rows(rows: list[TRow], bounds: list[float], lh: float) -> list[list[TRow]] | None:
    """Rows whose cells are centred on the row (MDPI): the first-column cells are the anchors, and
    every other column's lines between two anchors are split so that each cell is centred on its
    anchor: a cell has as many lines below its anchor as above it. None when the table is not
    set that way (its first row's cells start level with the first column)."""
    segs = [s for r in rows for s in r.segs]
    first = sorted((s for s in segs if col_of(s.x0 + 2, bounds) == 0), key=lambda s: s.y0)
    if len(first) < 2 or len(bounds) < 1:
        return None
    # anchors: blocks of first-column lines
    blocks: list[list[Seg]] = [[first[0]]]
    for s in first[1:]:
        if s.y0 - blocks[-1][-1].y1 <= 0.25 * lh and s.text[:1].islower():
            blocks[-1].append(s)
        else:
            blocks.append([s])
    centres = [(min(s.y0 for s in b) + max(s.y1 for s in b)) / 2 for b in blocks]
    top0 = min(s.y0 for s in blocks[0])
    others = [s for s in segs if col_of(s.x0 + 2, bounds) > 0]
    # a line above the first anchor is the upper half of a centred cell only when the cell's next
    # line follows at the table's line pitch; set apart by more, it is a row of its own (a
    # continuation row at the top of a table's part on a later page)
    pitch = _line_pitch(others, bounds)
    upper = [s for s in others if (s.y0 + s.y1) / 2 < centres[0] - 0.4 * lh and s.y1 < top0 + 3 * lh]
    if not any(_next_in_column(s, others, bounds) <= 1.2 * pitch for s in upper):
        return None
    groups: list[list[Seg]] = [list(b) for b in blocks]
    tol = 0.3 * lh
    for c in range(1, len(bounds) + 1):
        col = reading_lines([s for s in others if col_of(s.x0 + 2, bounds) == c])
        i = 0
        up = 0
        while i < len(col) and _mid(col[i]) < centres[0] - tol:  # the upper half of the first cell
            groups[0].extend(col[i])
            up += 1
            i += 1
        for k, a in enumerate(centres):
            last = k + 1 == len(centres)
            nxt = float("inf") if last else centres[k + 1]
            span = []
            while i < len(col) and (last or _mid(col[i]) < nxt - tol):
                span.append(col[i])
                i += 1
            at = [ln for ln in span if abs(_mid(ln) - a) <= tol]
            stray = [ln for ln in span if _mid(ln) < a - tol]
            below = [ln for ln in span if _mid(ln) > a + tol]
            if last:
                n_low = len(below)
            elif up or at:
                n_low = min(len(below), up)
            else:  # nothing above or level with the anchor: an empty cell, or one line near it
                n_low = 1 if below and _mid(below[0]) - a < nxt - _mid(below[0]) else 0
            for ln in stray + at + below[:n_low]:
                groups[k].extend(ln)
            if not last:
                for ln in below[n_low:]:
                    groups[k + 1].extend(ln)
            up = len(below) - n_low
    return [[TRow(g, min(s.y0 for s in g), max(s.y1 for s in g))] for g in groups]


def _next_in_column(s: Seg, segs: list[Seg], bounds: list[float]) -> float:
    """Distance (middle to middle) from s to the next line below it in its column."""
    c, m = col_of(s.x0 + 2, bounds), (s.y0 + s.y1) / 2
    ds = [(o.y0 + o.y1) / 2 - m for o in segs if col_of(o.x0 + 2, bounds) == c and (o.y0 + o.y1) / 2 - m > 0.4 * (s.y1 - s.y0)]
    return min(ds, default=float("inf"))


def _line_pitch(segs: list[Seg], bounds: list[float]) -> float:
    """The smallest distance between consecutive lines of one column: the leading inside a cell."""
    cols: dict[int, list[Seg]] = {}
    for s in segs:
        cols.setdefault(col_of(s.x0 + 2, bounds), []).append(s)
    best = float("inf")
    for col in cols.values():
        ms = sorted((s.y0 + s.y1) / 2 for s in col)
        h = min(s.y1 - s.y0 for s in col)
        for a, b in zip(ms, ms[1:]):
            if b - a > 0.4 * h:
                best = min(best, b - a)
    return best


def _mid(line: list[Seg]) -> float:
    return sum((s.y0 + s.y1) / 2 for s in line) / len(line)


def reading_lines(segs: list[Seg]) -> list[list[Seg]]:
    """Segments grouped into printed lines (by middle height), top to bottom."""
    out: list[list[Seg]] = []
    for s in sorted(segs, key=lambda s: (s.y0 + s.y1) / 2):
        c = (s.y0 + s.y1) / 2
        if out and abs(c - _mid(out[-1])) <= 0.4 * (s.y1 - s.y0):
            out[-1].append(s)
        else:
            out.append([s])
    return out

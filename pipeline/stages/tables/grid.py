"""The structure of one table body: columns, header leaf cells, rows of cells.

Input: the text lines of the body (already cut into segments), the rules inside it, and its
horizontal extent. Columns come from vertical rules when the table is a grid, else from
whitespace: the stretches of x that no cell segment covers (pdfplumber's "text" idea, on
segments instead of characters). Rows come from the horizontal rules between rows when every
row is ruled, else from the text: lines grouped by height, then joined into logical rows by
the spacing between them (rows set apart by extra space) or, for evenly spaced tables, by
what the first column holds (a wrapped first cell starts in lower case)."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from pipeline.core.geometry import union
from pipeline.core.hyphenation import Vocabulary
from pipeline.stages.tables.columns import (
    TRow,
    _empty_columns,
    _split_touching,
    _vertical_bounds,
    col_of,
    column_gaps,
    fit_to_header,
    seg_cols,
    text_rows,
)
from pipeline.stages.tables.rows import _first_cell, _logical_rows, reading_order
from pipeline.stages.tables.segments import Seg, TLine, join_cell_lines

_FOOTNOTE_START = re.compile(r"^\s*(\*|†|‡|§|¶|#|[a-z]\s|[a-z]\)|Abbreviations?\b|Note|Data are|Values are|[A-Z][A-Za-z0-9-]{0,10}\s*[,:=])")


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]
    continuation: list[bool]
    row_boxes: list[tuple[float, float, float, float]]
    footnote_lines: list[TLine] = field(default_factory=list)
    header_lines: list[TLine] = field(default_factory=list)
    ncols: int = 0
    bounds: list[float] = field(default_factory=list)  # x of each boundary between columns
    header_above: list[str] = field(default_factory=list)  # per column: header text above its leaf


def build_grid(lines: list[TLine], hrules: list[tuple[float, float, float, float]], vrules: list[tuple[float, float, float, float]],
               x0: float, x1: float, vocab: Vocabulary | None, trailing_footnotes: bool = True,
               columns_from: list[float] | None = None) -> Grid | None:
    """columns_from: the column boundaries of the table's part on an earlier page (a continued
    part without its header keeps the columns the header set)."""
    segs = [s for ln in lines for s in ln.segs]
    if not segs:
        return None
    width = x1 - x0
    y_top = min(s.y0 for s in segs)
    y_bot = max(s.y1 for s in segs)
    sizes = [s.size for s in segs]
    size = statistics.median(sizes)
    lh = statistics.median([s.y1 - s.y0 for s in segs])

    # rules of this table only: a table beside it in the other column draws rules at the same heights
    inner = [r for r in hrules if y_top - 0.5 < r[1] < y_bot + 0.5
             and min(r[2], x1) - max(r[0], x0) >= 0.5 * (r[2] - r[0])]
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
                nxt = next((f[1] for f in full if f[1] > cut + 1.0), cut)
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
    gaps = [] if vxs or columns_from else column_gaps(body_segs or segs, x0, x1, min_gap)
    bounds = sorted(vxs) if vxs else list(columns_from) if columns_from else [(a + b) / 2 for a, b in gaps]
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

    # rows
    row_rules = [r for r in inner if r[2] - r[0] >= 0.2 * width and (header_cut is None or r[1] > header_cut + 0.5)]
    full_row_rules = [r for r in row_rules if r[2] - r[0] >= 0.85 * width]
    ruled_rows = len(full_row_rules) >= 2
    logical = _logical_rows(rest, row_rules, ruled_rows, bounds, lh)
    if not ruled_rows:
        logical = _split_stacked(logical, bounds)
    else:
        # a ruled table whose rules set apart only some rows (summary rows at the end): a band of
        # many full lines between two rules is that many rows
        logical = _split_stacked(logical, bounds, min_lines=4, min_cols=min(3, len(bounds) + 1))
    if not hdr_rows and logical:
        hdr_rows = logical.pop(0)

    if gaps and hdr_rows:
        bounds = fit_to_header(gaps, [s for r in hdr_rows for s in r.segs])
    if not vxs and not columns_from and hdr_rows and body_segs:
        bounds = bounds + _empty_columns(hdr_rows, max(s.x1 for s in body_segs), min_gap)
    header, above = _header_cells(hdr_rows, bounds, inner, lh, vocab) if hdr_rows else ([], [])
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
    return Grid(header, rows, cont, boxes, foot_lines, hdr_lines, len(bounds) + 1, bounds, above)


def _split_stacked(groups: list[list[TRow]], bounds: list[float], min_lines: int = 2,
                   min_cols: int = 2) -> list[list[TRow]]:
    """A logical row whose every printed line has a first-column cell and a cell in another column is
    as many rows as lines (rows set apart by shading or by nothing at all): a cell wrapped over two
    lines leaves the other columns empty on its second line."""
    out: list[list[TRow]] = []
    for g in groups:
        firsts = [_first_cell(r, bounds) for r in g]
        if len(g) >= min_lines and all(f is not None and len({col_of(s.x0 + 2, bounds) for s in r.segs} | {0}) >= min_cols
                                       for f, r in zip(firsts, g)) and all(_opens_row(a.text, b.text)
                                                                   for a, b in zip(firsts, firsts[1:])):
            out.extend([r] for r in g)
        else:
            out.append(g)
    return out


def _opens_row(prev: str, text: str) -> bool:
    """A first-column line that cannot carry on the one above it (which did not break off mid-phrase)."""
    t, p = text.strip(), prev.rstrip()
    # "pH", "mAb" are codes and "α-Pinene" a name, not words carried on from the line above
    lower = bool(re.match(r"[a-z]", t)) and not re.match(r"^[a-z]+[A-Z0-9]", t)
    return bool(t) and not lower and not p.endswith(("-", ",", "/", "(", "&", "+", " and", " or", " of", " with"))


def _cells(group: list[TRow], bounds: list[float], vocab) -> list[str]:
    parts: list[list[Seg]] = [[] for _ in range(len(bounds) + 1)]
    for r in group:
        for s in r.segs:
            parts[col_of(s.x0 + 2, bounds)].append(s)
    return [join_cell_lines([s.text for s in reading_order(p)], vocab) for p in parts]


def _header_cells(rows: list[TRow], bounds: list[float], rules, lh: float, vocab) -> tuple[list[str], list[str]]:
    """Each column's leaf header, and the header text printed above it (the heads spanning it and
    its own upper header lines, top first): a spanning "Arm, %" declares the cells below it."""
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
    out, over = [], []
    for c in range(ncols):
        segs = sorted(per[c], key=lambda s: (s.y0, s.x0))
        spans = sorted(spanning[c], key=lambda s: (s.y0, s.x0))
        if not segs:
            # no leaf of its own: a cell spanning it is its header (a spanning cell heads each column it spans)
            out.append(join_cell_lines([spans[-1].text], vocab) if spans else "")
            over.append(join_cell_lines([s.text for s in spans[:-1]], vocab))
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
        upper = sorted([s for s in spans if s.y1 <= group[0].y0 + 1] + [s for s in segs if s not in group],
                       key=lambda s: (s.y0, s.x0))
        over.append(join_cell_lines([s.text for s in upper], vocab))
    if len(rows) == 1:
        # a one-line header with blanks right of a label: the label spans them, set flush left
        # over its columns ("Treatment" over visits 2-4); the stub column's label spans nothing
        for c in range(2, ncols):
            if not out[c] and out[c - 1]:
                out[c] = out[c - 1]
    return out, over

"""Rows of a table body: printed lines into logical rows (rules, first-column anchors, wrapped cells, rows centred on their first cell)."""
from __future__ import annotations

import re

from pipeline.stages.tables.columns import TRow, col_of, seg_cols
from pipeline.stages.tables.segments import Seg

_CONT_WORDS = ("and", "or", "of", "in", "with", "for", "to", "the", "a", "by", "vs", "vs.", "at", "on")






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


_CODE_WORD = re.compile(r"^[a-z]+[A-Z0-9]")  # identifiers and codes (mAb, iPSC, a lower-case registry prefix): not a wrapped lower-case word


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


def _centred_rows(rows: list[TRow], bounds: list[float], lh: float) -> list[list[TRow]] | None:
    """Rows whose cells are centred on the row: the first-column cells are the anchors, and
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

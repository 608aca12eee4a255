"""The body a caption labels: searching down (or up) from it through rules and table-like lines to where body text resumes; footnotes under it."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from pipeline.stages.tables.captions import _ANY_CAPTION
from pipeline.stages.tables.segments import TLine, join_cell_lines
from schemas.raw import Page


def _is_heading(ln: TLine, body_size: float) -> bool:
    return len(ln.segs) == 1 and ln.bold and ln.size >= body_size - 0.25 and len(ln.text) < 120


def _is_paragraph(ln: TLine, body_size: float, xw: float) -> bool:
    """A line of running text: body-size type, one segment, as wide as a text column."""
    return len(ln.segs) == 1 and ln.size >= body_size - 0.3 and (ln.bbox[2] - ln.bbox[0]) >= min(0.4 * xw, 150.0)


def _blocked(ln: TLine, body_size: float, xw: float, row: list[TLine] = ()) -> bool:
    """A caption, heading or paragraph line ends a table; a bold line printed beside other cells on
    its row (a header cell set in body-size bold) is no heading."""
    if _ANY_CAPTION.match(ln.text):
        return True
    # a bold "%" or "n" alone over its columns is a header cell: a heading has words
    if _is_heading(ln, body_size) and not _beside(ln, row) and re.search(r"[^\W\d_]{2}", ln.text):
        return True
    return _is_paragraph(ln, body_size, xw)


def _beside(ln: TLine, lines) -> bool:
    return any(o is not ln and min(o.y1, ln.y1) - max(o.y0, ln.y0) > 0.5 * (ln.y1 - ln.y0) for o in lines)


def _in_x(ln: TLine, x0: float, x1: float) -> bool:
    w = max(0.1, ln.bbox[2] - ln.bbox[0])
    return (min(ln.bbox[2], x1) - max(ln.bbox[0], x0)) >= 0.5 * w


@dataclass
class _Flip:
    """Upside-down view of a page's lines and rules, so that one downward search serves
    captions above and below their tables."""

    lines: list[TLine]
    hr: list[tuple]


def _before_next_caption(cbox, lines: list[TLine], stops: list[tuple]) -> list[TLine]:
    """Lines above the next caption below this one (in an overlapping column): another table's or
    figure's caption always ends this table's body."""
    below = [b for b in stops if b[1] >= cbox[3] - 1.0 and min(b[2], cbox[2]) - max(b[0], cbox[0]) > 0]
    if not below:
        return lines
    limit = min(b[1] for b in below)
    return [ln for ln in lines if ln.y1 <= limit + 0.5]


def _search(cbox, lines: list[TLine], hr, page: Page, body_size: float, lh: float, direction: int,
            stops: list[tuple] = ()):
    """Find the body on one side of the caption. Returns (body lines, footnote lines, (x0, x1), ruled) or None.
    `stops`: boxes of the page's other captions."""
    if direction < 0:
        H = page.height
        fl = [TLine(ln.idx, (ln.bbox[0], H - ln.bbox[3], ln.bbox[2], H - ln.bbox[1]), ln.block, ln.size, ln.bold, ln.text, ln.segs)
              for ln in lines]
        fhr = sorted(((r[0], H - r[1], r[2], H - r[3]) for r in hr), key=lambda r: r[1])
        fcb = (cbox[0], H - cbox[3], cbox[2], H - cbox[1])
        fstops = [(b[0], H - b[3], b[2], H - b[1]) for b in stops]
        res = _search_down(fcb, _before_next_caption(fcb, fl, fstops), fhr, page, body_size, lh, up=True)
        if res is None:
            return None
        orig = {ln.idx: ln for ln in lines}
        body, foot, xr, ruled = res
        return [orig[ln.idx] for ln in body], [], xr, ruled
    return _search_down(cbox, _before_next_caption(cbox, lines, list(stops)), hr, page, body_size, lh, up=False)


def _search_down(cbox, lines: list[TLine], hr, page: Page, body_size: float, lh: float, up: bool):
    cap_bottom = cbox[3]
    below = sorted((ln for ln in lines if ln.y0 >= cap_bottom - 1.0), key=lambda t: (t.y0, t.bbox[0]))
    # the top rule: the nearest wide rule right below the caption, over the caption's span
    tops = [r for r in hr if cap_bottom - 2.0 <= r[1] <= cap_bottom + 2.5 * lh and r[2] - r[0] >= 60
            and r[0] <= cbox[2] and r[2] >= cbox[0]]
    # nothing but rules and table text may lie between caption and top rule
    if tops:
        top = tops[0]
        between = [ln for ln in below if ln.y1 <= top[1] + 0.5 and _in_x(ln, top[0], top[2])]
        if any(_blocked(ln, body_size, top[2] - top[0]) for ln in between):
            tops = []
    if up and not tops:
        return None  # a caption below its table sits right under the table's bottom rule
    if tops:
        x0, x1 = top[0], top[2]
        xw = x1 - x0
        rules = [r for r in hr if r[1] > top[1] + 0.5 and r[2] - r[0] >= 0.1 * xw
                 and r[0] >= x0 - 4 and r[2] <= x1 + 4]
        cands = [ln for ln in below if _in_x(ln, x0, x1)]
        body: list[TLine] = [ln for ln in cands if ln.y1 <= top[1] + 0.5] if not up else []
        cur = top[1]
        used_rules = [top]
        closed = False  # a band broke the walk: what lies past the last rule is not the table's
        for r in rules:
            band = [ln for ln in cands if cur - 0.5 <= (ln.y0 + ln.y1) / 2 < r[1]]
            if any(_blocked(ln, body_size, xw, band) for ln in band):
                closed = True
                break
            if band and any(b.y0 - a.y1 > 3 * lh for a, b in zip(band, band[1:])):
                closed = True
                break
            if r[1] - cur > 4 * lh and not band:
                closed = True
                break
            if band and len(used_rules) >= 2 and not _has_table_row(band):
                closed = True
                break  # notes under the bottom rule, closed by a page rule
            body.extend(band)
            cur = r[1]
            used_rules.append(r)
        text_rows_seen = len({round(ln.y0) for ln in body})
        open_end = len(used_rules) <= 2 and (len(used_rules) == 1 or text_rows_seen <= 4)
        foot: list[TLine] = []
        rest = [ln for ln in cands if (ln.y0 + ln.y1) / 2 >= cur]
        if open_end:
            body.extend(_grow(rest, cur, body_size, xw, lh, table_size=_tsize(body)))
        elif up:  # the header above the top rule of a table captioned below it
            body.extend(_grow(rest, cur, body_size, xw, lh, table_size=_tsize(body), rows_only=True))
        elif not closed and text_rows_seen <= 4:
            # only header rows between the rules: the table runs on below its header rule to the
            # page's end, its bottom rule on the next page
            body.extend(_grow(rest, cur, body_size, xw, lh, table_size=_tsize(body), rows_only=True))
        rest = [ln for ln in rest if ln not in body]
        if not body:
            return None
        if not up:
            foot = _footnote_lines(rest, max(cur, max(ln.y1 for ln in body)), body_size, xw, lh, _tsize(body))
        return body, foot, (x0, x1), True
    # no rules: grow from the caption
    x0, x1 = _column_range(cbox, lines, page)
    xw = x1 - x0
    cands = [ln for ln in below if _in_x(ln, x0, x1)]
    body = _grow(cands, cap_bottom, body_size, xw, lh, table_size=None, first_gap=3.0)
    if not body or not _has_table_row(body):
        return None
    rest = [ln for ln in cands if ln.y0 > max(ln2.y1 for ln2 in body)]
    foot = _footnote_lines(rest, max(ln.y1 for ln in body), body_size, xw, lh, _tsize(body))
    return body, foot, (min(ln.bbox[0] for ln in body), max(ln.bbox[2] for ln in body)), False


def _tsize(body: list[TLine]) -> float | None:
    return statistics.median([ln.size for ln in body]) if body else None


def _line_rows(lines: list[TLine]) -> list[list[TLine]]:
    """Lines grouped by printed height (vertical overlap), top to bottom."""
    rows: list[list[TLine]] = []
    for ln in sorted(lines, key=lambda t: (t.y0, t.bbox[0])):
        if rows:
            r = rows[-1]
            y0, y1 = min(o.y0 for o in r), max(o.y1 for o in r)
            if min(y1, ln.y1) - max(y0, ln.y0) > 0.5 * min(ln.height, y1 - y0):
                r.append(ln)
                continue
        rows.append([ln])
    return rows


def _has_table_row(lines: list[TLine]) -> bool:
    return any(sum(len(o.segs) for o in r) >= 2 for r in _line_rows(lines))


def _grow(cands: list[TLine], start: float, body_size: float, xw: float, lh: float, table_size, first_gap: float = 2.5,
          rows_only: bool = False):
    """Table lines past `start`, row by row, while they stay close together and table-like."""
    out: list[TLine] = []
    pending: list[TLine] = []
    lone = 0
    last = start
    for row in _line_rows([ln for ln in cands if ln.y0 >= start - 1]):
        top = min(o.y0 for o in row)
        gap = top - last
        lim = (first_gap if not out else 1.6) * lh
        if gap > lim:
            break
        if any(_blocked(ln, body_size, xw, row) for ln in row):
            break
        nseg = sum(len(o.segs) for o in row)
        size = max(o.size for o in row)
        if table_size is not None and size > table_size + 1.0 and nseg == 1:
            break
        if rows_only:
            if (table_size is not None and size > table_size + 0.3) or gap > 1.5 * lh:
                break
            if nseg < 2:  # a lone line: the wrapped part of a header cell, if a row follows closely
                lone += 1
                if lone > 1:
                    break
                pending.extend(row)
                last = max(last, max(o.y1 for o in row))
                continue
            out.extend(pending)
            pending, lone = [], 0
        out.extend(row)
        last = max(last, max(o.y1 for o in row))
    return out


def _footnote_lines(rest: list[TLine], bottom: float, body_size: float, xw: float, lh: float, tsize) -> list[TLine]:
    out: list[TLine] = []
    last = bottom
    for ln in sorted(rest, key=lambda t: (t.y0, t.bbox[0])):
        gap = ln.y0 - last
        if gap > (1.5 if not out else 0.9) * lh:
            break
        if _ANY_CAPTION.match(ln.text) or _is_heading(ln, body_size):
            break
        if ln.size >= body_size - 0.3 and not (tsize and ln.size <= tsize + 0.2):
            break
        out.append(ln)
        last = max(last, ln.y1)
    return out


def _column_range(cbox, lines: list[TLine], page: Page) -> tuple[float, float]:
    """The horizontal span a rule-less table may use: the page's text width, or the caption's
    half when the page is set in two columns at the caption's height."""
    xs0 = [ln.bbox[0] for ln in lines]
    xs1 = [ln.bbox[2] for ln in lines]
    left = min(xs0 + [cbox[0]])
    right = max(xs1 + [cbox[2]])
    mid = (left + right) / 2
    beside = [ln for ln in lines if abs(ln.y0 - cbox[1]) < 3 and (ln.bbox[0] > cbox[2] + 10 or ln.bbox[2] < cbox[0] - 10)]
    if beside and cbox[2] < mid + 10:
        return left - 1, mid
    if beside and cbox[0] > mid - 10:
        return mid, right + 1
    return left - 1, right + 1


_URL_ONLY = re.compile(r"^(https?://|doi:)\S+$", re.I)  # a table's own DOI or URL printed under it


_CONTINUED = re.compile(r"^\(?\s*(?:continued|cont\.?|contd\.?)\s*\)?\.?(?:\s+on next page)?$", re.I)


def _footnote_text(lines: list[TLine], vocab) -> str | None:
    parts = [ln.text for ln in sorted(lines, key=lambda t: (t.y0, t.bbox[0]))
             if not _CONTINUED.match(ln.text.strip()) and not _URL_ONLY.match(ln.text.strip())]
    return join_cell_lines(parts, vocab) or None

"""Tables: captions, the body they label, its cells; a table continued over pages is one Table.

find_tables(raw, settings) works on every page:
1. captions: lines that start with "Table N" / "TABLE N" followed by a separator, a capital
   or nothing (not "Table 1 shows ..."); "Cont." / "Continued" mark a continuation;
2. the body: below the caption (or above it, when a rule sits right above the caption and
   none below). With drawn rules: from the top rule down through every rule whose band holds
   table-like text (no caption, heading or body paragraph), then on past the last rule while
   lines stay table-like when the rules seen are only the top and header rules. Without rules:
   lines below the caption while they stay close and table-like;
3. the footnote: smaller text right below the bottom rule, or lone spanning lines at the
   end of the body (tables_grid);
4. the structure: tables_grid.build_grid; PyMuPDF's own finder (page.tables, from parse) is
   the fallback when no cells could be read;
5. parts with the same label on later pages are merged into the first.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from schemas.document import Table
from schemas.raw import Page, RawDocument

from pipeline.core.geometry import merge_hrules, round_box, union
from pipeline.core.hyphenation import LazyVocabulary, Vocabulary
from pipeline.settings import Settings
from pipeline.stages.tables.grid import build_grid
from pipeline.stages.tables.segments import TLine, build_lines, join_cell_lines
from pipeline.core.textnorm import clean, collapse_spaces

_CAPTION = re.compile(r"^\s*(Table|TABLE)\s+([0-9]+|[IVXL]+)([A-Z]?)(?![\w])\s*(.*)$")
_CONT = re.compile(r"^[\s.:|\u2013\u2014-]*\(?\s*(?:cont\.?|continued|contd\.?)\s*\)?\s*[.:]?\s*", re.I)
_ANY_CAPTION = re.compile(r"^\s*(Table|TABLE|Fig\.?|Figure|FIGURE|Scheme|Box)\s+[0-9IVX]+")
_SEP = re.compile(r"^[\s.:|\u2013\u2014-]+")


@dataclass
class Caption:
    page: int
    label: str
    key: str  # label normalised for merging
    text: str  # without the label
    cont: bool
    lines: list[TLine]
    size: float
    bold_label: bool

    @property
    def box(self):
        return union([ln.bbox for ln in self.lines])


@dataclass
class Part:
    cap: Caption
    header: list[str]
    rows: list[list[str]]
    continuation: list[bool]
    row_boxes: list[tuple[float, float, float, float]]
    footnote: str | None
    region: tuple[float, float, float, float]
    body_box: tuple[float, float, float, float] | None
    method: str
    extra_pages: list[tuple[int, tuple]] = field(default_factory=list)


def find_tables(raw: RawDocument, settings: Settings) -> list[Table]:
    body_size = _body_size(raw)
    vocab: LazyVocabulary | None = None
    parts: list[Part] = []
    for page in raw.pages:
        if not page.blocks or not _may_have_caption(page):
            continue
        lines = build_lines(page)
        caps = _captions(page, lines)
        if not caps:
            continue
        if vocab is None:
            vocab = LazyVocabulary(lambda: Vocabulary(collapse_spaces(" ".join(s.text for s in ln.spans))
                                                      for p in raw.pages for b in p.blocks for ln in b.lines))
        hr = merge_hrules([r.bbox for r in page.rules if r.horizontal and r.bbox[2] >= r.bbox[0]])
        vr = [r.bbox for r in page.rules if not r.horizontal and r.bbox[2] >= r.bbox[0]]
        taken: set[int] = set()
        for cap in caps:
            parts.append(_read_part(page, lines, cap, caps, hr, vr, body_size, vocab, taken))
    return _merge(parts)


# ---------------------------------------------------------------- captions

def _may_have_caption(page: Page) -> bool:
    for b in page.blocks:
        for ln in b.lines:
            t = ln.spans[0].text.lstrip() if ln.spans else ""
            if t[:5] in ("Table", "TABLE"):
                return True
    return False


def _captions(page: Page, lines: list[TLine]) -> list[Caption]:
    out: list[Caption] = []
    seen: set[str] = set()
    first_in_block: dict[int, int] = {}
    for ln in lines:
        first_in_block.setdefault(ln.block, ln.idx)
    for ln in lines:
        if not ln.text.lstrip().startswith(("Table", "TABLE")):
            continue
        row = [ln] + sorted((o for o in lines if o is not ln and abs(o.y0 - ln.y0) < 2.0 and o.bbox[0] >= ln.bbox[2] - 1
                             and o.bbox[0] - ln.bbox[2] < 4 * ln.size), key=lambda o: o.bbox[0])
        # keep only a contiguous run to the right
        run = [row[0]]
        for o in row[1:]:
            if o.bbox[0] - run[-1].bbox[2] < 4 * ln.size:
                run.append(o)
        text = clean(" ".join(o.text for o in run))
        m = _CAPTION.match(text)
        if not m:
            continue
        rest = m.group(4)
        cont = bool(_CONT.match(rest)) if rest else False
        label_bold = ln.segs[0].bold if ln.segs else False
        first_span_bold = any(sp.bold for b in [page.blocks[ln.block]] for l2 in b.lines for sp in l2.spans[:1]
                              if sp.text.strip().startswith(("Table", "TABLE")) and abs(l2.bbox[1] - ln.y0) < 1)
        label_bold = label_bold or first_span_bold
        if rest and not cont:
            c = rest[0]
            if c in ".:|\u2013\u2014-":
                pass
            elif c.islower() or c in ",;)(":
                continue  # "Table 1 shows ...", "Table 2, ..."
            elif not (label_bold or first_in_block.get(ln.block) == ln.idx or _gap_after_label(run)):
                continue
        label = f"{m.group(1)} {m.group(2)}{m.group(3)}"
        key = f"table {m.group(2)}{m.group(3)}".lower()
        if (key, cont) in {(k, False) for k in seen} and not cont:
            continue
        seen.add(key)
        caption_text = rest
        if cont:
            caption_text = _CONT.sub("", rest, count=1)
        caption_text = _SEP.sub("", caption_text).strip()
        out.append(Caption(page.number, label, key, caption_text, cont, run, ln.size, label_bold))
    return out


def _gap_after_label(run: list[TLine]) -> bool:
    return len(run) > 1  # the label is a line of its own beside the caption text


def _extend_caption(cap: Caption, lines: list[TLine], hr, taken: set[int]) -> None:
    """Add the caption's further lines below its first."""
    ids = {ln.idx for ln in cap.lines}
    box = cap.box
    lh = max(4.0, box[3] - box[1])
    label_only = not cap.text
    for _ in range(8):
        bottom = max(ln.y1 for ln in cap.lines)
        cands = [o for o in lines if o.idx not in ids and o.idx not in taken and o.y0 >= bottom - 1.0
                 and o.bbox[0] >= box[0] - 6 and o.bbox[0] <= box[0] + max(60.0, box[2] - box[0])]
        if not cands:
            break
        nxt = min(cands, key=lambda o: (o.y0, o.bbox[0]))
        same_row = [o for o in lines if o.idx != nxt.idx and abs(o.y0 - nxt.y0) < 1.5 and o.bbox[0] >= box[0] - 6]
        gap = nxt.y0 - bottom
        limit = (1.2 if label_only else 0.6) * lh
        ruled = any(bottom - 0.5 <= r[1] <= nxt.y0 + 0.5 and r[0] < nxt.bbox[2] and r[2] > nxt.bbox[0] for r in hr)
        if gap > limit or ruled or len(nxt.segs) > 1 or abs(nxt.size - cap.size) > 1.0 or _ANY_CAPTION.match(nxt.text):
            break
        if same_row and not label_only:
            break
        if label_only and same_row:
            # caption text beside other pieces on the same height: take the whole printed row
            row = sorted([nxt] + same_row, key=lambda o: o.bbox[0])
            if any(len(o.segs) > 1 for o in row):
                break
        cap.lines.append(nxt)
        ids.add(nxt.idx)
        cap.text = collapse_spaces(f"{cap.text} {clean(nxt.text)}") if cap.text else clean(nxt.text)
        if cap.text.endswith("-") and False:
            pass
        label_only = False
        box = union([box, nxt.bbox])


# ---------------------------------------------------------------- the body

def _body_size(raw: RawDocument) -> float:
    # not layout's body size: counted over wide lines of the leading pages only, so margin
    # columns and reference lists do not pull it down (the PLOS tables depend on this)
    c: Counter = Counter()
    n = len(raw.pages)
    for p in raw.pages[: max(1, int(n * 0.6))]:
        for b in p.blocks:
            for ln in b.lines:
                if ln.bbox[2] - ln.bbox[0] < 0.35 * p.width:
                    continue
                for s in ln.spans:
                    c[round(s.size * 2) / 2] += len(s.text)
    return c.most_common(1)[0][0] if c else 10.0


def _is_heading(ln: TLine, body_size: float) -> bool:
    return len(ln.segs) == 1 and ln.bold and ln.size >= body_size - 0.25 and len(ln.text) < 120


def _is_paragraph(ln: TLine, body_size: float, xw: float) -> bool:
    """A line of running text: body-size type, one segment, as wide as a text column."""
    return len(ln.segs) == 1 and ln.size >= body_size - 0.3 and (ln.bbox[2] - ln.bbox[0]) >= min(0.4 * xw, 150.0)


def _blocked(ln: TLine, body_size: float, xw: float) -> bool:
    return bool(_ANY_CAPTION.match(ln.text)) or _is_heading(ln, body_size) or _is_paragraph(ln, body_size, xw)


def _in_x(ln: TLine, x0: float, x1: float) -> bool:
    w = max(0.1, ln.bbox[2] - ln.bbox[0])
    return (min(ln.bbox[2], x1) - max(ln.bbox[0], x0)) >= 0.5 * w


@dataclass
class _Flip:
    """Upside-down view of a page's lines and rules, so that one downward search serves
    captions above and below their tables."""

    lines: list[TLine]
    hr: list[tuple]


def _read_part(page: Page, lines: list[TLine], cap: Caption, caps: list[Caption], hr, vr, body_size: float,
               vocab, taken: set[int]) -> Part:
    _extend_caption(cap, lines, hr, taken)
    cap_ids = {ln.idx for c in caps for ln in c.lines}
    taken.update(ln.idx for ln in cap.lines)
    cbox = cap.box
    lh = max(6.0, cap.size * 1.2)
    other = [ln for ln in lines if ln.idx not in cap_ids and ln.idx not in taken]

    down = _search(cbox, other, hr, page, body_size, lh, +1)
    tries = [down] if down and down[0] else []
    if not tries or not down[3]:  # nothing ruled below: the table may stand above its caption
        up = _search(cbox, other, hr, page, body_size, lh, -1)
        if up and up[0]:
            tries = [up] + tries if up[3] else tries + [up]
    method = "caption-only"
    header: list[str] = []
    rows: list[list[str]] = []
    cont: list[bool] = []
    row_boxes: list = []
    footnote = None
    body_box = None
    region = cbox
    for found in tries:
        body_lines, foot_lines, (x0, x1), ruled = found
        grid = build_grid(body_lines, hr, vr, x0, x1, vocab)
        if grid is None or not grid.rows:
            continue
        header, rows, cont, row_boxes = grid.header, grid.rows, grid.continuation, grid.row_boxes
        foot_lines = sorted({ln.idx: ln for ln in grid.footnote_lines + foot_lines}.values(), key=lambda t: t.y0)
        method = "rules" if ruled else "whitespace"
        used = [ln for ln in body_lines if ln not in grid.footnote_lines]
        body_box = union([ln.bbox for ln in used])
        if ruled:
            tr = [r for r in hr if x0 - 2 <= r[0] and r[2] <= x1 + 2 and body_box[1] - 12 <= r[1] <= body_box[3] + 12]
            if tr:
                body_box = union([body_box] + [r for r in tr])
        if foot_lines:
            footnote = _footnote_text(foot_lines, vocab)
        taken.update(ln.idx for ln in body_lines)
        taken.update(ln.idx for ln in foot_lines)
        region = union([cbox, body_box] + [ln.bbox for ln in foot_lines])
        break
    if not rows:
        pm = _pymupdf_fallback(page, cbox)
        if pm is not None:
            header, rows, body_box = pm
            cont = [False] * len(rows)
            row_boxes = [body_box] * len(rows)
            method = "pymupdf"
            region = union([cbox, body_box])
    return Part(cap, header, rows, cont, [round_box(b) for b in row_boxes], footnote, round_box(region),
                round_box(body_box) if body_box else None, method)


def _search(cbox, lines: list[TLine], hr, page: Page, body_size: float, lh: float, direction: int):
    """Find the body on one side of the caption. Returns (body lines, footnote lines, (x0, x1), ruled) or None."""
    if direction < 0:
        H = page.height
        fl = [TLine(ln.idx, (ln.bbox[0], H - ln.bbox[3], ln.bbox[2], H - ln.bbox[1]), ln.block, ln.size, ln.bold, ln.text, ln.segs)
              for ln in lines]
        fhr = sorted(((r[0], H - r[1], r[2], H - r[3]) for r in hr), key=lambda r: r[1])
        fcb = (cbox[0], H - cbox[3], cbox[2], H - cbox[1])
        res = _search_down(fcb, fl, fhr, page, body_size, lh, up=True)
        if res is None:
            return None
        orig = {ln.idx: ln for ln in lines}
        body, foot, xr, ruled = res
        return [orig[ln.idx] for ln in body], [], xr, ruled
    return _search_down(cbox, lines, hr, page, body_size, lh, up=False)


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
        for r in rules:
            band = [ln for ln in cands if cur - 0.5 <= (ln.y0 + ln.y1) / 2 < r[1]]
            if any(_blocked(ln, body_size, xw) for ln in band):
                break
            if band and any(b.y0 - a.y1 > 3 * lh for a, b in zip(band, band[1:])):
                break
            if r[1] - cur > 4 * lh and not band:
                break
            if band and len(used_rules) >= 2 and not _has_table_row(band):
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
        elif up:  # the header above the top rule of a table captioned below (Lancet)
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
        if any(_blocked(ln, body_size, xw) for ln in row):
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


_URL_ONLY = re.compile(r"^(https?://|doi:)\S+$", re.I)  # PLOS prints the table's own DOI under it
_CONTINUED = re.compile(r"^\(?\s*(?:continued|cont\.?|contd\.?)\s*\)?\.?(?:\s+on next page)?$", re.I)


def _footnote_text(lines: list[TLine], vocab) -> str | None:
    parts = [ln.text for ln in sorted(lines, key=lambda t: (t.y0, t.bbox[0]))
             if not _CONTINUED.match(ln.text.strip()) and not _URL_ONLY.match(ln.text.strip())]
    return join_cell_lines(parts, vocab) or None


def _pymupdf_fallback(page: Page, cbox):
    best = None
    for t in page.tables:
        if not t.rows or len(t.rows) < 2:
            continue
        dy = min(abs(t.bbox[1] - cbox[3]), abs(cbox[1] - t.bbox[3]))
        if dy > 60:
            continue
        if best is None or dy < best[0]:
            best = (dy, t)
    if best is None:
        return None
    t = best[1]
    rows = [[collapse_spaces(clean(c or "").replace("\n", " ")) for c in r] for r in t.rows]
    return rows[0], rows[1:], tuple(t.bbox)


# ---------------------------------------------------------------- merging parts into tables

def _merge(parts: list[Part]) -> list[Table]:
    parts.sort(key=lambda p: (p.cap.page, p.cap.box[1]))
    tables: list[Table] = []
    by_key: dict[str, Table] = {}
    for p in parts:
        prev = by_key.get(p.cap.key)
        if prev is not None and (p.cap.cont or p.cap.page > prev.pages[-1]) and p.cap.page != prev.page:
            rows = p.rows
            cont = p.continuation
            boxes = p.row_boxes
            if rows and prev.header and _same_header(rows[0], prev.header):
                rows, cont, boxes = rows[1:], cont[1:], boxes[1:]
            if rows and prev.rows and not rows[0][0] and any(rows[0][1:]):
                cont = [True] + cont[1:]  # the part opens with a continuation of the row above
            prev.rows.extend(rows)
            prev.continuation.extend(cont)
            prev.row_bboxes.extend((p.cap.page, b) for b in boxes)
            if p.cap.page not in prev.pages:
                prev.pages.append(p.cap.page)
            prev.regions.append((p.cap.page, p.region))
            if p.footnote:
                prev.footnote = f"{prev.footnote} {p.footnote}" if prev.footnote else p.footnote
            if prev.method == "caption-only" and p.method != "caption-only":
                prev.method = p.method
                if not prev.header:
                    prev.header = p.header
            continue
        if prev is not None and p.cap.page == prev.page:
            continue  # the same label twice on one page: the second is a reference, not a caption
        t = Table(
            id=f"t{len(tables) + 1}",
            label=p.cap.label,
            caption=p.cap.text,
            header=p.header,
            rows=p.rows,
            continuation=p.continuation,
            footnote=p.footnote,
            page=p.cap.page,
            pages=[p.cap.page],
            bbox=p.body_box or round_box(p.cap.box),
            row_bboxes=[(p.cap.page, b) for b in p.row_boxes],
            regions=[(p.cap.page, p.region)],
            section=[],
            method=p.method,
        )
        tables.append(t)
        by_key[p.cap.key] = t
    return tables


def _same_header(row: list[str], header: list[str]) -> bool:
    a = [c.lower() for c in row if c]
    b = [c.lower() for c in header if c]
    return bool(a) and a == b

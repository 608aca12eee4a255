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
5. parts with the same label on later pages are merged into the first."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from pipeline.core.geometry import merge_hrules, round_box, union
from pipeline.core.hyphenation import LazyVocabulary, Vocabulary
from pipeline.core.textnorm import collapse_spaces
from pipeline.settings import Settings
from pipeline.stages.tables.body import _footnote_lines, _footnote_text, _grow, _line_rows, _search, _tsize
from pipeline.stages.tables.captions import (
    Caption,
    _captions,
    _extend_caption,
    _may_have_caption,
)
from pipeline.stages.tables.columns import col_of
from pipeline.stages.tables.grid import build_grid
from pipeline.stages.tables.merge import Part, _merge, _pymupdf_fallback
from pipeline.stages.tables.segments import TLine, build_lines
from schemas.document import Table
from schemas.raw import Page, RawDocument


def find_tables(raw: RawDocument, settings: Settings) -> list[Table]:
    body_size = _body_size(raw)
    vocab: LazyVocabulary | None = None
    parts: list[Part] = []
    columns: dict[str, tuple[int, float, float, list[float]]] = {}  # label -> page, x0, x1, boundaries of its first part
    running: Part | None = None  # a part whose body ran to the end of its page, with no closing rule
    for page in raw.pages:
        carried, running = running, None
        if not page.blocks or (carried is None and not _may_have_caption(page)):
            continue
        lines = build_lines(page)
        caps = _captions(page, lines)
        if not caps and carried is None:
            continue
        if vocab is None:
            vocab = LazyVocabulary(lambda: Vocabulary(collapse_spaces(" ".join(s.text for s in ln.spans))
                                                      for p in raw.pages for b in p.blocks for ln in b.lines))
        hr = merge_hrules([r.bbox for r in page.rules if r.horizontal and r.bbox[2] >= r.bbox[0]])
        vr = [r.bbox for r in page.rules if not r.horizontal and r.bbox[2] >= r.bbox[0]]
        taken: set[int] = set()
        if carried is not None and carried.cap.page == page.number - 1 and not any(c.key == carried.cap.key for c in caps):
            part = read_carried(page, lines, carried, caps, hr, vr, body_size, vocab, taken, columns)
            if part is not None:
                parts.append(part)
                running = part if part.runs_off else None
        for cap in caps:
            part = _read_part(page, lines, cap, caps, hr, vr, body_size, vocab, taken, columns)
            parts.append(part)
            if part.runs_off:
                running = part
    return _merge(parts)


def _body_size(raw: RawDocument) -> float:
    # not layout's body size: counted over wide lines of the leading pages only, so margin
    # columns and reference lists do not pull it down (tables set in small type on pages dense with other text depend on this)
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


def _read_part(page: Page, lines: list[TLine], cap: Caption, caps: list[Caption], hr, vr, body_size: float,
               vocab, taken: set[int], columns: dict) -> Part:
    _extend_caption(cap, lines, hr, taken)
    cap_ids = {ln.idx for c in caps for ln in c.lines}
    taken.update(ln.idx for ln in cap.lines)
    cbox = cap.box
    lh = max(6.0, cap.size * 1.2)
    other = [ln for ln in lines if ln.idx not in cap_ids and ln.idx not in taken]

    stops = [c.box for c in caps if c is not cap and c.page == cap.page]  # other tables' captions end this body
    down = _search(cbox, other, hr, page, body_size, lh, +1, stops)
    tries = [down] if down and down[0] else []
    if not tries or not down[3]:  # nothing ruled below: the table may stand above its caption
        up = _search(cbox, other, hr, page, body_size, lh, -1, stops)
        if up and up[0]:
            tries = [up] + tries if up[3] else tries + [up]
    method = "caption-only"
    header: list[str] = []
    above: list[str] = []
    rows: list[list[str]] = []
    cont: list[bool] = []
    row_boxes: list = []
    footnote = None
    body_box = None
    region = cbox
    for found in tries:
        body_lines, foot_lines, (x0, x1), ruled = found
        first = columns.get(cap.key)
        hint = None
        if first is not None and first[0] < cap.page and abs(first[1] - x0) < 20 and abs(first[2] - x1) < 20:
            hint = first[3]  # a later part of the table in the same place: the first part's columns
        grid = build_grid(body_lines, hr, vr, x0, x1, vocab, columns_from=hint)
        if grid is None or not grid.rows:
            continue
        header, rows, cont, row_boxes = grid.header, grid.rows, grid.continuation, grid.row_boxes
        above = grid.header_above
        if first is None and grid.bounds:
            columns[cap.key] = (cap.page, x0, x1, grid.bounds)
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
    part = Part(cap, header, rows, cont, [round_box(b) for b in row_boxes], footnote, round_box(region),
                round_box(body_box) if body_box else None, method, header_above=above)
    part.runs_off = bool(rows) and footnote is None and body_box is not None and _runs_off(page, lines, body_box, taken)
    return part


def _runs_off(page: Page, lines: list[TLine], body_box, taken: set[int]) -> bool:
    """Nothing but page furniture (the bottom tenth: page number, footer) lies below the body in its
    columns: the table goes on over the page."""
    x0, _, x1, y1 = body_box
    for ln in lines:
        if ln.idx in taken or ln.y0 < y1 - 1 or ln.y0 > 0.9 * page.height:
            continue
        if min(ln.bbox[2], x1) - max(ln.bbox[0], x0) > 0.3 * (ln.bbox[2] - ln.bbox[0]):
            return False
    return True


def read_carried(page: Page, lines: list[TLine], prev: Part, caps: list[Caption], hr, vr, body_size: float,
                 vocab, taken: set[int], columns: dict) -> Part | None:
    """The top of a page that carries on a table from the page before without a caption of its own:
    lines in the table's x place from the page's first table row down while they stay table-like,
    cut at the columns of the table's first part."""
    first = columns.get(prev.cap.key)
    if first is None or prev.body_box is None:
        return None
    x0, x1, bounds = first[1], first[2], first[3]
    lh = max(6.0, prev.cap.size * 1.2)
    stops = [c.box for c in caps]
    stop_y = min((b[1] for b in stops), default=page.height)
    cands = [ln for ln in lines if ln.idx not in taken and ln.y1 <= stop_y and ln.y0 < 0.9 * page.height
             and min(ln.bbox[2], x1) - max(ln.bbox[0], x0) >= 0.5 * max(0.1, ln.bbox[2] - ln.bbox[0])]
    rows = _line_rows(cands)
    # the first row that fills the table's columns, near the top (above it: running heads)
    start = next((r for r in rows[:6] if len({col_of(s.x0 + 2, bounds) for ln in r for s in ln.segs}) >= min(3, len(bounds) + 1)), None)
    if start is None:
        return None
    top = min(ln.y0 for ln in start)
    body = _grow(cands, top, body_size, x1 - x0, lh, table_size=_tsize(start), first_gap=0.5)
    if len(body) < 2:
        return None
    grid = build_grid(body, hr, vr, x0, x1, vocab, columns_from=bounds)
    if grid is None or not grid.rows:
        return None
    foot_lines = grid.footnote_lines
    used = [ln for ln in body if ln not in foot_lines]
    body_box = union([ln.bbox for ln in used])
    rest = [ln for ln in cands if ln.y0 > body_box[3] and ln not in body]
    foot_lines = sorted({ln.idx: ln for ln in foot_lines + _footnote_lines(rest, body_box[3], body_size, x1 - x0, lh,
                                                                             _tsize(used))}.values(), key=lambda t: t.y0)
    taken.update(ln.idx for ln in body)
    taken.update(ln.idx for ln in foot_lines)
    cap = replace(prev.cap, page=page.number, cont=True, lines=[body[0]])  # no caption: its first line places it
    region = union([body_box] + [ln.bbox for ln in foot_lines])
    part = Part(cap, grid.header, grid.rows, grid.continuation, [round_box(b) for b in grid.row_boxes],
                _footnote_text(foot_lines, vocab) if foot_lines else None, round_box(region), round_box(body_box),
                prev.method, header_above=grid.header_above)
    part.runs_off = part.footnote is None and _runs_off(page, lines, body_box, taken)
    return part

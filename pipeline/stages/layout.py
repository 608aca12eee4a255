"""Stage 2, layout: text lines in reading order, page furniture removed, line-end hyphens decided.

Reading order comes from a recursive XY-cut over line boxes: a vertical gutter that no line
crosses splits columns (left before right); otherwise horizontal gaps split bands (top
before bottom), and neighbouring bands that share a gutter are read as one multi-column
region, so a full-width float (a table or figure spanning both columns) is read in place
and the two columns below it read column by column.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from operator import itemgetter

import numpy as np

from pipeline.core import hyphenation
from pipeline.core.geometry import round_box, union
from pipeline.core.textnorm import clean, to_superscript
from pipeline.settings import Settings
from schemas.layout import LaidOutDocument, LaidOutPage, Marker, TextLine
from schemas.raw import Line, Page, RawDocument, Span

_MIN_GUTTER = 6.0  # points of empty vertical strip that separate two columns
_MARGIN_ZONE = 0.09  # top/bottom fraction of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_BLANKS = re.compile(r"[ \t]+")
_EXPONENT_BASES = re.compile(r"(?:\b10|[×x]\s?10|\b[A-Za-z]|\b(?:cm|mm|km|kg|mg|m|µm|μm|nm|ml|mL|s|h))$")


def layout(raw: RawDocument, settings: Settings) -> LaidOutDocument:
    body_size = _body_size(raw)
    pages_lines = [[_text_line(page.number, part, body_size)
                    for ln in _rejoin_words(page) for part in _split_at_gutters(ln)] for page in raw.pages]
    pages_lines = [[ln for ln in lines if ln is not None] for lines in pages_lines]
    furniture_keys = _furniture_keys(raw.pages, pages_lines, settings)

    out_pages: list[LaidOutPage] = []
    for page, lines in zip(raw.pages, pages_lines):
        keep, removed = [], []
        for ln in lines:
            if _is_furniture(ln, page, furniture_keys):
                removed.append(ln.text)
            else:
                keep.append(ln)
        ordered, columns = _reading_order(keep, page)
        out_pages.append(LaidOutPage(
            number=page.number, width=page.width, height=page.height, rotation=page.rotation,
            has_text_layer=page.has_text_layer, columns=columns, lines=ordered, furniture=removed,
        ))
    _decide_hyphens(out_pages)
    return LaidOutDocument(
        file=raw.file, sha256=raw.sha256, page_count=raw.page_count, metadata=raw.metadata,
        body_size=body_size, pages=out_pages, warnings=list(raw.warnings),
    )


def _rejoin_words(page: Page) -> list[Line]:
    """Lines rebuilt by geometry: PyMuPDF returns some justified lines word by word, each word a
    line (or block) of its own; a raw line that continues the one before it on the same baseline,
    after no more than a word gap, is joined to it, whatever the span and block structure."""
    out: list[Line] = []
    for blk in page.blocks:
        for ln in blk.lines:
            prev = out[-1] if out else None
            if prev is not None and _same_run(prev, ln):
                out[-1] = Line(bbox=union([prev.bbox, ln.bbox]), dir=prev.dir, spans=prev.spans + ln.spans)
            else:
                out.append(ln)
    return out


def _same_run(prev: Line, cur: Line) -> bool:
    if not prev.spans or not cur.spans or abs(prev.dir[1]) > 0.01 or abs(cur.dir[1]) > 0.01:
        return False
    a = max((s for s in prev.spans if s.text.strip()), key=lambda s: s.size, default=prev.spans[-1])
    b = max((s for s in cur.spans if s.text.strip()), key=lambda s: s.size, default=cur.spans[0])
    size = max(a.size, b.size)
    if min(a.size, b.size) < 0.85 * size or abs(a.origin_y - b.origin_y) > 0.2 * size:
        return False
    gap = cur.bbox[0] - prev.bbox[2]
    return -0.5 <= gap <= max(8.0, 1.2 * size)  # the gutter test of _split_at_gutters, so no column is joined


def _split_at_gutters(line: Line) -> list[Line]:
    """PyMuPDF sometimes joins two columns' lines that share a baseline into one line; a gap
    between spans far wider than a word space is a column gutter, and the line is cut there."""
    spans = line.spans
    if len(spans) < 2:
        return [line]
    parts: list[list[Span]] = [[spans[0]]]
    for prev, cur in zip(spans, spans[1:]):
        gap = cur.bbox[0] - prev.bbox[2]
        if gap > max(8.0, 1.2 * max(prev.size, cur.size)) and prev.text.strip() and cur.text.strip():
            parts.append([cur])
        else:
            parts[-1].append(cur)
    if len(parts) == 1:
        return [line]
    return [Line(bbox=union(s.bbox for s in part), dir=line.dir, spans=part) for part in parts]


def _body_size(raw: RawDocument) -> float:
    sizes: dict[float, int] = {}
    for p in raw.pages:
        for b in p.blocks:
            for ln in b.lines:
                for s in ln.spans:
                    if not s.superscript:
                        k = round(s.size * 2) / 2
                        sizes[k] = sizes.get(k, 0) + len(s.text.strip())
    return _mode(sizes) if sizes else 10.0


def _is_super(span: Span, base_size: float, baseline: float) -> bool:
    if span.superscript:
        return True
    return span.size < 0.85 * base_size and span.origin_y < baseline - 0.15 * base_size


def _text_line(page: int, line: Line, body_size: float) -> TextLine | None:
    spans = [s for s in line.spans if s.text]
    if not spans:
        return None
    by_chars: dict[float, int] = {}
    for s in spans:
        by_chars[s.size] = by_chars.get(s.size, 0) + len(s.text.strip())
    base_size = _mode(by_chars)
    main = [s for s in spans if s.size >= 0.85 * base_size] or spans
    ys: dict[float, int] = {}
    for s in main:
        y = round(s.origin_y, 0)
        ys[y] = ys.get(y, 0) + 1
    baseline = _mode(ys)

    text, markers = "", []
    prev: Span | None = None
    for s in spans:
        t = clean(s.text)
        if prev is not None and text and not text.endswith(" ") and not t.startswith(" "):
            if s.bbox[0] - prev.bbox[2] > 0.25 * max(s.size, prev.size):
                text += " "  # a visual gap without a space character
        if _is_super(s, base_size, baseline) and t.strip():
            sup = t.strip()
            as_char = to_superscript(sup)
            if as_char and _keeps_as_superscript(text, sup):
                text += as_char
            else:
                markers.append(Marker(text=sup, offset=len(text.rstrip())))
                text = text.rstrip() if t.startswith(" ") else text
        else:
            text += t
        prev = s
    text = _BLANKS.sub(" ", text)
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not text:
        return None
    markers = [Marker(text=m.text, offset=max(0, min(len(text), m.offset - lead))) for m in markers]
    main_spans = [s for s in spans if not s.superscript] or spans
    chars = sum(len(s.text) for s in main_spans) or 1
    bold = sum(len(s.text) for s in main_spans if s.bold) / chars > 0.6
    italic = sum(len(s.text) for s in main_spans if s.italic) / chars > 0.6
    fonts: dict[str, int] = {}
    for s in main_spans:
        fonts[s.font] = fonts.get(s.font, 0) + len(s.text)
    font = _mode(fonts)
    return TextLine(page=page, bbox=round_box(line.bbox), text=text, size=round(base_size, 2), bold=bold,
                    italic=italic, font=font, column=0, region=0, markers=markers)


def _mode(counts: dict) -> object:
    """The key with the largest count, the first inserted among ties (as Counter.most_common(1))."""
    return max(counts.items(), key=itemgetter(1))[0]


def _keeps_as_superscript(before: str, sup: str) -> bool:
    """Superscripts that are part of the text: CD8⁺, m², 10⁸, footnote letters. Digits after
    ordinary words are citation or footnote markers and leave the text."""
    if re.fullmatch(r"[+\-−]+", sup):
        return True
    if re.fullmatch(r"[a-z]{1,2}|[*†‡§]", sup):
        return not sup in "*†‡§"
    if re.fullmatch(r"[+\-−]?\d{1,2}[+\-−]?", sup):
        return bool(_EXPONENT_BASES.search(before.rstrip() if before.endswith(" ") is False else "")) or bool(
            re.search(r"[+\-−]", sup))
    return False


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def _in_margin(line: TextLine, page: Page) -> bool:
    return line.bbox[3] <= page.height * _MARGIN_ZONE or line.bbox[1] >= page.height * (1 - _MARGIN_ZONE)


def _furniture_keys(pages: list[Page], pages_lines: list[list[TextLine]], settings: Settings) -> set[str]:
    seen: defaultdict[str, set[int]] = defaultdict(set)
    for page, lines in zip(pages, pages_lines):
        for ln in lines:
            if _in_margin(ln, page):
                seen[_norm_key(ln.text)].add(page.number)
    need = max(2, min(settings.header_footer_min_pages, (len(pages) + 1) // 2))
    return {k for k, ps in seen.items() if len(ps) >= need}


def _is_furniture(line: TextLine, page: Page, keys: set[str]) -> bool:
    if not _in_margin(line, page):
        return False
    return _norm_key(line.text) in keys or bool(_PAGE_NUMBER.match(line.text.strip()))


# reading order -----------------------------------------------------------------------------

def _crosses(ln: TextLine, x: float) -> bool:
    return ln.bbox[0] < x - 1 and ln.bbox[2] > x + 1


def _find_gutter(lines: list[TextLine]) -> float | None:
    """The x of an empty vertical strip that splits the lines into two columns, where most
    lines keep to one side; lines crossing it are full-width (titles, spanning floats).

    Candidates are x = x_min + 12% of the span, then every 2 pt (the same repeated float
    addition as a scalar loop would do), all scored at once over a candidates x lines grid;
    the first candidate of least cost wins."""
    if len(lines) < 4:
        return None
    x0s = [ln.bbox[0] for ln in lines]
    x1s = [ln.bbox[2] for ln in lines]
    x_min, x_max = min(x0s), max(x1s)
    span = x_max - x_min
    if span < 100:
        return None
    xs: list[float] = []
    x, stop = x_min + 0.12 * span, x_max - 0.12 * span
    while x < stop:
        xs.append(x)
        x += 2.0
    # the middle of every gap between a line's end and the next line start: narrow gutters
    # (a side column 7 pt from the text) fall between grid points
    starts = sorted(set(x0s))
    for e in sorted(set(x1s)):
        k = bisect.bisect_right(starts, e)
        if k < len(starts) and starts[k] - e >= _MIN_GUTTER and x_min + 0.12 * span <= (e + starts[k]) / 2 < stop:
            xs.append((e + starts[k]) / 2)
    if not xs:
        return None
    total = sum(len(ln.text) for ln in lines)
    X = np.array(xs)[:, None]
    a0 = np.array(x0s)[None, :]
    a1 = np.array(x1s)[None, :]
    w = np.array([len(ln.text) for ln in lines], dtype=np.int64)
    half = _MIN_GUTTER / 2
    crossing = (a0 < X - 1) & (a1 > X + 1)
    others = ~crossing
    intruded = (others & (a0 < X + half) & (a1 > X - half)).any(axis=1)
    on_left = others & (a1 <= X)
    on_right = others & (a0 >= X)
    left = on_left @ w
    right = on_right @ w
    cross = crossing @ w
    n_left = on_left.sum(axis=1)
    n_right = others.sum(axis=1) - n_left
    ok = (~intruded & (left >= 0.08 * total) & (right >= 0.08 * total) & (cross <= 0.9 * total)
          & (n_left >= 3) & (n_right >= 3))
    if not ok.any():
        return None
    cost = np.where(ok, 3.0 * cross + np.abs(left - right) * 0.02, np.inf)  # an empty gutter beats a balanced one
    return xs[int(np.argmin(cost))]


def _rows(lines: list[TextLine]) -> list[TextLine]:
    """Top-to-bottom, and left-to-right within a printed row."""
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    out: list[TextLine] = []
    row: list[TextLine] = []
    for ln in ordered:
        if row and ln.bbox[1] >= min(r.bbox[3] for r in row) - 0.5 * ln.size * 0.5:
            out.extend(sorted(row, key=lambda r: r.bbox[0]))
            row = []
        row.append(ln)
    out.extend(sorted(row, key=lambda r: r.bbox[0]))
    return out


def _order(lines: list[TextLine], leaves: list[list[TextLine]], depth: int = 0) -> None:
    if not lines:
        return
    gutter = _find_gutter(lines) if depth < 4 else None
    if gutter is None:
        leaves.append(_rows(lines))
        return
    # full-width lines cut the page into bands; within a band, the left column comes first
    segment: list[TextLine] = []
    for ln in sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
        if _crosses(ln, gutter):
            _flush(segment, gutter, leaves, depth)
            segment = []
            if leaves and leaves[-1] and _crosses(leaves[-1][-1], gutter) and ln.bbox[1] - leaves[-1][-1].bbox[3] < ln.size:
                leaves[-1].append(ln)
            else:
                leaves.append([ln])
        else:
            segment.append(ln)
    _flush(segment, gutter, leaves, depth)


def _flush(segment: list[TextLine], gutter: float, leaves: list[list[TextLine]], depth: int) -> None:
    _order([ln for ln in segment if ln.bbox[2] <= gutter + 1], leaves, depth + 1)
    _order([ln for ln in segment if ln.bbox[2] > gutter + 1], leaves, depth + 1)


def _reading_order(lines: list[TextLine], page: Page) -> tuple[list[TextLine], int]:
    leaves: list[list[TextLine]] = []
    _order(lines, leaves)
    text_width = (max(ln.bbox[2] for ln in lines) - min(ln.bbox[0] for ln in lines)) if lines else page.width
    left_edge = min((ln.bbox[0] for ln in lines), default=0.0)
    out: list[TextLine] = []
    column_edges: set[int] = set()
    for region, leaf in enumerate(leaves):
        box = union(ln.bbox for ln in leaf)
        full = (box[2] - box[0]) > 0.6 * text_width
        col = -1 if full else int((box[0] - left_edge) / max(text_width, 1) * 3)
        if not full and len(leaf) > 2:
            column_edges.add(round(box[0] / 20))
        out.extend(ln.model_copy(update={"region": region, "column": col}) for ln in leaf)
    return out, max(1, len(column_edges))


# hyphens --------------------------------------------------------------------------------

def _decide_hyphens(pages: list[LaidOutPage]) -> None:
    flat = [ln for p in pages for ln in p.lines]
    vocab = hyphenation.Vocabulary(ln.text for ln in flat)
    for cur, nxt in zip(flat, flat[1:]):
        if cur.text.endswith("-") and len(cur.text) > 1 and cur.text[-2] not in " -–":
            cur.join = hyphenation.decide(cur.text, nxt.text, vocab)

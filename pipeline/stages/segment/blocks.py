"""Lines into blocks: what kind a line is, when the next line continues a block, joining lines, placing tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.geometry import round_box, union
from pipeline.stages.segment.headings import _near, _same_row
from pipeline.stages.segment.patterns import (
    _ABSTRACT,
    _BACK,
    _CAPTION,
    _CONTAINERS,
    _KEYWORDS,
    _REF_START,
    _REFERENCES,
    _TERMINAL,
)
from schemas.document import (
    Fragment,
    Heading,
    Reference,
    Table,
    TextBlock,
)
from schemas.layout import LaidOutDocument, Marker, TextLine


@dataclass
class _Building:
    kind: str
    lines: list[TextLine] = field(default_factory=list)
    label: str | None = None


def _margin_regions(laid: LaidOutDocument, body: float) -> set[tuple[int, int]]:
    """Regions of the first page set as a narrow column of small type beside the text."""
    if not laid.pages:
        return set()
    page = laid.pages[0]
    by_region: dict[int, list[TextLine]] = {}
    for ln in page.lines:
        by_region.setdefault(ln.region, []).append(ln)
    out = set()
    for region, lns in by_region.items():
        box = union(ln.bbox for ln in lns)
        small = sum(len(ln.text) for ln in lns if ln.size <= 0.8 * body) >= 0.8 * sum(len(ln.text) for ln in lns)
        if small and box[2] - box[0] < 0.3 * page.width:
            out.add((page.number, region))
    return out


def _line_kind(ln: TextLine, state: str, body: float) -> str:
    if _CAPTION.match(ln.text):
        return "caption"
    if state == "front":
        return "front"
    if state == "abstract":
        return "keywords" if _KEYWORDS.match(ln.text) else "abstract"
    if state == "references":
        return "reference"
    if state == "boilerplate":
        return "boilerplate"
    return "paragraph"


def _label(m: re.Match | None) -> str | None:
    if not m:
        return None
    if not m.group(2):
        return " ".join(m.group(1).split())
    word = {"fig.": "Figure", "fig": "Figure", "figure": "Figure", "table": "Table"}.get(m.group(1).lower(), m.group(1).title())
    return f"{word} {m.group(2)}"


def _continues(cur: _Building, ln: TextLine, prev: TextLine | None, kind: str, body: float) -> bool:
    if prev is None or cur.kind == "heading":
        return False
    if kind == "caption" and _CAPTION.match(ln.text):
        return False
    if cur.kind == "caption":
        return kind in ("caption", "paragraph", "abstract", "front") and (
            _same_row(prev, ln) or (_near(prev, ln) and ln.region == prev.region))
    if kind != cur.kind and not (cur.kind == "abstract" and kind == "abstract"):
        return False
    if kind == "reference":
        return not _REF_START.match(ln.text) and not (ln.bbox[0] < prev.bbox[0] - 2 and _REF_START.match(ln.text))
    if kind in ("keywords", "boilerplate"):
        return True
    same_flow = ln.page == prev.page and ln.region == prev.region
    if same_flow:
        gap = ln.bbox[1] - prev.bbox[3]
        if gap > 0.55 * prev.size or gap < -prev.size:
            return False
        if ln.bbox[0] > prev.bbox[0] + 0.8 * body and prev.text.rstrip().endswith(_TERMINAL):
            return False  # first-line indent
        return not (_short_line(prev, cur) and prev.text.rstrip().endswith(_TERMINAL))
    # column or page break: continue a paragraph that stopped mid-sentence
    if prev.join != "space":
        return True
    return not prev.text.rstrip().endswith(_TERMINAL) and abs(ln.size - prev.size) < 1.0


def _short_line(prev: TextLine, cur: _Building) -> bool:
    right = max(ln.bbox[2] for ln in cur.lines if ln.page == prev.page and ln.region == prev.region)
    left = min(ln.bbox[0] for ln in cur.lines if ln.page == prev.page and ln.region == prev.region)
    return prev.bbox[2] < right - 0.12 * max(right - left, 1) if len(cur.lines) > 1 else False


def _join_lines(lines: list[TextLine]) -> tuple[str, list[Fragment], list[Marker]]:
    text, frags, markers = "", [], []
    for k, ln in enumerate(lines):
        t = ln.text
        if k > 0:
            before = lines[k - 1]
            if before.join == "join" and text.endswith("-"):
                text = text[:-1]
            elif before.join == "space":
                text += " "
        start = len(text)
        text += t
        frags.append(Fragment(page=ln.page, bbox=round_box(ln.bbox), start=start, end=len(text)))
        markers.extend(Marker(text=m.text, offset=start + m.offset) for m in ln.markers)
    return text, frags, markers  # a word broken at the very end of a block stays as printed


def _assemble(built, headings, level_of, laid):
    heads: list[Heading] = []
    blocks: list[TextBlock] = []
    refs: list[Reference] = []
    path: list[tuple[int, str]] = []
    hi = 0
    for b in built:
        if b.kind == "heading":
            title, number, num_level, style, group = headings[hi]
            hi += 1
            plain = title.strip(" .:")
            under_container = bool(path) and bool(_CONTAINERS.match(path[0][1].strip(" .:")))
            if _ABSTRACT.match(plain) or _REFERENCES.match(plain) or (_BACK.match(plain) and not under_container):
                level = 1
            else:
                level = num_level or level_of.get(style, 1)
            path = [p for p in path if p[0] < level] + [(level, title)]
            if re.fullmatch(r"summary", plain, re.I):
                title = "Abstract"  # the abstract, whatever the journal calls it
            heads.append(Heading(title=title, number=number, level=level, page=group[0].page,
                                 bbox=round_box(union(g.bbox for g in group)), path=[p[1] for p in path]))
            continue
        text, frags, markers = _join_lines(b.lines)
        section = [p[1] for p in path]
        if b.kind == "reference":
            m = _REF_START.match(text)
            refs.append(Reference(number=int(m.group(2) or m.group(3)) if m else None, text=text, page=b.lines[0].page))
        blocks.append(TextBlock(id=f"b{len(blocks) + 1}", kind=b.kind, text=text, section=section if b.kind != "front" else [],
                                fragments=frags, label=b.label, markers=markers))
    return heads, blocks, refs


def _place_tables(tables: list[Table], heads: list[Heading]) -> list[Table]:
    """Copies of the tables stage's tables with the section they stand in (its output stays as it was)."""
    placed = []
    for t in tables:
        before = [h for h in heads if (h.page, h.bbox[1]) <= (t.page, t.bbox[1])]
        placed.append(t.model_copy(update={"section": before[-1].path if before else []}))
    return placed


def _with_table_blocks(blocks: list[TextBlock], tables: list[Table]) -> list[TextBlock]:
    """Table captions and footnotes become blocks too, so their text is tagged and searched."""
    out = list(blocks)
    for t in tables:
        page, box = t.regions[0] if t.regions else (t.page, t.bbox)
        text = f"{t.label}. {t.caption}".strip() if t.caption else t.label
        out.append(TextBlock(id=f"{t.id}-caption", kind="caption", text=text, section=t.section,
                             fragments=[Fragment(page=page, bbox=box, start=0, end=len(text))], label=t.label))
        if t.footnote:
            lp, lb = t.regions[-1] if t.regions else (t.page, t.bbox)
            out.append(TextBlock(id=f"{t.id}-footnote", kind="footnote", text=t.footnote, section=t.section,
                                 fragments=[Fragment(page=lp, bbox=lb, start=0, end=len(t.footnote))], label=t.label))
    if not tables:
        return out
    # keep the flow order; a table's blocks go before the first text block printed below them
    flow, extra = blocks, out[len(blocks):]
    result: list[TextBlock] = []
    for b in flow:
        while extra and extra[0].fragments and b.fragments and (extra[0].fragments[0].page, extra[0].fragments[0].bbox[1]) <= (b.fragments[0].page, b.fragments[0].bbox[1]):
            result.append(extra.pop(0))
        result.append(b)
    result.extend(extra)
    return result

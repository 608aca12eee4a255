"""Stage 3, segment: front matter, abstract, section tree, paragraphs, captions, footnotes,
references; tables come from the tables detector and their lines leave the text flow.

Headings are lines whose style stands out from body text (bold, larger, capitals) and
that stand alone; their level comes from numbering when printed ("2.1" is level 2), else
from the rank of their style (bigger, then capitals, then upright before italic)."""
from __future__ import annotations

from pipeline.core.geometry import inside
from pipeline.settings import Settings
from pipeline.stages.segment.blocks import (
    _assemble,
    _Building,
    _continues,
    _label,
    _line_kind,
    _margin_regions,
    _place_tables,
    _with_table_blocks,
)
from pipeline.stages.segment.front import _front_matter
from pipeline.stages.segment.headings import (
    _body_family,
    _hard_reject,
    _heading_styles,
    _is_heading,
    _level_from_number,
    _near,
    _style,
    _style_levels,
    _styled_run,
    _without_prefix,
)
from pipeline.stages.segment.references import split_references
from pipeline.stages.segment.patterns import (
    _ABSTRACT,
    _BOILERPLATE,
    _CAPTION,
    _KEYWORDS,
    _NUMBERING,
    _REFERENCES,
    _RUN_IN_ABSTRACT,
)
from schemas.document import (
    PageInfo,
    StructuredDocument,
    Table,
)
from schemas.layout import LaidOutDocument, TextLine


def segment(laid: LaidOutDocument, tables: list[Table], settings: Settings) -> StructuredDocument:
    lines = _flow(laid, tables)
    body = laid.body_size
    head_styles = _heading_styles(lines, body)
    body_family = _body_family(lines)
    margin_regions = _margin_regions(laid, body)
    walk = _Walk(list(lines), body, head_styles, body_family, margin_regions)
    walk.run(None)
    if settings.segment.heading_model:
        override = _model_decisions(walk, body, body_family, settings)
        if override is not None and any(override[i] != r for i, (r, _) in walk.seen.items()):
            walk = _Walk(list(lines), body, head_styles, body_family, margin_regions)
            walk.run(override)
    built, headings = walk.built, walk.headings

    level_of = _style_levels([(h[3], h[0]) for h in headings])
    heads, blocks, _ = _assemble(built, headings, level_of, laid)
    blocks, refs = split_references(blocks)
    tables = _place_tables(tables, heads)
    blocks = _with_table_blocks(blocks, tables)
    return StructuredDocument(
        file=laid.file, sha256=laid.sha256, page_count=laid.page_count, metadata=laid.metadata,
        pages=[PageInfo(number=p.number, width=p.width, height=p.height, rotation=p.rotation,
                        has_text_layer=p.has_text_layer, columns=p.columns) for p in laid.pages],
        front=_front_matter(laid, blocks),
        headings=heads, blocks=blocks, tables=tables, references=refs, warnings=list(laid.warnings),
    )


class _Walk:
    """One pass over the lines in reading order: blocks and headings. `override` maps a line index to
    the heading model's verdict; lines it does not name are decided by the rules. `seen` records, for
    every line the rules were asked about, their verdict and the state it was asked in."""

    def __init__(self, lines, body, head_styles, body_family, margin_regions):
        self.lines, self.body, self.head_styles = lines, body, head_styles
        self.body_family, self.margin_regions = body_family, margin_regions
        self.built: list[_Building] = []
        self.headings: list[tuple[str, str | None, int | None, tuple, list[TextLine]]] = []
        self.seen: dict[int, tuple[bool, str]] = {}

    def run(self, override: dict[int, bool] | None) -> None:
        lines, body, head_styles = self.lines, self.body, self.head_styles
        body_family, margin_regions = self.body_family, self.margin_regions
        built, headings = self.built, self.headings
        state = "front"
        prev: TextLine | None = None
        i = 0
        while i < len(lines):
            ln = lines[i]
            runin = _RUN_IN_ABSTRACT.match(ln.text) if state == "front" else None
            if runin:
                # "Abstract: Chimeric antigen ..." opens the abstract without a heading line of its own
                headings.append(("Abstract", None, 1, _style(ln), [ln]))
                built.append(_Building(kind="heading", lines=[ln]))
                state = "abstract"
                ln = lines[i] = _without_prefix(ln, runin.end())
            rule = (_is_heading(ln, prev, head_styles, body, lines[i + 1] if i + 1 < len(lines) else None, state,
                                body_family) and _styled_run(lines, i) <= 3)
            self.seen[i] = (rule, state)
            if override is not None and i in override:
                rule = override[i]
            if rule:
                group = [ln]
                while (i + 1 < len(lines) and _style(lines[i + 1]) == _style(ln) and _near(group[-1], lines[i + 1])
                       and not lines[i + 1].text.rstrip().endswith(".") and not _NUMBERING.match(lines[i + 1].text)
                       and len(group) < 4 and not group[-1].text.rstrip().endswith(".")):
                    i += 1
                    group.append(lines[i])
                title = " ".join(g.text for g in group).strip()
                num_match = _NUMBERING.match(title)
                number = num_match.group(1).rstrip(".)") if num_match else None
                clean_title = title[num_match.end():] if num_match else title
                headings.append((clean_title, number, _level_from_number(number), _style(ln), group))
                if _ABSTRACT.match(clean_title.strip(" .:")):
                    state = "abstract"
                elif _REFERENCES.match(clean_title.strip(" .:")):
                    state = "references"
                else:
                    state = "body"
                built.append(_Building(kind="heading", lines=group))
                prev = group[-1]
                i += 1
                continue
            if _BOILERPLATE.match(ln.text):
                state = "boilerplate" if state in ("references", "boilerplate") else state
                if state != "boilerplate":
                    built.append(_Building(kind="boilerplate", lines=[ln]))
                    prev = ln
                    i += 1
                    continue
            kind = _line_kind(ln, state, body)
            if kind in ("paragraph", "abstract") and (ln.page, ln.region) in margin_regions:
                kind = "front"  # a first-page margin column: journal, dates, affiliations
            cur = built[-1] if built else None
            if cur is not None and _continues(cur, ln, prev, kind, body):
                cur.lines.append(ln)
            else:
                cap = _CAPTION.match(ln.text)
                built.append(_Building(kind=kind, lines=[ln], label=_label(cap) if kind == "caption" else None))
            if _KEYWORDS.match(ln.text) and state == "abstract":
                state = "body"
            prev = ln
            i += 1



def _model_decisions(walk: _Walk, body: float, body_family: str, settings: Settings) -> dict[int, bool] | None:
    from pipeline.stages.segment.heading_model import heading_probabilities
    from pipeline.stages.segment.line_features import DocumentContext, line_features

    ctx = DocumentContext(walk.lines, body, body_family)
    idx = sorted(walk.seen)
    probs = heading_probabilities([line_features(walk.lines, i, ctx, *walk.seen[i]) for i in idx])
    if probs is None:
        return None
    opt = settings.segment
    return {i: (p >= opt.heading_veto) if walk.seen[i][0] else (p >= opt.heading_promote and not _hard_reject(
        walk.lines[i], walk.seen[i][1])) for i, p in zip(idx, probs)}


def _flow(laid: LaidOutDocument, tables: list[Table]) -> list[TextLine]:
    regions: dict[int, list] = {}
    for t in tables:
        for page, box in t.regions:
            regions.setdefault(page, []).append(box)
    out = []
    for p in laid.pages:
        for ln in p.lines:
            if any(inside(ln.bbox, box, tol=1.0) for box in regions.get(p.number, [])):
                continue
            out.append(ln)
    return out

"""Stage 5, extract: record candidates (plain dicts shaped like schemas.records) from the tagged document.

One public function, `extract(tagged, settings) -> Candidates`.

Document order: text blocks in the document's reading order; a table is placed right after
its caption block (same label) when there is one, else before the first block printed after
it (later page, or lower on the same page). Candidates of each kind come out in that order,
and within one text unit in order of their offsets.

What is read where:
- trials: every block, the reference list and front matter included (the gold format counts
  every identifier the document mentions), and every table cell. One candidate per distinct
  canonical id; provenance of the first mention, the rest in `other_mentions`.
- endpoints and percentages: body text, abstract, captions, footnotes and table cells; never
  the reference list or front matter / publisher boilerplate (block kinds reference, front,
  keywords).
- abbreviations, entities: passed through from the tag stage; sections from the headings;
  tables from the document's tables."""
from __future__ import annotations

import re
from typing import Any

from pipeline.core.provenance import UnitIndex
from pipeline.settings import Settings
from pipeline.stages.extract.endpoints import (
    build_vocabulary,
    rate_defined,
)
from pipeline.stages.extract.own_trial import _own_registration, _own_trial
from pipeline.stages.extract.prose import _block
from pipeline.stages.extract.registries import find_trial_ids
from pipeline.stages.extract.table_records import _table
from pipeline.stages.extract.trials import (
    TrialCollector,
    describe_title,
    phases_in,
    record_title_after,
)
from pipeline.stages.extract.units import _chemicals, _sentences, ordered_units
from schemas.document import StructuredDocument
from schemas.result import Candidates
from schemas.tagged import TaggedDocument

__all__ = ["extract"]


def extract(tagged: TaggedDocument, settings: Settings) -> Candidates:
    doc = tagged.document
    index = UnitIndex(doc)
    sents = _sentences(tagged)
    rates = frozenset(a.short for a in tagged.abbreviations if rate_defined(a.short, a.long, a.provenance.text))
    voc = build_vocabulary([(a.short, a.long) for a in tagged.abbreviations], rates)
    chemicals = _chemicals(tagged)
    own = _own_registration(doc)
    own_trial = _own_trial(doc)
    trials = TrialCollector()
    endpoints: list[dict[str, Any]] = []
    percentages: list[dict[str, Any]] = []

    for kind, item in ordered_units(doc):
        if kind == "block":
            _block(item, sents.get(item.id) or [(0, len(item.text))], index, voc, chemicals,
                   own_trial, item.id in own, trials, endpoints, percentages)
        else:
            _table(item, index, voc, trials, endpoints, percentages)
    if not any(b.kind == "reference" for b in doc.blocks):
        _reference_list(doc, trials)


    return Candidates(
        trials=trials.records(),
        endpoints=endpoints,
        percentages=percentages,
        abbreviations=[a.model_dump() for a in tagged.abbreviations],
        entities=[e.model_dump() for e in tagged.entities],
        sections=[{"title": h.title, "number": h.number, "level": h.level, "path": h.path, "page": h.page,
                   "bbox": h.bbox} for h in doc.headings],
        tables=[{"label": t.label, "caption": t.caption, "header": t.header, "rows": t.rows,
                 "continuation": t.continuation, "footnote": t.footnote, "page": t.page, "pages": t.pages,
                 "bbox": t.bbox, "section": t.section} for t in doc.tables],
    )


def _reference_list(doc: StructuredDocument, trials: TrialCollector) -> None:
    """Ids in doc.references when the segmenter made no reference blocks: provenance without a box."""
    section = next((h.path for h in doc.headings if re.match(r"(?i)references?|bibliography", h.title)), [])
    printed = "\n".join(b.text for b in doc.blocks)
    for ref in doc.references:
        if ref.text[:80] in printed:
            continue  # already read as a block
        for m in find_trial_ids(ref.text):
            t = trials.add(m.id, m.registry, {
                "page": ref.page, "bbox": None, "section": section, "source": "reference", "text": ref.text,
                "char_start": m.start, "char_end": m.end, "table": None, "row": None})
            phases = phases_in(ref.text)
            t.offer("phase", phases[0][0] if len({p for p, _, _ in phases}) == 1 else None, TrialCollector.TEXT)
            items, condition = describe_title(record_title_after(ref.text, m.end))
            t.offer("condition", condition, TrialCollector.TEXT)
            t.offer("interventions", items, TrialCollector.TEXT)

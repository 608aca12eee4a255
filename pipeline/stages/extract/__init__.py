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
  tables from the document's tables.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from schemas.document import StructuredDocument, Table, TextBlock
from schemas.result import Candidates
from schemas.tagged import TaggedDocument

from pipeline.core.provenance import UnitIndex, cell_unit
from pipeline.settings import Settings
from pipeline.stages.extract.endpoints import EndpointMatch, Vocabulary, build_vocabulary, find_endpoints
from pipeline.stages.extract.percentages import PctMatch, find_percentages, header_declared, header_mode, row_label_mode, table_mode
from pipeline.stages.extract.registries import IdMatch, find_trial_ids
from pipeline.stages.extract.tables import cell, columns, row_owner
from pipeline.stages.extract.trials import (
    TrialCollector,
    clean_cell,
    described_after,
    described_before,
    describe_title,
    record_title_after,
    states_placebo,
    interventions_in_text,
    phases_in,
    split_interventions,
    year_after,
)

__all__ = ["extract"]

_PRODUCT_CODE = re.compile(r"(?<![\w-])((?:[A-Z]{2,5}|mRNA)-?[0-9]{3,6}[A-Za-z]?)(?![\w-])")
_NO_VALUES = {"reference", "front", "keywords", "boilerplate"}  # no endpoints or percentages from these blocks


def extract(tagged: TaggedDocument, settings: Settings) -> Candidates:
    doc = tagged.document
    index = UnitIndex(doc)
    sents = _sentences(tagged)
    voc = build_vocabulary([(a.short, a.long) for a in tagged.abbreviations])
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


# ---- order and units ----

def ordered_units(doc: StructuredDocument) -> list[tuple[str, Any]]:
    """Blocks in reading order with each table placed after its caption block, else by page position."""
    blocks = list(doc.blocks)
    after_caption: dict[int, list[Table]] = defaultdict(list)
    loose: list[Table] = []
    caption_at = {}
    for i, b in enumerate(blocks):
        if b.kind == "caption" and b.label and b.label not in caption_at:
            caption_at[_norm_label(b.label)] = i
    for t in doc.tables:
        i = caption_at.get(_norm_label(t.label))
        (after_caption[i].append(t) if i is not None else loose.append(t))
    out: list[tuple[str, Any]] = []
    loose.sort(key=lambda t: (t.page, t.bbox[1]))
    for i, b in enumerate(blocks):
        pos = (b.fragments[0].page, b.fragments[0].bbox[1]) if b.fragments else None
        while loose and pos is not None and pos > (loose[0].page, loose[0].bbox[1]):
            out.append(("table", loose.pop(0)))
        out.append(("block", b))
        out.extend(("table", t) for t in after_caption.get(i, []))
    out.extend(("table", t) for t in loose)
    return out


def _norm_label(label: str) -> str:
    return re.sub(r"[\s.:|]+", " ", label).strip().lower()


def _sentences(tagged: TaggedDocument) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in tagged.sentences:
        out[s.unit].append((s.start, s.end))
    for v in out.values():
        v.sort()
    return out


def _chemicals(tagged: TaggedDocument) -> dict[str, list[tuple[int, str]]]:
    """CHEMICAL entities by the sentence text they were found in: (offset, text)."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for e in tagged.entities:
        if e.label == "CHEMICAL":
            out[e.provenance.text].append((e.provenance.char_start, e.text))
    return out


_AUTHORS = re.compile(r"^\s*(?:\[?[0-9]{1,3}[.\]]\s*)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [A-Z]{1,3}(?:,| et al)")
_BIBLIO = re.compile(r"(?:19|20)[0-9]{2}\s*[;:]\s*[0-9]|\bdoi\b|https?://|\bAccessed\b", re.I)


def kind_of(block: TextBlock) -> str:
    """The block's kind; a paragraph that reads as a reference-list entry (authors, year;volume,
    URL, access date) counts as "reference" when the segmenter did not label it."""
    if block.kind == "paragraph" and _BIBLIO.search(block.text) and (
        _AUTHORS.match(block.text) or re.search(r"\bAccessed\b|https?://\S+\s*$", block.text)
    ):
        return "reference"
    return block.kind


def _document_phase(doc: StructuredDocument) -> str | None:
    """The one phase the document states outside its reference list (a protocol's own trial), else None."""
    found = {p for b in doc.blocks if kind_of(b) not in _NO_VALUES for p, _, _ in phases_in(b.text)}
    return found.pop() if len(found) == 1 else None


_REGISTRATION = re.compile(r"(?i)\s*(?:trial\s+)?registration\b")
# a sentence that registers the document's own trial, before the id: "Trial registration number: ID",
# "The trial is registered with …, ID"
_OWN_BEFORE = re.compile(
    r"(?i)\btrial\s+registration(?:\s+(?:number|no\.?|id|details))?\s*:"
    r"|\b(?:the|this|our)\s+(?:trial|study)\s+(?:is|was|has\s+been)\s+(?:prospectively\s+|retrospectively\s+)?"
    r"registered\b")
# "In this randomised, open-label, phase 3 trial (ID)" (not in a review, where "this trial" is a cited one)
_THIS_TRIAL = re.compile(r"(?i)\b(?:this|our|the\s+present|the\s+current)\s+(?:[\w,/-]+\s+){0,6}?(?:trial|study)"
                         r"\s*\(\s*$")
_REVIEW_TITLE = re.compile(r"(?i)\breview\b|\bmeta-?analys[ie]s\b|\boverview\b")


@dataclass
class OwnTrial:
    """What the document states about its own trial: phase (the one phase it states), condition and
    interventions (from its title; "placebo" added when the title or abstract states a placebo comparator)."""
    phase: str | None = None
    condition: str | None = None
    interventions: list[str] = field(default_factory=list)
    review: bool = False

    def owns(self, sentence_before_id: str) -> bool:
        """True when the sentence up to an id says the id registers the document's own trial."""
        return bool(_OWN_BEFORE.search(sentence_before_id)) or (
            not self.review and bool(_THIS_TRIAL.search(sentence_before_id)))


def _own_trial(doc: StructuredDocument) -> OwnTrial:
    title = doc.front.title or (doc.metadata or {}).get("title")
    if title and title.strip().lower() in ("untitled", ""):
        title = None
    review = bool(title and _REVIEW_TITLE.search(title))
    own = OwnTrial(phase=_document_phase(doc), review=review)
    if title and not review:
        items, cond = describe_title(title)
        abstract = " ".join(b.text for b in doc.blocks if b.kind == "abstract")
        if items and states_placebo(title + " " + abstract) and not any(x.lower() == "placebo" for x in items):
            items = items + ["placebo"]
        own.condition, own.interventions = cond, items
    return own


def _registration_line(text: str) -> bool:
    """A block that starts as a registration line: a registry name, then an id ("Clinicaltrials.gov: NCT…")."""
    ids = find_trial_ids(text[:120])
    return bool(ids) and bool(re.fullmatch(r"[\w .:/'-]{0,60}", text[:ids[0].start]))


def _own_registration(doc: StructuredDocument) -> set[str]:
    """Ids of blocks that register the document's own trial: a "Trial registration" paragraph (or
    section) and the registration lines printed right after it."""
    own: set[str] = set()
    prev = False
    for b in doc.blocks:
        if _REGISTRATION.match(b.text) or any(_REGISTRATION.match(s) for s in b.section[-1:]):
            prev = True
        elif not (prev and _registration_line(b.text)):
            prev = False
        if prev:
            own.add(b.id)
    return own


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    prev = [sp for sp in spans if sp[0] <= pos]
    return prev[-1] if prev else spans[0]


# ---- text blocks ----

def _block(block: TextBlock, spans, index: UnitIndex, voc: Vocabulary, chemicals, own_trial: "OwnTrial",
           own_block: bool, trials: TrialCollector, endpoints: list, percentages: list) -> None:
    text = block.text
    ids = find_trial_ids(text)
    _block_trials(block, spans, ids, index, chemicals, own_trial, own_block, trials)
    if kind_of(block) in _NO_VALUES:
        return
    for s, e in spans:
        sent_ids = [m for m in ids if s <= m.start < e]
        eps = find_endpoints(text, voc, s, e)
        for ep in eps:
            endpoints.append(_endpoint_record(ep, _nearest_id(sent_ids, ep.start), index.provenance(
                block.id, s, e, ep.start, ep.end).model_dump()))
        for p in find_percentages(text[s:e]):
            _shift(p, s)
            percentages.append(_pct_record(p, eps, index.provenance(block.id, s, e, p.start, p.end).model_dump()))


def _block_trials(block: TextBlock, spans, ids: list[IdMatch], index: UnitIndex, chemicals, own_trial: "OwnTrial",
                  own_block: bool, trials: TrialCollector) -> None:
    """`own_block`: the block registers the document's own trial (a "Trial registration" paragraph); a
    sentence can say so too. The own trial's attributes fill what the text beside the id leaves open."""
    text = block.text
    distinct_ids = {m.id for m in ids}
    for k, m in enumerate(ids):
        s, e = _sentence_of(spans, m.start)
        t = trials.add(m.id, m.registry, index.provenance(block.id, s, e, m.start, m.end).model_dump())
        pri = TrialCollector.TEXT
        # phase: stated in the sentence (a reference entry: the whole entry)
        if kind_of(block) == "reference":
            if len(distinct_ids) == 1:
                s, e = 0, len(text)
            else:
                nxt = [sp for sp in spans if sp[0] >= e]
                e = nxt[0][1] if nxt else e
        ctx = text[s:e]
        sent_ids = {x.id for x in ids if s <= x.start < e}
        phases = phases_in(ctx)
        phase = None
        if phases:
            dist = lambda p: min(abs(p[1] + s - m.end), abs(m.start - (p[2] + s)))  # noqa: E731
            best = min(phases, key=dist)
            if len(sent_ids) == 1 or dist(best) <= 60:
                phase = best[0]
        t.offer("phase", phase, pri)
        ss, se = _sentence_of(spans, m.start)
        if own_block or own_trial.owns(text[ss:m.start]):
            t.offer("phase", own_trial.phase, TrialCollector.DOCUMENT)
            t.offer("condition", own_trial.condition, TrialCollector.DOCUMENT)
            t.offer("interventions", own_trial.interventions, TrialCollector.DOCUMENT)
        nxt_start = ids[k + 1].start if k + 1 < len(ids) else None
        t.offer("year", year_after(text, m.end, nxt_start), pri)
        if kind_of(block) == "reference":
            # a registry record cited by its title: "ISRCTN Registry ISRCTN14422743. X and Y in Z: …"
            items, condition = describe_title(record_title_after(text, m.end))
            t.offer("condition", condition, pri)
            t.offer("interventions", items, pri)
        else:
            sent = text[ss:se]
            described, condition = described_after(text, m.end)
            if not described and condition is None:
                described, condition = described_before(sent, m.start - ss)
            t.offer("condition", condition, pri)
            found = described or interventions_in_text(sent, m.start - ss, m.end - ss)
            if not found and re.search(r"(?i)\btrials?\s*\(\s*$", sent[:m.start - ss]):
                names = {n for off, n in chemicals.get(sent, []) if off < m.start - ss}
                if not names:  # an investigational product code: AZD4635, BNT122, mRNA-4157
                    names = set(_PRODUCT_CODE.findall(sent[:m.start - ss])) - {x.id for x in ids}
                found = sorted(names) if len(names) == 1 else []
            t.offer("interventions", found, pri)


def _nearest_id(ids: list[IdMatch], pos: int) -> str | None:
    if not ids:
        return None
    return min(ids, key=lambda m: abs(m.start - pos)).id


def _shift(p: PctMatch, by: int) -> None:
    p.start += by
    p.end += by


def _endpoint_record(ep: EndpointMatch, trial_id: str | None, prov: dict) -> dict[str, Any]:
    return {"endpoint": ep.endpoint, "long_form": ep.long_form, "value": ep.value, "unit": ep.unit,
            "comparator_value": ep.comparator_value, "qualifier": ep.qualifier, "trial_id": trial_id,
            "provenance": prov}


def _pct_record(p: PctMatch, eps: list[EndpointMatch], prov: dict) -> dict[str, Any]:
    quantifies = next((ep.endpoint for ep in eps if ep.start <= p.start < ep.end), p.quantifies)
    return {"value": p.value, "qualifier": p.qualifier, "quantifies": quantifies,
            "declared_by": p.declared_by, "provenance": prov}


# ---- tables ----

def _table(table: Table, index: UnitIndex, voc: Vocabulary, trials: TrialCollector,
           endpoints: list, percentages: list) -> None:
    cols = columns(table)
    owner = row_owner(table, cols)
    whole = table_mode(table.caption, table.footnote)
    # identifiers per row group (a row with its continuation rows)
    group_ids: dict[int, list[IdMatch]] = defaultdict(list)
    cell_ids: dict[tuple[int, int], list[IdMatch]] = {}
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            found = find_trial_ids(text)
            if found:
                cell_ids[(r, c)] = found
                group_ids[owner[r]].extend(found)
    col_modes = [header_mode(h) for h in table.header]

    # header cells: printed percentages only
    for c, text in enumerate(table.header):
        if text.strip():
            for p in find_percentages(text):
                percentages.append(_pct_record(p, [], index.provenance(cell_unit(table, -1, c), 0, len(text),
                                                                        p.start, p.end).model_dump()))
    for r, row in enumerate(table.rows):
        gid = group_ids.get(owner[r], [])
        trial_id = gid[0].id if gid else None
        label = row[0] if row else ""
        label_mode = row_label_mode(label) if len(row) > 1 else None
        for c, text in enumerate(row):
            if not text.strip():
                continue
            unit = cell_unit(table, r, c)
            prov = lambda a, b: index.provenance(unit, 0, len(text), a, b).model_dump()  # noqa: E731
            for m in cell_ids.get((r, c), []):
                t = trials.add(m.id, m.registry, prov(m.start, m.end))
                _table_trial_attrs(t, table, cols, owner, r, text, m)
            eps = find_endpoints(text, voc)
            for ep in eps:
                endpoints.append(_endpoint_record(ep, trial_id, prov(ep.start, ep.end)))
            found = find_percentages(text)
            mode = (col_modes[c] if c < len(col_modes) else None) or (label_mode if c > 0 else None) or (
                whole if c > 0 else None)
            if mode:
                taken = [(p.start, p.end) for p in found]
                for p in header_declared(text, mode, label if c > 0 else ""):
                    if not any(a <= p.start < b for a, b in taken):
                        found.append(p)
                found.sort(key=lambda p: p.start)
            for p in found:
                percentages.append(_pct_record(p, eps, prov(p.start, p.end)))


def _table_trial_attrs(t, table: Table, cols, owner: list[int], r: int, text: str, m: IdMatch) -> None:
    pri = TrialCollector.TABLE
    phases = phases_in(text)
    phase = phases[0][0] if phases else None
    phase_cell = cell(table, r, cols.phase) if cols.phase is not None else ""
    if phase is None and cols.phase is not None:
        ph = phases_in(phase_cell) or phases_in("phase " + re.split(r"[,;]", phase_cell.strip())[0])
        phase = ph[0][0] if ph else None
    if phase is None:  # a phase printed in another cell of the row ("Design": "Phase II, 2015")
        found = [p for x in table.rows[r] for p in phases_in(x)]
        phase = found[0][0] if found else None
    t.offer("phase", phase, pri)
    year = year_after(text, m.end)
    if year is None:
        ys = re.findall(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9]{2})(?![0-9])", text[:m.start] + " " + text[m.end:])
        year = int(ys[0]) if len(ys) == 1 else None
    for col in (cols.year, cols.phase):
        if year is None and col is not None:
            ys = re.findall(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9]{2})(?![0-9])", cell(table, r, col))
            year = int(ys[0]) if ys else None
    t.offer("year", year, pri)
    rows = [i for i in range(len(table.rows)) if owner[i] == owner[r]]
    if cols.condition is not None:
        conds = [clean_cell(cell(table, i, cols.condition)) for i in rows]
        conds = [c for c in conds if c]
        t.offer("condition", "; ".join(dict.fromkeys(conds)) or None, pri)
    if cols.interventions is not None and cols.interventions != cols.identifier:
        items: list[str] = []
        for i in rows:
            for x in split_interventions(cell(table, i, cols.interventions)):
                if x not in items:
                    items.append(x)
        t.offer("interventions", items, pri)


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

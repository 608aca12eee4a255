"""Records from one prose block: trial mentions with their attributes, endpoints and percentages with provenance."""
from __future__ import annotations

import re
from typing import Any

from pipeline.core.provenance import UnitIndex
from pipeline.stages.extract.endpoints import (
    EndpointMatch,
    Vocabulary,
    find_endpoints,
)
from pipeline.stages.extract.own_trial import OwnTrial
from pipeline.stages.extract.percentages import (
    PctMatch,
    find_percentages,
)
from pipeline.stages.extract.registries import IdMatch, find_trial_ids
from pipeline.stages.extract.trials import (
    TrialCollector,
    describe_title,
    described_after,
    described_before,
    interventions_in_text,
    phases_in,
    record_title_after,
    year_after,
)
from pipeline.stages.extract.units import _NO_VALUES, _sentence_of, kind_of
from schemas.document import TextBlock

_PRODUCT_CODE = re.compile(r"(?<![\w-])([a-z]?[A-Z]{2,5}-?[0-9]{3,6}[A-Za-z]?)(?![\w-])")


def _block(block: TextBlock, spans, index: UnitIndex, voc: Vocabulary, chemicals, own_trial: OwnTrial,
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


def _block_trials(block: TextBlock, spans, ids: list[IdMatch], index: UnitIndex, chemicals, own_trial: OwnTrial,
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
                if not names:  # an investigational product code: capitals (after at most one lower-case letter) and digits
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
            "timepoint": ep.timepoint, "provenance": prov}


def _pct_record(p: PctMatch, eps: list[EndpointMatch], prov: dict) -> dict[str, Any]:
    quantifies = next((ep.endpoint for ep in eps if ep.start <= p.start < ep.end), p.quantifies)
    return {"value": p.value, "qualifier": p.qualifier, "quantifies": quantifies,
            "declared_by": p.declared_by, "provenance": prov}

"""The article's own trial (a trial report or protocol): its registration ids, phase and what 'this trial' refers to."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.stages.extract.registries import find_trial_ids
from pipeline.stages.extract.trials import (
    describe_title,
    phases_in,
    states_placebo,
)
from pipeline.stages.extract.units import _NO_VALUES, kind_of
from schemas.document import StructuredDocument


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

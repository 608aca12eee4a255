"""Find trial-registry identifiers in printed text, using the one table in schemas.registries."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.stages.extract.matches import earliest_longest
from schemas.registries import REGISTRIES, Registry

_SEPARATORS = re.compile(r"[-\s]+")


@dataclass(frozen=True)
class IdMatch:
    id: str          # canonical form
    registry: str    # registry name
    family: str
    start: int       # offsets of the printed identifier in the text searched
    end: int
    review: bool = False


def _canonical(reg: Registry, m: re.Match) -> str | None:
    groups: dict[str, str] = {}
    breaks = 0
    for name, raw in m.groupdict().items():
        if raw is None:
            continue
        breaks += len(_SEPARATORS.findall(raw))
        groups[name] = _SEPARATORS.sub("", raw)
    if breaks > 1:  # one line break or hyphen inside an id is a typesetting accident; more is not
        return None
    cid = reg.form(groups)
    return cid if reg.compiled.fullmatch(cid) else None


_MAY_HOLD_ID = re.compile(r"\d{3}|RBR", re.I)


def find_trial_ids(text: str, include_reviews: bool = True) -> list[IdMatch]:
    """Every registry identifier printed in `text`, canonicalized, in text order.

    Found through a line break, a line-end hyphen or a space inside the number
    ("NCT0350-\\n4397", "NCT 03504397"); overlapping candidates keep the earliest, longest one.
    """
    if not _MAY_HOLD_ID.search(text):
        return []  # every identifier has a run of 3+ digits, except ReBEC's RBR-xxxxxx
    found: list[IdMatch] = []
    for reg in REGISTRIES:
        if reg.review and not include_reviews:
            continue
        for m in reg.compiled_find.finditer(text):
            cid = _canonical(reg, m)
            if cid is None:
                continue
            found.append(IdMatch(cid, reg.registry, reg.family, m.start(), m.end(), reg.review))
    return earliest_longest(found)


def canonicalize(text: str) -> str | None:
    """The canonical form of the one identifier printed in `text`, else None."""
    ids = find_trial_ids(text)
    return ids[0].id if len(ids) == 1 else None

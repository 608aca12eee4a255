"""Each run record marked true or false positive by the project's evaluator, misses listed.

`score()` reports false positives as copies of the run record without its provenance; an
index field added to each record before scoring survives into those copies, so a false
positive names the exact record it came from (no re-matching by text here).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate import score
from schemas.gold import GoldFile
from schemas.scores import DocumentScores, Miss, Mismatch

_IDX = "__report_index"


@dataclass
class Judgement:
    scores: DocumentScores
    # kind -> per run record: "tp" | "fp" | "unjudged"
    status: dict[str, list[str]] = field(default_factory=dict)
    # kind -> per run record: attribute disagreements with the gold item it matched
    notes: dict[str, list[list[str]]] = field(default_factory=dict)
    misses: dict[str, list[Miss]] = field(default_factory=dict)
    cell_fps: dict[str, int] = field(default_factory=dict)


def judge(gold: GoldFile, records: dict[str, list[dict]]) -> Judgement:
    tagged = {k: [dict(r, **{_IDX: i}) for i, r in enumerate(v)] for k, v in records.items()}
    scores = score(gold, tagged)
    j = Judgement(scores=scores)
    for kind, items in records.items():
        ks = scores.kinds.get(kind)
        n = len(items)
        notes: list[list[str]] = [[] for _ in range(n)]
        j.notes[kind] = notes
        # entities against a must-find list have no false positives: nothing to call a record
        if ks is None or not ks.scored or ks.fp is None:
            j.status[kind] = ["unjudged"] * n
            j.misses[kind] = list(ks.misses) if ks is not None and ks.scored else []
            continue
        status = ["tp"] * n
        cells = 0
        for fp in ks.false_positives:
            idx = fp.item.get(_IDX)
            if isinstance(idx, int) and 0 <= idx < n:
                status[idx] = "fp"
            else:
                cells += 1  # a table cell, not a record
        j.status[kind] = status
        j.cell_fps[kind] = cells
        j.misses[kind] = list(ks.misses)
        for mm in ks.mismatches:
            for i in _mismatch_targets(items, status, mm):
                notes[i].append(f"{mm.attribute}: gold {mm.expected!r}, got {mm.got!r}")
    return j


def _mismatch_targets(items: list[dict], status: list[str], mm: Mismatch) -> list[int]:
    """The matched records a mismatch is about: same page and sentence, and the attribute value it reports."""
    out = []
    for i, rec in enumerate(items):
        if status[i] != "tp":
            continue
        prov = rec.get("provenance") or {}
        page = prov.get("page", rec.get("page"))
        if mm.page is not None and page != mm.page:
            continue
        if mm.text is not None and prov.get("text") != mm.text:
            continue
        if _same(rec.get(mm.attribute), mm.got):
            out.append(i)
    return out[:1]


def _same(a: Any, b: Any) -> bool:
    return a == b or (isinstance(a, list) and isinstance(b, list) and sorted(map(str, a)) == sorted(map(str, b)))

"""Score bars (`--fail-under KIND=F1`): parsing them and checking scores against them."""
from __future__ import annotations

from schemas.scores import (
    KINDS,
    Average,
    CorpusScores,
    DocumentScores,
    KindScores,
)


def parse_bar(spec: str) -> tuple[str, float]:
    """`trials=0.95` -> ("trials", 0.95); kinds also `tables.cells` (or `cells`) and `entities.relaxed`."""
    if "=" not in spec:
        raise ValueError(f"expected KIND=F1, got {spec!r}")
    kind, _, value = spec.partition("=")
    kind = kind.strip().lower()
    if kind == "cells":
        kind = "tables.cells"
    base = kind.split(".")[0]
    if base not in KINDS or kind.count(".") > 1 or (
            "." in kind and kind not in ("tables.cells", "entities.relaxed", "entities.strict")):
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)}, tables.cells, entities.relaxed)")
    try:
        bar = float(value)
    except ValueError:
        raise ValueError(f"bar for {kind} must be a number, got {value!r}") from None
    if not 0.0 <= bar <= 1.0:
        raise ValueError(f"bar for {kind} must be between 0 and 1, got {value}")
    return kind, bar


def headline(entry: KindScores | Average, kind: str) -> tuple[str, float | None]:
    """The figure a bar is checked against: F1, or recall where F1 is undefined."""
    sub = kind.partition(".")[2]
    block = getattr(entry, sub) if sub in ("cells", "relaxed", "strict") else entry
    if block is None:
        return "f1", None
    if block.f1 is not None:
        return "f1", block.f1
    return "recall", block.recall


def check_bars(scores: DocumentScores | CorpusScores, bars: dict[str, float] | list[tuple[str, float]]) -> list[str]:
    """One "FAIL <kind> <figure> <got> < <bar>" line per kind below its bar (corpus: micro averages)."""
    entries = scores.micro if isinstance(scores, CorpusScores) else scores.kinds
    items = bars.items() if isinstance(bars, dict) else bars
    failures = []
    for kind, bar in items:
        if kind == "cells":
            kind = "tables.cells"
        entry = entries.get(kind.split(".")[0])
        if entry is None or not entry.scored:
            failures.append(f"FAIL {kind} not scored (the gold file has no {kind.split('.')[0]})")
            continue
        figure, got = headline(entry, kind)
        if got is None or got < bar - 1e-12:
            failures.append(f"FAIL {kind} {figure} {'n/a' if got is None else f'{got:.2f}'} < {bar:.2f}")
    return failures

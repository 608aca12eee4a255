"""Many documents: micro and macro averages over a folder of runs and a folder of gold files."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.evaluate.load import GOLD_SUFFIX, find_run_dirs, gold_stem
from pipeline.evaluate.match import counts
from pipeline.evaluate.scoring import evaluate_run
from schemas.scores import (
    KINDS,
    AttributeScore,
    Average,
    CorpusScores,
    Counts,
    DocumentScores,
)


def _pool(items: list[Counts]) -> Counts:
    """Micro: counts summed; precision/F1 over the documents where they are defined."""
    tp = sum(c.tp for c in items)
    fn = sum(c.fn for c in items)
    recall = counts(tp, 0, fn).recall
    defined = [c for c in items if c.fp is not None]
    if not defined:
        return Counts(tp=tp, fp=None, fn=fn, precision=None, recall=recall, f1=None)
    p = counts(sum(c.tp for c in defined), sum(c.fp for c in defined), sum(c.fn for c in defined))
    return Counts(tp=tp, fp=sum(c.fp for c in defined), fn=fn, precision=p.precision, recall=recall, f1=p.f1)


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def averages(documents: list[DocumentScores]) -> tuple[dict[str, Average], dict[str, Average]]:
    micro: dict[str, Average] = {}
    macro: dict[str, Average] = {}
    for kind in KINDS:
        scored = [d.kinds[kind] for d in documents if kind in d.kinds and d.kinds[kind].scored]
        if not scored:
            micro[kind] = Average(scored=False)
            macro[kind] = Average(scored=False)
            continue
        pooled = _pool([k.counts() for k in scored])
        attrs: dict[str, AttributeScore] = {}
        for k in scored:
            for name, a in k.attributes.items():
                acc = attrs.setdefault(name, AttributeScore())
                acc.correct += a.correct
                acc.total += a.total
        for a in attrs.values():
            a.accuracy = a.correct / a.total if a.total else None
        extra_micro: dict[str, Any] = {}
        extra_macro: dict[str, Any] = {}
        if kind == "tables":
            cells = [k.cells for k in scored if k.cells is not None]
            extra_micro["cells"] = _pool(cells)
            extra_macro["cells"] = _macro_counts(cells)
        if kind == "entities":
            rel = [k.relaxed for k in scored if k.relaxed is not None]
            extra_micro["relaxed"] = _pool(rel)
            extra_macro["relaxed"] = _macro_counts(rel)
        micro[kind] = Average(scored=True, documents=len(scored), tp=pooled.tp, fp=pooled.fp, fn=pooled.fn,
                              precision=pooled.precision, recall=pooled.recall, f1=pooled.f1, attributes=attrs,
                              **extra_micro)
        m = _macro_counts([k.counts() for k in scored])
        macro[kind] = Average(scored=True, documents=len(scored), precision=m.precision, recall=m.recall, f1=m.f1,
                              **extra_macro)
    return micro, macro


def _macro_counts(items: list[Counts]) -> Counts:
    """Macro: the mean of the documents' figures (precision/F1 over the documents where defined)."""
    recall = _mean([c.recall for c in items])
    return Counts(tp=sum(c.tp for c in items), fp=None if any(c.fp is None for c in items) else
                  sum(c.fp for c in items), fn=sum(c.fn for c in items),
                  precision=_mean([c.precision for c in items]), recall=1.0 if recall is None else recall,
                  f1=_mean([c.f1 for c in items]))


def evaluate_many(outdir: str | os.PathLike, gold_dir: str | os.PathLike) -> CorpusScores:
    """Score every OUTDIR/<stem>/ against GOLD_DIR/<stem>.gold.json; micro and macro averages per kind."""
    outdir, gold_dir = Path(outdir), Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: gold folder not found")
    if not outdir.is_dir():
        raise InputError(f"{outdir}: output folder not found")
    golds = sorted(gold_dir.glob("*" + GOLD_SUFFIX))
    if not golds:
        raise InputError(f"{gold_dir}: no *{GOLD_SUFFIX} files")
    runs = find_run_dirs(outdir)
    documents, missing = [], []
    used: set[Path] = set()
    for g in golds:
        stem = gold_stem(g)
        run_dir = runs.get(stem)
        if run_dir is None:
            missing.append(stem)
            continue
        used.add(run_dir)
        documents.append(evaluate_run(run_dir, g))
    unscored = sorted({d.name for d in runs.values() if d not in used})
    micro, macro = averages(documents)
    return CorpusScores(gold_dir=str(gold_dir), outdir=str(outdir), documents=documents, micro=micro,
                        macro=macro, missing_runs=missing, unscored_runs=unscored)

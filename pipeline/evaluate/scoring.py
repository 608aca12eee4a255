"""Score one exported run against one gold file (`review-gold/1`), kind by kind."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.evaluate.document import score_document, score_references
from pipeline.evaluate.entities import score_entities
from pipeline.evaluate.load import load_gold, load_run, read_manifest
from pipeline.evaluate.records import (
    score_abbreviations,
    score_endpoints,
    score_percentages,
    score_sections,
    score_trials,
)
from pipeline.evaluate.tables import score_tables
from schemas.gold import GoldFile
from schemas.scores import (
    KINDS,
    DocumentScores,
    KindScores,
)


def score(gold: GoldFile, run: dict[str, list[dict]], gold_name: str = "", run_name: str = "") -> DocumentScores:
    """Score one run's records (plain dicts by kind) against a parsed gold file."""
    warnings: list[str] = []
    kinds: dict[str, KindScores] = {}
    scorers = {"sections": score_sections, "tables": score_tables, "trials": score_trials,
               "endpoints": score_endpoints, "percentages": score_percentages,
               "abbreviations": score_abbreviations}
    for kind in KINDS:
        items = getattr(gold, kind)
        if items is None:
            kinds[kind] = KindScores(scored=False)
        elif kind == "document":
            fields = (items.title, items.doi, items.journal, items.authors)
            kinds[kind] = (score_document(items, (run.get("document") or [None])[0]) if any(f is not None for f in fields)
                           else KindScores(scored=False))
        elif kind == "references":
            kinds[kind] = score_references(items, run.get("references", []))
        elif kind == "entities":
            kinds[kind] = score_entities(items, run.get(kind, []), bool(gold.entities_complete), warnings)
        else:
            kinds[kind] = scorers[kind](items, run.get(kind, []), warnings)
    return DocumentScores(gold=gold_name, run=run_name, kinds=kinds, warnings=warnings)


def evaluate_run(run_dir: str | os.PathLike, gold_path: str | os.PathLike) -> DocumentScores:
    gold = load_gold(gold_path)
    run = load_run(run_dir)
    scores = score(gold, run, str(gold_path), str(run_dir))
    manifest_file = read_manifest(Path(run_dir)).get("file")
    gold_file = gold.document.file if gold.document else None
    if manifest_file and gold_file and Path(str(manifest_file)).name != Path(gold_file).name:
        scores.warnings.insert(0, f"run is of {manifest_file!r} but the gold file describes {gold_file!r}")
    return scores

"""Scoring exported runs against gold files (`review-gold/1`).

`eval` reads only exported files (RUN_DIR/*.jsonl, tables.json, manifest.json) and gold files,
so it can score any run, old or new. The rooms:

- load.py     gold files and run folders (`load_gold`, `load_run`, `find_run_dirs`)
- match.py    multiset matching with attributes (optimal pairing), counts
- records.py  sections, trials, endpoints, percentages, abbreviations
- tables.py   tables and cells;  entities.py  strict and relaxed entities
- scoring.py  one document (`score`, `evaluate_run`); corpus.py  many (`evaluate_many`)
- bars.py     `--fail-under` bars;  report.py  the human report and JSON writer
"""
from pipeline.evaluate.bars import check_bars, headline, parse_bar
from pipeline.evaluate.corpus import averages, evaluate_many
from pipeline.evaluate.load import (
    GOLD_SUFFIX,
    RUN_FILES,
    find_run_dirs,
    gold_error,
    gold_stem,
    is_run_dir,
    load_gold,
    load_run,
    parse_gold,
    read_manifest,
)
from pipeline.evaluate.report import (
    format_corpus,
    format_document,
    summary_table,
    write_json,
)
from pipeline.evaluate.scoring import evaluate_run, score

__all__ = [
    "GOLD_SUFFIX", "RUN_FILES", "averages", "check_bars", "evaluate_many", "evaluate_run", "find_run_dirs",
    "format_corpus", "format_document", "gold_error", "gold_stem", "headline", "is_run_dir", "load_gold",
    "load_run", "parse_bar", "parse_gold", "read_manifest", "score", "summary_table", "write_json",
]

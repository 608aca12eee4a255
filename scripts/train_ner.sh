#!/usr/bin/env bash
# Retrain the bundled NER pipeline (pipeline/ner/model) from the committed spaCy configs,
# then score it on the BC5CDR test set. One CPU thread; ~15 min on a shared 2-core machine.
#   bash scripts/train_ner.sh [CORPORA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python
CORPORA="${1:-${REVIEW_EXTRACT_CORPORA:-/work/shared/corpora}}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$PY" -m pipeline.cli.ner ner train --corpora "$CORPORA" --workdir build/ner
"$PY" -m pipeline.cli.ner ner eval --pubtator "$CORPORA/BC5CDR-PubTator/CDR_TestSet.PubTator.txt" \
  --json build/ner/bc5cdr_test_scores.json

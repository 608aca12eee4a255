#!/usr/bin/env bash
# Fresh machine -> the main job: set up, then run the pipeline on every bundled fixture PDF into outputs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/review-extract run fixtures/pdfs/*.pdf -o outputs/

#!/usr/bin/env bash
# Fresh machine -> the test suite: set up with the test extras, then run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "test,dask,bench"
.venv/bin/python -m pytest "$@"

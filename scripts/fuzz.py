#!/usr/bin/env python
"""A longer fuzz run than tests/e2e/test_fuzz.py (same mutations and checks).

    /work/venv/bin/python scripts/fuzz.py [--examples 500] [--seed N]

Prints each failing input's path (saved under /tmp/review-extract-fuzz/) and exits non-zero
if any mutant made the pipeline crash, raise a foreign error type or run past its limit.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=500)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()

    import test_fuzz
    from hypothesis import HealthCheck, given, seed, settings

    save = Path(tempfile.gettempdir()) / "review-extract-fuzz"
    save.mkdir(exist_ok=True)
    failures = []
    count = 0

    @settings(max_examples=args.examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=test_fuzz.mutated())
    def run(data):
        nonlocal count
        count += 1
        path = save / f"mutant-{count:05d}.pdf"
        try:
            test_fuzz.check(path, data)
            path.unlink(missing_ok=True)
        except BaseException as e:  # noqa: BLE001
            failures.append((path, f"{type(e).__name__}: {' '.join(str(e).split())[:200]}"))

    if args.seed is not None:
        run = seed(args.seed)(run)
    run()
    for path, why in failures:
        print(f"FAIL {path}: {why}")
    print(f"{count} mutants, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Profile the pipeline stages on some PDFs with pyinstrument (after a warm-up run).

    python scripts/profile_pipeline.py [PDF ...] [--no-ner] [--runs N] [--cpu N] [--html FILE]

Prints pyinstrument's call tree of `run_stages` over the PDFs (default fixtures/pdfs/*.pdf);
the warm-up run (model loading, word lists) is not profiled. For a sampling profile of a
whole command instead: `py-spy record -o out.svg -- review-extract run ...`.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--cpu", type=int, help="pin to this CPU")
    ap.add_argument("--until", default="validate", help="last stage to run")
    ap.add_argument("--html", help="write pyinstrument's HTML report here")
    ap.add_argument("--interval", type=float, default=0.0005, help="sampling interval, seconds")
    args = ap.parse_args(argv)

    from pyinstrument import Profiler

    from pipeline.run import run_stages
    from pipeline.settings import Settings

    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    pdfs = args.pdfs or sorted(glob.glob(str(ROOT / "fixtures" / "pdfs" / "*.pdf")))
    settings = Settings(ner=not args.no_ner)
    for pdf in pdfs:  # warm-up: spaCy pipelines, lexicon, wordfreq, drug names
        run_stages(pdf, settings, until=args.until)
    profiler = Profiler(interval=args.interval)
    profiler.start()
    for _ in range(args.runs):
        for pdf in pdfs:
            run_stages(pdf, settings, until=args.until)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=sys.stdout.isatty()))
    if args.html:
        Path(args.html).write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

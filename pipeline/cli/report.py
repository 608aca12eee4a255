"""`review-extract report RUN_DIR`: the visual audit report of one run folder (see pipeline/report)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.errors import GoldFormatError, ReviewExtractError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub) -> None:
    p = sub.add_parser("report", help="write a self-contained HTML audit report of a run folder",
                       description="Write RUN_DIR's audit report: a summary, a sortable and filterable table of "
                                   "records per kind with a crop of the page around each, and every page with "
                                   "boxes per class. With --gold, true/false positives and misses are coloured.")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--gold", metavar="GOLD.json", help="score against this gold file and colour TP/FP/FN")
    p.add_argument("--pdf", metavar="PDF", help="the PDF of the run (default: the manifest's file next to RUN_DIR)")
    p.add_argument("-o", "--output", metavar="HTML", help="where to write (default: RUN_DIR.report.html, beside the folder)")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report.audit import build_report

    try:
        st = build_report(args.run_dir, args.output, gold=args.gold, pdf=args.pdf)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE if isinstance(e, GoldFormatError) else EXIT_FAILED
    except Exception as e:  # noqa: BLE001 - a bug: still one line, never a traceback
        print(f"error: report failed: {type(e).__name__}: {' '.join(str(e).split())[:200]}", file=sys.stderr)
        return EXIT_FAILED
    print(f"report  {st.path}  ({st.bytes / 1e6:.1f} MB, {st.records} records, {st.crops} crops, "
          f"{st.pages} pages, {st.seconds:.1f} s)")
    return EXIT_OK


def report_beside(folder: str | Path, pdf: str | Path) -> tuple[str | None, str | None]:
    """`run --report`: (the report's path, None), or (None, a one-line problem)."""
    from pipeline.report.audit import build_report

    try:
        return str(build_report(folder, None, pdf=pdf).path), None
    except ReviewExtractError as e:
        return None, str(e)
    except Exception as e:  # noqa: BLE001 - the run's outputs stand even if its report fails
        return None, f"report failed: {type(e).__name__}: {' '.join(str(e).split())[:200]}"


def batch_index(outcomes, outdir, gold_dir: str | None, quiet: bool, settings=None) -> bool:
    """`batch --report`: the per-file reports and OUTDIR/index.html; False (after one line) if it failed."""
    from pipeline.report.batch import batch_reports

    if gold_dir and not Path(gold_dir).is_dir():
        print(f"error: {gold_dir}: gold folder not found", file=sys.stderr)
        return False
    try:
        index = batch_reports(outcomes, outdir, gold_dir, warn=lambda m: print(m, file=sys.stderr), settings=settings)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return False
    if not quiet:
        print(f"reports: {index}")
    return True

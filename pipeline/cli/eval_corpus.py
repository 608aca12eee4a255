"""`review-extract eval-corpus`: run the pipeline over a folder of PDFs and score it against layered gold.

    review-extract eval-corpus PDF_DIR -g GOLD_DIR [-g GOLD_DIR ...] -o RUNS [--test-list FILE]
        [--aliases FILE] [--json REPORT.json] [--previous OLD.json] [--fail-under [SPLIT:]KIND=F1 ...]

Gold folders are layered in the order given (see pipeline/evaluate/benchmark.py). Only PDFs that have
gold are run. Exit 0, 1 when a bar is missed or a run failed, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipeline.cli.options import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_run_options, settings_or_usage
from pipeline.errors import ReviewExtractError


def register(sub) -> None:
    p = sub.add_parser("eval-corpus", help="run a folder of PDFs and score it against layered gold (micro/macro, splits, worst documents)")
    p.add_argument("pdf_dir", metavar="PDF_DIR")
    p.add_argument("-g", "--gold", action="append", required=True, metavar="GOLD_DIR",
                   help="a gold folder; give several to layer them (later folders win, kind by kind)")
    p.add_argument("-o", "--output", required=True, metavar="RUNS", help="run folder (resumable: unchanged files are skipped)")
    p.add_argument("--test-list", metavar="FILE", help='JSON {"test": [stems]}: the held-out split, reported apart')
    p.add_argument("--aliases", metavar="FILE", help='JSON {stem: other stem}: gold of the other stem is the lowest layer')
    p.add_argument("--json", metavar="REPORT", help="write the report as JSON")
    p.add_argument("--previous", metavar="OLD", help="an earlier --json report: print what moved")
    p.add_argument("--fail-under", action="append", default=[], metavar="[SPLIT:]KIND=F1",
                   help="a bar on a split's micro figure (default split: all), e.g. test:cells=0.9")
    p.add_argument("--no-run", action="store_true", help="score the existing run folder only")
    p.add_argument("--force", action="store_true", help="rerun files already done with the same version and settings")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: number of CPUs)")
    add_run_options(p)
    p.set_defaults(func=cmd_eval_corpus)


def _bars(specs: list[str]) -> list[tuple[str, str, float]]:
    out = []
    for spec in specs:
        split, _, rest = spec.rpartition(":")
        kind, sep, value = rest.partition("=")
        if not sep:
            raise ValueError(f"bad bar {spec!r}: expected [SPLIT:]KIND=F1")
        out.append((split or "all", kind, float(value)))
    return out


def _json_file(path: str | None, key: str | None = None):
    if not path:
        return {} if key is None else set()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return set(data[key]) if key else data


def cmd_eval_corpus(args: argparse.Namespace) -> int:
    from pipeline.evaluate.benchmark import benchmark, collect_gold, diff, format_report, load_report
    from pipeline.evaluate.report import write_json

    try:
        bars = _bars(args.fail_under)
        test = _json_file(args.test_list, "test")
        aliases = _json_file(args.aliases)
        golds = collect_gold([Path(g) for g in args.gold], aliases)
    except (ValueError, OSError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    pdf_dir, runs = Path(args.pdf_dir), Path(args.output)
    pdfs = [pdf_dir / f"{stem}.pdf" for stem in golds if (pdf_dir / f"{stem}.pdf").is_file()]
    golds = {s: g for s, g in golds.items() if (pdf_dir / f"{s}.pdf").is_file()}
    if not golds:
        print(f"error: no PDF in {pdf_dir} has gold", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    if not args.no_run:
        from pipeline.batch.executors import make_executor
        from pipeline.batch.runner import run_batch

        settings, bad = settings_or_usage(args)
        if bad:
            print(f"error: {bad}", file=sys.stderr)
            return EXIT_USAGE
        workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
        summary = run_batch(pdfs, runs, settings, executor=make_executor("local", settings, workers=workers),
                            force=args.force)
        failed = summary.failed
        for o in summary.outcomes:
            if o.status == "failed":
                print(f"failed  {o.file}: {o.message or o.error}", file=sys.stderr)
    report = benchmark(runs, golds, test)
    print(format_report(report))
    if args.previous:
        old = load_report(Path(args.previous))
        if old is None:
            print(f"warning: {args.previous}: no earlier report to compare with", file=sys.stderr)
        else:
            moved = diff(report, old)
            print("\nchanges against the previous report" + ("" if moved else ": none"))
            print("\n".join(moved))
    if args.json:
        write_json(args.json, report)
    missed = []
    for split, kind, bar in bars:
        v = report["splits"].get(split, {}).get("micro", {}).get(kind)
        if v is None or v < bar - 1e-9:
            missed.append(f"FAIL {split} {kind} {'n/a' if v is None else format(v, '.3f')} < {bar}")
    for line in missed:
        print(line, file=sys.stderr)
    return EXIT_FAILED if (missed or failed) else EXIT_OK

"""`review-extract batch`: many PDFs, a worker pool (or Dask), resumable; see pipeline/batch.py and docs/batch.md."""
from __future__ import annotations

import argparse
import os
import sys
import time

from pipeline.errors import ReviewExtractError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub) -> None:
    from pipeline.cli.options import add_run_options

    p = sub.add_parser("batch", help="run many PDFs (files, folders, globs) with a worker pool; resumable",
                       description="Run the pipeline on many PDFs. Each gets OUTDIR/<stem>/ (stem-<sha8> when two "
                                   "inputs share a stem); outcomes go to OUTDIR/batch.jsonl, corpus tables to "
                                   "OUTDIR/corpus/. Files already done with the same bytes, version and settings "
                                   "are skipped.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a PDF, a folder (searched recursively) or a glob")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: number of CPUs; 0 = in this process, one file at a time)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    p.add_argument("--force", action="store_true", help="redo files that are already done")
    p.add_argument("--quiet", action="store_true", help="no progress and no summary; failures are still printed")
    p.add_argument("--report", action="store_true", help="also write an audit report per file and OUTDIR/index.html")
    p.add_argument("--gold", metavar="GOLD_DIR", help="with --report: score each file against GOLD_DIR/<stem>.gold.json")
    add_run_options(p)
    p.set_defaults(func=cmd_batch)


def _ocr_check(settings) -> str | None:
    if not settings.ocr:
        return None
    from pipeline.stages.parse.reader import ocr_available

    return ocr_available()


def cmd_batch(args: argparse.Namespace) -> int:
    from pipeline.batch.executors import make_executor
    from pipeline.batch.runner import find_inputs, run_batch
    from pipeline.cli.options import settings_or_usage

    settings, bad = settings_or_usage(args)
    if bad:
        print(f"error: {bad}", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 0:
        print("error: --workers must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.scheduler and args.executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_USAGE
    problem = _ocr_check(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_FAILED
    paths, problems = find_inputs(args.inputs)
    for msg in problems:
        print(f"error: {msg}", file=sys.stderr)
    if not paths:
        print("error: no input PDF", file=sys.stderr)
        return EXIT_USAGE
    workers = args.workers
    if workers is None:
        workers = os.cpu_count() or 1
    executor = make_executor(args.executor, settings, workers=workers if args.executor == "local" else (workers or None),
                             scheduler=args.scheduler)
    report = _Reporter(quiet=args.quiet, tty=sys.stdout.isatty())
    try:
        with report:
            summary = run_batch(paths, args.output, settings, executor=executor, force=args.force,
                                on_outcome=report.outcome, on_start=report.start)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        raise
    except Exception as e:  # noqa: BLE001 - a bug: still one line, never a traceback
        print(f"error: batch stopped: {type(e).__name__}: {' '.join(str(e).split())[:200]}", file=sys.stderr)
        return EXIT_FAILED
    if not args.quiet:
        c = summary.counts
        parts = ", ".join(f"{c[k]} {k}" for k in ("ok", "skipped", "partial", "no_text_layer", "failed") if c.get(k))
        rate = summary.pages / summary.seconds if summary.seconds else 0.0
        corpus = ", ".join(f"{v} {k}" for k, v in summary.corpus.items())
        print(f"batch: {summary.total} files: {parts}; {summary.pages} pages in {summary.seconds:.1f} s "
              f"({rate:.1f} pages/s); corpus: {corpus or 'not written'}; log {os.path.join(args.output, 'batch.jsonl')}")
    if getattr(args, "report", False):
        from pipeline.cli.report import batch_index
        if not batch_index(summary.outcomes, args.output, args.gold, args.quiet, settings):
            return EXIT_FAILED
    return EXIT_FAILED if (summary.failed or problems) else EXIT_OK


class _Reporter:
    """A rich progress bar on a terminal, plain lines otherwise; failures always, one line each, on stderr."""

    def __init__(self, quiet: bool, tty: bool):
        self.quiet, self.tty = quiet, tty
        self.progress = self.task = None
        self.pages = 0
        self.failed = 0
        self.t0 = time.perf_counter()

    def __enter__(self):
        if self.tty and not self.quiet:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                TextColumn("{task.fields[rate]} pages/s"), TextColumn("[red]{task.fields[failed]} failed"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), transient=False)
            self.progress.start()
            self.task = self.progress.add_task("batch", total=None, rate="0.0", failed=0)
        return self

    def __exit__(self, *exc):
        if self.progress is not None:
            self.progress.stop()

    def start(self, done: int, total: int) -> None:
        self.t0 = time.perf_counter()  # rates count the files worked on, not those skipped
        if self.progress is not None:
            self.progress.update(self.task, total=total, completed=done)
            self.progress.reset(self.task, total=total, completed=done, rate="0.0", failed=self.failed)

    def outcome(self, o, done: int, total: int) -> None:
        self.pages += o.pages if o.status != "skipped" else 0
        if o.status == "failed":
            self.failed += 1
            kind = f" ({o.error})" if o.error else ""
            print(f"failed  {o.file}: {o.message or o.error}{kind}", file=sys.stderr, flush=True)
        elif o.status in ("partial", "no_text_layer"):
            print(f"{o.status:<7} {o.file}: {o.message or ''}", file=sys.stderr, flush=True)
        if self.progress is not None:
            secs = max(time.perf_counter() - self.t0, 1e-6)
            self.progress.update(self.task, completed=done, rate=f"{self.pages / secs:.1f}", failed=self.failed)
        elif not self.quiet and o.status in ("ok", "skipped"):
            extra = f"{o.pages} pages, {o.seconds:.1f} s" if o.status == "ok" else o.message
            print(f"[{done}/{total}] {o.status:<7} {o.file} -> {o.output}/ ({extra})", flush=True)

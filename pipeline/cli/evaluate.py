"""`review-extract eval`: score exported runs against gold files.

    review-extract eval RUN_DIR GOLD.json [--json SCORES.json] [--fail-under KIND=F1 ...] [--max-items N]
    review-extract eval OUTDIR GOLD_DIR   [--json SCORES.json] [--fail-under KIND=F1 ...] [--details]

Exit codes: 0 scored (and every bar met), 1 a kind below its --fail-under bar, 2 bad gold file or input.
`--fail-under` bars apply to F1 (recall where F1 is undefined: entities with a must-find list);
in directory mode to the micro averages. KIND is one of sections, tables, trials, endpoints,
percentages, abbreviations, entities, or tables.cells / entities.relaxed.

The lead's cli does `from pipeline.cli.evaluate import register; register(subparsers)`; the
subcommand sets `func` (args -> exit code), as does `python -m pipeline.cli.evaluate`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipeline.errors import ReviewExtractError
from pipeline.evaluate import (
    GOLD_SUFFIX,
    check_bars,
    evaluate_many,
    evaluate_run,
    find_run_dirs,
    format_corpus,
    format_document,
    is_run_dir,
    parse_bar,
    read_manifest,
    write_json,
)

EXIT_OK, EXIT_BELOW_BAR, EXIT_BAD_INPUT = 0, 1, 2


def _bar(spec: str) -> tuple[str, float]:
    try:
        return parse_bar(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN_DIR|OUTDIR",
                        help="one run's output folder, or a folder of run folders (directory mode)")
    parser.add_argument("gold", metavar="GOLD.json|GOLD_DIR",
                        help="a review-gold/1 file, or a folder of <pdf stem>.gold.json files")
    parser.add_argument("--json", dest="json_out", metavar="SCORES.json",
                        help="also write the scores as JSON ('-' prints JSON instead of the report)")
    parser.add_argument("--fail-under", dest="bars", metavar="KIND=F1", type=_bar, action="append", default=[],
                        help="exit 1 when KIND's F1 (recall for must-find entities) is below the bar; repeatable")
    parser.add_argument("--max-items", type=int, default=None, metavar="N",
                        help="list at most N misses / false positives / mismatches per kind")
    parser.add_argument("--details", action="store_true",
                        help="directory mode: also print every document's full report")


def register(subparsers) -> argparse.ArgumentParser:
    """Add the `eval` subcommand to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "eval", help="score run output against a gold file (or a folder of them)",
        description="Score an exported run against a review-gold/1 file, kind by kind.",
        epilog="Exit codes: 0 ok, 1 below a --fail-under bar, 2 bad gold file or input.")
    add_arguments(parser)
    parser.set_defaults(func=run_eval)
    return parser


def gold_for_run(run: Path, gold_dir: Path) -> Path:
    """GOLD_DIR/<stem>.gold.json for one run folder: its name, else the stem of its manifest's file."""
    names = [run.name]
    f = read_manifest(run).get("file")
    if isinstance(f, str) and f:
        names.append(Path(f).stem)
    for name in names:
        path = gold_dir / f"{name}{GOLD_SUFFIX}"
        if path.is_file():
            return path
    raise ReviewExtractError(f"{gold_dir}: no gold file for run {run.name} (looked for "
                             + ", ".join(f"{n}{GOLD_SUFFIX}" for n in dict.fromkeys(names)) + ")")


def run_eval(args: argparse.Namespace) -> int:
    try:
        run, gold = Path(args.run), Path(args.gold)
        if gold.is_dir() and is_run_dir(run) and not find_run_dirs(run):
            gold = gold_for_run(run, gold)          # one run folder against a folder of gold files
        if gold.is_dir():
            if not run.is_dir():
                raise ReviewExtractError(f"{run}: output folder not found")
            scores = evaluate_many(run, gold)
            if not scores.documents:
                raise ReviewExtractError(f"{run}: no run folder matches a gold file in {gold}")
            report = format_corpus(scores, details=getattr(args, "details", False))
        else:
            scores = evaluate_run(run, gold)
            report = format_document(scores, max_items=getattr(args, "max_items", None))
        data = scores.to_json()
        if args.json_out == "-":
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(report)
            if args.json_out:
                write_json(args.json_out, data)
    except ReviewExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `review-extract eval … | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    failures = check_bars(scores, args.bars or [])
    for line in failures:
        print(line, file=sys.stderr)
    return EXIT_BELOW_BAR if failures else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="review-extract")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

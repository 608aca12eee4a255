"""Command line: a thin layer over the Python API. Errors are one line, never a traceback."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.cli.options import (  # noqa: F401
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_run_options,
    settings_from_args,
)
from pipeline.errors import ReviewExtractError
from pipeline.run import STAGES


def cmd_run(args: argparse.Namespace) -> int:
    """Each PDF in a worker process bounded in memory and time (pipeline.batch.sandbox); folder names
    are safe, unique and stable (pipeline.batch.naming); this process alone writes."""
    from pipeline.batch.naming import assign_names
    from pipeline.batch.runner import sha256_of, with_output_name
    from pipeline.batch.work import call_bounded, process_limited
    from pipeline.cli.options import settings_or_usage
    from pipeline.core.atomic import write_dir

    settings, bad = settings_or_usage(args)
    if bad:
        print(f"error: {bad}", file=sys.stderr)
        return EXIT_USAGE
    paths = [Path(p) for p in args.pdfs]
    shas = []
    for p in paths:
        try:
            shas.append(sha256_of(p))
        except (OSError, ReviewExtractError):
            shas.append(None)  # the worker reports why, in one line
    names = assign_names(list(zip(paths, shas)), args.output)
    worst = EXIT_OK
    done: dict[tuple[str, str], str] = {}
    for pdf, sha, name in zip(args.pdfs, shas, names):
        folder = Path(args.output) / name
        if sha is not None and (name, sha) in done:
            print(f"ok      {pdf} -> {folder}  (same file as {done[name, sha]})")
            continue
        m = process_limited(pdf, settings)
        if m.get("files"):
            try:
                write_dir(folder, with_output_name(m["files"], name), last="manifest.json")
            except ReviewExtractError as e:
                print(f"error: {e}", file=sys.stderr)
                worst = EXIT_FAILED
                continue
            if sha is not None:
                done[name, sha] = pdf
        if m["status"] == "ok":
            counts = ", ".join(f"{v} {k}" for k, v in m["counts"].items())
            print(f"ok      {pdf} -> {folder}  ({m['pages']} pages; {counts})")
        else:
            print(f"{m['status']:<7} {pdf}: {m.get('message') or m.get('error')}", file=sys.stderr)
            worst = EXIT_FAILED
        if m.get("issues"):
            print(f"        {m['issues']} candidate records failed validation (see validation.json)", file=sys.stderr)
        if getattr(args, "report", False) and m.get("files"):
            from pipeline.cli.report import report_beside

            try:  # the PDF is read again to render its pages: bounded like its extraction
                where, problem = call_bounded(report_beside, folder, pdf, settings=settings, path=pdf)
            except ReviewExtractError as e:
                where, problem = None, str(e)
            print(f"        report {where}" if where else f"warning: no report: {problem}",
                  file=sys.stdout if where else sys.stderr)
    return worst


def cmd_inspect(args: argparse.Namespace) -> int:
    from pipeline.batch.work import call_bounded
    from pipeline.cli.options import settings_or_usage

    settings, bad = settings_or_usage(args)
    if bad:
        print(f"error: {bad}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "draw", None):
        from pipeline.cli.inspect import draw_command
        return draw_command(args, settings)
    try:
        text = call_bounded(_inspect_text, args.pdf, args.stage, args.json, settings, settings=settings, path=args.pdf)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(text)
    return EXIT_OK


def _inspect_text(pdf: str, stage: str, as_json: bool, settings) -> str:
    """Runs in the bounded worker: the stages up to `stage`, then its view as text."""
    import io

    from pipeline.cli.inspect import show
    from pipeline.run import run_stages, time_limit

    with time_limit(settings.time_limit_s, Path(pdf).name):
        state, _ = run_stages(pdf, settings, until=stage)
    out = state[stage]
    if as_json:
        if isinstance(out, list):
            return json.dumps([o.model_dump(mode="json") for o in out], ensure_ascii=False, indent=1) + "\n"
        return out.model_dump_json(indent=1) + "\n"
    buf = io.StringIO()
    show(stage, out, buf)
    return buf.getvalue()


def cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.core.atomic import write_text
    from schemas.jsonschema import all_schemas

    outdir = Path(args.output)
    for name, schema in all_schemas().items():
        write_text(outdir / name, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(all_schemas())} schemas to {outdir}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from pipeline import __version__

    parser = argparse.ArgumentParser(prog="review-extract", description="Biomedical review PDFs to validated records.")
    parser.add_argument("--version", action="version", version=f"review-extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run the full pipeline on PDFs, one output folder per PDF")
    p.add_argument("pdfs", nargs="+", metavar="PDF")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--report", action="store_true", help="also write OUTDIR/<stem>.report.html, the audit report")
    add_run_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("inspect", help="print one stage's output for a PDF")
    p.add_argument("pdf", metavar="PDF")
    p.add_argument("--stage", required=True, choices=list(STAGES))
    p.add_argument("--json", action="store_true", help="the stage's model dump as JSON")
    p.add_argument("--draw", metavar="OUT_DIR", help="write OUT_DIR/page-NNN.png: the stage's boxes on each page")
    add_run_options(p)
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("schema", help="write the JSON Schema of every output record")
    p.add_argument("-o", "--output", default=str(Path(__file__).resolve().parents[2] / "schemas" / "json"))
    p.set_defaults(func=cmd_schema)

    from pipeline.cli import batch, bench, eval_corpus, evaluate, gold, ner, report

    for mod in (evaluate, eval_corpus, gold, ner, batch, bench, report):
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pipeline.core.runtime import tune_gc

    tune_gc()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Options shared by the commands that run the pipeline (run, inspect, batch), and exit codes."""
from __future__ import annotations

import argparse

from pipeline.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def settings_from_args(args: argparse.Namespace) -> Settings:
    kw = {}
    for flag in ("max_pages", "max_file_mb", "time_limit_s", "max_memory_mb", "password", "ner_model"):
        v = getattr(args, flag, None)
        if v is not None:
            kw[flag] = v
    if getattr(args, "no_ner", False):
        kw["ner"] = False
    if getattr(args, "ocr", False):
        kw["ocr"] = True
    if getattr(args, "no_heading_model", False):
        from pipeline.settings import SegmentOptions

        kw["segment"] = SegmentOptions(heading_model=False)
    return Settings(**kw)


_FLAGS = {"max_pages": "--max-pages", "max_file_mb": "--max-file-mb", "time_limit_s": "--time-limit",
          "max_memory_mb": "--max-memory-mb", "ner_model": "--ner-model", "password": "--password"}


def settings_or_usage(args: argparse.Namespace) -> tuple[Settings | None, str | None]:
    """(settings, None), or (None, a one-line message) for a bad option value such as --max-pages 0."""
    from pydantic import ValidationError

    try:
        return settings_from_args(args), None
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err.get("loc") else ""
        return None, f"bad value for {_FLAGS.get(field, field or 'an option')}: {err['msg'].lower()}"


def add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-ner", action="store_true", help="skip the statistical entity recognizer (lexicon only)")
    p.add_argument("--ner-model", help="'bundled' (default: CHEMICAL, DISEASE), 'bundled-full' (+ GENE, CELL), 'lexicon', or an installed spaCy/scispaCy model name or path")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("--max-pages", type=int, dest="max_pages")
    p.add_argument("--max-file-mb", type=float, dest="max_file_mb")
    p.add_argument("--time-limit", type=float, dest="time_limit_s", help="seconds per file")
    p.add_argument("--max-memory-mb", type=float, dest="max_memory_mb",
                   help="memory bound (MiB) of the worker process that reads each file (default 4096)")
    p.add_argument("--ocr", action="store_true", help="OCR pages without a text layer (needs Tesseract)")
    p.add_argument("--no-heading-model", action="store_true",
                   help="headings by the rules alone, without the shipped heading model")

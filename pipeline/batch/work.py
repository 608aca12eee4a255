"""The work done for one PDF of a batch, wherever it runs (a local worker process or a Dask worker).

`process_file` never raises: every failure becomes a payload with status "failed", the
error's class name and a one-line message. On success the payload carries the output
folder's files as bytes (rendered by pipeline.stages.export.render); the batch driver writes them,
so that only one process ever writes under OUTDIR and a remote Dask worker needs no
access to it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from pipeline.settings import Settings


def process_file(path: str, settings: Settings) -> dict:
    """Extract one PDF and render its output files; a plain dict (picklable, small)."""
    t0 = time.perf_counter()
    try:
        from pipeline.run import extract
        from pipeline.stages.export import render

        result = extract(path, settings)
        m = result.manifest
        err = m.errors[0] if m.errors else None
        payload = {
            "status": m.status,
            "error": err.error if err else None,
            "message": f"[{err.stage}] {err.message}" if err else (
                "no page has a text layer (scanned?); use --ocr" if m.status == "no_text_layer" else None),
            "pages": m.pages,
            "sha256": m.sha256,
            "warnings": list(m.warnings),
            "files": None if m.status == "failed" else render(result),
        }
    except MemoryError:
        payload = _failed("MemoryError", f"{Path(path).name}: out of memory")
    except BaseException as e:  # noqa: BLE001 - a worker never dies of one file
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        msg = " ".join(str(e).split())[:300] or type(e).__name__
        payload = _failed(type(e).__name__, f"{Path(path).name}: {msg}")
    payload["seconds"] = round(time.perf_counter() - t0, 3)
    payload["pid"] = os.getpid()
    return payload


def _failed(error: str, message: str) -> dict:
    return {"status": "failed", "error": error, "message": message, "pages": 0,
            "sha256": None, "warnings": [], "files": None}


def warm(settings: Settings | None = None) -> None:
    """Load the per-process resources (word lists, spaCy pipelines) ahead of the first file."""
    from pipeline.core import hyphenation
    from pipeline.stages.tag import tagger as tag

    settings = settings or Settings(ner=False)
    try:
        hyphenation.zipf("the")
        hyphenation._drug_names()
        tag._abbreviation_nlp()
        tag.recognizer_for(settings)
    except Exception:  # noqa: BLE001 - a resource that fails to load fails the file later, with its own message
        pass
    from pipeline.core.runtime import freeze_warm_objects, tune_gc

    tune_gc()
    freeze_warm_objects()

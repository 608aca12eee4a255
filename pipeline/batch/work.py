"""The work done for one PDF of a batch, wherever it runs (a local worker process or a Dask worker).

`process_file` never raises: every failure becomes a payload with status "failed", the
error's class name and a one-line message. On success the payload carries the output
folder's files as bytes (rendered by pipeline.stages.export.render); the batch driver writes them,
so that only one process ever writes under OUTDIR and a remote Dask worker needs no
access to it.
"""
from __future__ import annotations

import os
import resource
import time
from pathlib import Path

from pipeline.batch.sandbox import is_out_of_memory, looks_out_of_memory, memory_message
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
        if err is not None and (err.error == "MemoryError" or looks_out_of_memory(err.message)):
            err = err.model_copy(update={"error": "LimitExceededError",
                                         "message": memory_message(Path(path).name, settings.max_memory_mb)})
        payload = {
            "status": m.status,
            "error": err.error if err else None,
            "message": f"[{err.stage}] {err.message}" if err else (
                "no page has a text layer (scanned?); use --ocr" if m.status == "no_text_layer" else None),
            "pages": m.pages,
            "sha256": m.sha256,
            "warnings": list(m.warnings),
            "counts": dict(m.counts),
            "issues": len(result.issues),
            "files": None if m.status == "failed" else render(result),
        }
    except BaseException as e:  # noqa: BLE001 - a worker never dies of one file
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        if is_out_of_memory(e):
            payload = _failed("LimitExceededError", memory_message(Path(path).name, settings.max_memory_mb))
        else:
            msg = " ".join(str(e).split())[:300] or type(e).__name__
            payload = _failed(type(e).__name__, f"{Path(path).name}: {msg}")
    payload["seconds"] = round(time.perf_counter() - t0, 3)
    payload["pid"] = os.getpid()
    payload["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return payload


def hard_timeout_for(settings: Settings) -> float:
    """Wall-clock bound on one file from outside its process: the pipeline's own limit plus room to render."""
    return settings.time_limit_s * 1.25 + 10.0


def timeout_message(path: str, settings: Settings) -> str:
    return f"{Path(path).name}: over the time limit of {settings.time_limit_s:g} s (time_limit_s); its worker was stopped"


def call_bounded(fn, *args, settings: Settings, path: str | os.PathLike, usage=None):
    """fn(*args) in a bounded child with the file's limits from `settings` (pipeline.batch.sandbox):
    `--max-memory-mb`, and the hard time limit with the file's own timeout message."""
    from pipeline.batch.sandbox import call_limited

    return call_limited(fn, *args, max_memory_mb=settings.max_memory_mb, hard_timeout=hard_timeout_for(settings),
                        label=Path(path).name, usage=usage, timeout_message=timeout_message(str(path), settings),
                        preload_settings=settings.config_dict())


def process_limited(path: str, settings: Settings) -> dict:
    """process_file in a child bounded by max_memory_mb and the hard time limit (run, Dask):
    the same file gets the same outcome on every executor; peak_rss_mb is the child's own."""
    from pipeline.batch.sandbox import Usage
    from pipeline.errors import ReviewExtractError

    usage = Usage()
    try:
        payload = call_bounded(process_file, path, settings, settings=settings, path=path, usage=usage)
    except ReviewExtractError as e:
        payload = _failed(type(e).__name__, str(e))
        payload["seconds"] = usage.seconds
    payload["peak_rss_mb"] = usage.peak_rss_mb
    return payload


def _failed(error: str, message: str) -> dict:
    return {"status": "failed", "error": error, "message": message, "pages": 0,
            "sha256": None, "warnings": [], "counts": {}, "issues": 0, "files": None}


def warm(settings: Settings | None = None) -> None:
    """Load the per-process resources (word lists, heading model, spaCy pipelines) ahead of the first file."""
    from pipeline.core import hyphenation
    from pipeline.stages.segment import heading_model
    from pipeline.stages.tag import tagger as tag

    settings = settings or Settings(ner=False)
    try:
        hyphenation.zipf("the")
        hyphenation._drug_names()
        heading_model.load_model()  # loaded, never run here: no OpenMP threads before a fork
        tag._abbreviation_nlp()
        tag.recognizer_for(settings)
    except Exception:  # noqa: BLE001 - a resource that fails to load fails the file later, with its own message
        pass
    from pipeline.core.runtime import freeze_warm_objects, tune_gc

    tune_gc()
    freeze_warm_objects()

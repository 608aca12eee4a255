"""The one place that knows the order of the stages: composes, times, and turns failures into error items.

    parse -> layout -> tables -> segment -> tag -> extract -> validate   (export writes)
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pipeline import __version__
from pipeline.errors import ReviewExtractError, StageTimeoutError
from pipeline.settings import Settings
from schemas.result import ExtractionResult, Manifest, Records, StageError


@dataclass(frozen=True)
class Stage:
    """One step of the line: `fn(*inputs, settings)`, where each input names the path or an earlier stage."""

    name: str
    fn: Callable[..., Any]
    inputs: tuple[str, ...]


STAGES = ("parse", "layout", "tables", "segment", "tag", "extract", "validate")


def stage_list() -> tuple[Stage, ...]:
    """The stages in order, looked up at each call (`review-extract --help` imports none of them)."""
    from pipeline.stages.extract import extract as extract_stage
    from pipeline.stages.layout import layout
    from pipeline.stages.parse import parse
    from pipeline.stages.segment import segment
    from pipeline.stages.tables import find_tables
    from pipeline.stages.tag import tag
    from pipeline.stages.validate import validate

    listed = (
        Stage("parse", parse, ("path",)),
        Stage("layout", layout, ("parse",)),
        Stage("tables", find_tables, ("parse",)),
        Stage("segment", segment, ("layout", "tables")),
        Stage("tag", tag, ("segment",)),
        Stage("extract", extract_stage, ("tag",)),
        Stage("validate", validate, ("extract",)),
    )
    assert tuple(s.name for s in listed) == STAGES
    return listed


def _call(stage: Stage, state: dict[str, Any], settings: Settings) -> Any:
    return stage.fn(*(state[name] for name in stage.inputs), settings)


def run_stages(path: str | os.PathLike, settings: Settings, until: str = "validate") -> tuple[dict[str, Any], dict[str, float]]:
    """Run the stages up to and including `until`; raises on the first failure (for `inspect`)."""
    state: dict[str, Any] = {"path": Path(path)}
    seconds: dict[str, float] = {}
    for stage in stage_list():
        t0 = time.perf_counter()
        state[stage.name] = _call(stage, state, settings)
        seconds[stage.name] = round(time.perf_counter() - t0, 4)
        if stage.name == until:
            break
    return state, seconds


def extract(path: str | os.PathLike, settings: Settings | None = None, *, raise_errors: bool = False) -> ExtractionResult:
    """Run the whole pipeline on one PDF and return the validated result.

    A failure does not raise (unless `raise_errors`): it becomes an error item in the
    manifest, with the stage that failed, and status "failed" (nothing usable) or
    "partial" (the document was structured, later stages failed).
    """
    settings = settings or Settings()
    path = Path(path)
    state: dict[str, Any] = {"path": path}
    seconds: dict[str, float] = {}
    errors: list[StageError] = []
    with _time_limit(settings.time_limit_s, path.name) as limit:
        for stage in stage_list():
            name = stage.name
            t0 = time.perf_counter()
            try:
                state[name] = _call(stage, state, settings)
                if limit.fired and not errors:  # the limit went off inside code that swallowed it
                    raise StageTimeoutError(limit.message + "; what was done is kept")
            except ReviewExtractError as e:
                errors.append(StageError(stage=name, error=type(e).__name__, message=str(e)))
            except MemoryError:
                errors.append(StageError(stage=name, error="MemoryError", message=f"{path.name}: out of memory in {name}"))
            except Exception as e:  # a bug or an input nobody foresaw: an error item, not a crash
                msg = " ".join(str(e).split())[:300] or type(e).__name__
                errors.append(StageError(stage=name, error=type(e).__name__, message=f"{path.name}: {msg}"))
            finally:
                seconds[name] = round(time.perf_counter() - t0, 4)
            if errors:
                if raise_errors:
                    raise _as_error(errors[-1])
                break
    return _result(path, state, seconds, errors, settings)


def _as_error(err: StageError) -> ReviewExtractError:
    return ReviewExtractError(f"{err.stage}: {err.message}")


def _result(path: Path, state: dict, seconds: dict, errors: list[StageError], settings: Settings) -> ExtractionResult:
    raw = state.get("parse")
    doc = state.get("segment")
    validated = state.get("validate")
    records = validated.records if validated else Records()
    no_text = [p.number for p in raw.pages if not p.has_text_layer] if raw else []
    if errors:
        status = "failed" if doc is None else "partial"
    elif raw is not None and raw.pages and len(no_text) == len(raw.pages):
        status = "no_text_layer"
    else:
        status = "ok"
    warnings = list(doc.warnings if doc else raw.warnings if raw else [])
    if no_text and status != "no_text_layer":
        warnings.append(f"pages without a text layer: {', '.join(map(str, no_text))}")
    manifest = Manifest(
        version=__version__,
        file=path.name,
        sha256=raw.sha256 if raw else _sha256(path),
        pages=raw.page_count if raw else 0,
        status=status,
        pages_without_text=no_text,
        config=settings.config_dict(),
        config_hash=settings.config_hash(),
        seconds=seconds,
        counts={k: len(getattr(records, k)) for k in type(records).model_fields},
        validation_issues=len(validated.issues) if validated else 0,
        warnings=warnings,
        errors=errors,
    )
    return ExtractionResult(manifest=manifest, document=doc, records=records,
                            issues=validated.issues if validated else [])


def _sha256(path: Path) -> str:
    import hashlib

    import stat

    try:  # only a regular file: a FIFO would block here, outside every limit
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        os.set_blocking(fd, True)
        h = hashlib.sha256()
        for chunk in iter(lambda: os.read(fd, 1 << 20), b""):
            h.update(chunk)
        return h.hexdigest()
    except OSError:
        return ""
    finally:
        os.close(fd)


class _Limit:
    def __init__(self, message: str):
        self.message, self.fired = message, False


_REFIRE_S = 0.25  # once over the limit, fire again until the file's scope ends


@contextmanager
def _time_limit(seconds: float, name: str):
    """Bound one file's run: SIGALRM in the main thread; elsewhere (a thread) an asynchronous
    StageTimeoutError raised in the running thread. Once over the limit it fires again every
    _REFIRE_S until the scope ends, so a handler that swallows it (a per-page `except`) cannot
    let the file run on unbounded, and `fired` tells the caller the file is not `ok`. Neither
    can stop C code that never returns to Python: workers are also bounded from outside."""
    limit = _Limit(f"{name}: over the time limit of {seconds:g} s (time_limit_s)")
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_time_limit(seconds, limit):
            yield limit
        return

    def _expired(signum, frame):
        limit.fired = True
        signal.setitimer(signal.ITIMER_REAL, _REFIRE_S)
        raise StageTimeoutError(limit.message)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


time_limit = _time_limit  # for `inspect`, which runs the stages itself


@contextmanager
def _thread_time_limit(seconds: float, limit: _Limit):
    import ctypes

    tid = threading.get_ident()
    message = limit.message
    expired = type("StageTimeoutError", (StageTimeoutError,),
                   {"__init__": lambda self, *a: StageTimeoutError.__init__(self, message),
                    "__module__": StageTimeoutError.__module__})
    lock = threading.Lock()
    done = threading.Event()

    def _fire():
        delay = seconds
        while not done.wait(delay):
            with lock:
                if done.is_set():
                    return
                limit.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(expired))
            delay = _REFIRE_S

    timer = threading.Thread(target=_fire, daemon=True, name="time-limit")
    timer.start()
    try:
        yield limit
    finally:
        with lock:
            done.set()
            if limit.fired:  # not delivered yet: do not let it go off after the limit's scope
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)

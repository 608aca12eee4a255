"""One file's work in a child process with a memory bound and a hard time limit.

`run`, `inspect` and every Dask task call the per-file work through `call_limited`; the
local batch pool applies the same address-space limit to its long-lived workers
(`limit_memory`). Children come from a fork server (`worker_context`): a clean process
that imported the pipeline and loaded its word lists and spaCy pipelines
(pipeline.batch.preload) before it ran anything. The calling process is never forked
itself: once it has run a document it holds OpenMP worker threads (the heading model),
pyarrow's thread pool and jemalloc's background thread, whose locks a forked copy would
wait on for ever. The child sets RLIMIT_AS, runs the function and sends back its result;
one past the hard time limit is killed; one that dies (segfault, out of memory) becomes an
error. The child's peak RSS is what it reports itself (getrusage), or for a killed child
the high-water mark (VmHWM) last read from /proc.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
from typing import Any, Callable

from pipeline import errors as _errors
from pipeline.errors import LimitExceededError, ReviewExtractError, StageTimeoutError, WorkerCrashedError

MIB = 1024 * 1024
_HEADROOM_MB = 256  # never set the bound below what the warm process already maps
_POLL_S = 0.1  # how often the parent reads a running child's VmHWM
_EXIT_OOM_SENDING = 3


@dataclass
class Usage:
    peak_rss_mb: float = 0.0
    seconds: float = 0.0


def default_start_method() -> str:
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


def worker_context(preload_settings: dict | None = None, method: str | None = None):
    """The multiprocessing context of every worker: a fork server warmed by pipeline.batch.preload
    (with `preload_settings`, the config of the first caller, when it starts), else spawn."""
    method = method or default_start_method()
    if method == "forkserver":
        if preload_settings is not None and "REVIEW_EXTRACT_PRELOAD" not in os.environ:
            os.environ["REVIEW_EXTRACT_PRELOAD"] = json.dumps(preload_settings)
        mp.set_forkserver_preload(["pipeline.batch.preload"])
    return mp.get_context(method)


def _proc_kb(pid: int | str, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def limit_memory(max_memory_mb: float) -> int:
    """Bound this process's address space (RLIMIT_AS) to max_memory_mb MiB, or to what it already
    maps plus a little when that is more (so the bound never fails a warm process outright)."""
    mb = max(float(max_memory_mb), _proc_kb("self", "VmSize:") / 1024 + _HEADROOM_MB)
    limit = int(mb * MIB)
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError, AttributeError):
        pass
    return limit


def memory_message(label: str, max_memory_mb: float) -> str:
    return f"{label}: over the memory limit of {max_memory_mb:g} MiB (max_memory_mb)"


def looks_out_of_memory(message: str) -> bool:
    """An error message of an allocator giving up under the limit (MuPDF's, pyarrow's, the C library's)."""
    text = message.lower()
    return "out of memory" in text or "malloc" in text or "cannot allocate" in text


def is_out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or MuPDF's C allocator giving up under the limit."""
    return isinstance(exc, MemoryError) or looks_out_of_memory(str(exc))


@contextmanager
def _children_allowed():
    """multiprocessing refuses children to a daemonic process, and a Dask worker is one. Our
    child is bounded in time by itself (SIGALRM) and from here (killed at the hard limit), so it
    cannot outlive its file for long: allow it for the duration of start()."""
    proc = mp.current_process()
    daemon = proc._config.get("daemon")  # noqa: SLF001 - no public switch exists
    proc._config["daemon"] = False  # noqa: SLF001
    try:
        yield
    finally:
        proc._config["daemon"] = daemon  # noqa: SLF001


def call_limited(fn: Callable[..., Any], *args: Any, max_memory_mb: float, hard_timeout: float,
                 label: str, usage: Usage | None = None, timeout_message: str | None = None,
                 preload_settings: dict | None = None) -> Any:
    """fn(*args) in a bounded child; returns its result or raises a ReviewExtractError (one line).
    `fn` and `args` must be picklable (a module-level function)."""
    usage = usage if usage is not None else Usage()
    ctx = worker_context(preload_settings)
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, max_memory_mb, label),
                       name="review-extract-bounded", daemon=True)
    t0 = time.monotonic()
    try:
        with _children_allowed():
            proc.start()
    except OSError as e:
        raise WorkerCrashedError(f"{label}: cannot start a worker process: {e.strerror or e}") from None
    send.close()
    out, killed, peak_kb = None, False, 0.0
    try:
        while True:
            peak_kb = max(peak_kb, _proc_kb(proc.pid, "VmHWM:"))
            left = t0 + hard_timeout - time.monotonic()
            if left <= 0:
                killed = True
                proc.kill()
                break
            ready = mp_wait([recv, proc.sentinel], timeout=min(left, _POLL_S))
            if recv in ready:
                try:
                    out = recv.recv()
                except (EOFError, OSError):
                    out = None  # died while sending
                break
            if proc.sentinel in ready:
                break
    except BaseException:  # Ctrl-C: take the child down too
        proc.kill()
        proc.join(5)
        recv.close()
        raise
    proc.join(5 if not killed else 10)
    recv.close()
    usage.seconds = round(time.monotonic() - t0, 3)
    reported = out[2] if isinstance(out, tuple) and len(out) == 3 else 0.0
    usage.peak_rss_mb = round(max(reported, peak_kb / 1024), 1)
    if killed:
        raise StageTimeoutError(timeout_message or f"{label}: over the time limit of {hard_timeout:g} s; "
                                                   "its worker was stopped")
    if out is None:
        raise WorkerCrashedError(f"{label}: its worker process died ({_why(proc.exitcode, max_memory_mb)})")
    kind, value, _ = out
    if kind == "ok":
        return value
    name, message = value
    if name == "MemoryError":
        raise LimitExceededError(memory_message(label, max_memory_mb))
    cls = getattr(_errors, name, None)
    if isinstance(cls, type) and issubclass(cls, ReviewExtractError):
        raise cls(message)
    raise ReviewExtractError(f"{label}: {name}: {message}")


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child(conn, fn, args, max_memory_mb: float, label: str) -> None:
    """The child's whole life: bound itself, run, send (kind, value, peak MB), exit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    limit_memory(max_memory_mb)
    try:
        out = ("ok", fn(*args))
    except BaseException as e:  # noqa: BLE001 - sent back as (class name, one line)
        kind = "MemoryError" if is_out_of_memory(e) else type(e).__name__
        out = ("error", (kind, " ".join(str(e).split())[:300] or kind))
    try:
        conn.send((*out, _peak_mb()))
    except MemoryError:
        os._exit(_EXIT_OOM_SENDING)
    except Exception as e:  # noqa: BLE001 - an unpicklable result
        try:
            conn.send(("error", (type(e).__name__, f"{label}: result could not be sent"), _peak_mb()))
        except BaseException:  # noqa: BLE001
            os._exit(_EXIT_OOM_SENDING)
    conn.close()


def _why(exitcode: int | None, max_memory_mb: float) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = f"; out of memory? the limit is {max_memory_mb:g} MiB (max_memory_mb)" \
            if -exitcode == signal.SIGKILL else ""
        return f"{name}{hint}"
    if exitcode == _EXIT_OOM_SENDING:
        return f"out of memory while sending its result; the limit is {max_memory_mb:g} MiB (max_memory_mb)"
    return f"exit code {exitcode}"

"""One file's work in a forked child with a memory bound and a hard time limit.

`run`, `inspect` and every Dask task call the per-file work through `call_limited`; the
local batch pool applies the same address-space limit to its long-lived workers
(`limit_memory`). The child inherits the parent's loaded models (fork, copy-on-write), sets
RLIMIT_AS, runs the function and sends back its pickled result. A child that is past the
hard time limit is killed; one that dies (segfault, out of memory) becomes an error. The
child's peak RSS comes from wait4, so it is measured even for a killed child.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable

from pipeline import errors as _errors
from pipeline.errors import LimitExceededError, ReviewExtractError, StageTimeoutError, WorkerCrashedError

MIB = 1024 * 1024
_HEADROOM_MB = 256  # never set the bound below what the warm process already maps


@dataclass
class Usage:
    peak_rss_mb: float = 0.0
    seconds: float = 0.0


def _vm_size_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def limit_memory(max_memory_mb: float) -> int:
    """Bound this process's address space (RLIMIT_AS) to max_memory_mb MiB, or to what it already
    maps plus a little when that is more (so the bound never fails a warm process outright)."""
    mb = max(float(max_memory_mb), _vm_size_mb() + _HEADROOM_MB)
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


def is_out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or MuPDF's C allocator giving up under the limit."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return "out of memory" in text or "malloc" in text or "cannot allocate" in text


def call_limited(fn: Callable[..., Any], *args: Any, max_memory_mb: float, hard_timeout: float,
                 label: str, usage: Usage | None = None, timeout_message: str | None = None) -> Any:
    """fn(*args) in a forked child; returns its result or raises a ReviewExtractError (one line)."""
    usage = usage if usage is not None else Usage()
    r, w = os.pipe()
    t0 = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads alive (a Dask worker)
        pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(r)
        _child(w, fn, args, max_memory_mb, label)
    os.close(w)
    chunks: list[bytes] = []
    got, want = 0, None  # length-prefixed: a grandchild holding the pipe open cannot make us wait for EOF
    killed = None
    try:
        while want is None or got < want + 8:
            left = t0 + hard_timeout - time.monotonic()
            if left <= 0:
                killed = "timeout"
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([r], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(r, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                if want is None and got >= 8:
                    want = int.from_bytes(b"".join(chunks)[:8], "big")
    except BaseException:  # Ctrl-C: take the child down too
        _kill(pid)
        os.close(r)
        raise
    os.close(r)
    _, status, ru = os.wait4(pid, 0)
    usage.peak_rss_mb = round(ru.ru_maxrss / 1024, 1)
    usage.seconds = round(time.monotonic() - t0, 3)
    if killed == "timeout":
        raise StageTimeoutError(timeout_message or f"{label}: over the time limit of {hard_timeout:g} s; its worker was stopped")
    try:
        blob = b"".join(chunks)
        if want is None or len(blob) < want + 8:
            raise EOFError
        kind, value = pickle.loads(blob[8:want + 8])
    except Exception:  # noqa: BLE001 - nothing (or half) sent: the child died
        raise WorkerCrashedError(f"{label}: its worker process died ({_why(status, max_memory_mb)})") from None
    if kind == "ok":
        return value
    name, message = value
    if name == "MemoryError":
        raise LimitExceededError(memory_message(label, max_memory_mb))
    cls = getattr(_errors, name, None)
    if isinstance(cls, type) and issubclass(cls, ReviewExtractError):
        raise cls(message)
    raise ReviewExtractError(f"{label}: {name}: {message}")


def _child(w: int, fn, args, max_memory_mb: float, label: str) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        limit_memory(max_memory_mb)
        try:
            out = ("ok", fn(*args))
        except BaseException as e:  # noqa: BLE001 - sent back as (class name, one line)
            kind = "MemoryError" if is_out_of_memory(e) else type(e).__name__
            out = ("error", (kind, " ".join(str(e).split())[:300] or kind))
        try:
            data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001
            data = pickle.dumps(("error", (type(e).__name__, f"{label}: result could not be sent")))
        view = memoryview(len(data).to_bytes(8, "big") + data)
        while view:
            view = view[os.write(w, view):]
    except BaseException:  # noqa: BLE001 - out of memory while sending: the parent sees a crash
        code = 3
    finally:
        try:
            import sys

            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass


def _why(status: int, max_memory_mb: float) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        hint = f"; out of memory? the limit is {max_memory_mb:g} MiB (max_memory_mb)" if sig == signal.SIGKILL else ""
        return f"{name}{hint}"
    code = os.WEXITSTATUS(status)
    if code == 3:
        return f"out of memory while sending its result; the limit is {max_memory_mb:g} MiB (max_memory_mb)"
    return f"exit code {code}"

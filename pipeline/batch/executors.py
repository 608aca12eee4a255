"""Where the per-file work of a batch runs: in-process, a local pool of long-lived worker
processes, or a dask.distributed cluster. Every executor yields (key, payload) for every
job it is given, exactly once, whatever happens to the worker that had the job.

Local pool: each worker is a process with its own pipe, started from a fork server that
has already imported the pipeline and loaded its word lists and spaCy pipelines
(pipeline.batch.preload), so workers start warm and share that memory copy-on-write.
A worker keeps its per-process caches across files. The driver gives each worker one file
at a time and waits on all pipes and process sentinels with a deadline: a worker that is
past the hard time limit is killed (SIGKILL) and replaced, and its file fails with
StageTimeoutError; a worker that dies (segfault, OOM kill) is replaced and its file fails
with WorkerCrashedError. Other files are not touched.
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait as mp_wait

from pipeline.batch.sandbox import worker_context
from pipeline.batch.work import hard_timeout_for, process_file, process_limited, timeout_message  # noqa: F401
from pipeline.errors import OutputError
from pipeline.settings import Settings

Job = tuple[int, str]  # (key, path)
WorkFn = Callable[[str, Settings], dict]


def failed_payload(error: str, message: str, seconds: float = 0.0) -> dict:
    return {"status": "failed", "error": error, "message": message, "pages": 0, "sha256": None,
            "warnings": [], "files": None, "seconds": round(seconds, 3), "pid": None}


def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit code {code}"
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class InlineExecutor:
    """Every file in this process, one after the other (debugging, tests; `--workers 0`)."""

    name = "inline"

    def __init__(self, settings: Settings, func: WorkFn = process_file):
        self.settings, self.func = settings, func

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, dict]]:
        for key, path in jobs:
            yield key, self.func(path, self.settings)

    def close(self) -> None:
        pass


# ----------------------------------------------------------------------------- local pool

def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _worker_main(conn, settings: Settings, func: WorkFn, parent_pid: int) -> None:
    from pipeline.batch.sandbox import limit_memory

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C and stops us
    limit_memory(settings.max_memory_mb)  # a file over the bound fails alone, its worker is replaced
    while True:
        try:
            if not conn.poll(2.0):
                if not _parent_alive(parent_pid) or os.getppid() == 1:
                    return  # the driver was killed: do not linger
                continue
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, path = msg
        payload = func(path, settings)
        try:
            conn.send((key, payload))
        except (OSError, ValueError):
            return


class _Worker:
    def __init__(self, ctx, settings: Settings, func: WorkFn):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, settings, func, os.getpid()),
                                name="review-extract-worker", daemon=True)
        self.proc.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0
        self.done = 0

    def give(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send(job)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:  # noqa: BLE001
            pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


class LocalExecutor:
    name = "local"

    def __init__(self, settings: Settings, workers: int | None = None, *, func: WorkFn = process_file,
                 hard_timeout: float | None = None, start_method: str | None = None,
                 max_files_per_worker: int = 500):
        self.settings, self.func = settings, func
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.hard_timeout = hard_timeout if hard_timeout is not None else hard_timeout_for(settings)
        self.max_files_per_worker = max_files_per_worker
        self.ctx = worker_context(settings.config_dict(), start_method)
        self.pool: list[_Worker] = []

    def _spawn(self) -> _Worker:
        try:
            return _Worker(self.ctx, self.settings, self.func)
        except OSError as e:
            raise OutputError(f"cannot start a worker process: {e.strerror or e}") from None

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, dict]]:
        pending = deque(jobs)
        if not pending:
            return
        n = min(self.workers, len(pending))
        self.pool = [self._spawn() for _ in range(n)]
        idle = deque(self.pool)
        busy: list[_Worker] = []
        try:
            while pending or busy:
                while idle and pending:
                    w = idle.popleft()
                    job = pending.popleft()
                    try:
                        w.give(job)
                    except (OSError, ValueError):  # died while idle: replace it and retry the job
                        self._retire(w)
                        pending.appendleft(job)
                        idle.append(self._replace(w))
                        continue
                    busy.append(w)
                now = time.monotonic()
                timeout = max(0.0, min(w.started + self.hard_timeout for w in busy) - now) if busy else 0
                ready = set(mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=timeout + 0.01))
                for w in list(busy):
                    out: tuple[int, dict] | None = None
                    if w.conn in ready or w.proc.sentinel in ready:
                        out = self._collect(w)
                    elif time.monotonic() - w.started > self.hard_timeout:
                        out = (w.job[0], failed_payload(
                            "StageTimeoutError", timeout_message(w.job[1], self.settings), time.monotonic() - w.started))
                        w.kill()
                        w.job = None
                    if out is None:
                        continue
                    busy.remove(w)
                    if w.job is None and w.proc.is_alive() and w.done < self.max_files_per_worker:
                        idle.append(w)
                    else:
                        self._retire(w)
                        if pending or busy:
                            idle.append(self._replace(w))
                    yield out
        finally:
            self.close()

    def _collect(self, w: _Worker) -> tuple[int, dict]:
        key, path = w.job
        if w.conn.poll():
            try:
                got_key, payload = w.conn.recv()
                if got_key == key:
                    w.job, w.done = None, w.done + 1
                    return key, payload
            except (EOFError, OSError, ValueError):
                pass
            except Exception as e:  # noqa: BLE001 - an unpicklable payload
                w.job = None
                return key, failed_payload(type(e).__name__, f"{os.path.basename(path)}: {e}")
        w.proc.join(5)
        why = _signal_name(w.proc.exitcode)
        hint = " (out of memory?)" if w.proc.exitcode == -signal.SIGKILL else ""
        secs = time.monotonic() - w.started
        w.job = None
        w.kill()
        return key, failed_payload("WorkerCrashedError",
                                   f"{os.path.basename(path)}: its worker process died: {why}{hint}", secs)

    def _retire(self, w: _Worker) -> None:
        if w in self.pool:
            self.pool.remove(w)
        if w.proc.is_alive():
            w.stop()

    def _replace(self, old: _Worker) -> _Worker:
        new = self._spawn()
        self.pool.append(new)
        return new

    def close(self) -> None:
        for w in list(self.pool):
            if w.job is not None:
                w.kill()
            else:
                w.stop()
        self.pool = []


# ----------------------------------------------------------------------------- dask

def _dask_task(path: str, settings: Settings) -> dict:
    # each file in a forked child of the Dask worker: the time limit is a signal in that child's
    # main thread (not an exception thrown into a worker thread) and the memory bound is the child's
    return process_limited(path, settings)


class DaskExecutor:
    """The same per-file work as tasks on dask.distributed; the driver writes the outputs.

    Without a scheduler address a LocalCluster is started on 127.0.0.1 (processes, one
    thread each, no dashboard). Input paths must be readable by the workers (a shared
    filesystem); outputs come back as bytes and are written by the driver. In a Dask worker
    thread the time limit is applied by an asynchronous exception (pipeline.run); a file
    still running after the hard limit is reported failed and its future cancelled.
    """

    name = "dask"

    def __init__(self, settings: Settings, scheduler: str | None = None, workers: int | None = None, *,
                 hard_timeout: float | None = None, func: WorkFn = _dask_task):
        self.settings, self.scheduler, self.func = settings, scheduler, func
        self.workers = max(1, workers or os.cpu_count() or 1)
        # each task bounds its own file (process_limited); this is the backstop for a lost task
        self.hard_timeout = hard_timeout if hard_timeout is not None else hard_timeout_for(settings) + 30.0
        self.client = self.cluster = None

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise OutputError("--executor dask needs dask[distributed]: pip install 'review-extract[dask]'") from None
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address=None, silence_logs=40)
                self.client = Client(self.cluster)
        except OutputError:
            raise
        except Exception as e:  # noqa: BLE001
            self.close()
            where = self.scheduler or "a local cluster"
            raise OutputError(f"cannot connect to Dask scheduler {where}: {' '.join(str(e).split())[:200]}") from None

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[int, dict]]:
        from distributed import wait

        pending = deque(jobs)
        if not pending:
            return
        self._connect()
        try:
            threads = sum(self.client.nthreads().values()) or 1
            live: dict = {}  # future -> (job, submitted)
            while pending or live:
                while pending and len(live) < threads:
                    job = pending.popleft()
                    fut = self.client.submit(self.func, job[1], self.settings, pure=False, retries=0)
                    live[fut] = (job, time.monotonic())
                oldest = min(t for _, t in live.values())
                timeout = max(0.05, oldest + self.hard_timeout - time.monotonic())
                try:
                    done, _ = wait(list(live), timeout=timeout, return_when="FIRST_COMPLETED")
                except Exception:  # noqa: BLE001 - dask's TimeoutError
                    done = set()
                for fut in list(live):
                    (key, path), t0 = live[fut]
                    if fut in done:
                        del live[fut]
                        yield key, self._payload(fut, path, t0)
                    elif time.monotonic() - t0 > self.hard_timeout:
                        del live[fut]
                        fut.cancel()
                        yield key, failed_payload("StageTimeoutError", timeout_message(path, self.settings),
                                                  time.monotonic() - t0)
        finally:
            self.close()

    def _payload(self, fut, path: str, t0: float) -> dict:
        name = os.path.basename(path)
        try:
            return fut.result()
        except Exception as e:  # noqa: BLE001
            kind = type(e).__name__
            if kind == "KilledWorker":
                return failed_payload("WorkerCrashedError", f"{name}: its Dask worker died (out of memory?)",
                                      time.monotonic() - t0)
            msg = " ".join(str(e).split())[:300] or kind
            return failed_payload(kind, f"{name}: {msg}", time.monotonic() - t0)

    def close(self) -> None:
        for obj in (self.client, self.cluster):
            if obj is not None:
                try:
                    obj.close()
                except Exception:  # noqa: BLE001
                    pass
        self.client = self.cluster = None


def make_executor(kind: str, settings: Settings, *, workers: int | None = None, scheduler: str | None = None,
                  **kw):
    if kind == "dask":
        return DaskExecutor(settings, scheduler, workers, **kw)
    if kind == "local" and workers == 0:
        return InlineExecutor(settings, **{k: v for k, v in kw.items() if k == "func"})
    if kind == "local":
        return LocalExecutor(settings, workers, **kw)
    if kind == "inline":
        return InlineExecutor(settings, **{k: v for k, v in kw.items() if k == "func"})
    raise ValueError(f"unknown executor {kind!r}")

#!/usr/bin/env python
"""Batch throughput benchmark (not a test): N PDFs made from the fixtures, 1 and 2 workers.

    /work/venv/bin/python scripts/bench_batch.py [--files 200] [--workers 1 2] [--ner]

Copies alternate between fixtures/pdfs/seed-review.pdf and seed-review-2col.pdf, each with a
changed trailing comment so that every sha256 differs (nothing is skipped). For each worker
count: files/min and pages/s over the whole run (worker start-up and warm-up included), and
the peak RSS of each worker process (sampled with psutil every 0.2 s; unique-set size too,
since workers share the fork server's loaded resources copy-on-write).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _sampler(stop: threading.Event, peaks: dict, me: int):
    import psutil

    parent = psutil.Process(me)
    while not stop.is_set():
        for child in parent.children(recursive=True):
            try:
                mi = child.memory_full_info()
                rss, uss = mi.rss, getattr(mi, "uss", 0)
            except Exception:  # noqa: BLE001
                continue
            old = peaks.get(child.pid, (0, 0))
            peaks[child.pid] = (max(old[0], rss), max(old[1], uss))
        stop.wait(0.2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ner", action="store_true", help="with the statistical NER (default: --no-ner)")
    args = ap.parse_args()

    import os

    from pipeline.batch.executors import LocalExecutor
    from pipeline.batch.runner import find_inputs, run_batch
    from pipeline.settings import Settings

    settings = Settings(ner=args.ner)
    srcs = [ROOT / "fixtures/pdfs/seed-review.pdf", ROOT / "fixtures/pdfs/seed-review-2col.pdf"]
    blobs = [p.read_bytes() for p in srcs]
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        inp = work / "in"
        inp.mkdir()
        for i in range(args.files):
            (inp / f"doc{i:04d}.pdf").write_bytes(blobs[i % 2] + b"\n%% bench copy %08d\n" % i)
        paths, _ = find_inputs([str(inp)])
        print(f"{len(paths)} PDFs, settings ner={settings.ner}, {os.cpu_count()} CPUs")
        for n in args.workers:
            peaks: dict = {}
            stop = threading.Event()
            t = threading.Thread(target=_sampler, args=(stop, peaks, os.getpid()), daemon=True)
            t.start()
            t0 = time.perf_counter()
            summary = run_batch(paths, work / f"out{n}", settings, executor=LocalExecutor(settings, workers=n))
            secs = time.perf_counter() - t0
            stop.set()
            t.join()
            # the busiest processes are the workers (the fork server is the largest idle one)
            top = sorted(peaks.values(), reverse=True)
            workers = top[1:n + 1] if len(top) > n else top[:n]
            rss = ", ".join(f"{r / 2**20:.0f} MB (USS {u / 2**20:.0f} MB)" for r, u in workers)
            print(f"workers={n}: {summary.total} files ({summary.counts}) in {secs:.1f} s: "
                  f"{summary.total / secs * 60:.1f} files/min, {summary.pages / secs:.1f} pages/s; "
                  f"peak RSS per worker: {rss}; fork server peak RSS {top[0][0] / 2**20:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

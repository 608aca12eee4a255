"""`review-extract bench`: how fast the pipeline is, stage by stage, against the floor and the alternatives.

On the same PDFs, in the same process and run, after warm-up runs:

* the pipeline end to end (`run.extract` + `export` into a temporary folder), with the
  statistical NER on (the default settings) and off (`Settings(ner=False)`, as `--no-ner`);
  the seconds of every stage (medians over the runs, summed over the files);
* the tag stage's own words/s;
* peak resident memory of this process (one worker) while the pipeline ran;
* bare PyMuPDF text extraction, `page.get_text()` on every page: the floor no pipeline
  built on PyMuPDF can beat; and what users would otherwise pick, `pymupdf4llm.to_markdown`
  and `pdfplumber`'s `page.extract_text()`. An alternative that is not installed (or, like
  pymupdf4llm 2.0 beside PyMuPDF 1.x, is an empty placeholder) is reported as unavailable,
  never faked; none that would download models at run time is included.

Words are counted once per file as whitespace-separated tokens of PyMuPDF's plain text, so
pages/s and words/s of every contender share one denominator.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from pipeline.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
from pipeline.run import STAGES as RUN_STAGES

STAGES = (*RUN_STAGES, "export")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"


def register(subparsers) -> None:
    p = subparsers.add_parser("bench", help="time every stage and the whole pipeline against PyMuPDF, pymupdf4llm, pdfplumber")
    p.add_argument("pdfs", nargs="*", metavar="PDF", help="PDFs to time (default: fixtures/pdfs/*.pdf)")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON to FILE ('-' for stdout)")
    p.add_argument("--runs", type=int, default=3, help="timed runs; medians are reported (default 3)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first: model loading, word lists, caches (default 1)")
    p.add_argument("--cpu", type=int, metavar="N", help="pin this process to CPU N (one core, as the bars are stated)")
    p.add_argument("--no-alternatives", action="store_true", help="time the pipeline only")
    p.add_argument("--ner-model", help="NER model for the NER-on figures (default: the bundled one)")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.runs < 1 or args.warmup < 0:
        print("error: --runs must be >= 1 and --warmup >= 0", file=sys.stderr)
        return EXIT_USAGE
    pdfs = [Path(p) for p in args.pdfs] or [Path(p) for p in sorted(glob.glob(str(FIXTURES / "*.pdf")))]
    missing = [str(p) for p in pdfs if not p.is_file()]
    if not pdfs or missing:
        print(f"error: no such PDF: {', '.join(missing)}" if missing else "error: no PDFs to time", file=sys.stderr)
        return EXIT_USAGE
    if args.cpu is not None:
        try:
            os.sched_setaffinity(0, {args.cpu})
        except (AttributeError, OSError, ValueError) as e:
            print(f"error: cannot pin to CPU {args.cpu}: {e}", file=sys.stderr)
            return EXIT_USAGE
    ner_settings = Settings(ner_model=args.ner_model) if args.ner_model else Settings()
    bad = _unreadable(pdfs, ner_settings)
    for msg in bad:
        print(f"error: {msg}", file=sys.stderr)
    if bad:
        return EXIT_FAILED
    try:
        report = bench(pdfs, runs=args.runs, warmup=args.warmup, alternatives=not args.no_alternatives,
                       ner_settings=ner_settings, progress=lambda m: print(m, file=sys.stderr, flush=True))
    except Exception as e:  # noqa: BLE001 - a file nobody foresaw: one line, never a traceback
        print(f"error: bench stopped: {type(e).__name__}: {' '.join(str(e).split())[:200]}", file=sys.stderr)
        return EXIT_FAILED
    print(format_report(report))
    if args.json:
        blob = json.dumps(report, indent=1, ensure_ascii=False) + "\n"
        if args.json == "-":
            sys.stdout.write(blob)
        else:
            from pipeline.core.atomic import write_text

            write_text(Path(args.json), blob)
    return EXIT_FAILED if report["failed"] else EXIT_OK


# measuring -------------------------------------------------------------------------------

class _PeakRSS:
    """Peak resident set size of this process: sampled with psutil, and the kernel's high-water mark."""

    def __init__(self, interval: float = 0.01):
        import psutil

        self._proc = psutil.Process()
        self._interval = interval
        self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)


def _unreadable(pdfs: list[Path], settings: Settings) -> list[str]:
    """One line per file that is not a PDF every contender can open (not a PDF, encrypted, damaged)."""
    from pipeline.errors import ReviewExtractError
    from pipeline.stages.parse.reader import _open, _read_checked

    bad = []
    for pdf in pdfs:
        try:
            doc = _open(_read_checked(pdf, settings), pdf.name, settings)
            try:
                if doc.page_count < 1:
                    bad.append(f"{pdf}: the PDF has no pages")
            finally:
                doc.close()
        except ReviewExtractError as e:
            bad.append(str(e))
        except Exception as e:  # noqa: BLE001 - MuPDF refusing the page tree
            bad.append(f"{pdf.name}: damaged PDF ({' '.join(str(e).split())[:200]})")
    return bad


def _maxrss_bytes() -> int:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else 0.0


def _text_words(pdf: Path) -> tuple[int, int]:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return doc.page_count, sum(len(page.get_text().split()) for page in doc)


from pipeline.core.runtime import freeze_warm_objects  # noqa: E402


def _pipeline(pdfs: list[Path], settings: Settings, runs: int, warmup: int, progress) -> dict[str, Any]:
    """Per run, every file through the stages of `run` in order, then `export` into a temporary folder.

    Each stage is timed on the wall clock and on this process's CPU clock (the latter is what
    a busy machine disturbs least)."""
    from pipeline.run import _call, _result, stage_list
    from pipeline.stages.export import export

    wall: dict[str, list[float]] = {s: [] for s in STAGES}
    cpu: dict[str, list[float]] = {s: [] for s in STAGES}
    totals: list[float] = []
    cpu_totals: list[float] = []
    tag_words = 0
    failed: list[str] = []
    warm_seconds: list[float] = []
    with tempfile.TemporaryDirectory(prefix="review-extract-bench-") as tmp:
        for i in range(warmup + runs):
            timed = i >= warmup
            w_sum = dict.fromkeys(STAGES, 0.0)
            c_sum = dict.fromkeys(STAGES, 0.0)
            t_run, c_run = time.perf_counter(), time.process_time()
            for pdf in pdfs:
                state: dict[str, Any] = {"path": pdf}
                seconds: dict[str, float] = {}
                try:
                    for stage in stage_list():
                        name = stage.name
                        t0, c0 = time.perf_counter(), time.process_time()
                        state[name] = _call(stage, state, settings)
                        seconds[name] = time.perf_counter() - t0
                        w_sum[name] += seconds[name]
                        c_sum[name] += time.process_time() - c0
                    t0, c0 = time.perf_counter(), time.process_time()
                    export(_result(pdf, state, seconds, [], settings), tmp, settings)
                    w_sum["export"] += time.perf_counter() - t0
                    c_sum["export"] += time.process_time() - c0
                except Exception as e:  # noqa: BLE001 - reported, the other files go on
                    if i == 0:
                        failed.append(f"{pdf.name}: {type(e).__name__}: {' '.join(str(e).split())[:200]}")
                    continue
                if i == 0 and "tag" in state:
                    tag_words += sum(len(s.text.split()) for s in state["tag"].sentences)
            elapsed, cpu_elapsed = time.perf_counter() - t_run, time.process_time() - c_run
            if timed:
                totals.append(elapsed)
                cpu_totals.append(cpu_elapsed)
                for s in STAGES:
                    wall[s].append(w_sum[s])
                    cpu[s].append(c_sum[s])
            else:
                warm_seconds.append(elapsed)
                if i == warmup - 1:
                    freeze_warm_objects()  # as a batch worker does once it is warm
            progress(f"  {'run' if timed else 'warm-up'} {i - warmup + 1 if timed else i + 1}: "
                     f"{elapsed:.2f} s wall, {cpu_elapsed:.2f} s CPU")
    return {
        "seconds": _median(totals),
        "cpu_seconds": _median(cpu_totals),
        "seconds_all_runs": [round(t, 4) for t in totals],
        "warmup_seconds": [round(t, 4) for t in warm_seconds],
        "stages": {s: round(_median(v), 4) for s, v in wall.items()},
        "stages_cpu": {s: round(_median(v), 4) for s, v in cpu.items()},
        "tag_words": tag_words,
        "failed": failed,
    }


def _time_alternative(fn: Callable[[Path], None], pdfs: list[Path], runs: int, warmup: int) -> tuple[float, float]:
    """Median wall and CPU seconds of one pass over all the files."""
    times, cpu = [], []
    for i in range(warmup + runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for pdf in pdfs:
            fn(pdf)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    return _median(times), _median(cpu)


def _pymupdf_text(pdf: Path) -> None:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        for page in doc:
            page.get_text()


def _pdfplumber_text(pdf: Path) -> None:
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its colour-space complaints, once per page

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            page.extract_text()
            page.flush_cache()


def _pymupdf4llm_fn() -> tuple[Callable[[Path], None] | None, str]:
    import pymupdf

    try:
        import pymupdf4llm
        to_md = getattr(pymupdf4llm, "to_markdown", None)
    except ImportError:
        to_md = None
    if to_md is None:
        v = _version("pymupdf4llm")
        if v is None:
            return None, "not installed (pip install 'review-extract[bench]')"
        return None, (f"pymupdf4llm {v} is installed but has no to_markdown: 2.x is an empty placeholder whose code "
                      f"ships inside PyMuPDF 2.x, and PyMuPDF {pymupdf.VersionBind} is installed")
    return (lambda pdf: to_md(str(pdf), show_progress=False)), ""


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def bench(pdfs: list[Path], *, runs: int = 3, warmup: int = 1, alternatives: bool = True,
          ner_settings: Settings | None = None, progress=lambda m: None) -> dict[str, Any]:
    ner_settings = ner_settings or Settings()
    no_ner_settings = ner_settings.model_copy(update={"ner": False})
    pages = words = 0
    for pdf in pdfs:
        p, w = _text_words(pdf)
        pages += p
        words += w

    rss_before = _maxrss_bytes()
    with _PeakRSS() as rss:
        progress(f"pipeline, NER on ({ner_settings.ner_model}): {len(pdfs)} files, {pages} pages")
        t0 = time.perf_counter()
        from pipeline.stages.tag.tagger import _recognizer, recognizer_for

        recognizer_for(ner_settings)
        first_load = time.perf_counter() - t0
        loads_before = _recognizer.cache_info().misses
        on = _pipeline(pdfs, ner_settings, runs, warmup, progress)
        progress("pipeline, NER off")
        off = _pipeline(pdfs, no_ner_settings, runs, warmup, progress)
    peak = max(rss.peak, _maxrss_bytes())
    # recognizers are cached per process (tag.py's lru_cache): the NER-on runs load none;
    # the NER-off runs load the lexicon-only recognizer once, in their warm-up
    loads = _recognizer.cache_info().misses - loads_before

    alt_seconds: dict[str, float | None] = {}
    alt_cpu: dict[str, float | None] = {}
    alt_notes: dict[str, str] = {}
    if alternatives:
        candidates: dict[str, tuple[Callable[[Path], None] | None, str]] = {"pymupdf_text": (_pymupdf_text, "")}
        candidates["pymupdf4llm"] = _pymupdf4llm_fn()
        try:
            import pdfplumber  # noqa: F401

            candidates["pdfplumber"] = (_pdfplumber_text, "")
        except ImportError:
            candidates["pdfplumber"] = (None, "not installed (pip install 'review-extract[bench]')")
        for name, (fn, why) in candidates.items():
            if fn is None:
                alt_seconds[name], alt_cpu[name], alt_notes[name] = None, None, why
                progress(f"{name}: unavailable: {why}")
                continue
            progress(f"{name}")
            try:
                w, c = _time_alternative(fn, pdfs, runs, warmup)
                alt_seconds[name], alt_cpu[name] = round(w, 4), round(c, 4)
            except Exception as e:  # noqa: BLE001 - a contender that fails is reported, not fatal
                alt_seconds[name], alt_cpu[name] = None, None
                alt_notes[name] = f"failed: {type(e).__name__}: {str(e)[:200]}"

    def rate(n: int, s: float | None) -> float | None:
        return round(n / s, 2) if s else None

    floor = alt_seconds.get("pymupdf_text")
    pps, pps_off = rate(pages, on["seconds"]), rate(pages, off["seconds"])
    floor_pps = rate(pages, floor)
    tag_on, tag_off = on["stages"]["tag"], off["stages"]["tag"]
    return {
        "pages_per_s": pps,
        "pages_per_s_no_ner": pps_off,
        "words_per_s": rate(words, on["seconds"]),
        "words_per_s_no_ner": rate(words, off["seconds"]),
        "ratio_to_pymupdf_text": round(pps / floor_pps, 4) if pps and floor_pps else None,
        "ratio_to_pymupdf_text_no_ner": round(pps_off / floor_pps, 4) if pps_off and floor_pps else None,
        "ratio_to_pymupdf_text_cpu": _ratio(on["cpu_seconds"], alt_cpu.get("pymupdf_text")),
        "ratio_to_pymupdf_text_cpu_no_ner": _ratio(off["cpu_seconds"], alt_cpu.get("pymupdf_text")),
        "stages": on["stages"],
        "stages_no_ner": off["stages"],
        "stages_cpu": on["stages_cpu"],
        "stages_cpu_no_ner": off["stages_cpu"],
        "cpu_seconds": round(on["cpu_seconds"], 4),
        "cpu_seconds_no_ner": round(off["cpu_seconds"], 4),
        "pages_per_cpu_s": rate(pages, on["cpu_seconds"]),
        "pages_per_cpu_s_no_ner": rate(pages, off["cpu_seconds"]),
        "tag_words_per_cpu_s": rate(on["tag_words"], on["stages_cpu"]["tag"]),
        "tag_words_per_cpu_s_no_ner": rate(off["tag_words"], off["stages_cpu"]["tag"]),
        "seconds": round(on["seconds"], 4),
        "seconds_no_ner": round(off["seconds"], 4),
        "seconds_all_runs": on["seconds_all_runs"],
        "seconds_all_runs_no_ner": off["seconds_all_runs"],
        "warmup_seconds": on["warmup_seconds"],
        "warmup_seconds_no_ner": off["warmup_seconds"],
        "ner_model_load_seconds": round(first_load, 4),
        "recognizer_loads_after_first": loads,
        "tag_words": on["tag_words"],
        "tag_words_per_s": rate(on["tag_words"], tag_on),
        "tag_words_per_s_no_ner": rate(off["tag_words"], tag_off),
        "peak_rss_mb": round(peak / 2**20, 1),
        "rss_before_pipeline_mb": round(rss_before / 2**20, 1),
        "alternatives": alt_seconds,
        "alternatives_pages_per_s": {k: rate(pages, v) for k, v in alt_seconds.items()},
        "alternatives_cpu": alt_cpu,
        "alternatives_pages_per_cpu_s": {k: rate(pages, v) for k, v in alt_cpu.items()},
        "alternatives_words_per_s": {k: rate(words, v) for k, v in alt_seconds.items()},
        "alternatives_notes": alt_notes,
        "files": [str(p) for p in pdfs],
        "pages": pages,
        "words": words,
        "runs": runs,
        "warmup": warmup,
        "ner_model": ner_settings.ner_model,
        "cpu_affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {d: _version(d) for d in ("review-extract", "pymupdf", "pymupdf4llm", "pdfplumber", "spacy")},
        "failed": on["failed"] + [f for f in off["failed"] if f not in on["failed"]],
    }


def _ratio(pipeline_s: float, floor_s: float | None) -> float | None:
    """Pipeline speed as a fraction of the floor's (same pages): floor seconds / pipeline seconds."""
    return round(floor_s / pipeline_s, 4) if floor_s and pipeline_s else None


# reporting -------------------------------------------------------------------------------

def format_report(r: dict[str, Any]) -> str:
    def fmt(x, spec=".1f"):
        return "n/a" if x is None else format(x, spec)

    lines = [f"{len(r['files'])} files, {r['pages']} pages, {r['words']} words; medians of {r['runs']} runs after "
             f"{r['warmup']} warm-up; CPUs {r['cpu_affinity']}", ""]
    lines.append(f"{'stage':<10} {'NER on s':>9} {'(CPU s)':>8} {'NER off s':>10} {'(CPU s)':>8}")
    for s in STAGES:
        lines.append(f"{s:<10} {r['stages'][s]:>9.3f} {r['stages_cpu'][s]:>8.3f} "
                     f"{r['stages_no_ner'][s]:>10.3f} {r['stages_cpu_no_ner'][s]:>8.3f}")
    lines.append(f"{'total':<10} {r['seconds']:>9.3f} {r['cpu_seconds']:>8.3f} "
                 f"{r['seconds_no_ner']:>10.3f} {r['cpu_seconds_no_ner']:>8.3f}")
    lines.append("")
    lines.append(f"pipeline, NER on : {fmt(r['pages_per_s'])} pages/s ({fmt(r['pages_per_cpu_s'])} per CPU s), "
                 f"{fmt(r['words_per_s'], '.0f')} words/s, {fmt(r['ratio_to_pymupdf_text'], '.3f')} x PyMuPDF text")
    lines.append(f"pipeline, NER off: {fmt(r['pages_per_s_no_ner'])} pages/s ({fmt(r['pages_per_cpu_s_no_ner'])} per CPU s), "
                 f"{fmt(r['words_per_s_no_ner'], '.0f')} words/s, {fmt(r['ratio_to_pymupdf_text_no_ner'], '.3f')} x PyMuPDF text")
    lines.append(f"tag stage alone  : {fmt(r['tag_words_per_s'], '.0f')} words/s NER on, "
                 f"{fmt(r['tag_words_per_s_no_ner'], '.0f')} words/s NER off ({r['tag_words']} words)")
    lines.append(f"peak RSS         : {r['peak_rss_mb']:.0f} MB (this one worker); NER model loaded once "
                 f"({r['ner_model_load_seconds']:.2f} s); recognizer loads after that: {r['recognizer_loads_after_first']} "
                 f"(the lexicon-only one, for NER off)")
    if r["alternatives"]:
        lines.append("")
        for name, s in r["alternatives"].items():
            if s is None:
                lines.append(f"{name:<13} unavailable: {r['alternatives_notes'].get(name, '')}")
            else:
                lines.append(f"{name:<13} {s:8.3f} s  {fmt(r['alternatives_pages_per_s'][name]):>7} pages/s "
                             f"({fmt(r['alternatives_pages_per_cpu_s'][name])} per CPU s)  "
                             f"{fmt(r['alternatives_words_per_s'][name], '.0f'):>8} words/s")
    if r["failed"]:
        lines.append("")
        lines.append("failed: " + "; ".join(r["failed"]))
    return "\n".join(lines)

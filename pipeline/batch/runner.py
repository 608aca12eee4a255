"""Batch processing: many PDFs -> one output folder each, an outcome log, corpus tables.

    OUTDIR/<name>/            one PDF's outputs (pipeline.stages.export.render), replaced atomically;
                              manifest.json inside marks it complete
    OUTDIR/batch.jsonl        one line per file per run: file, sha256, status, error, message,
                              pages, seconds, output
    OUTDIR/batch-summary.json the last run's summary
    OUTDIR/corpus/            trials, endpoints, percentages across the batch (Parquet + CSV)

Output folder names: the PDF's stem; when two inputs of one batch share a stem (case-
insensitively) but differ in content, each gets `<stem>-<first 8 hex of its sha256>`.
Inputs with the same stem and the same bytes are one document: processed once, the
others reported `skipped` as duplicates.

Resume: a file is skipped when OUTDIR/<name>/manifest.json exists and records the same
sha256, pipeline version and settings config hash (statuses ok, partial and no_text_layer
write a folder; a failed file writes none and is tried again on the next run). `force`
redoes everything. Leftover staging folders of a killed run (`.<name>.*.partial`,
`.<name>.old-*`) and temporary files (`.*.tmp`) are removed at the start of a run; a lock
file keeps two runs off one OUTDIR.
"""
from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.core.atomic import foreign_content, write_dir, write_text
from pipeline.errors import InputError, OutputError, ReviewExtractError
from pipeline.settings import Settings

OK_STATUSES = ("ok", "partial", "no_text_layer")


@dataclass
class FileJob:
    key: int
    path: Path
    name: str = ""  # output folder name
    sha256: str | None = None
    duplicate_of: str | None = None
    error: tuple[str, str] | None = None  # (type, message) found before extraction


@dataclass
class Outcome:
    file: str
    sha256: str | None
    status: str  # ok | failed | skipped | partial | no_text_layer
    error: str | None = None
    message: str | None = None
    pages: int = 0
    seconds: float = 0.0
    output: str | None = None
    warnings: list[str] = field(default_factory=list)

    def line(self) -> dict:
        return {"file": self.file, "sha256": self.sha256, "status": self.status, "error": self.error,
                "message": self.message, "pages": self.pages, "seconds": self.seconds, "output": self.output}


@dataclass
class BatchSummary:
    total: int
    counts: dict[str, int]
    pages: int
    seconds: float
    outcomes: list[Outcome]
    corpus: dict[str, int]

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0)

    def as_dict(self) -> dict:
        return {"version": __version__, "total": self.total, "counts": self.counts, "pages": self.pages,
                "seconds": round(self.seconds, 2), "corpus": self.corpus,
                "failed_files": [o.file for o in self.outcomes if o.status == "failed"]}


# ----------------------------------------------------------------------------- inputs

def find_inputs(inputs: Iterable[str]) -> tuple[list[Path], list[str]]:
    """PDF paths from files, folders (recursive, *.pdf any case) and globs; plus one-line problems."""
    found: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            hits = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
            if not hits:
                problems.append(f"{raw}: no PDF in this folder")
            for q in hits:
                add(q)
        elif p.is_file():
            add(p)  # named explicitly: taken whatever its suffix (a bad file fails with its own message)
        elif glob.has_magic(raw):
            hits = sorted(Path(q) for q in glob.glob(raw, recursive=True))
            pdfs = [q for q in hits if q.is_file() and fnmatch.fnmatch(q.name.lower(), "*.pdf")]
            for q in hits:
                if q.is_dir():
                    pdfs += sorted(r for r in q.rglob("*") if r.is_file() and r.suffix.lower() == ".pdf")
            if not pdfs:
                problems.append(f"{raw}: no PDF matches")
            for q in pdfs:
                add(q)
        elif p.exists():
            problems.append(f"{raw}: not a regular file (a FIFO, device or socket is never read)")
        else:
            problems.append(f"{raw}: no such file or folder")
    return found, problems


def sha256_of(path: Path) -> str:
    """sha256 of a regular file; a FIFO, device or socket is refused without blocking on it."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path}: not a regular file")
    except BaseException:
        os.close(fd)
        raise
    h = hashlib.sha256()
    with os.fdopen(fd, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def plan(paths: list[Path], outdir: str | os.PathLike | None = None) -> list[FileJob]:
    """Hash every input and give it a safe, unique, stable output folder name (pipeline.batch.naming)."""
    from pipeline.batch.naming import assign_names

    jobs = [FileJob(key=i, path=p) for i, p in enumerate(paths)]
    for j in jobs:
        try:
            j.sha256 = sha256_of(j.path)
        except (OSError, InputError) as e:
            msg = e.strerror if isinstance(e, OSError) and e.strerror else str(e).split(": ", 1)[-1]
            j.error = ("NotAPDFError", f"{j.path}: cannot read file ({msg})")
    names = assign_names([(j.path, j.sha256 if j.error is None else None) for j in jobs], outdir or ".")
    first_of: dict[tuple[str, str], FileJob] = {}
    for j, name in zip(jobs, names):
        j.name = name
        if j.error is None:
            twin = first_of.setdefault((name.casefold(), j.sha256), j)
            if twin is not j:
                j.duplicate_of = str(twin.path)
    return jobs


def complete_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_done(folder: Path, sha256: str, settings: Settings) -> bool:
    m = complete_manifest(folder)
    return bool(m) and m.get("sha256") == sha256 and m.get("version") == __version__ \
        and m.get("config_hash") == settings.config_hash() and m.get("status") in OK_STATUSES \
        and intact(folder, m)


def intact(folder: Path, manifest: dict) -> bool:
    """Every file the manifest lists has the recorded sha256 (a damaged or missing file: redo)."""
    sums = manifest.get("checksums")
    if not isinstance(sums, dict) or not sums:
        return False  # written before checksums were recorded: redo
    for name, want in sums.items():
        try:
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != want:
                return False
        except OSError:
            return False
    return True


# ----------------------------------------------------------------------------- outdir housekeeping

def prepare_outdir(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = outdir / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise OutputError(f"cannot write to output folder {outdir}: {e.strerror or e}") from None


# exactly what core.atomic names its staging folders and temporary files (a random part from mkdtemp/mkstemp)
_LEFTOVER_DIR = re.compile(r"\..+\.[A-Za-z0-9_]+\.partial|\..+\.old-\d+")
_LEFTOVER_TMP = re.compile(r"\..+\.[A-Za-z0-9_]+\.tmp")


def clean_leftovers(outdir: Path) -> list[str]:
    """Remove what a killed run leaves behind: staging folders (named as core.atomic names them and
    holding only record files) and temporary files; nothing else is ever removed."""
    removed = []
    for p in list(outdir.iterdir()) + (list((outdir / "corpus").iterdir()) if (outdir / "corpus").is_dir() else []):
        n = p.name
        if p.is_symlink():
            continue
        if p.is_dir() and _LEFTOVER_DIR.fullmatch(n) and foreign_content(p, need_manifest=False) is None:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(n)
        elif p.is_file() and _LEFTOVER_TMP.fullmatch(n):
            p.unlink(missing_ok=True)
            removed.append(n)
    return removed


class OutdirLock:
    """An advisory lock on OUTDIR/.batch.lock: one batch run per output folder at a time."""

    def __init__(self, outdir: Path):
        self.path = outdir / ".batch.lock"
        self.fd: int | None = None

    def __enter__(self):
        import fcntl

        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise OutputError(f"another batch run is writing to {self.path.parent}") from None
        except OSError as e:
            raise OutputError(f"cannot lock {self.path}: {e.strerror or e}") from None
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)


class OutcomeLog:
    """Appends one JSON line per outcome to OUTDIR/batch.jsonl, flushed and synced each time."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.f = open(path, "ab")
            if self.f.tell() > 0:
                with open(path, "rb") as r:  # a line cut short by a kill: end it
                    r.seek(-1, os.SEEK_END)
                    if r.read(1) != b"\n":
                        self.f.write(b"\n")
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None

    def write(self, outcome: Outcome) -> str | None:
        try:
            self.f.write((json.dumps(outcome.line(), ensure_ascii=False) + "\n").encode("utf-8"))
            self.f.flush()
            os.fsync(self.f.fileno())
            return None
        except OSError as e:
            return f"cannot append to {self.path}: {e.strerror or e}"

    def close(self) -> None:
        try:
            self.f.close()
        except OSError:
            pass


# ----------------------------------------------------------------------------- the run

def run_batch(paths: list[Path], outdir: str | os.PathLike, settings: Settings, *, executor=None,
              force: bool = False, on_outcome: Callable[[Outcome, int, int], None] | None = None,
              on_start: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Process `paths` into `outdir`; returns the summary. Raises OutputError only when OUTDIR itself is unusable."""
    from pipeline.batch.executors import InlineExecutor

    t_start = time.perf_counter()
    outdir = Path(outdir)
    prepare_outdir(outdir)
    executor = executor or InlineExecutor(settings)
    with OutdirLock(outdir):
        clean_leftovers(outdir)
        log = OutcomeLog(outdir / "batch.jsonl")
        try:
            outcomes = _run(paths, outdir, settings, executor, force, log, on_outcome, on_start)
        finally:
            log.close()
        from pipeline.batch.corpus import write_corpus

        try:
            corpus = write_corpus(outdir, [(o.output, o.file) for o in outcomes
                                           if o.output and o.status in (*OK_STATUSES, "skipped")])
        except ReviewExtractError as e:
            print(f"error: corpus tables: {e}", file=sys.stderr)
            corpus = {}
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    summary = BatchSummary(total=len(outcomes), counts=counts, pages=sum(o.pages for o in outcomes),
                           seconds=time.perf_counter() - t_start, outcomes=outcomes, corpus=corpus)
    try:
        write_text(outdir / "batch-summary.json", json.dumps(summary.as_dict(), indent=1, ensure_ascii=False) + "\n")
    except OutputError as e:
        print(f"error: {e}", file=sys.stderr)
    return summary


def _run(paths, outdir, settings, executor, force, log, on_outcome, on_start) -> list[Outcome]:
    jobs = plan(paths, outdir)
    total = len(jobs)
    outcomes: dict[int, Outcome] = {}
    done = 0

    def finish(key: int, o: Outcome) -> None:
        nonlocal done
        problem = log.write(o)
        if problem and o.status != "failed":
            o.status, o.error, o.message = "failed", "OutputError", problem
        outcomes[key] = o
        done += 1
        if on_outcome:
            on_outcome(o, done, total)

    todo: list[FileJob] = []
    for j in jobs:
        if j.error:
            finish(j.key, Outcome(str(j.path), None, "failed", j.error[0], j.error[1]))
        elif j.duplicate_of:
            continue  # reported once its twin is done
        elif not force and is_done(outdir / j.name, j.sha256, settings):
            m = complete_manifest(outdir / j.name) or {}
            finish(j.key, Outcome(str(j.path), j.sha256, "skipped", None,
                                  f"already done ({m.get('status')}) in {j.name}/", 0, 0.0, j.name))
        else:
            todo.append(j)
    if on_start:
        on_start(done, total)
    by_key = {j.key: j for j in jobs}
    for key, payload in executor.run([(j.key, str(j.path)) for j in todo]):
        j = by_key[key]
        finish(key, _write_outputs(j, payload, outdir))
    for j in jobs:
        if j.duplicate_of:
            first = next(o for k, o in outcomes.items() if by_key[k].name == j.name and not by_key[k].duplicate_of)
            finish(j.key, Outcome(str(j.path), j.sha256, "skipped", None, f"same file as {j.duplicate_of}",
                                  0, 0.0, first.output))
    return [outcomes[j.key] for j in jobs]


def _write_outputs(job: FileJob, payload: dict, outdir: Path) -> Outcome:
    status = payload.get("status", "failed")
    o = Outcome(file=str(job.path), sha256=payload.get("sha256") or job.sha256, status=status,
                error=payload.get("error"), message=payload.get("message"), pages=payload.get("pages") or 0,
                seconds=payload.get("seconds") or 0.0, warnings=payload.get("warnings") or [])
    files = payload.get("files")
    if status != "failed" and files:
        if o.sha256 != job.sha256:  # the file changed while we worked on it
            o.status, o.error = "failed", "InputError"
            o.message = f"{job.path.name}: the file changed during the run; run again"
            return o
        try:
            files = with_output_name(files, job.name)
            write_dir(outdir / job.name, files, last="manifest.json")
            o.output = job.name
        except OutputError as e:
            o.status, o.error, o.message = "failed", "OutputError", str(e)
    return o


def with_output_name(files: dict[str, bytes], name: str) -> dict[str, bytes]:
    """The worker rendered the manifest without knowing the folder's name: record it."""
    from schemas.result import Manifest

    try:
        m = Manifest.model_validate_json(files["manifest.json"])
    except (KeyError, ValueError) as e:
        raise OutputError(f"{name}: the worker sent no valid manifest ({type(e).__name__})") from None
    if m.output == name:
        return files
    return {**files, "manifest.json": m.model_copy(update={"output": name}).model_dump_json(indent=1).encode() + b"\n"}


__all__ = ["BatchSummary", "FileJob", "InputError", "Outcome", "find_inputs", "plan", "run_batch",
           "sha256_of", "with_output_name"]

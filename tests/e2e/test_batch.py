"""Batch processing (issue 5): local pool and Dask give the same outputs; broken files fail alone;
reruns skip; a SIGKILLed run resumes; hung and crashing workers give failed outcomes."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import badpdf
from pipeline.batch.runner import clean_leftovers, find_inputs, plan, run_batch
from pipeline.batch.work import process_file
from pipeline.batch.executors import InlineExecutor, LocalExecutor
from pipeline.settings import Settings

SETTINGS = Settings(ner=False)
GOOD = {"seed-review.pdf": badpdf.SEED, "seed-review-2col.pdf": badpdf.SEED_2COL}


def _make_inputs(root: Path) -> Path:
    """Two good PDFs, a same-stem copy (other bytes) in a subfolder, an upper-case suffix, three broken files."""
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    for name, p in GOOD.items():
        shutil.copy(p, src / name)
    (src / "sub" / "seed-review.pdf").write_bytes(badpdf.with_changed_comment(badpdf.SEED.read_bytes(), 1))
    (src / "sub" / "UPPER.PDF").write_bytes(badpdf.with_changed_comment(badpdf.SEED_2COL.read_bytes(), 2))
    (src / "error-page.pdf").write_bytes(badpdf.html_error_page())
    (src / "empty.pdf").write_bytes(b"")
    (src / "truncated.pdf").write_bytes(badpdf.truncated(keep=0.5))
    (src / "notes.txt").write_text("not an input")
    return src


def _lines(outdir: Path) -> list[dict]:
    return [json.loads(x) for x in (outdir / "batch.jsonl").read_text().splitlines() if x.strip()]


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    src = _make_inputs(root)
    paths, problems = find_inputs([str(src)])
    assert not problems
    summary = run_batch(paths, root / "out", SETTINGS, executor=LocalExecutor(SETTINGS, workers=2))
    return root, src, paths, summary


def test_inputs_and_names(tmp_path):
    src = _make_inputs(tmp_path)
    paths, problems = find_inputs([str(src)])
    names = sorted(p.name for p in paths)
    assert names == ["UPPER.PDF", "empty.pdf", "error-page.pdf", "seed-review-2col.pdf", "seed-review.pdf",
                     "seed-review.pdf", "truncated.pdf"]
    globbed, _ = find_inputs([str(src / "*.pdf")])
    assert len(globbed) == 5
    _, problems = find_inputs([str(tmp_path / "missing.pdf"), str(tmp_path / "nothing*.pdf")])
    assert len(problems) == 2
    jobs = {str(j.path.relative_to(src)): j.name for j in plan(paths, tmp_path / "out")}
    # issue 12: the first by path keeps the plain stem (stable when another joins), the other gets a path hash
    from pipeline.batch.naming import path_hash
    assert jobs["seed-review.pdf"] == "seed-review"
    assert jobs["sub/seed-review.pdf"] == f"seed-review-{path_hash(src / 'sub/seed-review.pdf')}"
    assert jobs["seed-review-2col.pdf"] == "seed-review-2col" and jobs["sub/UPPER.PDF"] == "UPPER"
    assert plan(list(reversed(paths)), tmp_path / "out")[0].name  # deterministic whatever the order
    assert {j.name for j in plan(list(reversed(paths)), tmp_path / "out")} == set(jobs.values())


def test_local_batch_outputs(local_batch):
    root, src, paths, summary = local_batch
    out = root / "out"
    by_file = {Path(o.file).relative_to(src).as_posix(): o for o in summary.outcomes}
    for good in ("seed-review.pdf", "seed-review-2col.pdf", "sub/seed-review.pdf", "sub/UPPER.PDF"):
        o = by_file[good]
        assert o.status == "ok", o
        manifest = json.loads((out / o.output / "manifest.json").read_text())
        assert manifest["sha256"] == o.sha256 and manifest["status"] == "ok"
        assert o.pages == manifest["pages"] > 0
    expected = {"error-page.pdf": "NotAPDFError", "empty.pdf": "EmptyFileError", "truncated.pdf": "DamagedPDFError"}
    for bad, err in expected.items():
        o = by_file[bad]
        assert (o.status, o.error) == ("failed", err)
        assert o.output is None and "\n" not in o.message
    assert summary.failed == 3
    lines = _lines(out)
    assert len(lines) == 7
    assert set(lines[0]) == {"file", "sha256", "status", "error", "message", "pages", "seconds", "output"}
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]
    summary_file = json.loads((out / "batch-summary.json").read_text())
    assert summary_file["counts"] == {"ok": 4, "failed": 3}


def test_corpus_tables(local_batch):
    root, *_ = local_batch
    corpus = root / "out" / "corpus"
    trials = pd.read_parquet(corpus / "trials.parquet")
    assert trials["id"].is_unique and len(trials) > 0
    assert list(trials["id"]) == sorted(trials["id"])
    nct = trials[trials["id"] == "NCT02578680"].iloc[0] if (trials["id"] == "NCT02578680").any() else trials.iloc[0]
    assert nct["n_sources"] == len(nct["sources"]) >= 2  # the seed review and its copies
    csv = pd.read_csv(corpus / "trials.csv")
    assert list(csv["id"]) == list(trials["id"])
    assert json.loads(csv["sources"].iloc[0]) == list(trials["sources"].iloc[0])
    for kind in ("endpoints", "percentages"):
        df = pd.read_parquet(corpus / f"{kind}.parquet")
        assert len(df) > 0 and {"source_file", "source_folder"} <= set(df.columns)
        assert len(pd.read_csv(corpus / f"{kind}.csv")) == len(df)
        assert df["source_folder"].nunique() == 4


def test_dask_matches_local(local_batch, tmp_path):
    pytest.importorskip("distributed")
    from pipeline.batch.executors import DaskExecutor

    root, src, paths, local = local_batch
    ex = DaskExecutor(SETTINGS, workers=2)
    summary = run_batch(paths, tmp_path / "dask", SETTINGS, executor=ex)
    assert summary.counts == local.counts == {"ok": 4, "failed": 3}
    assert [(o.file, o.status, o.error, o.output) for o in summary.outcomes] == \
        [(o.file, o.status, o.error, o.output) for o in local.outcomes]
    assert ex.client is None  # the LocalCluster is closed
    a, b = root / "out", tmp_path / "dask"
    for o in summary.outcomes:
        if o.status != "ok":
            continue
        files = sorted(p.name for p in (b / o.output).iterdir())
        assert files == sorted(p.name for p in (a / o.output).iterdir())
        for name in files:
            if name != "manifest.json":
                assert (a / o.output / name).read_bytes() == (b / o.output / name).read_bytes(), name
    for name in ("trials", "endpoints", "percentages"):
        assert (a / "corpus" / f"{name}.parquet").read_bytes() == (b / "corpus" / f"{name}.parquet").read_bytes()
        assert (a / "corpus" / f"{name}.csv").read_bytes() == (b / "corpus" / f"{name}.csv").read_bytes()


def test_rerun_skips_and_force(local_batch):
    root, src, paths, _ = local_batch
    out = root / "out"
    (out / ".seed-review-2col.abc123.partial").mkdir()  # what a killed run leaves behind
    (out / ".batch.jsonl.x.tmp").write_bytes(b"half")
    before = {p.name: (p / "manifest.json").stat().st_mtime_ns for p in out.iterdir() if (p / "manifest.json").exists()}
    summary = run_batch(paths, out, SETTINGS, executor=InlineExecutor(SETTINGS))
    assert summary.counts == {"skipped": 4, "failed": 3}
    after = {p.name: (p / "manifest.json").stat().st_mtime_ns for p in out.iterdir() if (p / "manifest.json").exists()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.endswith((".partial", ".tmp"))]
    other = Settings(ner=False, max_drawings_per_page=4000)  # other settings: a new config hash, redone
    one = [p for p in paths if p.name == "seed-review-2col.pdf"]
    assert run_batch(one, out, other).counts == {"ok": 1}
    assert run_batch(one, out, other).counts == {"skipped": 1}
    assert run_batch(one, out, other, force=True).counts == {"ok": 1}


def hang_or_crash(path: str, settings: Settings) -> dict:
    """Worker function for the fault test: 'hang' ignores the in-process alarm and sleeps (like a
    stuck C call), 'crash' dies by SIGKILL (like an OOM kill); anything else is processed."""
    name = os.path.basename(path)
    if "hang" in name:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(600)
    if "crash" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    return process_file(path, settings)


def test_hung_and_crashed_workers(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a-hang.pdf", "b-crash.pdf", "c.pdf", "d.pdf"):
        (src / name).write_bytes(badpdf.text_pdf(pages=1) + name.encode())
    paths, _ = find_inputs([str(src)])
    ex = LocalExecutor(SETTINGS, workers=2, func=hang_or_crash, hard_timeout=4)
    t0 = time.monotonic()
    summary = run_batch(paths, tmp_path / "out", SETTINGS, executor=ex)
    assert time.monotonic() - t0 < 60
    by = {Path(o.file).name: o for o in summary.outcomes}
    assert (by["a-hang.pdf"].status, by["a-hang.pdf"].error) == ("failed", "StageTimeoutError")
    assert (by["b-crash.pdf"].status, by["b-crash.pdf"].error) == ("failed", "WorkerCrashedError")
    assert "SIGKILL" in by["b-crash.pdf"].message
    assert by["c.pdf"].status == by["d.pdf"].status == "ok"
    assert ex.pool == []


def test_killed_run_resumes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        (src / f"copy{i}.pdf").write_bytes(badpdf.with_changed_comment(badpdf.SEED.read_bytes(), i))
    (src / "broken.pdf").write_bytes(badpdf.png_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline.cli", "batch", str(src), "-o", str(out), "--no-ner", "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=badpdf.ROOT)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if [p for p in out.glob("*/manifest.json") if not p.parent.name.startswith(".")]:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    done_before = {p.parent.name for p in out.glob("*/manifest.json") if not p.parent.name.startswith(".")}
    assert 1 <= len(done_before) < 5
    for folder in out.iterdir():  # no folder without its manifest under a final name
        if folder.is_dir() and not folder.name.startswith(".") and folder.name != "corpus":
            assert (folder / "manifest.json").exists()
    paths, _ = find_inputs([str(src)])
    summary = run_batch(paths, out, SETTINGS, executor=LocalExecutor(SETTINGS, workers=2))
    by = {Path(o.file).name: o for o in summary.outcomes}
    assert {by[f"{n}.pdf"].status for n in done_before} == {"skipped"}
    assert summary.counts.get("ok", 0) == 5 - len(done_before)
    assert by["broken.pdf"].status == "failed"
    assert sorted(p.parent.name for p in out.glob("*/manifest.json")) == [f"copy{i}" for i in range(5)]  # no hidden leftovers
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name.endswith(".partial")]
    assert all(json.loads(x) for x in (out / "batch.jsonl").read_text().splitlines() if x.strip())


def test_cli_batch(tmp_path, capsys):
    from pipeline.cli.main import main

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(badpdf.SEED_2COL, src / "good.pdf")
    (src / "bad.pdf").write_bytes(badpdf.html_error_page())
    rc = main(["batch", str(src), "-o", str(tmp_path / "out"), "--no-ner", "--workers", "0"])
    err = capsys.readouterr()
    assert rc == 1
    bad_lines = [x for x in err.err.splitlines() if "bad.pdf" in x]
    assert len(bad_lines) == 1 and "not a PDF" in bad_lines[0]
    assert "Traceback" not in err.err + err.out
    assert "batch: 2 files: 1 ok, 1 failed" in err.out
    (src / "bad.pdf").unlink()
    assert main(["batch", str(src), "-o", str(tmp_path / "out"), "--no-ner", "--workers", "0", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["batch", str(tmp_path / "nothing"), "-o", str(tmp_path / "out")]) == 2


def test_clean_leftovers(tmp_path):
    (tmp_path / ".a.x1.partial").mkdir()
    (tmp_path / ".a.old-123").mkdir()
    (tmp_path / ".f.json.y.tmp").write_text("x")
    (tmp_path / "keep").mkdir()
    assert sorted(clean_leftovers(tmp_path)) == [".a.old-123", ".a.x1.partial", ".f.json.y.tmp"]
    assert [p.name for p in tmp_path.iterdir()] == ["keep"]

"""Hostile input and hostile names (issue 12): every case builds its own input, asserts the exit code and
the one-line error, that nothing outside the output folder changed and nothing inside it was lost, and
(for the bombs) a peak-RSS bound measured from the worker by wait4."""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

import badpdf
from workload import allocate_mb
from pipeline.batch.naming import path_hash, safe_stem
from pipeline.batch.runner import run_batch
from pipeline.batch.sandbox import Usage, call_limited
from pipeline.batch.work import process_limited
from pipeline.cli.main import main
from pipeline.errors import LimitExceededError
from pipeline.settings import Settings

S = Settings(ner=False, time_limit_s=60, max_memory_mb=2048)
NO_NER = ["--no-ner"]


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry under root (skipping `skip`), with the sha256 of each file."""
    out = {}
    for p in sorted(root.rglob("*")):
        if skip is not None and (p == skip or skip in p.parents):
            continue
        out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def one_line_errors(err: str) -> list[str]:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert not any("Traceback" in ln for ln in lines), err
    return lines


# -------------------------------------------------------------------------- 1. hostile names

@pytest.mark.parametrize("name", ["..pdf", "...pdf", ".hidden.pdf", "corpus.pdf", "batch.jsonl.pdf",
                                  "x.partial.pdf", ("é" * 120) + ".pdf"])
def test_hostile_names_never_delete(tmp_path, capsys, name):
    t = tmp_path / "t"
    t.mkdir()
    (t / name).write_bytes(badpdf.text_pdf())
    (t / "keep.txt").write_text("mine")
    before = snapshot(t)
    assert main(["run", str(t / name), "-o", str(t), *NO_NER]) == 0
    after = snapshot(t)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing there before changed
    new = {k.split("/")[0] for k in after if k not in before}
    assert len(new) == 1  # one new output folder, nothing else
    folder = t / new.pop()
    assert folder.name.startswith(safe_stem(name)[:20]) and not folder.name.startswith(".")
    assert len(folder.name.encode()) <= 200
    assert json.loads((folder / "manifest.json").read_text())["output"] == folder.name


def test_batch_reserved_names(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    for n in ("..pdf", "corpus.pdf", "batch.jsonl.pdf"):
        (src / n).write_bytes(badpdf.text_pdf())
    before = snapshot(src)
    summary = run_batch(sorted(src.iterdir()), tmp_path / "out", S)
    assert [o.status for o in summary.outcomes] == ["ok", "ok", "ok"]
    names = {o.output for o in summary.outcomes}
    assert "corpus" not in names and all(not n.startswith(".") for n in names) and len(names) == 3
    assert (tmp_path / "out" / "corpus" / "trials.parquet").is_file() and snapshot(src) == before


def test_user_folder_is_never_replaced(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "x").mkdir(parents=True)
    (out / "x" / "notes.txt").write_text("mine")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(badpdf.text_pdf())
    assert main(["run", str(pdf), "-o", str(out), *NO_NER]) == 0  # named apart, not over the user's folder
    assert (out / "x" / "notes.txt").read_text() == "mine"
    assert (out / f"x-{path_hash(pdf)}" / "manifest.json").is_file()
    # an output folder holding a file we did not write (the input itself) is never replaced
    folder = out / f"x-{path_hash(pdf)}"
    inner = folder / "x.pdf"
    inner.write_bytes(badpdf.text_pdf())
    rc = main(["run", str(inner), "-o", str(out), *NO_NER])
    err = one_line_errors(capsys.readouterr().err)
    assert inner.is_file() and (rc == 0 or "not an output folder" in err[-1])


# -------------------------------------------------------------------------- 2. bombs and the memory bound

@pytest.mark.parametrize("build", [lambda: badpdf.drawing_bomb(128), lambda: badpdf.text_bomb(128)])  # past the 64 MiB cap; attack.py builds the 512 MiB one
def test_bombs_fail_fast_and_bounded(tmp_path, build):
    p = tmp_path / "bomb.pdf"
    p.write_bytes(build())
    assert p.stat().st_size < 1_100_000
    t0 = time.monotonic()
    payload = process_limited(str(p), S)
    assert time.monotonic() - t0 < 60
    assert (payload["status"], payload["error"]) == ("failed", "LimitExceededError")
    assert "content bomb" in payload["message"] and "\n" not in payload["message"]
    assert 0 < payload["peak_rss_mb"] < S.max_memory_mb


def test_worker_memory_bound():
    usage = Usage()
    with pytest.raises(LimitExceededError, match=r"over the memory limit of 1024 MiB \(max_memory_mb\)"):
        call_limited(allocate_mb, 4096, max_memory_mb=1024, hard_timeout=60, label="big.pdf", usage=usage)
    assert 0 < usage.peak_rss_mb < 1024
    assert call_limited(allocate_mb, 16, max_memory_mb=1024, hard_timeout=60, label="small.pdf") == 16


def test_many_paths_are_counted_not_built(tmp_path):
    p = tmp_path / "paths.pdf"
    p.write_bytes(badpdf.drawing_bomb(8))  # ~600k paths under a caption, below the content cap
    payload = process_limited(str(p), S)
    assert payload["status"] in ("ok", "no_text_layer")
    assert any("max_drawings_per_page" in w for w in payload["warnings"])
    assert payload["peak_rss_mb"] < 1024 and payload["seconds"] < 60


# -------------------------------------------------------------------------- 3. a time limit is never swallowed

def test_time_limit_in_a_page_ends_the_file(tmp_path, monkeypatch):
    import pymupdf

    real = pymupdf.Page.get_text

    def slow(self, *a, **k):
        time.sleep(0.6)
        return real(self, *a, **k)

    monkeypatch.setattr(pymupdf.Page, "get_text", slow)
    p = tmp_path / "slow.pdf"
    p.write_bytes(badpdf.text_pdf(pages=8))
    from pipeline.run import extract

    t0 = time.monotonic()
    m = extract(p, Settings(ner=False, time_limit_s=1)).manifest
    assert time.monotonic() - t0 < 4
    assert m.status == "failed" and m.errors[0].error == "StageTimeoutError"


def test_swallowed_limit_is_not_ok(tmp_path, monkeypatch):
    from pipeline.stages import layout

    real = layout.layout

    def swallowing(*a, **k):
        for _ in range(20):
            try:
                time.sleep(0.2)
            except Exception:  # noqa: BLE001 - what a careless handler does
                pass
        return real(*a, **k)

    monkeypatch.setattr(layout, "layout", swallowing)
    p = tmp_path / "t.pdf"
    p.write_bytes(badpdf.text_pdf())
    from pipeline.run import extract

    m = extract(p, Settings(ner=False, time_limit_s=1)).manifest
    assert m.status != "ok" and m.errors[0].error == "StageTimeoutError"


# -------------------------------------------------------------------------- 4. special files

@pytest.mark.parametrize("kind", ["fifo", "devzero", "folder"])
@pytest.mark.parametrize("command", ["run", "inspect"])
def test_special_files(tmp_path, capsys, kind, command):
    p = tmp_path / "special.pdf"
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "devzero":
        p.symlink_to("/dev/zero")
    else:
        p.mkdir()
    args = ["run", str(p), "-o", str(tmp_path / "out")] if command == "run" else ["inspect", str(p), "--stage", "parse"]
    t0 = time.monotonic()
    assert main([*args, *NO_NER]) == 1
    assert time.monotonic() - t0 < 30
    err = one_line_errors(capsys.readouterr().err)
    assert len(err) == 1 and ("not a regular file" in err[0] or "is a folder" in err[0])


# -------------------------------------------------------------------------- 5. same stem, stable names

def test_same_stem_names_are_unique_and_stable(tmp_path, capsys):
    for d, data in (("a", badpdf.text_pdf()), ("b", badpdf.text_pdf(pages=2)), ("c", badpdf.text_pdf(pages=3))):
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.pdf").write_bytes(data)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "b" / "x.pdf"), "-o", str(out), *NO_NER]) == 0
    assert main(["run", str(tmp_path / "a" / "x.pdf"), str(tmp_path / "b" / "x.pdf"), "-o", str(out), *NO_NER]) == 0
    pages = {d.name: json.loads((d / "manifest.json").read_text())["pages"] for d in out.iterdir()}
    assert pages == {"x": 2, f"x-{path_hash(tmp_path / 'a' / 'x.pdf')}": 1}  # b kept its folder
    summary = run_batch([tmp_path / d / "x.pdf" for d in "abc"], out, S)
    assert sorted(o.output for o in summary.outcomes) == sorted([*pages, f"x-{path_hash(tmp_path / 'c' / 'x.pdf')}"])


# -------------------------------------------------------------------------- 6. missing, incomplete, damaged runs

def test_eval_on_missing_or_incomplete_run(tmp_path, capsys):
    gold = badpdf.ROOT / "fixtures" / "gold" / "seed-review.gold.json"
    (tmp_path / "empty").mkdir()
    assert main(["eval", str(tmp_path / "empty"), str(gold)]) == 2
    assert "manifest.json is missing" in one_line_errors(capsys.readouterr().err)[-1]
    assert main(["run", str(badpdf.SEED), "-o", str(tmp_path / "out"), *NO_NER]) == 0
    (tmp_path / "out" / "seed-review" / "trials.jsonl").unlink()
    assert main(["eval", str(tmp_path / "out" / "seed-review"), str(gold)]) == 2
    assert "missing trials.jsonl" in one_line_errors(capsys.readouterr().err)[-1]


def test_damaged_parquet_is_redone(tmp_path):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(badpdf.SEED.read_bytes())
    out = tmp_path / "out"
    first = run_batch([pdf], out, S)
    assert first.outcomes[0].status == "ok"
    target = out / "doc" / "trials.parquet"
    target.write_bytes(target.read_bytes()[:100])
    again = run_batch([pdf], out, S)
    assert again.outcomes[0].status == "ok"  # not "skipped": the checksum showed the damage
    assert again.corpus["trials"] == first.corpus["trials"] > 0


# -------------------------------------------------------------------------- 7. one outcome on every executor

def test_dask_time_limit_matches_local(tmp_path):
    pytest.importorskip("distributed")
    from pipeline.batch.executors import DaskExecutor, LocalExecutor

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.pdf").write_bytes(badpdf.SEED.read_bytes())
    (src / "b.pdf").write_bytes(badpdf.text_pdf(pages=3))
    paths = sorted(src.iterdir())
    s = Settings(ner=False, time_limit_s=0.05)
    got = []
    for name, ex in (("local", LocalExecutor(s, workers=1)), ("dask", DaskExecutor(s, workers=1))):
        summary = run_batch(paths, tmp_path / name, s, executor=ex)
        got.append([(Path(o.file).name, o.status, o.error) for o in summary.outcomes])
    assert got[0] == got[1] == [("a.pdf", "failed", "StageTimeoutError"), ("b.pdf", "failed", "StageTimeoutError")]


# -------------------------------------------------------------------------- 8. no tracebacks

@pytest.mark.parametrize("args,rc,words", [
    (["run", "{pdf}", "-o", "{out}", "--max-pages", "0"], 2, "--max-pages"),
    (["run", "{pdf}", "-o", "{out}", "--time-limit", "-5"], 2, "--time-limit"),
    (["inspect", "{pdf}", "--stage", "parse", "--max-memory-mb", "1"], 2, "--max-memory-mb"),
    (["inspect", "{count}", "--stage", "parse"], 1, "bad page tree"),
    (["inspect", "{neg}", "--stage", "parse"], 1, "bad page tree"),
    (["bench", "{notpdf}", "--no-alternatives", "--runs", "1", "--warmup", "0"], 1, "not a PDF"),
    (["bench", "{count}", "--no-alternatives", "--runs", "1", "--warmup", "0"], 1, "damaged PDF"),
    (["eval", "{out}", "{deep}"], 2, "nested too deeply"),
])
def test_no_tracebacks(tmp_path, capsys, args, rc, words):
    files = {"pdf": badpdf.text_pdf(), "count": badpdf.page_count(b"2147483647"), "neg": badpdf.page_count(b"-3"),
             "notpdf": badpdf.html_error_page(), "deep": b"[" * 100_000 + b"]" * 100_000}
    paths = {}
    for k, data in files.items():
        paths[k] = tmp_path / (f"{k}.gold.json" if k == "deep" else f"{k}.pdf")
        paths[k].write_bytes(data)
    paths["out"] = tmp_path / "out"
    paths["out"].mkdir()
    assert main([a.format(**{k: str(v) for k, v in paths.items()}) for a in args]) == rc
    err = one_line_errors(capsys.readouterr().err)
    assert words in err[-1] and "Traceback" not in err[-1]

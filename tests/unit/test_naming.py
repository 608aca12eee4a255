"""Output folder names (issue 12): safe for any file name, unique in a run, stable across runs; and
what core.atomic and the batch housekeeping may replace or remove (only what review-extract wrote)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.batch.naming import NAME_BYTES, assign_names, is_reserved, path_hash, safe_stem
from pipeline.batch.runner import clean_leftovers
from pipeline.core.atomic import check_replaceable, foreign_content, write_dir
from pipeline.errors import OutputError


@pytest.mark.parametrize("name,stem", [
    ("..pdf", "_"), ("...pdf", "__"), (".pdf", "_"), (".hidden.pdf", "_hidden"), ("a\nb.pdf", "a_b"),
    ("x.PDF", "x"), ("report.final.pdf", "report.final"), ("  .pdf", "_"),
])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_long_names_are_cut_with_a_hash():
    long = ("é" * 200) + ".pdf"
    s = safe_stem(long)
    assert len(s.encode()) <= NAME_BYTES and s != safe_stem(("é" * 199) + "a.pdf")
    assert s == safe_stem(long)  # stable


@pytest.mark.parametrize("name", ["corpus", "batch.jsonl", "batch-summary.json", "x.partial", "y.tmp", "Corpus"])
def test_reserved(name):
    assert is_reserved(name)


def test_same_stem_unique_and_stable(tmp_path):
    a, b, c = (tmp_path / d / "x.pdf" for d in "abc")
    names = assign_names([(a, "1"), (b, "2")], tmp_path / "out")
    assert names == ["x", f"x-{path_hash(b)}"]
    assert assign_names([(b, "2"), (a, "1")], tmp_path / "out") == [f"x-{path_hash(b)}", "x"]  # order-free
    # b already owns out/x (its manifest records b's bytes): a joining file never renames it
    (tmp_path / "out" / "x").mkdir(parents=True)
    (tmp_path / "out" / "x" / "manifest.json").write_text(json.dumps({"sha256": "2"}))
    assert assign_names([(a, "1"), (b, "2"), (c, "3")], tmp_path / "out") == \
        [f"x-{path_hash(a)}", "x", f"x-{path_hash(c)}"]
    # the same bytes under one stem are one document, one folder
    assert assign_names([(a, "9"), (b, "9")], tmp_path / "new") == ["x", "x"]


def test_reserved_stems_are_hashed(tmp_path):
    p = tmp_path / "corpus.pdf"
    assert assign_names([(p, "1")], tmp_path / "out") == [f"corpus-{path_hash(p)}"]


def _output(folder: Path) -> Path:
    return write_dir(folder, {"trials.jsonl": b"", "manifest.json": b"{}"}, last="manifest.json")


def test_only_output_folders_are_replaced(tmp_path):
    out = _output(tmp_path / "doc")
    check_replaceable(out)  # ours: fine
    for bad in (tmp_path / "..", tmp_path / ".x"):
        with pytest.raises(OutputError, match="not a safe folder name"):
            check_replaceable(bad)
    with pytest.raises(OutputError, match="no manifest.json"):  # pathlib reads OUTDIR/. as OUTDIR
        check_replaceable(tmp_path / ".")
    (out / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(OutputError, match="'x.pdf', which review-extract did not write"):
        check_replaceable(out)
    user = tmp_path / "user"
    user.mkdir()
    (user / "notes.json").write_text("{}")
    assert foreign_content(user) == "it has no manifest.json"
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "doc")
    assert foreign_content(link) == "it is not a folder"


def test_leftovers_removed_only_when_ours(tmp_path):
    ours = tmp_path / ".doc.ab12_x.partial"
    ours.mkdir()
    (ours / "trials.jsonl").write_text("")
    theirs = tmp_path / ".mine.zz99.partial"
    theirs.mkdir()
    (theirs / "thesis.docx").write_text("years of work")
    near = tmp_path / "doc.partial"  # not a staging name
    near.mkdir()
    tmp = tmp_path / ".trials.jsonl.k3j4h.tmp"
    tmp.write_text("")
    assert sorted(clean_leftovers(tmp_path)) == sorted([ours.name, tmp.name])
    assert (theirs / "thesis.docx").is_file() and near.is_dir()

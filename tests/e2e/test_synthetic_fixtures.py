"""The synthetic fixtures are reproducible, and their gold files fit the PDFs and the gold contract.

`scripts/make_synthetic_fixtures.py` writes `fixtures/pdfs/synthetic-*.pdf` and
`fixtures/gold/synthetic-*.gold.json` from one set of data; this test regenerates them into a
temporary directory and checks the committed files are byte for byte what the script writes.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_synthetic_fixtures.py"
PDFS = ROOT / "fixtures" / "pdfs"
GOLD = ROOT / "fixtures" / "gold"


def _load_script():
    spec = importlib.util.spec_from_file_location("make_synthetic_fixtures", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod          # dataclasses look their module up while the body runs
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def script():
    return _load_script()


@pytest.fixture(scope="module")
def regenerated(script, tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    script.generate(out / "pdfs", out / "gold")
    return out


def _stems(script) -> list[str]:
    return [d.stem for d in script.DOCS]


def test_committed_files_match_the_script(script, regenerated):
    stems = _stems(script)
    assert len(stems) >= 3
    committed_pdfs = sorted(p.name for p in PDFS.glob("synthetic-*.pdf"))
    committed_gold = sorted(p.name for p in GOLD.glob("synthetic-*.gold.json"))
    assert committed_pdfs == sorted(f"{s}.pdf" for s in stems)
    assert committed_gold == sorted(f"{s}.gold.json" for s in stems)
    for s in stems:
        assert (regenerated / "pdfs" / f"{s}.pdf").read_bytes() == (PDFS / f"{s}.pdf").read_bytes(), \
            f"{s}.pdf differs from what the script writes; rerun scripts/make_synthetic_fixtures.py"
        assert (regenerated / "gold" / f"{s}.gold.json").read_bytes() == \
            (GOLD / f"{s}.gold.json").read_bytes(), f"{s}.gold.json differs from what the script writes"


def test_generation_is_deterministic(script, regenerated, tmp_path):
    script.generate(tmp_path / "pdfs", tmp_path / "gold")
    for s in _stems(script):
        assert (tmp_path / "pdfs" / f"{s}.pdf").read_bytes() == (regenerated / "pdfs" / f"{s}.pdf").read_bytes()


def test_golds_validate_with_the_gold_model(script):
    gold_mod = pytest.importorskip("schemas.gold")
    for s in _stems(script):
        data = json.loads((GOLD / f"{s}.gold.json").read_text(encoding="utf-8"))
        gold_mod.GoldFile.model_validate(data)
        assert data["format"] == "review-gold/1"
        assert data["document"]["file"] == f"{s}.pdf"


def test_trial_ids_are_canonical(script):
    reg = pytest.importorskip("schemas.registries")
    for s in _stems(script):
        data = json.loads((GOLD / f"{s}.gold.json").read_text(encoding="utf-8"))
        ids = [t["id"] for t in data["trials"]]
        assert len(ids) == len(set(ids))
        for t in data["trials"]:
            assert reg.is_canonical(t["id"]), t["id"]
            assert reg.registry_of(t["id"]) == t["registry"], t


def _pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return "\n".join(p.get_text() for p in doc)


def test_pdfs_print_what_the_gold_says(script):
    """PyMuPDF reads back every trial id, table label, heading and entity the gold lists."""
    for s in _stems(script):
        data = json.loads((GOLD / f"{s}.gold.json").read_text(encoding="utf-8"))
        text = _pdf_text(PDFS / f"{s}.pdf")
        # a line-end break hyphen inside an identifier is joined back for the check
        joined = re.sub(r"(?<=[0-9A-Za-z])-\n(?=[0-9])", "", text)
        flat = re.sub(r"\s+", " ", joined)
        for t in data["trials"]:
            assert t["id"] in flat, (s, t["id"])
        for tab in data["tables"]:
            assert tab["label"] in flat, (s, tab["label"])
            for row in tab["rows"]:
                for cell in row:
                    for word in cell.split():
                        assert word in flat, (s, tab["label"], word)
        for sec in data["sections"]:
            if sec["title"] != "Abstract":
                assert sec["title"] in flat, (s, sec["title"])
        for e in data["entities"]:
            assert e["text"] in flat, (s, e["text"])


def test_fixture_features(script):
    """The features the fixtures exist for are really in the PDFs."""
    texts = {s: _pdf_text(PDFS / f"{s}.pdf") for s in _stems(script)}
    alltext = "\n".join(texts.values())
    # an identifier split over a line end by a break hyphen
    assert re.search(r"ACTRN\d+-\n\d+", alltext)
    # a continued table, Lancet middle dots, a percent sign after a space
    assert "Table 2 (continued)" in alltext
    assert "12·5%" in alltext and "95 %" in alltext
    # every page has a running header and a "Page N of M" footer; one page is rotated
    rotated = 0
    for s in _stems(script):
        with pymupdf.open(PDFS / f"{s}.pdf") as doc:
            assert 2 <= doc.page_count <= 4
            assert not doc.metadata.get("creationDate") and not doc.metadata.get("modDate")
            for i, page in enumerate(doc, 1):
                assert f"Page {i} of {doc.page_count}" in page.get_text()
                rotated += page.rotation == 90
    assert rotated == 1
    # superscript citation markers are set small and raised
    sizes = {round(sp["size"], 1) for s in _stems(script)
             for page in pymupdf.open(PDFS / f"{s}.pdf")
             for b in page.get_text("dict")["blocks"] for ln in b.get("lines", []) for sp in ln["spans"]}
    assert 6.5 in sizes

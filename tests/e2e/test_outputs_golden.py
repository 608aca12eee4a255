"""The committed outputs/ are what the pipeline produces now: any behaviour change is a reviewable diff.

Regenerate deliberately with `review-extract run fixtures/pdfs/*.pdf -o outputs/`.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ROOT / "outputs"


def _compare(stem: str, fresh: Path) -> list[str]:
    committed = OUTPUTS / stem
    diffs = []
    names = sorted(p.name for p in fresh.iterdir())
    if names != sorted(p.name for p in committed.iterdir()):
        diffs.append(f"{stem}: file lists differ")
    for name in names:
        new, old = fresh / name, committed / name
        if not old.exists():
            continue
        if name == "manifest.json":
            a, b = json.loads(new.read_text()), json.loads(old.read_text())
            a.pop("seconds", None), b.pop("seconds", None)
            if a != b:
                diffs.append(f"{stem}/{name}")
        elif name.endswith(".parquet"):
            if not pd.read_parquet(io.BytesIO(new.read_bytes())).equals(pd.read_parquet(io.BytesIO(old.read_bytes()))):
                diffs.append(f"{stem}/{name}")
        elif new.read_bytes() != old.read_bytes():
            diffs.append(f"{stem}/{name}")
    return diffs


def test_outputs_are_current(fixture_runs):
    if not OUTPUTS.exists() or not any(OUTPUTS.iterdir()):
        pytest.fail("outputs/ is empty: run `review-extract run fixtures/pdfs/*.pdf -o outputs/` and commit it")
    diffs = []
    for stem, (_, folder) in fixture_runs.items():
        if not (OUTPUTS / stem).exists():
            diffs.append(f"{stem}: no committed output folder")
            continue
        diffs += _compare(stem, folder)
    assert not diffs, "outputs/ differ from a fresh run (regenerate and review the diff):\n" + "\n".join(diffs)


def test_records_carry_no_absolute_paths_or_timestamps():
    for f in OUTPUTS.glob("*/*.jsonl"):
        text = f.read_text()
        assert str(ROOT) not in text and "/tmp/" not in text, f
    for f in OUTPUTS.glob("*/manifest.json"):
        m = json.loads(f.read_text())
        assert "/" not in m["file"]

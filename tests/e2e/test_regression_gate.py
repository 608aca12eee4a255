"""Regression gate: the committed outputs/ scored against fixtures/gold must not drop below
fixtures/thresholds.json.

thresholds.json: {"<stem>": {"<kind>": min_f1_or_recall, ...}, ...}. A kind is one of sections,
tables, trials, endpoints, percentages, abbreviations, entities, or tables.cells /
entities.relaxed; the figure checked is F1, or recall where F1 is undefined (entities with a
must-find list). An entry may also say {"gold": "<other stem>"} to score outputs/<stem>/ against
another PDF's gold file (seed-review-2col is the seed review typeset in two columns).

Skips cleanly while the gold files or the output folders do not exist yet.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate_run, gold_stem, headline, parse_bar

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "fixtures" / "gold"
OUTPUTS = ROOT / "outputs"
THRESHOLDS = ROOT / "fixtures" / "thresholds.json"
SHOW = 12  # misses / false positives named per failing kind


def _thresholds() -> dict:
    if not THRESHOLDS.is_file():
        return {}
    data = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError(f"{THRESHOLDS}: expected {{\"<stem>\": {{\"<kind>\": min_f1, ...}}}}")
    return data


def _cases() -> list[tuple[str, Path]]:
    cases = {gold_stem(p): p for p in sorted(GOLD_DIR.glob("*.gold.json"))} if GOLD_DIR.is_dir() else {}
    try:
        for stem, entry in _thresholds().items():
            if stem not in cases and isinstance(entry.get("gold"), str):
                cases[stem] = GOLD_DIR / f"{entry['gold']}.gold.json"
    except (ValueError, OSError):
        pass  # reported by test_thresholds_file_is_valid
    return sorted(cases.items())


CASES = _cases()


def test_thresholds_file_is_valid():
    if not THRESHOLDS.is_file():
        pytest.skip(f"{THRESHOLDS.relative_to(ROOT)} does not exist yet")
    for stem, entry in _thresholds().items():
        for kind, bar in entry.items():
            if kind == "gold":
                assert isinstance(bar, str), f"{stem}.gold must name a gold file stem"
                assert (GOLD_DIR / f"{bar}.gold.json").is_file(), f"{stem}: no gold file {bar}.gold.json"
                continue
            assert isinstance(bar, (int, float)) and not isinstance(bar, bool), f"{stem}.{kind}: bar must be a number"
            parse_bar(f"{kind}={bar}")  # raises on an unknown kind or a bar outside [0, 1]


def _names(items, n: int = SHOW) -> str:
    keys = [i.key for i in items]
    more = f" … (+{len(keys) - n})" if len(keys) > n else ""
    return "; ".join(keys[:n]) + more


@pytest.mark.parametrize("stem, gold", CASES or [pytest.param(None, None, id="no-gold")])
def test_no_drop_below_thresholds(stem, gold):
    if stem is None:
        pytest.skip(f"no gold files in {GOLD_DIR.relative_to(ROOT)} yet")
    run_dir = OUTPUTS / stem
    if not run_dir.is_dir():
        pytest.skip(f"outputs/{stem}/ does not exist yet")
    if not gold.is_file():
        pytest.skip(f"{gold.relative_to(ROOT)} does not exist yet")
    scores = evaluate_run(run_dir, gold)
    bars = {k: v for k, v in _thresholds().get(stem, {}).items() if k != "gold"}
    if not bars:
        summary = ", ".join(f"{k} {fig} {v:.3f}" for k, e in scores.kinds.items() if e.scored
                            for fig, v in [headline(e, k)] if v is not None)
        pytest.skip(f"no thresholds for {stem} in fixtures/thresholds.json (now: {summary})")
    failures = []
    for kind, bar in sorted(bars.items()):
        base = kind.split(".")[0]
        entry = scores.kinds.get(base)
        if entry is None or not entry.scored:
            failures.append(f"{stem}: {kind} has a bar {bar} but the gold file does not score it")
            continue
        figure, got = headline(entry, kind)
        if got is None or got < bar - 1e-9:
            line = f"{stem}: {kind} {figure} {got if got is None else round(got, 4)} < {bar}"
            misses = [m for m in entry.misses if (m.key.startswith("cell ") == (kind == "tables.cells"))]
            fps = [f for f in entry.false_positives if (f.key.startswith("cell ") == (kind == "tables.cells"))]
            if misses:
                line += f"\n    missed ({len(misses)}): {_names(misses)}"
            if fps and figure == "f1":
                line += f"\n    false positives ({len(fps)}): {_names(fps)}"
            failures.append(line)
    assert not failures, "score dropped below fixtures/thresholds.json:\n" + "\n".join(failures)

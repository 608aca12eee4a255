"""The corpus benchmark as a regression gate: every publisher-XML pair in ../shared/corpus/jats run
through the pipeline (no NER: the kinds scored here do not depend on it) and scored against the gold
converted from its XML (fixtures/corpus/gold) and the hand gold (fixtures/corpus/hand). The micro
figures per split must stay at or above fixtures/corpus/thresholds.json."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "jats"
BARS = json.loads((ROOT / "fixtures" / "corpus" / "thresholds.json").read_text())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/jats is not beside the project")
def test_corpus_micro_figures_hold_their_bars(tmp_path, capsys):
    report = tmp_path / "report.json"
    bars = [f"{split}:{kind}={v}" for split, kinds in BARS.items() if not split.startswith("_")
            for kind, v in kinds.items()]
    args = ["eval-corpus", str(CORPUS), "-g", str(ROOT / "fixtures" / "corpus" / "gold"),
            "-g", str(ROOT / "fixtures" / "corpus" / "hand"), "-o", str(tmp_path / "runs"),
            "--test-list", str(ROOT / "fixtures" / "corpus" / "split.json"), "--json", str(report),
            "--no-ner", "--workers", "2"]
    for b in bars:
        args += ["--fail-under", b]
    rc = main(args)
    out, err = capsys.readouterr()
    data = json.loads(report.read_text())
    assert data["splits"]["all"]["documents"] == len(list(CORPUS.glob("*.xml")))
    assert rc == 0, err + "\n" + out

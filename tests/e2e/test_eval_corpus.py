"""`eval-corpus`: layered gold, splits, worst documents, the diff against an earlier report, bars."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli.main import main
from pipeline.evaluate.benchmark import collect_gold, layer
from schemas.gold import GoldFile

ROOT = Path(__file__).resolve().parents[2]


def _gold(**kinds) -> GoldFile:
    return GoldFile.model_validate({"format": "review-gold/1", **kinds})


def test_later_gold_wins_kind_by_kind():
    xml = _gold(sections=[{"title": "Methods", "level": 1}], percentages=[{"value": 5}])
    hand = _gold(percentages=[{"value": 7}], endpoints=[])
    merged = layer([xml, hand])
    assert [s.title for s in merged.sections] == ["Methods"]
    assert [p.value for p in merged.percentages] == [7]
    assert merged.endpoints == [] and merged.tables is None


def test_alias_gold_is_the_lowest_layer(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "pair.gold.json").write_text(json.dumps({"format": "review-gold/1", "percentages": [{"value": 1}],
                                                  "sections": []}))
    (b / "print.gold.json").write_text(json.dumps({"format": "review-gold/1", "sections": [{"title": "X", "level": 1}]}))
    golds = collect_gold([a, b], {"print": "pair"})
    assert [p.value for p in golds["print"].gold.percentages] == [1]
    assert [s.title for s in golds["print"].gold.sections] == ["X"]


def test_eval_corpus_on_the_committed_outputs(tmp_path, capsys):
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"test": ["synthetic-lancet-trial"]}))
    report = tmp_path / "r.json"
    rc = main(["eval-corpus", str(ROOT / "fixtures" / "pdfs"), "-g", str(ROOT / "fixtures" / "gold"),
               "-o", str(ROOT / "outputs"), "--no-run", "--test-list", str(split), "--json", str(report),
               "--fail-under", "test:trials=1.0"])
    out = capsys.readouterr().out
    assert rc == 0, out
    data = json.loads(report.read_text())
    assert data["splits"]["test"]["documents"] == 1 and data["splits"]["dev"]["documents"] >= 5
    assert data["documents"]["synthetic-lancet-trial"]["split"] == "test"
    assert "worst documents per kind" in out
    # a previous report with other figures: the diff names what moved
    data["splits"]["all"]["micro"]["trials"] = 0.5
    data["documents"]["seed-review"]["trials"] = 0.5
    report.write_text(json.dumps(data))
    rc = main(["eval-corpus", str(ROOT / "fixtures" / "pdfs"), "-g", str(ROOT / "fixtures" / "gold"),
               "-o", str(ROOT / "outputs"), "--no-run", "--previous", str(report), "--fail-under", "cells=1.01"])
    out, err = capsys.readouterr()
    assert rc == 1 and "FAIL all cells" in err
    assert "0.500 -> 1.000" in out and "seed-review" in out

"""The evaluator against small hand-made gold files and run folders with known counts."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from pipeline.errors import InputError

from pipeline.errors import GoldFormatError
from pipeline.evaluate import (
    check_bars, evaluate_many, evaluate_run, format_corpus, format_document, load_gold, parse_bar, write_json,
)
from pipeline.cli.evaluate import main, register
from pipeline.core.normalize import (
    caption_key, intervention_key, label_key, normalize_short, normalize_text, section_key, token_f1,
)


# --------------------------------------------------------------------------- helpers

def prov(text: str = "A sentence.", page: int = 1) -> dict:
    return {"page": page, "bbox": [0, 0, 1, 1], "section": [], "source": "text", "text": text,
            "char_start": 0, "char_end": 1}


def trial(id_: str, **kw) -> dict:
    rec = {"id": id_, "registry": "ClinicalTrials.gov", "phase": None, "year": None, "condition": None,
           "interventions": [], "mentions": 1, "provenance": prov(f"see {id_}")}
    rec.update(kw)
    return rec


def endpoint(name: str, value: float, unit: str = "months", **kw) -> dict:
    rec = {"endpoint": name, "long_form": None, "value": value, "unit": unit, "comparator_value": None,
           "qualifier": None, "trial_id": None, "provenance": prov(f"{name} {value} {unit}")}
    rec.update(kw)
    return rec


def pct(value: float, text: str = "x%") -> dict:
    return {"value": value, "qualifier": None, "quantifies": None, "declared_by": "sign", "provenance": prov(text)}


def abbr(short: str, long: str) -> dict:
    return {"short": short, "long": long, "provenance": prov(f"{long} ({short})")}


def ent(text: str, label: str = "CHEMICAL") -> dict:
    return {"text": text, "label": label, "long_form": None, "source": "lexicon", "provenance": prov(text)}


def sec(title: str, level: int = 1, number: str | None = None) -> dict:
    return {"title": title, "number": number, "level": level, "path": [title], "page": 1, "bbox": [0, 0, 1, 1]}


def table(label: str, caption: str = "", header=(), rows=(), page: int = 1) -> dict:
    rows = [list(r) for r in rows]
    return {"label": label, "caption": caption, "header": list(header), "rows": rows,
            "continuation": [False] * len(rows), "footnote": None, "page": page, "pages": [page],
            "bbox": [0, 0, 1, 1], "section": []}


def write_run(root: Path, name: str = "doc", file: str | None = None, **kinds) -> Path:
    run = root / name
    run.mkdir(parents=True, exist_ok=True)
    (run / "manifest.json").write_text(json.dumps({"file": file or f"{name}.pdf"}))
    for kind, items in kinds.items():
        if kind == "tables":
            (run / "tables.json").write_text(json.dumps(items))
        else:
            (run / f"{kind}.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    return run


def write_gold(root: Path, name: str = "doc", **kinds) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    data = {"format": "review-gold/1", "document": {"file": f"{name}.pdf"}}
    data.update(kinds)
    path = root / f"{name}.gold.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def score(tmp_path: Path, gold: dict, **run):
    return evaluate_run(write_run(tmp_path / "out", **run), write_gold(tmp_path / "gold", **gold))


def tpfpfn(k) -> tuple:
    return (k.tp, k.fp, k.fn)


# --------------------------------------------------------------------------- normalization

def test_superscripts_removed():
    assert normalize_text("pembrolizumabᵃ") == "pembrolizumab"
    assert normalize_text("10 mg/m²") == "10 mg/m"
    assert normalize_text("I² = 40%") == "i = 40%"
    assert normalize_text("CD4⁺ cells¹") == "cd4 cells"
    # footnote symbols printed at text size are ordinary text
    assert normalize_text("OS*†") == "os*†"


def test_quotes_dashes_and_invisible_characters():
    assert normalize_text("“hot” ‘cold’ ″x″ `y´") == "\"hot\" 'cold' \"x\" 'y'"
    for dash in "‐‑‒–—―−﹘﹣－":
        assert normalize_text(f"PD{dash}L1") == "pd-l1"
    assert normalize_text("chemo\u00adtherapy\u200b") == "chemotherapy"


def test_nfkc_casefold_whitespace():
    assert normalize_text("ﬁbrosis") == "fibrosis"
    assert normalize_text("ＡＢＣ") == "abc"
    assert normalize_text("Straße") == "strasse"
    assert normalize_text("  Non-Small \n\t Cell   ") == "non-small cell"
    assert normalize_text(None) == ""


def test_short_form_keeps_case():
    assert normalize_short("CI") != normalize_short("ci")
    assert normalize_short("PD‑L1") == "PD-L1"
    assert normalize_short("ＰＦＳ") == "PFS"


def test_keys_and_token_f1():
    assert section_key("2.3.1. Results:") == section_key("RESULTS")
    assert section_key("IV. Discussion") == "discussion"
    assert section_key("II) Methods") == "methods"
    assert section_key("3) Aims.") == "aims"
    assert section_key("1 Introduction") == "introduction"
    assert section_key("COVID-19 and cancer") == "covid-19 and cancer"
    assert label_key("TABLE 1.") == label_key("Table 1")
    assert caption_key(". Trials of ICIs.") == caption_key("Trials of ICIs") == caption_key("| trials of ICIs")
    assert token_f1("Metastatic gastric carcinoma", "gastric carcinoma") == pytest.approx(0.8)
    assert token_f1("NSCLC", "breast cancer") == 0.0
    assert intervention_key("Anti-PD-1 antibody") == intervention_key("α-PD-1 antibody") == "αpd-1 antibody"
    assert intervention_key("anti PD-L1") == "αpd-l1"
    assert intervention_key("semantic-x") == "semantic-x"


# --------------------------------------------------------------------------- sections

def test_sections_numbering_punctuation_level(tmp_path):
    gold = {"sections": [{"title": "Abstract", "level": 1}, {"title": "INTRODUCTION", "level": 1},
                         {"title": "2.1. Immune checkpoints", "level": 2}, {"title": "Conclusions", "level": 1},
                         {"title": "Missing heading", "level": 2}]}
    run = [sec("ABSTRACT"), sec("Introduction.", number="1."), sec("Immune checkpoints", 3, number="2.1"),
           sec("CONCLUSIONS:"), sec("Keywords")]
    k = score(tmp_path, gold, sections=run).kinds["sections"]
    assert tpfpfn(k) == (4, 1, 1)
    assert (k.attributes["level"].correct, k.attributes["level"].total) == (3, 4)
    assert [m.key for m in k.misses] == ["Missing heading"]
    assert [f.key for f in k.false_positives] == ["Keywords"]
    assert k.mismatches[0].attribute == "level" and (k.mismatches[0].expected, k.mismatches[0].got) == (2, 3)


# --------------------------------------------------------------------------- tables

def test_tables_labels_captions_cells(tmp_path):
    gold = {"tables": [
        {"label": "Table 1", "caption": "Ongoing trials of ICIs", "header": ["Drug", "Phase", "Result"],
         "rows": [["Nivolumab", "III", "OS 12 months"], ["", "", "PFS 5.2 months"], ["Pembrolizumab", "II", ""]]},
        {"label": "Table 2", "caption": "Adverse events"},                      # no header/rows: no cells
        {"label": "Table 3", "caption": "Missed", "header": ["A"], "rows": [["x"], ["y"]]},
    ]}
    run = [
        table("TABLE 1.", ". Ongoing trials of ICIs.", ["Drug", "Phase", "Result"],
              [["Nivolumab", "III", "OS 12 months"], ["", "", "PFS 5.2 months"], ["Pembrolizumab", "I", "extra"]]),
        table("Table 2", ": Side effects", ["A"], [["ignored"], ["cells"]]),
        table("Table 4", "Not in gold", ["H"], [["p"], [""], ["q"]]),
    ]
    k = score(tmp_path, gold, tables=run).kinds["tables"]
    assert tpfpfn(k) == (2, 1, 1)                                  # Table 4 FP, Table 3 FN
    assert (k.attributes["caption"].correct, k.attributes["caption"].total) == (1, 2)
    # cells: table 1 has 6 non-empty gold cells, 5 agree; run adds "I" and "extra"; table 3 misses 2;
    # table 4 adds 2 (its "" cell is not a cell); table 2's run cells are ignored
    assert (k.cells.tp, k.cells.fp, k.cells.fn) == (5, 4, 3)
    miss_keys = [m.key for m in k.misses]
    assert "Table 3" in miss_keys and "cell Table 1 [Phase] II" in miss_keys
    assert "cell Table 3 [A] x" in miss_keys
    fp_keys = [f.key for f in k.false_positives]
    assert "Table 4" in fp_keys and "cell TABLE 1. [Result] extra" in fp_keys and "cell Table 4 [H] q" in fp_keys
    assert not any("ignored" in key for key in fp_keys)


def test_continuation_row_empty_cells_do_not_count(tmp_path):
    gold = {"tables": [{"label": "Table 1", "caption": "c", "header": ["Trial", "Outcome"],
                        "rows": [["NCT01234567", "ORR 40%"], ["", "DCR 70%"]]}]}
    run = [table("Table 1", "c", ["Trial", "Outcome"], [["NCT01234567", "ORR 40%"], ["", "DCR 70%"]])]
    k = score(tmp_path, gold, tables=run).kinds["tables"]
    assert (k.cells.tp, k.cells.fp, k.cells.fn) == (3, 0, 0)
    assert k.cells.f1 == 1.0


def test_duplicate_run_table_label_is_false_positive(tmp_path):
    gold = {"tables": [{"label": "Table 1", "caption": "c"}]}
    k = score(tmp_path, gold, tables=[table("Table 1", "c"), table("Table 1", "(continued)")]).kinds["tables"]
    assert tpfpfn(k) == (1, 1, 0)
    assert k.attributes["caption"].correct == 1                 # the right one is paired


# --------------------------------------------------------------------------- trials

def test_trials_multiset_and_attributes(tmp_path):
    gold = {"trials": [
        {"id": "NCT03504397", "registry": "ClinicalTrials.gov", "phase": "III", "year": 2023,
         "condition": "Metastatic gastric carcinoma", "interventions": ["zolbetuximab", "mFOLFOX6"]},
        {"id": "NCT01234567", "phase": "II", "year": None, "condition": "NSCLC", "interventions": ["anti-PD-1 antibody"]},
        {"id": "2015-001234-56", "interventions": None},
        {"id": "ISRCTN12345678"},
    ]}
    run = [
        trial("nct03504397", phase="III", year=2023, condition="gastric carcinoma",
              interventions=["mFOLFOX6", "Zolbetuximab"]),
        trial("NCT03504397", phase="III", year=2023),               # extracted twice: counts once, 2nd is FP
        trial("NCT01234567", phase="I/II", year=2019, condition="breast cancer", interventions=["α-PD-1 antibody"]),
        trial("2015‑001234‑56"),                                     # non-breaking hyphens
        trial("NCT99999999"),
    ]
    k = score(tmp_path, gold, trials=run).kinds["trials"]
    assert tpfpfn(k) == (3, 2, 1)
    a = {n: (s.correct, s.total) for n, s in k.attributes.items()}
    # the EudraCT item labels only interventions: its absent phase/year/condition are not scored
    assert a == {"phase": (1, 2), "year": (1, 2), "condition": (1, 2), "interventions": (3, 3)}
    assert [m.key for m in k.misses] == ["ISRCTN12345678"]
    fps = sorted(f.key for f in k.false_positives)
    assert fps == ["NCT03504397", "NCT99999999"]
    assert all(f.page == 1 and f.text.startswith("see ") for f in k.false_positives)
    # the duplicate without attributes is the false positive, the full record is paired
    assert {(m.key, m.attribute) for m in k.mismatches} == {
        ("NCT01234567", "phase"), ("NCT01234567", "year"), ("NCT01234567", "condition")}


def test_attribute_pairing_maximizes_agreement(tmp_path):
    gold = {"endpoints": [
        {"endpoint": "PFS", "value": 10.6, "unit": "months", "trial_id": "NCT00000001"},
        {"endpoint": "PFS", "value": 10.6, "unit": "months", "trial_id": "NCT00000002", "qualifier": "median"},
    ]}
    run = [endpoint("pfs", 10.6, trial_id="nct00000002", qualifier="Median"),
           endpoint("PFS", 10.60000, trial_id="NCT00000001")]
    k = score(tmp_path, gold, endpoints=run).kinds["endpoints"]
    assert tpfpfn(k) == (2, 0, 0)
    assert k.attributes["trial_id"].correct == 2
    assert (k.attributes["qualifier"].correct, k.attributes["qualifier"].total) == (1, 1)  # labeled once
    assert k.mismatches == []


# --------------------------------------------------------------------------- endpoints, percentages

def test_endpoints_values_units_and_attributes(tmp_path):
    gold = {"endpoints": [
        {"endpoint": "OS", "value": 24, "unit": "months", "comparator_value": 9.0, "qualifier": "median",
         "trial_id": None, "quote": "median OS 24.0 vs 9.0 months"},
        {"endpoint": "ORR", "value": 45.5, "unit": "%"},
        {"endpoint": "ORR", "value": 45.5, "unit": "%"},             # stated twice
        {"endpoint": "DCR", "value": 70, "unit": "%"},
    ]}
    run = [endpoint("OS", 24.0000005, comparator_value=9, qualifier="median"),
           endpoint("ORR", 45.5, "%"),
           endpoint("ORR", 45.5, "%", qualifier="up to"),
           endpoint("ORR", 45.5, "%"),                               # third: key used up -> FP
           endpoint("DCR", 70, "months"),                            # wrong unit -> FP, and DCR % missed
           endpoint("OS", 24.01)]                                    # beyond tolerance -> FP
    k = score(tmp_path, gold, endpoints=run).kinds["endpoints"]
    assert tpfpfn(k) == (3, 3, 1)
    # only the OS item labels comparator and qualifier; the ORR items leave them unlabeled
    assert (k.attributes["comparator_value"].correct, k.attributes["comparator_value"].total) == (1, 1)
    assert (k.attributes["qualifier"].correct, k.attributes["qualifier"].total) == (1, 1)
    assert k.misses[0].key == "DCR 70 %"
    assert "OS 24.01 months" in [f.key for f in k.false_positives]


def test_percentages_multiset_and_ranges(tmp_path):
    # "42-45%" gives two items; 18.3 printed twice; 24 and 24.0 are the same value
    gold = {"percentages": [{"value": 42, "quote": "42-45%"}, {"value": 45, "quote": "42-45%"},
                            {"value": 18.3}, {"value": 18.3}, {"value": 24.0}, {"value": 72, "qualifier": "~"}]}
    run = [pct(42), pct(45), pct(18.3), pct(24), pct(24), pct(7.2)]
    k = score(tmp_path, gold, percentages=run).kinds["percentages"]
    assert tpfpfn(k) == (4, 2, 2)
    assert sorted(m.key for m in k.misses) == ["18.3%", "72%"]
    assert sorted(f.key for f in k.false_positives) == ["24%", "7.2%"]
    assert k.attributes == {}


# --------------------------------------------------------------------------- abbreviations

def test_abbreviations_case_kept_long_attribute(tmp_path):
    gold = {"abbreviations": [{"short": "CI", "long": "confidence interval"},
                              {"short": "PD‑L1", "long": "programmed death‑ligand 1"},
                              {"short": "OS", "long": "overall survival"}]}
    run = [abbr("ci", "confidence interval"), abbr("PD-L1", "Programmed death-ligand 1"),
           abbr("OS", "overall-survival"), abbr("OS", "overall survival")]
    k = score(tmp_path, gold, abbreviations=run).kinds["abbreviations"]
    assert tpfpfn(k) == (2, 2, 1)
    assert (k.attributes["long"].correct, k.attributes["long"].total) == (2, 2)   # best OS pairing chosen
    assert [m.key for m in k.misses] == ["CI"]


# --------------------------------------------------------------------------- entities

def test_entities_strict_relaxed_recall_only(tmp_path):
    gold = {"entities": [{"text": "pembrolizumab", "label": "CHEMICAL"},
                         {"text": "lung cancer", "label": "DISEASE"},
                         {"text": "cancer", "label": "DISEASE"},
                         {"text": "cisplatin", "label": "CHEMICAL"},
                         {"text": "nivolumab", "label": "CHEMICAL"}]}
    run = [ent("Pembrolizumab"), ent("pembrolizumab"),                 # de-duplicated
           ent("lung cancer", "DISEASE"), ent("breast cancer", "DISEASE"),
           ent("cisplatinum"),                                          # not a whole word
           ent("nivolumab", "DISEASE"),                                 # wrong label
           ent("ipilimumab")]
    k = score(tmp_path, gold, entities=run).kinds["entities"]
    assert k.complete is False
    assert (k.tp, k.fn, k.fp, k.precision, k.f1) == (2, 3, None, None, None)
    assert (k.strict.tp, k.strict.fn) == (2, 3)
    # maximum matching: cancer <-> breast cancer, lung cancer <-> lung cancer
    assert (k.relaxed.tp, k.relaxed.fn, k.relaxed.precision) == (3, 2, None)
    assert k.recall == pytest.approx(0.4) and k.relaxed.recall == pytest.approx(0.6)
    assert k.false_positives == []
    near = {m.key: m.near for m in k.misses}
    assert near["cancer (DISEASE)"] == "breast cancer"


def test_entities_complete_scores_precision(tmp_path):
    gold = {"entities_complete": True,
            "entities": [{"text": "PD-1 inhibitor", "label": "CHEMICAL"}, {"text": "NSCLC", "label": "DISEASE"}]}
    run = [ent("PD‑1 inhibitor"), ent("anti-PD-1 inhibitor therapy"), ent("nsclc", "DISEASE"),
           ent("melanoma", "DISEASE")]
    k = score(tmp_path, gold, entities=run).kinds["entities"]
    assert (k.tp, k.fp, k.fn) == (2, 2, 0)
    assert k.precision == 0.5 and k.f1 == pytest.approx(2 / 3)
    assert (k.relaxed.tp, k.relaxed.fp, k.relaxed.fn) == (2, 2, 0)
    assert sorted(f.key for f in k.false_positives) == ["anti-PD-1 inhibitor therapy (CHEMICAL)",
                                                        "melanoma (DISEASE)"]


def test_relaxed_whole_word_substring_either_way(tmp_path):
    gold = {"entities_complete": True, "entities": [{"text": "gastric adenocarcinoma", "label": "DISEASE"}]}
    k = score(tmp_path, gold, entities=[ent("adenocarcinoma", "DISEASE")]).kinds["entities"]
    assert (k.strict.tp, k.relaxed.tp, k.relaxed.fp) == (0, 1, 0)
    k = score(tmp_path / "b", gold, entities=[ent("carcinoma", "DISEASE")]).kinds["entities"]
    assert k.relaxed.tp == 0


# --------------------------------------------------------------------------- general rules

def test_absent_vs_empty_lists(tmp_path):
    gold = {"percentages": [], "trials": None, "abbreviations": []}
    s = score(tmp_path, gold, percentages=[pct(5)])
    p = s.kinds["percentages"]
    assert tpfpfn(p) == (0, 1, 0) and (p.precision, p.recall, p.f1) == (0.0, 1.0, 0.0)
    a = s.kinds["abbreviations"]                                    # empty gold, no run file
    assert tpfpfn(a) == (0, 0, 0) and (a.precision, a.recall, a.f1) == (1.0, 1.0, 1.0)
    for kind in ("trials", "sections", "tables", "endpoints", "entities"):
        assert s.kinds[kind].scored is False
        assert s.to_json()["kinds"][kind] == {"scored": False}


def test_nothing_extracted_gives_precision_one_recall_zero(tmp_path):
    k = score(tmp_path, {"percentages": [{"value": 1}]}).kinds["percentages"]
    assert (k.precision, k.recall, k.f1) == (1.0, 0.0, 0.0)


def test_unknown_keys_ignored(tmp_path):
    gold = {"future_kind": [{"x": 1}], "notes": "hi",
            "trials": [{"id": "NCT00000001", "phase": "II", "sponsor": "ACME", "arms": [1, 2]}],
            "document": {"file": "doc.pdf", "pages": 12}}
    k = score(tmp_path, gold, trials=[trial("NCT00000001", phase="II")]).kinds["trials"]
    assert tpfpfn(k) == (1, 0, 0)


@pytest.mark.parametrize("gold, message", [
    ({"format": "review-gold/1", "trials": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"phase": "I"}]},
     "gold.trials[3].id: field required"),
    ({"format": "review-gold/2"}, "gold.format: must be 'review-gold/1'"),
    ({"trials": []}, "gold.format: field required"),
    ({"format": "review-gold/1", "percentages": [{"value": "12.5"}]}, "gold.percentages[0].value: must be a JSON number"),
    ({"format": "review-gold/1", "tables": [{"label": "Table 1", "rows": [["a"]]}]}, "gold.tables[0]: rows given without header"),
    ({"format": "review-gold/1", "entities": {"text": "x"}}, "gold.entities: input should be a valid list"),
])
def test_malformed_gold_names_the_field(tmp_path, gold, message):
    path = tmp_path / "bad.gold.json"
    path.write_text(json.dumps(gold))
    with pytest.raises(GoldFormatError) as exc:
        load_gold(path)
    text = str(exc.value)
    assert message in text and "\n" not in text


def test_invalid_json_gold(tmp_path):
    path = tmp_path / "bad.gold.json"
    path.write_text('{"format": "review-gold/1",')
    with pytest.raises(GoldFormatError, match="invalid JSON at line 1"):
        load_gold(path)


def test_missing_record_files_are_empty(tmp_path):
    run = write_run(tmp_path / "out")  # a manifest without checksums: unlisted record files are empty
    s = evaluate_run(run, write_gold(tmp_path / "gold", trials=[{"id": "NCT00000001"}], tables=[]))
    assert tpfpfn(s.kinds["trials"]) == (0, 0, 1)
    assert s.kinds["tables"].f1 == 1.0 and s.kinds["tables"].cells.f1 == 1.0
    empty = tmp_path / "out" / "empty"  # no manifest: not a run (issue 12), a usage error
    empty.mkdir()
    with pytest.raises(InputError, match="manifest.json is missing"):
        evaluate_run(empty, write_gold(tmp_path / "gold", trials=[], tables=[]))


def test_json_shape(tmp_path):
    gold = {"trials": [{"id": "NCT00000001", "phase": "III"}], "entities": [{"text": "x", "label": "CHEMICAL"}],
            "tables": [{"label": "Table 1", "caption": "c", "header": ["a"], "rows": [["1"]]}]}
    s = score(tmp_path, gold, trials=[trial("NCT00000001", phase="III")], entities=[ent("x")],
              tables=[table("Table 1", "c", ["a"], [["1"]])])
    data = json.loads(json.dumps(s.to_json()))
    assert set(data) == {"gold", "run", "kinds"}
    assert list(data["kinds"]) == ["sections", "tables", "trials", "endpoints", "percentages", "abbreviations",
                                   "entities", "document", "references"]
    t = data["kinds"]["trials"]
    assert {k: t[k] for k in ("scored", "tp", "fp", "fn", "precision", "recall", "f1")} == {
        "scored": True, "tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert t["attributes"]["phase"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert t["misses"] == [] and t["false_positives"] == [] and "cells" not in t and "strict" not in t
    assert set(data["kinds"]["tables"]["cells"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    e = data["kinds"]["entities"]
    assert e["precision"] is None and e["f1"] is None and e["recall"] == 1.0
    assert e["strict"]["tp"] == e["tp"] == 1 and "relaxed" in e
    assert data["kinds"]["endpoints"] == {"scored": False}


def test_report_names_misses_and_false_positives(tmp_path):
    gold = {"percentages": [{"value": 59.2, "quote": "at 59.2% compared to 18.3%"}]}
    s = score(tmp_path, gold, percentages=[pct(18.3, "The rate fell to 18.3% in the control arm.")])
    text = format_document(s)
    assert "MISS  59.2%" in text and "at 59.2% compared to 18.3%" in text
    assert "FP    18.3%" in text and "p.1" in text and "control arm" in text
    assert "trials" in text and "not scored" in text


# --------------------------------------------------------------------------- CLI

def test_cli_fail_under_and_json(tmp_path, capsys):
    run = write_run(tmp_path / "out", trials=[trial("NCT00000001"), trial("NCT00000003")])
    gold = write_gold(tmp_path / "gold", trials=[{"id": "NCT00000001"}, {"id": "NCT00000002"}])
    out = tmp_path / "scores" / "s.json"
    rc = main(["eval", str(run), str(gold), "--json", str(out), "--fail-under", "trials=0.95",
               "--fail-under", "percentages=0.5"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "FAIL trials f1 0.50 < 0.95" in err
    assert "FAIL percentages not scored" in err
    data = json.loads(out.read_text())
    assert data["kinds"]["trials"]["tp"] == 1
    assert [m["key"] for m in data["kinds"]["trials"]["misses"]] == ["NCT00000002"]
    assert main(["eval", str(run), str(gold), "--fail-under", "trials=0.5"]) == 0
    assert not list(out.parent.glob(".*.tmp"))


def test_cli_bad_gold_exit_2_one_line(tmp_path, capsys):
    run = write_run(tmp_path / "out")
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps({"format": "review-gold/1", "trials": [{"phase": "I"}]}))
    assert main(["eval", str(run), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "gold.trials[0].id: field required" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_cli_bad_bar_is_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["eval", str(tmp_path), str(tmp_path), "--fail-under", "trails=0.9"])
    assert exc.value.code == 2
    assert parse_bar("cells=0.8") == ("tables.cells", 0.8)
    assert parse_bar("entities.relaxed=0.7") == ("entities.relaxed", 0.7)


def test_register_adds_eval_to_any_parser(tmp_path):
    parser = argparse.ArgumentParser(prog="review-extract")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["eval", "r", "g.gold.json", "--fail-under", "trials=0.9", "--json", "s.json"])
    assert args.bars == [("trials", 0.9)] and args.json_out == "s.json" and callable(args.func)


def test_write_json_atomic(tmp_path):
    path = tmp_path / "x.json"
    write_json(path, {"a": 1})
    write_json(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


# --------------------------------------------------------------------------- directory mode

def test_directory_mode_micro_macro(tmp_path, capsys):
    out, golds = tmp_path / "out", tmp_path / "gold"
    # doc a: trials 1 TP 0 FP 0 FN (f1 1); doc b: 1 TP, 1 FP, 2 FN (p .5, r 1/3, f1 .4)
    write_run(out, "a", trials=[trial("NCT00000001")], entities=[ent("x")])
    write_gold(golds, "a", trials=[{"id": "NCT00000001"}], entities=[{"text": "x", "label": "CHEMICAL"}],
               entities_complete=True)
    write_run(out, "run-b", file="b.pdf", trials=[trial("NCT00000001"), trial("NCT00000009")], entities=[ent("y")])
    write_gold(golds, "b", trials=[{"id": "NCT00000001"}, {"id": "NCT00000002"}, {"id": "NCT00000003"}],
               entities=[{"text": "x", "label": "CHEMICAL"}])
    write_gold(golds, "c", trials=[])                                # no run folder
    write_run(out, "d")                                               # no gold file
    cs = evaluate_many(out, golds)
    assert [Path(d.run).name for d in cs.documents] == ["a", "run-b"]   # b found through its manifest
    assert cs.missing_runs == ["c"] and cs.unscored_runs == ["d"]
    micro, macro = cs.micro["trials"], cs.macro["trials"]
    assert (micro.tp, micro.fp, micro.fn) == (2, 1, 2)
    assert micro.precision == pytest.approx(2 / 3) and micro.recall == pytest.approx(0.5)
    assert micro.f1 == pytest.approx(4 / 7)
    assert macro.precision == pytest.approx(0.75) and macro.recall == pytest.approx(2 / 3)
    assert macro.f1 == pytest.approx(0.7)
    assert cs.micro["sections"].scored is False
    # entities: precision only from the complete document; recall pooled over both
    em = cs.micro["entities"]
    assert em.recall == pytest.approx(0.5) and em.precision == 1.0 and em.documents == 2
    data = cs.to_json()
    assert data["micro"]["sections"] == {"scored": False}
    assert {"documents", "micro", "macro", "missing_runs", "unscored_runs"} <= set(data)
    assert check_bars(cs, {"trials": 0.6}) == ["FAIL trials f1 0.57 < 0.60"]
    assert "micro average" in format_corpus(cs)

    rc = main(["eval", str(out), str(golds), "--fail-under", "trials=0.5", "--json", str(tmp_path / "c.json")])
    assert rc == 0 and json.loads((tmp_path / "c.json").read_text())["micro"]["trials"]["tp"] == 2
    assert "no run folder for 1 gold file(s): c" in capsys.readouterr().out


def test_cli_run_folder_against_gold_folder(tmp_path, capsys):
    run = write_run(tmp_path / "out", "doc-2col", file="doc.pdf", entities=[ent("x")])
    golds = tmp_path / "gold"
    write_gold(golds, "doc", entities=[{"text": "x", "label": "CHEMICAL"}, {"text": "y", "label": "CHEMICAL"}])
    rc = main(["eval", str(run), str(golds), "--fail-under", "entities=0.6", "--json", "-"])
    captured = capsys.readouterr()
    assert rc == 1 and "FAIL entities recall 0.50 < 0.60" in captured.err
    data = json.loads(captured.out)
    assert data["kinds"]["entities"]["recall"] == 0.5 and data["gold"].endswith("doc.gold.json")
    assert main(["eval", str(tmp_path / "nowhere"), str(golds / "doc.gold.json")]) == 2
    assert "run folder not found" in capsys.readouterr().err


def test_absent_attribute_is_not_scored_null_is(tmp_path):
    gold = {"endpoints": [
        {"endpoint": "OS", "value": 38, "unit": "%", "timepoint": "3-year"},
        {"endpoint": "OS", "value": 40, "unit": "%", "timepoint": None},
        {"endpoint": "OS", "value": 42, "unit": "%"},
    ]}
    run = [endpoint("OS", 38, "%", timepoint="3-year"), endpoint("OS", 40, "%", timepoint="5-year"),
           endpoint("OS", 42, "%", timepoint="1-year")]
    k = score(tmp_path, gold, endpoints=run).kinds["endpoints"]
    assert (k.attributes["timepoint"].correct, k.attributes["timepoint"].total) == (1, 2)

"""Bundled biomedical NER: interface, offline loading, eval command, foreign pipelines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ReviewExtractError
from pipeline.ner import LABELS, load_recognizer
from pipeline.cli.ner import main as ner_main

DATA = Path(__file__).resolve().parents[1] / "data" / "ner"
SLICE = DATA / "cdr_test_slice.PubTator.txt"


@pytest.fixture(scope="module")
def bundled():
    return load_recognizer("bundled")


def _ents(text, spans):
    return {text[s:e]: lab for s, e, lab in spans}


def _check_shape(spans):
    assert spans == sorted(spans)
    for (s1, e1, _), (s2, e2, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    for s, e, lab in spans:
        assert 0 <= s < e and lab in LABELS


def test_bundled_tags_drugs_and_diseases(bundled):
    texts = [
        "Pembrolizumab improved survival in patients with non-small cell lung cancer.",
        "Cocaine-induced myocardial infarction was treated with aspirin.",
        "",
    ]
    out = bundled(texts)
    assert len(out) == 3 and out[2] == []
    for spans in out:
        _check_shape(spans)
    e0 = _ents(texts[0], out[0])
    assert e0.get("Pembrolizumab") == "CHEMICAL"
    assert e0.get("non-small cell lung cancer") == "DISEASE"
    e1 = _ents(texts[1], out[1])
    assert e1.get("Cocaine") == "CHEMICAL"  # entity inside a hyphenated token
    assert e1.get("myocardial infarction") == "DISEASE"
    assert e1.get("aspirin") == "CHEMICAL"
    assert bundled.name.startswith("review-extract-ner")


@pytest.fixture(scope="module")
def bundled_full():
    return load_recognizer("bundled-full")


def test_default_bundled_is_chemicals_and_diseases_only(bundled):
    text = "HER2 amplification in T cells treated with trastuzumab for breast cancer."
    assert set(_ents(text, bundled([text])[0]).values()) <= {"CHEMICAL", "DISEASE"}


def test_bundled_genes_and_cells(bundled_full):
    bundled = bundled_full
    text = "Expression of EGFR and TP53 was measured in CD4+ T cells."
    labs = set(_ents(text, bundled([text])[0]).values())
    assert "GENE" in labs


def test_lexicon_recognizer():
    rec = load_recognizer("lexicon")
    text = "Patients received pembrolizumab and cisplatin for lung cancer."
    ents = _ents(text, rec([text])[0])
    assert ents.get("pembrolizumab") == "CHEMICAL"
    assert ents.get("cisplatin") == "CHEMICAL"
    assert rec.name == "lexicon"


def test_eval_command_json(tmp_path):
    out = tmp_path / "scores.json"
    rc = ner_main(["ner", "eval", "--pubtator", str(SLICE), "--json", str(out)])
    assert rc == 0
    res = json.loads(out.read_text())
    assert set(res) >= {"overall", "per_type", "wps"}
    assert set(res["overall"]) >= {"precision", "recall", "f1"}
    assert set(res["per_type"]) == {"CHEMICAL", "DISEASE"}
    assert res["overall"]["f1"] > 70
    assert res["wps"]["1_process"] > 0 and res["wps"]["2_processes"] > 0


def test_eval_command_bad_file(tmp_path, capsys):
    rc = ner_main(["ner", "eval", "--pubtator", str(tmp_path / "missing.txt")])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n")
    assert ner_main(["ner", "eval", "--pubtator", str(empty), "--no-speed"]) == 2


def test_eval_command_bad_model(capsys):
    rc = ner_main(["ner", "eval", "--pubtator", str(SLICE), "--model", "no_such_model_xyz"])
    assert rc == 2
    assert "\n" not in capsys.readouterr().err.strip()


def test_foreign_spacy_pipeline(tmp_path):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "Chemical", "pattern": "aspirin"},
        {"label": "Disease", "pattern": [{"LOWER": "migraine"}]},
        {"label": "Gene_or_gene_product", "pattern": "BRCA1"},
        {"label": "ORGANISM", "pattern": "mice"},
    ])
    path = tmp_path / "standin"
    nlp.to_disk(path)
    rec = load_recognizer(str(path))
    text = "Aspirin and aspirin for migraine in mice lacking BRCA1."
    assert rec([text]) == [[(12, 19, "CHEMICAL"), (24, 32, "DISEASE"), (49, 54, "GENE")]]
    assert rec.name == str(path)


@pytest.mark.parametrize("name", ["no_such_spacy_model", "/nonexistent/dir", ""])
def test_bad_name_raises(name, tmp_path):
    with pytest.raises(ReviewExtractError) as ei:
        load_recognizer(name)
    assert "\n" not in str(ei.value)


def test_dir_without_pipeline_raises(tmp_path):
    with pytest.raises(ReviewExtractError):
        load_recognizer(str(tmp_path))


def test_score_strict():
    from pipeline.ner.evaluate import score

    res = score([{(0, 5, "CHEMICAL"), (10, 20, "DISEASE")}], [{(0, 5, "CHEMICAL"), (10, 19, "DISEASE")}])
    assert res["overall"]["tp"] == 1 and res["overall"]["fp"] == 1 and res["overall"]["fn"] == 1
    assert res["per_type"]["CHEMICAL"]["f1"] == 100.0
    assert res["per_type"]["DISEASE"]["f1"] == 0.0


def test_read_iob_and_tokenizer():
    from pipeline.ner.training.data import read_iob
    from pipeline.ner.tokenizer import blank_bio_nlp

    p = DATA / "tiny.iob.tsv"
    docs = read_iob(p)
    d = docs[0]
    assert [(d.text[s:e], lab) for s, e, lab in d.ents] == [("L - dopa", "Chemical"), ("dyskinesia", "Disease")]
    nlp = blank_bio_nlp()
    doc = nlp("cocaine-induced 5-HT/NE release")
    assert doc.char_span(0, 7) is not None  # "cocaine" is a token
    assert [t.text for t in doc][:3] == ["cocaine", "-", "induced"]


def test_eval_command_iob(tmp_path):
    out = tmp_path / "iob.json"
    rc = ner_main(["ner", "eval", "--iob", str(DATA / "tiny.iob.tsv"), "--no-speed", "--json", str(out)])
    assert rc == 0
    res = json.loads(out.read_text())
    assert set(res["per_type"]) <= {"CHEMICAL", "DISEASE"} and "wps" not in res


def test_postprocessing_rules():
    from pipeline.ner.recognizers import extend_codes, propagate

    text = "Indomethacin (IDM) lowered renin; IDM and Indomethacin again."
    spans = [(0, 12, "CHEMICAL")]
    got = propagate(text, spans)
    assert (14, 17, "CHEMICAL") in got and (34, 37, "CHEMICAL") in got and (42, 54, "CHEMICAL") in got
    text = "SM-5887 and BN 52021 were given."
    assert extend_codes(text, [(0, 2, "CHEMICAL"), (12, 14, "CHEMICAL")]) == [(0, 7, "CHEMICAL"), (12, 20, "CHEMICAL")]


def test_lexicon_file_shipped():
    from pipeline.ner.lexicon import LEXICON_PATH, LexiconMatcher

    m = LexiconMatcher(LEXICON_PATH, sources=("drugs",))
    assert m.terms.get("pembrolizumab") == "CHEMICAL"
    assert m.match_tokens(["cisplatin", "and", "l", "-", "dopa"]) == [(0, 1, "CHEMICAL"), (2, 5, "CHEMICAL")]

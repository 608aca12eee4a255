"""The `document` and `references` kinds of the evaluator, and the entity curation rules."""
from __future__ import annotations

from pipeline.evaluate import parse_gold, score
from pipeline.ner.review_rules import curated

GOLD = {"format": "review-gold/1",
        "document": {"title": "A trial of things", "doi": "10.1/ABC", "journal": "J Test", "authors": ["A B", "C D"]},
        "references": [{"number": 1, "text": "Doe J. A paper about things. J Test 2012;1:1-2."},
                       {"number": 2, "text": "Roe R. Another paper entirely. J Test 2013;2:3-4."},
                       {"number": 3, "text": "Berg A. A third one on a new topic. J Test 2014;3:5-6."}]}


def _run(front, refs):
    return {"document": [front], "references": refs}


def test_document_fields_scored_as_attributes():
    s = score(parse_gold(GOLD), _run({"title": "A Trial of Things", "doi": "10.1/abc", "journal": None,
                                      "authors": ["A B"]}, []))
    d = s.kinds["document"]
    assert (d.tp, d.fp, d.fn) == (2, 1, 2)  # title, doi right; authors count wrong; journal missing
    assert {k: a.correct for k, a in d.attributes.items()} == {"title": 1, "doi": 1, "journal": 0, "authors": 0}


def test_references_matched_by_number_then_text():
    refs = [{"number": 1, "text": "Doe J. A paper about things. J Test 2012;1:1-2.", "page": 9},
            # two entries run together: the text no longer matches entry 2 well enough on its own
            {"number": 2, "text": "Roe R. Another paper entirely. J Test 2013;2:3-4. Berg A. A third one on a new "
                                  "topic. J Test 2014;3:5-6.", "page": 9}]
    r = score(parse_gold(GOLD), _run({}, refs)).kinds["references"]
    assert (r.tp, r.fp, r.fn) == (2, 0, 1)
    assert r.attributes["count"].correct == 0 and r.attributes["text"].correct == 1
    unnumbered = [{"number": None, "text": g["text"], "page": 1} for g in reversed(GOLD["references"])]
    r = score(parse_gold(GOLD), _run({}, unnumbered)).kinds["references"]
    assert (r.tp, r.fp, r.fn, r.attributes["count"].correct) == (3, 0, 0, 1)


def test_gold_without_the_kinds_does_not_score_them():
    s = score(parse_gold({"format": "review-gold/1", "document": {"file": "x.pdf"}}), _run({}, []))
    assert not s.kinds["document"].scored and not s.kinds["references"].scored


def test_curated_drops_what_a_curator_would_not_keep():
    for text, label in [("PhD", "CHEMICAL"), ("Oct 11, 2013", "CHEMICAL"), ("telephone", "CHEMICAL"),
                        ("besides", "CHEMICAL"), ("Lancet Respir Med 2014", "DISEASE"), ("huge", "DISEASE"),
                        ("Figure", "DISEASE"), (".042", "DISEASE"), ("Hernández C", "DISEASE"), ("RFS", "CHEMICAL"),
                        ("NCT00874224", "CHEMICAL"), ("Open versus laparoscopic liver", "DISEASE"),
                        ("hemihepatectomies", "DISEASE")]:
        assert not curated(text, label), text
    for text, label in [("cancer", "DISEASE"), ("pain", "DISEASE"), ("nicotine", "CHEMICAL"),
                        ("capecitabine", "CHEMICAL"), ("colorectal liver metastases", "DISEASE"),
                        ("hepatocellular carcinoma", "DISEASE")]:
        assert curated(text, label), text
    assert not curated("estrogen", "CHEMICAL", " receptor (ER) status")
    assert curated("cisplatin", "CHEMICAL", " 75 mg/m2 on day 1")

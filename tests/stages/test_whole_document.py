"""The whole document (issue 13): lines rebuilt from words, reference lists split, front matter read."""
from __future__ import annotations

from pathlib import Path

import pytest
from builders import Page, Super, Text, build, lines

from pipeline.settings import Settings
from pipeline.stages.layout import layout
from pipeline.stages.parse.reader import parse
from pipeline.stages.segment.segmenter import segment
from pipeline.stages.tables.locate import find_tables
from schemas.raw import Block, Line, Page as RawPage, RawDocument, Span

S = Settings(ner=False)
REAL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "real"


def _span(text, x0, y, size=9.0):
    return Span(text=text, bbox=(x0, y - size, x0 + 5.0 * len(text), y + 2), font="Times", size=size, bold=False,
                italic=False, superscript=False, origin_y=y)


def _raw(lines_: list[list[Span]]) -> RawDocument:
    blocks = [Block(bbox=(sp[0].bbox[0], sp[0].bbox[1], sp[-1].bbox[2], sp[0].bbox[3]),
                    lines=[Line(bbox=(s.bbox[0], s.bbox[1], s.bbox[2], s.bbox[3]), spans=[s]) for s in sp]) for sp in lines_]
    page = RawPage(number=1, width=595, height=842, rotation=0, has_text_layer=True, image_count=0, drawing_count=0,
                   blocks=blocks, rules=[], images=[])
    return RawDocument(file="w.pdf", sha256="0" * 64, page_count=1, metadata={}, pages=[page])


def test_justified_words_returned_one_per_line_are_one_line():
    # each word its own raw line (as PyMuPDF returns some justified lines), gaps wider than a space
    x, words, spans = 60.0, "analyses were also manually screened to further obtain".split(), []
    for w in words:
        spans.append(_span(w, x, 300))
        x += 5.0 * len(w) + 7.5
    other_column = [_span("Right", 420, 300)]  # same baseline, across a 30 pt gutter: never joined
    laid = layout(_raw([spans, other_column]), S)
    texts = [ln.text for ln in laid.pages[0].lines]
    assert texts == ["analyses were also manually screened to further obtain", "Right"]


def test_words_on_other_baselines_stay_apart():
    laid = layout(_raw([[_span("first", 60, 300)], [_span("second", 92, 312)]]), S)
    assert [ln.text for ln in laid.pages[0].lines] == ["first", "second"]


def _article(tmp_path, refs: list[Text]) -> object:
    p1 = [
        Text(60, 80, "A Review of Testing Documents for Segmentation", 18, "hebo"),
        Text(60, 110, "Jane Q Doe, MD, PhD, Richard Roe", 10), Super("1"), Text(250, 110, ", and Ann van Berg, MSc", 10),
        Text(60, 124, "1 Department of Testing, University of Nowhere, Nowhere", 8),
        Text(60, 136, "Published Online March 3, 2020", 8),
        Text(60, 148, "Test J Med 2020; 12: 34-56", 8),
        Text(60, 160, "https://doi.org/10.1234/ tjm.2020.0042", 8),
        Text(60, 190, "Abstract", 11, "hebo"),
        *lines(60, 208, ["This abstract says what the review covers in two short lines of text that run",
                         "across the whole width of the page."]),
        Text(60, 250, "1. INTRODUCTION", 11, "hebo"),
        *lines(60, 268, ["The introduction is a short paragraph that ends here."]),
        Text(60, 300, "REFERENCES", 11, "hebo"),
        *refs,
    ]
    pdf = build(tmp_path / "art.pdf", [Page(items=p1)])
    raw = parse(pdf, S)
    return segment(layout(raw, S), find_tables(raw, S), S)


NUMBERED = [  # numbers set apart from their entries, as some journals print them; "2012; 380" wraps to a line start
    Text(60, 318, "1", 8), Text(72, 318, "Doe J, Roe R. A paper about things. J Test", 8),
    Text(72, 328, "2012; 380: 1-2.", 8),
    Text(60, 338, "2", 8), Text(72, 338, "Roe R. Another paper with a title that wraps onto", 8),
    Text(72, 348, "a second line. J Test 2013; 2: 3-4.", 8),
    Text(60, 358, "3", 8), Text(72, 358, "Berg A. A third paper. J Test 2014; 3: 5-6.", 8),
]
AUTHOR_YEAR = [  # hanging indent, no numbers
    Text(60, 318, "Doe J, Roe R (2012) A paper about things that wraps", 8),
    Text(72, 328, "onto a second line. J Test 1: 1-2.", 8),
    Text(60, 338, "Roe R (2013) Another paper. J Test 2: 3-4.", 8),
    Text(60, 348, "van Berg A (2014) A third paper with a long title that", 8),
    Text(72, 358, "wraps as well. J Test 3: 5-6.", 8),
]


def test_numbered_reference_list_split_into_entries(tmp_path):
    doc = _article(tmp_path, NUMBERED)
    assert [r.number for r in doc.references] == [1, 2, 3]
    assert doc.references[0].text == "Doe J, Roe R. A paper about things. J Test 2012; 380: 1-2."
    assert doc.references[1].text.endswith("a second line. J Test 2013; 2: 3-4.")
    assert [b.text[:1] for b in doc.blocks if b.kind == "reference"] == ["1", "2", "3"]


def test_author_year_reference_list_split_by_hanging_indent(tmp_path):
    doc = _article(tmp_path, AUTHOR_YEAR)
    assert [r.number for r in doc.references] == [None, None, None]
    assert [r.text.split(" (")[0] for r in doc.references] == ["Doe J, Roe R", "Roe R", "van Berg A"]


def test_front_matter_authors_degrees_dates_doi_journal(tmp_path):
    fm = _article(tmp_path, NUMBERED).front
    assert fm.title == "A Review of Testing Documents for Segmentation"
    assert fm.authors == ["Jane Q Doe", "Richard Roe", "Ann van Berg"]
    assert fm.dates == {"published": "March 3, 2020"}
    assert fm.doi == "10.1234/tjm.2020.0042"
    assert fm.journal == "Test J Med"


@pytest.mark.skipif(not (REAL / "rct_lancetrespmed2014_stopadvisor.pdf").is_file(), reason="shared corpus absent")
def test_real_article_front_and_references():
    pdf = REAL / "onc_medicine2018_nlr_breast_meta.pdf"
    raw = parse(pdf, S)
    laid = layout(raw, S)
    short = [ln.text for p in laid.pages for ln in p.lines if ln.text in ("were", "also", "manually")]
    assert short == []  # justified lines are whole again
    doc = segment(laid, find_tables(raw, S), S)
    assert [r.number for r in doc.references] == list(range(1, 49))
    assert doc.front.authors == ["Junwu Duan", "Linlin Pan", "Ming Yang"]

"""Segment: headings with levels, paragraphs across column and page breaks, captions, references."""
from __future__ import annotations

from builders import Page, Text, build, lines, running_furniture

from pipeline.stages.layout import layout
from pipeline.stages.parse.reader import parse
from pipeline.stages.segment.segmenter import segment
from pipeline.settings import Settings
from pipeline.stages.tables.locate import find_tables

S = Settings(ner=False)


def _doc(tmp_path):
    p1 = running_furniture(1, 2) + [
        Text(60, 80, "A Review of Testing Documents", 18, "hebo"),
        Text(60, 110, "Abstract", 11, "hebo"),
        *lines(60, 128, ["This abstract says what the review covers in two short lines of text that run", "across the whole width of the page."]),
        Text(60, 170, "1. INTRODUCTION", 11, "hebo"),
        *lines(60, 188, ["The first paragraph of the introduction", "runs over several lines and stops", "in the middle of a"]),
        *lines(320, 188, ["sentence that continues in the right", "column until it ends here. A second", "sentence is also here."]),
        Text(320, 240, "1.1. Background of the field", 10, "hebo"),
        *lines(320, 258, ["Background text is short and ends."]),
        Text(320, 290, "Figure 1. A caption about the figure.", 9),
        *lines(320, 320, ["A paragraph that starts on the first", "page and goes on to the next page", "without a full stop at the end of the"]),
    ]
    p2 = running_furniture(2, 2) + [
        *lines(60, 80, ["page, where it finally ends with a full stop."]),
        Text(60, 120, "2. CONCLUSION", 11, "hebo"),
        *lines(60, 138, ["Conclusions are drawn."]),
        Text(60, 170, "REFERENCES", 11, "hebo"),
        *lines(60, 188, ["1. Doe J. A paper about things. J Test. 2020;1:1-2.", "2. Roe R. Another paper that has a longer title and",
                         "     wraps onto a second line. J Test. 2021;2:3-4."], size=9),
    ]
    pdf = build(tmp_path / "seg.pdf", [Page(items=p1), Page(items=p2)])
    raw = parse(pdf, S)
    return segment(layout(raw, S), find_tables(raw, S), S)


def test_headings_levels_and_paths(tmp_path):
    doc = _doc(tmp_path)
    got = [(h.number, h.title, h.level) for h in doc.headings]
    assert got == [(None, "Abstract", 1), ("1", "INTRODUCTION", 1), ("1.1", "Background of the field", 2),
                   ("2", "CONCLUSION", 1), (None, "REFERENCES", 1)]
    assert doc.headings[2].path == ["INTRODUCTION", "Background of the field"]


def test_paragraphs_merge_across_columns_and_pages(tmp_path):
    doc = _doc(tmp_path)
    paras = [b for b in doc.blocks if b.kind == "paragraph"]
    texts = [b.text for b in paras]
    assert ("The first paragraph of the introduction runs over several lines and stops in the middle of a "
            "sentence that continues in the right column until it ends here. A second sentence is also here.") in texts
    cross = next(b for b in paras if b.text.startswith("A paragraph that starts"))
    assert cross.text.endswith("finally ends with a full stop.")
    assert {f.page for f in cross.fragments} == {1, 2}
    assert cross.section == ["INTRODUCTION", "Background of the field"]


def test_caption_abstract_and_references(tmp_path):
    doc = _doc(tmp_path)
    caps = [b for b in doc.blocks if b.kind == "caption"]
    assert caps[0].label == "Figure 1" and caps[0].text.startswith("Figure 1. A caption")
    assert [b.kind for b in doc.blocks].count("abstract") == 1
    assert [r.number for r in doc.references] == [1, 2]
    assert doc.references[1].text.endswith("J Test. 2021;2:3-4.")
    assert doc.front.title == "A Review of Testing Documents"


def test_run_in_abstract_and_italic_numbered_subheadings(tmp_path):
    page = running_furniture(1, 1) + [
        Text(60, 80, "Title of an MDPI-like Review Article", 18, "hebo"),
        *lines(60, 120, ["Abstract: Background of the review stated in a run-in abstract that", "goes on for two lines."]),
        Text(60, 170, "1. Introduction", 10, "tibo"),
        *lines(60, 188, ["Body text of the introduction, long enough to be a paragraph of its own."]),
        Text(60, 220, "1.1. Search Strategy", 10, "tiit"),
        *lines(60, 238, ["We searched the databases in the usual way and found the usual things."]),
    ]
    pdf = build(tmp_path / "mdpi.pdf", [Page(items=page)])
    raw = parse(pdf, S)
    doc = segment(layout(raw, S), find_tables(raw, S), S)
    assert [(h.title, h.level) for h in doc.headings] == [("Abstract", 1), ("Introduction", 1), ("Search Strategy", 2)]
    (abstract,) = [b for b in doc.blocks if b.kind == "abstract"]
    assert abstract.text.startswith("Background of the review")


def test_labels_ending_in_colon_are_not_headings_but_titled_appendices_are(tmp_path):
    page = running_furniture(1, 1) + [
        Text(60, 80, "Introduction", 11, "hebo"),
        *lines(60, 98, ["Body text of the introduction, long enough to be a paragraph of its own."]),
        *lines(60, 300, ["A long body paragraph follows here so that bold lines are rare in this document,"] * 14),
        Text(60, 130, "Primary and secondary outcome measures:", 10, "hebo"),
        *lines(60, 148, ["Planned quantitative and qualitative evaluation addressed enjoyment."]),
        Text(60, 180, "Appendix 4: trial sites, principal investigators and research", 10, "hebo"),
        Text(60, 192.5, "coordinators", 10, "hebo"),
        *lines(60, 210, ["Beaumont Hospital, Ireland: the investigators who took part in the trial."]),
    ]
    pdf = build(tmp_path / "labels.pdf", [Page(items=page)])
    raw = parse(pdf, S)
    doc = segment(layout(raw, S), find_tables(raw, S), S)
    titles = [h.title for h in doc.headings]
    assert "Primary and secondary outcome measures:" not in titles
    assert "Appendix 4: trial sites, principal investigators and research coordinators" in titles


def test_first_page_margin_column_is_front_matter(tmp_path):
    body = ["Body text of the article runs in the main column of the page and goes on"] * 12
    side = ["Published Online", "September 25, 2014", "Health Research Centre,", "University College London,",
            "London, UK", "Correspondence to: Dr A Author"]
    page = running_furniture(1, 1) + [
        Text(40, 80, "A Title Over The Main Column", 18, "hebo"),
        Text(40, 120, "Introduction", 11, "hebo"),
        *lines(40, 140, body),
        *lines(460, 140, side, size=6.5),
    ]
    pdf = build(tmp_path / "margin.pdf", [Page(items=page)])
    raw = parse(pdf, S)
    doc = segment(layout(raw, S), find_tables(raw, S), S)
    kinds = {b.text[:16]: b.kind for b in doc.blocks}
    assert kinds["Published Online"] == "front"
    assert kinds["Body text of the"] == "paragraph"

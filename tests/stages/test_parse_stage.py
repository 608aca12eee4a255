"""Parse: spans with style flags, rules, metadata, text-layer detection, vertical text turned upright."""
from __future__ import annotations

import pymupdf
from builders import Page, Super, Text, build

from pipeline.stages.parse.reader import parse
from pipeline.settings import Settings

S = Settings(ner=False)


def test_spans_flags_rules_and_metadata(tmp_path):
    items = [Text(60, 100, "A bold heading", 12, "hebo"), Text(60, 130, "Body text with a citation"), Super("[3]"),
             Text(60, 160, "Italic words", 10, "tiit"), Text(60, 200, "Table 1. Rules are read on pages with a table")]
    pdf = build(tmp_path / "p.pdf", [Page(items=items, rules=[(60, 140, 500, 140)])],
                metadata={"title": "Parse test", "author": "A. Author"})
    raw = parse(pdf, S)
    assert raw.page_count == 1 and raw.metadata["title"] == "Parse test" and len(raw.sha256) == 64
    spans = [s for b in raw.pages[0].blocks for ln in b.lines for s in ln.spans]
    by_text = {s.text.strip(): s for s in spans}
    assert by_text["A bold heading"].bold and not by_text["Body text with a citation"].bold
    assert by_text["[3]"].superscript or by_text["[3]"].size < 8
    assert by_text["Italic words"].italic
    assert any(r.horizontal and abs(r.bbox[1] - 140) < 1 for r in raw.pages[0].rules)
    assert raw.pages[0].has_text_layer


def test_rules_are_read_only_near_table_captions(tmp_path):
    no_table = Page(items=[Text(60, 100, "Just prose on this page, ruled for decoration.")], rules=[(60, 140, 500, 140)])
    captioned = Page(items=[Text(60, 100, "Table 2. Results")], rules=[(60, 140, 500, 140)])
    after = Page(items=[Text(60, 100, "The table goes on here.")], rules=[(60, 140, 500, 140)])
    raw = parse(build(tmp_path / "r.pdf", [no_table, captioned, after]), S)
    assert [bool(p.rules) for p in raw.pages] == [False, True, True]


def test_page_without_text_layer_is_flagged(tmp_path):
    pdf = build(tmp_path / "scan.pdf", [Page(image_only=True), Page(items=[Text(60, 100, "A page that has real text on it.")])])
    raw = parse(pdf, S)
    assert [p.has_text_layer for p in raw.pages] == [False, True]
    assert raw.pages[0].image_count == 1


def test_vertical_text_page_is_read_upright(tmp_path):
    path = tmp_path / "landscape.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, text in enumerate(["Table 3 Rotated table caption", "Name Value", "Alpha 12"]):
        page.insert_text((100 + 20 * i, 700), text, fontsize=10, rotate=90)
    doc.save(path)
    raw = parse(path, S)
    p = raw.pages[0]
    assert (p.width, p.height) == (842, 595) and p.rotation == 90
    lines = [ln for b in p.blocks for ln in b.lines]
    texts = ["".join(s.text for s in ln.spans) for ln in sorted(lines, key=lambda ln: ln.bbox[1])]
    assert texts[0].startswith("Table 3")
    for ln in lines:  # upright: wider than tall
        assert ln.bbox[2] - ln.bbox[0] > ln.bbox[3] - ln.bbox[1]


def test_rectangle_rules_drawn_right_to_left_are_read(tmp_path):
    # a `re` with negative width (drawn from its right edge): PyMuPDF reports x0 > x1
    pdf = build(tmp_path / "r.pdf", [Page(items=[Text(60, 100, "Table 1. Rules drawn backwards")])])
    doc = pymupdf.open(pdf)
    xref = doc[0].get_contents()[0]
    doc.update_stream(xref, doc.xref_stream(xref) + b"\nq 0 g 500 700 -440 0.5 re f Q\n")
    doc.save(tmp_path / "r2.pdf")
    raw = parse(tmp_path / "r2.pdf", S)
    rules = [r.bbox for r in raw.pages[0].rules if r.horizontal]
    assert any(abs(b[0] - 60) < 1 and abs(b[2] - 500) < 1 and abs(b[1] - 142) < 1.5 for b in rules), rules


def test_lone_symbol_font_glyph_and_span_gap_spacing(tmp_path):
    # a math font's "=" that maps to "¼" is its own span; a gap between spans is a word space
    w = pymupdf.get_text_length("n", fontname="tiro", fontsize=10)
    items = [Text(60, 100, "n", 10, "tiro"), Text(60 + w + 2.5, 100, "¼", 10, "helv"),
             Text(60 + w + 5 + pymupdf.get_text_length("¼", fontname="helv", fontsize=10), 100, "6 rats", 10, "tiro"),
             Text(60, 130, "p", 10, "tiit"), Text(60 + w + 2.0, 130, "value", 10, "tiro")]
    raw = parse(build(tmp_path / "s.pdf", [Page(items=items)]), S)
    texts = ["".join(s.text for s in ln.spans) for b in raw.pages[0].blocks for ln in b.lines]
    assert any(t.startswith("n = 6 rats") for t in texts), texts
    assert any(t.startswith("p value") for t in texts), texts

"""Layout: reading order across columns, page furniture, hyphens, superscript markers."""
from __future__ import annotations

from builders import Page, Super, Text, build, lines, running_furniture

from pipeline.stages.layout import layout
from pipeline.stages.parse.reader import parse
from pipeline.settings import Settings

S = Settings(ner=False)

LEFT = ["Left column first line of text that", "continues here and then the text", "goes on to the end of the column."]
RIGHT = ["Right column starts here with more", "words that belong after the left", "column in reading order, always."]


def _two_column(tmp_path, n_pages=3):
    pages = []
    for n in range(1, n_pages + 1):
        items = running_furniture(n, n_pages)
        items += [Text(60, 90, f"A FULL WIDTH TITLE LINE THAT SPANS BOTH COLUMNS OF PAGE {n}", 12, "hebo")]
        items += lines(60, 130, LEFT) + lines(320, 130, RIGHT)
        pages.append(Page(items=items))
    return build(tmp_path / "twocol.pdf", pages)


def test_columns_read_left_then_right_and_furniture_removed(tmp_path):
    laid = layout(parse(_two_column(tmp_path), S), S)
    for page in laid.pages:
        texts = [ln.text for ln in page.lines]
        assert texts[0].startswith("A FULL WIDTH TITLE")
        assert texts[1:4] == LEFT and texts[4:7] == RIGHT
        assert any("Page" in f for f in page.furniture)
        assert any("Doe et al." in f for f in page.furniture)
        assert not any("Page " in t and " of " in t for t in texts)


def test_line_end_hyphens_by_rule(tmp_path):
    text = ["We aim to ex-", "pand the immune-", "related toxicity data of LEN-", "TAP and cy-",
            "clophosphamide with the HER2-", "negative group."]
    pdf = build(tmp_path / "hy.pdf", [Page(items=lines(60, 100, text))])
    laid = layout(parse(pdf, S), S)
    joins = [ln.join for ln in laid.pages[0].lines]
    assert joins[:5] == ["join", "hyphen", "hyphen", "join", "hyphen"]


def test_superscript_citations_become_markers_and_plus_signs_stay(tmp_path):
    items = [Text(60, 100, "the mutational burden"), Super("[2]"), Text(60, 115, "with CD8"), Super("+"),
             Text(60, 130, "in 45%"), Super("12")]
    # place the runs after Super on their own baseline, as a typesetter would
    pdf = build(tmp_path / "sup.pdf", [Page(items=items)])
    laid = layout(parse(pdf, S), S)
    texts = [ln.text for ln in laid.pages[0].lines]
    assert texts[0] == "the mutational burden"
    assert laid.pages[0].lines[0].markers[0].text == "[2]"
    assert texts[1] == "with CD8⁺"
    assert texts[2] == "in 45%" and laid.pages[0].lines[2].markers[0].text == "12"


def test_space_after_ligature_glyph_closed_only_inside_words():
    from pipeline.core.textnorm import clean

    assert clean("the eﬀ ectiveness was veriﬁ ed") == "the effectiveness was verified"
    assert clean("in eﬀ ect") == "in effect"
    assert clean("staﬀ members") == "staff members"

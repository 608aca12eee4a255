"""pipeline.gold: review-gold/1 from publisher XML (JATS and BMC art), one test per rule."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.gold import convert, gold_from_xml, gold_json, write_gold
from pipeline.gold.percentages import in_text
from pipeline.gold.registries import find_ids

CORPUS = Path("/work/shared/corpus/jats")
if not CORPUS.is_dir():
    CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "jats"


def jats(body: str, back: str = "", abstract: str = "<p>An abstract.</p>") -> str:
    return f"""<?xml version="1.0"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta>
<article-id pub-id-type="doi">10.1000/test.1</article-id>
<title-group><article-title>A test article</article-title></title-group>
<abstract>{abstract}</abstract></article-meta></front>
<body>{body}</body><back>{back}</back></article>"""


def write(tmp_path: Path, text: str, name: str = "a.xml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def gold(tmp_path, text, pdf=None):
    return gold_from_xml(write(tmp_path, text), pdf)


def make_pdf(path: Path, lines: list[str]) -> Path:
    import pymupdf
    doc = pymupdf.open()
    page = doc.new_page()
    y = 60
    for line in lines:
        page.insert_text((50, y), line, fontsize=10)
        y += 16
    doc.save(str(path))
    doc.close()
    return path


# ---------------------------------------------------------------- sections

def test_sections_levels_abstract_and_back_matter(tmp_path):
    body = """<sec><label>1</label><title>Introduction</title><p>x</p></sec>
      <sec><title>Methods</title><sec><title>Design</title><sec><title>Sites</title></sec></sec>
      <sec><p>untitled wrapper</p><sec><title>Analysis</title></sec></sec></sec>"""
    back = """<ack><title>Acknowledgements</title><p>We thank.</p></ack>
      <notes><title>Declarations</title><sec><title>Funding</title><p>None.</p></sec></notes>
      <ref-list><title>References</title><ref id="r1"><mixed-citation>A. 2001.</mixed-citation></ref></ref-list>"""
    g = gold(tmp_path, jats(body, back))
    assert [(s.title, s.level) for s in g.sections] == [
        ("Abstract", 1), ("Introduction", 1), ("Methods", 1), ("Design", 2), ("Sites", 3),
        ("Analysis", 2), ("Acknowledgements", 1), ("Declarations", 1), ("Funding", 2), ("References", 1)]
    assert g.document.title == "A test article" and g.document.doi == "10.1000/test.1"


def test_run_in_heads_dropped_own_line_heads_kept(tmp_path):
    abstract = """<sec><title>Background</title><p>Short background text.</p></sec>
                  <sec><title>Results</title><p>It worked.</p></sec>"""
    body = """<sec><title>Background</title><p>Long text.</p></sec>
      <sec><title>Statistical analysis of the long and wrapping heading</title><p>t</p></sec>
      <sec><title>Results</title><sec><title>Subgroup</title><p>Subgroup text</p></sec></sec>
      <sec><title>Not printed anywhere</title><p>q</p></sec>"""
    back = '<ref-list><ref id="r1"><mixed-citation>A. 2001.</mixed-citation></ref></ref-list>'
    pdf = make_pdf(tmp_path / "a.pdf", [
        "Abstract", "Background: Short background text.", "Results: It worked.",
        "Background", "Long text.", "2.3 Statistical analysis of the long", "and wrapping heading", "t",
        "Results", "Subgroup. Subgroup text", "REFERENCES", "1. A. 2001."])
    conv = convert(write(tmp_path, jats(body, back, abstract)), pdf)
    assert [(s.title, s.level) for s in conv.gold.sections] == [
        ("Abstract", 1), ("Background", 1), ("Statistical analysis of the long and wrapping heading", 1),
        ("Results", 1), ("REFERENCES", 1)]
    reasons = {(d.candidate.where, d.title): d.reason for d in conv.decisions}
    assert reasons[("abstract", "Background")] == "run in"
    assert reasons[("body", "Background")] == "own line"
    assert reasons[("body", "Subgroup")] == "run in"
    assert reasons[("body", "Not printed anywhere")].startswith("not found")
    # without the PDF every titled section is kept and the implied heading is not
    g = gold(tmp_path, jats(body, back, abstract))
    assert [s.title for s in g.sections][:3] == ["Abstract", "Background", "Results"]
    assert "REFERENCES" not in [s.title for s in g.sections]


# ---------------------------------------------------------------- tables

TABLE = """<table-wrap id="t1"><label>Table 1</label><caption><title>Baseline characteristics</title>
<p>Of all patients<xref ref-type="table-fn" rid="f1">a</xref>.</p></caption>
<table><thead>
<tr><th rowspan="2">Characteristic</th><th colspan="2">Treatment</th><th rowspan="2">p</th></tr>
<tr><th>Drug, n (%)</th><th>Placebo, n (%)</th></tr></thead>
<tbody>
<tr><td>Male</td><td>18 (81.8)</td><td>10 (45.5)</td><td>0.02</td></tr>
<tr><td rowspan="2">Stage</td><td colspan="2">all stages II–III</td><td>0.5</td></tr>
<tr><td>4 (18.2)</td><td>12 (54.5%)</td><td></td></tr>
<tr><td>Age, mean (SD)</td><td>61 (5)</td><td>60 (7)</td><td>0.4</td></tr>
<tr><td></td><td></td><td></td><td></td></tr>
</tbody></table>
<table-wrap-foot><fn id="f1"><p><sup>a</sup>Values are n (%); 95% CI given.</p></fn></table-wrap-foot>
</table-wrap>"""


def test_multirow_header_spans_and_footnotes(tmp_path):
    g = gold(tmp_path, jats(f"<sec><title>Results</title><p>See Table 1.</p>{TABLE}</sec>"))
    (t,) = g.tables
    assert t.label == "Table 1"
    assert t.caption == "Baseline characteristics Of all patientsᵃ."
    assert t.header == ["Characteristic", "Drug, n (%)", "Placebo, n (%)", "p"]
    assert t.rows == [
        ["Male", "18 (81.8)", "10 (45.5)", "0.02"],
        ["Stage", "all stages II–III", "", "0.5"],   # colspan: text once, spanned position ""
        ["", "4 (18.2)", "12 (54.5%)", ""],          # rowspan: "" below its first row
        ["Age, mean (SD)", "61 (5)", "60 (7)", "0.4"],
    ]                                                  # the empty row is not printed


def test_spanning_cell_is_header_of_each_column_where_lowest(tmp_path):
    table = """<table-wrap><label>Table 2</label><caption><p>Doses</p></caption><table>
      <thead><tr><th>Arm</th><th colspan="2">Dose (mg)</th></tr><tr><th></th></tr></thead>
      <tbody><tr><td>A</td><td>1</td><td>2</td></tr></tbody></table></table-wrap>"""
    (t,) = gold(tmp_path, jats(f"<p>x</p>{table}")).tables
    assert t.header == ["Arm", "Dose (mg)", "Dose (mg)"]
    assert t.rows == [["A", "1", "2"]]


def test_image_only_table_and_table_without_header(tmp_path):
    body = """<table-wrap><label>Table 1</label><caption><title>Scanned</title></caption>
      <graphic xlink:href="t1.jpg"/></table-wrap>
      <table-wrap><label>Table 2.</label><caption><p>Table 2. Amendments</p></caption><table><tbody>
      <tr><td rowspan="2">SA01</td><td>First</td></tr><tr><td>Second</td></tr></tbody></table></table-wrap>"""
    g = gold(tmp_path, jats(body))
    data = json.loads(gold_json(g))
    assert data["tables"][0] == {"label": "Table 1", "caption": "Scanned"}
    assert data["tables"][1] == {"label": "Table 2", "caption": "Amendments", "header": ["", ""],
                                 "rows": [["SA01", "First"], ["", "Second"]]}


def test_superscripts_and_inline_markup(tmp_path):
    table = """<table-wrap><label>Table 1</label><caption><p>Cells</p></caption><table>
      <thead><tr><th>Dose<sup>b,c</sup></th><th>Area</th></tr></thead>
      <tbody><tr><td><bold>CD8</bold><sup>+</sup>  cells <italic>in   vivo</italic></td>
      <td>5 m<sup>2</sup><break/>total</td></tr></tbody></table></table-wrap>"""
    (t,) = gold(tmp_path, jats(f"<p>x</p>{table}")).tables
    assert t.header == ["Doseᵇᶜ", "Area"]
    assert t.rows == [["CD8⁺ cells in vivo", "5 m² total"]]


# ---------------------------------------------------------------- percentages

def test_percentages_in_text_ranges_and_qualifiers():
    got = [(p.value, p.qualifier) for p in in_text(
        "about 10% had 42-45% and from 9 to 13%, 27.3 vs 59.1%, between 5 and 6 %, −8%, "
        "95 % CI, Seventy two per cent, 3 percent, 10%–20%; 42-45 °C and 5 percentiles are not")]
    assert got == [(10, "about"), (42, None), (45, None), (9, None), (13, None), (27.3, None),
                   (59.1, None), (5, None), (6, None), (-8, None), (95, None), (72, None),
                   (3, None), (10, None), (20, None)]


def test_percentages_declared_by_n_percent_columns(tmp_path):
    g = gold(tmp_path, jats(f"<sec><title>Results</title><p>Rates were 12.5%.</p>{TABLE}</sec>",
                            abstract="<p>Response 40% (n=12).</p>"))
    assert [p.value for p in g.percentages] == [
        40,          # abstract
        12.5,        # body paragraph
        81.8, 45.5,  # "n (%)" column header (the p column is never declared)
        18.2, 54.5,  # declared and printed
        95,          # footnote (its "n (%)" declares only n (x) cells, and Age is a mean row)
    ]


def test_percentages_declared_by_row_label_and_bare_percent_header(tmp_path):
    table = """<table-wrap><label>Table 3</label><caption><p>Composition</p></caption><table>
      <thead><tr><th>Item</th><th>Value (%)</th><th>Count</th><th>Index</th></tr></thead>
      <tbody><tr><td>Maize</td><td>53</td><td>7</td><td>1.2</td></tr>
      <tr><td>Sex, n (%)</td><td></td><td></td><td></td></tr>
      <tr><td>Female</td><td>n/a</td><td>20 (40.0)</td><td>3</td></tr>
      <tr><td>Energy</td><td>12</td><td>1</td><td>3056</td></tr></tbody></table></table-wrap>"""
    g = gold(tmp_path, jats(f"<p>x</p>{table}"))
    # 53 and 12 from the "(%)" column (n/a is none); 40.0 from the group-head row "Sex, n (%)"
    assert [p.value for p in g.percentages] == [53, 40, 12]
    # a value above 100 shows a "%"-headed column is not one of percentages
    other = table.replace("<td>12</td>", "<td>250</td>")
    assert [p.value for p in gold(tmp_path, jats(f"<p>x</p>{other}")).percentages] == [40]


def test_references_author_notes_and_licence_are_not_read_for_percentages(tmp_path):
    text = jats("<p>Half (50%) agreed.</p>",
                '<ref-list><ref id="r1"><mixed-citation>Rates of 30% in 2001. NCT01234567</mixed-citation></ref></ref-list>')
    text = text.replace("<abstract>", "<author-notes><fn><p>Equal 50%.</p></fn></author-notes>"
                        "<permissions><license><p>100% open</p></license></permissions><abstract>")
    g = gold(tmp_path, text)
    assert [p.value for p in g.percentages] == [50]
    assert [(t.id, t.registry) for t in g.trials] == [("NCT01234567", "ClinicalTrials.gov")]


# ---------------------------------------------------------------- trials

def test_registry_ids_canonical_distinct_in_order():
    text = ("Registered NCT 0350-\n4397 and ISRCTN 14422743; EudraCT 2011-005235-22, again "
            "NCT03504397, PROSPERO CRD42018116433, ChiCTR-TRC-14004627, NL46051.041.13, "
            "ACTRN12609000827235 but not doi 10.1186/s13063-015-0586-4")
    assert [i for i, _ in find_ids(text)] == [
        "NCT03504397", "ISRCTN14422743", "2011-005235-22", "CRD42018116433",
        "ChiCTR-TRC-14004627", "NL46051.041.13", "ACTRN12609000827235"]


def test_trials_carry_id_and_registry_only(tmp_path):
    g = gold(tmp_path, jats("<p>Trial NCT01234567 and none else.</p>"))
    data = json.loads(gold_json(g))
    assert data["trials"] == [{"id": "NCT01234567", "registry": "ClinicalTrials.gov"}]
    assert "endpoints" not in data and "entities" not in data and "abbreviations" not in data
    assert gold(tmp_path, jats("<p>no ids</p>")).trials == []


# ---------------------------------------------------------------- BMC art DTD

ART = """<?xml version='1.0'?>
<art><ui>x</ui><fm><bibl><title><p>A BMC trial protocol</p></title>
<xrefbib><pubidlist><pubid idtype="doi">10.1186/test-2</pubid></pubidlist></xrefbib></bibl>
<abs><sec><st><p>Abstract</p></st>
  <sec><st><p>Background</p></st><p>About 15% respond.</p></sec>
  <sec><st><p>Trial registration</p></st><p>ISRCTN14422743</p></sec></sec></abs></fm>
<bdy><sec><st><p>Background</p></st><p>Text <abbrgrp><abbr bid="B1">1</abbr><abbr bid="B2">2</abbr></abbrgrp>.</p></sec>
<sec><st><p>Methods</p></st><sec><st><p>Design</p></st>
<p>See Table <tblr tid="T1">1</tblr>.
<table id="T1"><title><p>Table 1</p></title><caption><p><b>Visits</b></p></caption>
<tgroup cols="4"><colspec colname="c1" colnum="1"/><colspec colname="c2" colnum="2"/>
<colspec colname="c3" colnum="3"/><colspec colname="c4" colnum="4"/>
<thead><row><entry colname="c1"/><entry namest="c2" nameend="c4"><p>Day</p></entry></row>
<row><entry colname="c1" morerows="1"><p>Event</p></entry><entry colname="c2"><p>1</p></entry>
<entry colname="c3"><p>14<sup>a</sup></p></entry><entry colname="c4"><p>28</p></entry></row></thead>
<tfoot><p><sup>a</sup>By phone in 10% of visits.</p></tfoot>
<tbody><row><entry colname="c1" morerows="1"><p>Consent</p></entry><entry colname="c2"><p>X</p></entry></row>
<row><entry colname="c4"><p>X</p></entry></row>
<row><entry colname="c1"><p>Blood</p></entry><entry namest="c2" nameend="c3"><p>weekly</p></entry><entry colname="c4"><p>X</p></entry></row>
</tbody></tgroup></table></p></sec></sec>
<sec><st><p>Competing interests</p></st><p>None.</p></sec></bdy>
<bm><ack><sec><st><p>Acknowledgements</p></st><p>Thanks.</p></sec></ack>
<refgrp><bibl id="B1"><title><p>A 20% reference</p></title></bibl></refgrp></bm></art>"""


def test_bmc_art_sections_and_cals_table(tmp_path):
    g = gold(tmp_path, ART)
    assert g.document.title == "A BMC trial protocol" and g.document.doi == "10.1186/test-2"
    assert [(s.title, s.level) for s in g.sections] == [
        ("Abstract", 1), ("Background", 2), ("Trial registration", 2), ("Background", 1),
        ("Methods", 1), ("Design", 2), ("Competing interests", 1), ("Acknowledgements", 1)]
    (t,) = g.tables
    assert (t.label, t.caption) == ("Table 1", "Visits")
    assert t.header == ["Event", "1", "14ᵃ", "28"]
    assert t.rows == [["Consent", "X", "", ""], ["", "", "", "X"], ["Blood", "weekly", "", "X"]]
    assert [p.value for p in g.percentages] == [15, 10]   # not the reference list's 20%
    assert [t.id for t in g.trials] == ["ISRCTN14422743"]


def test_bmc_art_abstract_heads_checked_against_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", [
        "Abstract", "Background: About 15% respond.", "Trial registration: ISRCTN14422743",
        "Background", "Text [1,2].", "Methods", "Design", "See Table 1.", "Competing interests",
        "None.", "Acknowledgements", "Thanks.", "References", "1. A 20% reference"])
    g = gold(tmp_path, ART, pdf)
    assert [(s.title, s.level) for s in g.sections] == [
        ("Abstract", 1), ("Background", 1), ("Methods", 1), ("Design", 2),
        ("Competing interests", 1), ("Acknowledgements", 1), ("References", 1)]


# ---------------------------------------------------------------- files

def test_write_gold_is_deterministic_and_valid(tmp_path):
    from schemas.gold import GoldFile
    g = gold(tmp_path, jats(f"<p>x 5%</p>{TABLE}"))
    a = write_gold(g, tmp_path / "out" / "a.gold.json").read_bytes()
    b = write_gold(gold(tmp_path, jats(f"<p>x 5%</p>{TABLE}")), tmp_path / "b.gold.json").read_bytes()
    assert a == b
    data = json.loads(a)
    assert data["format"] == "review-gold/1" and data["document"]["file"] == "a.pdf"
    GoldFile.model_validate(data)


def test_cli_main_from_jats(tmp_path, capsys):
    from pipeline.cli.gold import main_from_jats
    xml = write(tmp_path, jats("<sec><title>Intro</title><p>9%</p></sec>"))
    assert main_from_jats([str(xml), "--no-pdf", "-o", str(tmp_path / "g.json"), "--explain"]) == 0
    assert json.loads((tmp_path / "g.json").read_text())["percentages"][0]["value"] == 9
    assert "keep" in capsys.readouterr().err
    assert main_from_jats([str(tmp_path / "missing.xml")]) == 2


# ---------------------------------------------------------------- a real pair

@pytest.mark.skipif(not (CORPUS / "bmc_trials2015_v16_a58.xml").is_file(), reason="shared corpus absent")
def test_real_pair_bmc_trials_rectal_boost():
    stem = CORPUS / "bmc_trials2015_v16_a58"
    g = gold_from_xml(stem.with_suffix(".xml"), stem.with_suffix(".pdf"))
    titles = [(s.title, s.level) for s in g.sections]
    assert titles[:3] == [("Abstract", 1), ("Background", 1), ("Methods/design", 1)]
    assert ("Study design", 2) in titles and ("References", 1) in titles
    assert ("Trial registration", 2) not in titles            # printed run in
    (t,) = g.tables
    assert t.header == ["Inclusion criteria", "Exclusion criteria"] and len(t.rows) == 7
    assert [x.id for x in g.trials] == ["NL46051.041.13", "NCT01951521", "NCT02070146", "ISRCTN14422743"]
    assert len(g.percentages) == 15      # the same 15 as the hand-labelled gold of this article


def test_tables_the_xml_lacks_leave_tables_and_percentages_unscored(tmp_path):
    xml = write(tmp_path, jats("<sec><title>Results</title><p>Rates were 12% (Table 1).</p></sec>"))
    printed = make_pdf(tmp_path / "p.pdf", ["Results", "Rates were 12% (Table 1).", "Table 1. Yields by site",
                                            "Site A 12 (40.0)"])
    g = gold(tmp_path, xml.read_text(), printed)
    assert g.tables is None and g.percentages is None  # the PDF prints a table the XML does not hold
    prose_only = make_pdf(tmp_path / "q.pdf", ["Results", "Rates were 12%.", "Table 1 shows the yields."])
    g = gold(tmp_path, xml.read_text(), prose_only)
    assert g.tables == [] and [p.value for p in g.percentages] == [12]

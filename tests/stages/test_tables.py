"""Tables: captions, bodies, cells; on PDFs the tests build and on the seed fixtures."""
from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import Text, make_pdf, paragraph, table, text_width

from pipeline.stages.parse.reader import parse
from pipeline.settings import Settings
from pipeline.stages.tables.locate import find_tables

S = Settings(ner=False)
FIX = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"
BODY = ("The combination was well tolerated in most patients and the response rates were higher than "
        "those of the historical controls, although the numbers were small and the follow-up was short. ") * 3
COLS4 = [60, 200, 330, 450]


def _tables(path):
    return find_tables(parse(path, S), S)


def _ruled_items():
    items = [Text(60, 60, "Table 1. Recent trials of combinations", 10, bold=True)]
    rows = [
        ["Treatment", "Tumor type", "Outcomes", "Identifier"],
        ["Zolbetuximab + mFOLFOX6", "Gastric carcinoma", "PFS: 10.6 months", ["NCT03504397", "Phase III, 2023"]],
        [["Capecitabine + cy-", "clophosphamide"], ["Metastatic HER2-", "negative breast cancer"], "ORR: 18.5%",
         ["NCT04389073", "Phase II, 2024"]],
        ["Anti-PD-1 + FMT", "NSCLC", "ORR: 80%", ["NCT04951583", "Phase II, 2025"]],
        ["", "Melanoma", "ORR: 75%", ""],
    ]
    tab, y = table(60, 70, COLS4, rows, x1=540, rules="rows", partial_rules={4: (195, 440)})
    items += tab
    items.append(Text(60, y + 12, "FMT: fecal microbiota transplantation; ORR: objective response rate.", 8))
    para, _ = paragraph(60, y + 40, BODY, 470, 11)
    return items + para


def test_ruled_table_with_multiline_cells_and_continuation_row(tmp_path):
    tabs = _tables(make_pdf(tmp_path / "ruled.pdf", [_ruled_items()]))
    assert len(tabs) == 1
    t = tabs[0]
    assert (t.id, t.label, t.caption, t.method) == ("t1", "Table 1", "Recent trials of combinations", "rules")
    assert t.header == ["Treatment", "Tumor type", "Outcomes", "Identifier"]
    assert t.rows == [
        ["Zolbetuximab + mFOLFOX6", "Gastric carcinoma", "PFS: 10.6 months", "NCT03504397 Phase III, 2023"],
        ["Capecitabine + cyclophosphamide", "Metastatic HER2-negative breast cancer", "ORR: 18.5%", "NCT04389073 Phase II, 2024"],
        ["Anti-PD-1 + FMT", "NSCLC", "ORR: 80%", "NCT04951583 Phase II, 2025"],
        ["", "Melanoma", "ORR: 75%", ""],
    ]
    assert t.continuation == [False, False, False, True]
    assert t.footnote == "FMT: fecal microbiota transplantation; ORR: objective response rate."
    assert t.pages == [1] and len(t.row_bboxes) == 4 and all(p == 1 for p, _ in t.row_bboxes)
    # the region covers caption, body and footnote, and stops before the paragraph below
    (page, box), = t.regions
    assert page == 1 and box[1] <= 52 and box[3] < tabs[0].row_bboxes[-1][1][3] + 25
    assert t.section == []


def test_rule_less_table_by_whitespace(tmp_path):
    items = [Text(60, 60, "Table 2 Baseline characteristics", 10, bold=True)]
    rows = [
        ["Characteristic", "Arm A", "Arm B"],
        ["Age, years", "61.2", "59.8"],
        [["Eastern Cooperative Oncology", "group score 0"], "34", "31"],
        ["Prior therapy", "12", "15"],
        ["Smoker", "20", "18"],
    ]
    tab, y = table(60, 70, [60, 250, 350], rows, rules="none")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "plain.pdf", [items + tab + para]))
    assert t.method == "whitespace" and t.label == "Table 2" and t.caption == "Baseline characteristics"
    assert t.header == ["Characteristic", "Arm A", "Arm B"]
    assert t.rows == [["Age, years", "61.2", "59.8"], ["Eastern Cooperative Oncology group score 0", "34", "31"],
                      ["Prior therapy", "12", "15"], ["Smoker", "20", "18"]]
    assert t.continuation == [False] * 4
    assert t.regions[0][1][3] < y + 20  # the paragraph below is not swallowed


def test_fully_ruled_grid(tmp_path):
    items = [Text(60, 60, "Table 1: Adverse events", 10, bold=True)]
    rows = [["Event", "Grade 1-2", "Grade 3-4"], ["Fatigue", "12", "2"], ["Nausea", "9", "1"], ["Rash", "7", "0"]]
    tab, y = table(60, 70, [64, 220, 360], rows, x1=480, rules="grid")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "grid.pdf", [items + tab + para]))
    assert t.header == ["Event", "Grade 1-2", "Grade 3-4"]
    assert t.rows == [["Fatigue", "12", "2"], ["Nausea", "9", "1"], ["Rash", "7", "0"]]
    assert t.method in ("rules", "pymupdf")


def test_table_continued_over_two_pages_is_one_table(tmp_path):
    head = ["Study", "Year", "Patients"]
    p1 = [Text(60, 60, "Table 3. Included studies", 10, bold=True)]
    tab, y = table(60, 70, [60, 250, 350], [head] + [[f"Study {i}", str(2000 + i), str(10 * i)] for i in range(1, 6)],
                   x1=450, rules="frame")
    p1 += tab
    p2 = [Text(60, 60, "Table 3. Cont.", 10, bold=True)]
    tab2, y2 = table(60, 70, [60, 250, 350], [head] + [[f"Study {i}", str(2000 + i), str(10 * i)] for i in range(6, 9)],
                     x1=450, rules="frame")
    p2 += tab2
    p2 += [Text(60, y2 + 12, "Values are n.", 8)]
    p2 += paragraph(60, y2 + 50, BODY, 470, 11)[0]
    tabs = _tables(make_pdf(tmp_path / "cont.pdf", [p1, p2]))
    assert len(tabs) == 1
    t = tabs[0]
    assert t.pages == [1, 2] and t.page == 1 and t.caption == "Included studies"
    assert t.header == head
    assert [r[0] for r in t.rows] == [f"Study {i}" for i in range(1, 9)]
    assert [p for p, _ in t.row_bboxes] == [1] * 5 + [2] * 3
    assert [p for p, _ in t.regions] == [1, 2]
    assert t.footnote == "Values are n."


def test_n_percent_table_right_aligned(tmp_path):
    items = [Text(60, 60, "Table 1 Baseline characteristics of participants", 10, bold=True)]
    rows = [["", "Intervention (n=50)", "Control (n=48)"],
            ["Female", "20 (40.0)", "18 (37.5)"],
            ["Age (years)", "39.8 (14.8)", "39.4 (14.3)"],
            ["Married", "5 (10.0)", "12 (25.0)"],
            ["Never previously used support in a", "", ""]]
    rows[-1] = [["Never previously used support in a", "quit attempt"], "16 (32.0)", "17 (35.4)"]
    tab, y = table(60, 70, [60, 250, 380], rows, x1=500, rules="frame", align=["l", "r", "r"], col_widths=[180, 90, 90])
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "npct.pdf", [items + tab + para]))
    assert t.header == ["", "Intervention (n=50)", "Control (n=48)"]
    assert t.rows == [["Female", "20 (40.0)", "18 (37.5)"], ["Age (years)", "39.8 (14.8)", "39.4 (14.3)"],
                      ["Married", "5 (10.0)", "12 (25.0)"], ["Never previously used support in a quit attempt", "16 (32.0)", "17 (35.4)"]]


def test_caption_below_table(tmp_path):
    rows = [["Outcome", "StopAdvisor", "Control"], ["Abstinence", "147 (12%)", "130 (11%)"], ["Relapse", "30 (3%)", "25 (2%)"]]
    para, y0 = paragraph(60, 60, BODY, 470, 11)
    tab, y = table(60, y0 + 20, [60, 250, 380], rows, x1=500, rules="frame", size=7)
    items = para + tab + [Text(60, y + 12, "Table 2: Effect on smoking cessation", 8, bold=True)]
    t, = _tables(make_pdf(tmp_path / "below.pdf", [items]))
    assert t.caption == "Effect on smoking cessation"
    assert t.header == ["Outcome", "StopAdvisor", "Control"]
    assert t.rows[0] == ["Abstinence", "147 (12%)", "130 (11%)"] and len(t.rows) == 2


def test_superscripts_in_cells(tmp_path):
    items = [Text(60, 60, "Table 1. Markers", 10, bold=True)]
    rows = [["Marker", "Cells", "Note"],
            [[Text(0, 0, "CD8"), Text(text_width("CD8") + 0.3, 0, "+", 6, rise=3)], "120", "High"],
            [[Text(0, 0, "Ki-67"), Text(text_width("Ki-67") + 0.3, 0, "12,13", 6, rise=3)], "35",
             [Text(0, 0, "Low"), Text(text_width("Low") + 0.3, 0, "a", 6, rise=3)]]]
    tab, y = table(60, 70, [60, 250, 380], rows, x1=500, rules="frame")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "sup.pdf", [items + tab + para]))
    assert t.rows[0][0] == "CD8⁺"
    assert t.rows[1][0] == "Ki-67"  # citation numbers dropped
    assert t.rows[1][2] == "Lowᵃ"


def test_figure_captions_and_text_references_are_not_tables(tmp_path):
    items = [Text(60, 60, "Figure 1. Table of contents graphic", 10, bold=True)]
    para, y = paragraph(60, 90, BODY, 470, 11)
    items += para
    items += [Text(60, y + 10, "Table 1 shows the trials that were included and their outcomes over time.", 11)]
    assert _tables(make_pdf(tmp_path / "fig.pdf", [items])) == []


def test_caption_without_body_is_kept(tmp_path):
    items = [Text(60, 60, "Table 4. Summary of the evidence", 10, bold=True)]
    items += paragraph(60, 90, BODY, 470, 11)[0]
    t, = _tables(make_pdf(tmp_path / "caponly.pdf", [items]))
    assert (t.label, t.caption, t.header, t.rows, t.method) == ("Table 4", "Summary of the evidence", [], [], "caption-only")


SEED_ROWS = [
    ["Zolbetuximab + mFOLFOX6", "Metastatic gastric carcinoma", "PFS: 10.6 months", "NCT03504397 Phase III, 2023"],
    ["αPD-1 + capecitabine + cyclophosphamide + vinorelbine", "Metastatic HER2-negative breast cancer",
     "ORR: 18.5%; PFS: 6.6 months; OS: 42.6 months", "NCT04389073 Phase II, 2024"],
    ["αPD-1 + lenvatinib + TACE", "Unresectable HCC", "SLR: 59.2%; ORR: 78.9%; PFS: 20.03 months", "NCT04997850 Phase II, 2026"],
    ["αPD-L1 + SBRT", "Metastatic NSCLC", "PFS: 15.56 months; OS: 40.5 months", "NCT02492568 Phase II, 2025"],
    ["Sintilimab + lenvatinib + cryoablation", "Advanced/metastatic intrahepatic cholangiocarcinoma",
     "ORR: 75%; PFS: 16.8 months; OS: 25.4 months", "NCT05010668 Phase II, 2025"],
    ["αPD-1 + dasatinib + quercetin", "HNSCC", "OS: up to 5 years", "NCT05724329 Phase II, 2025"],
    ["Sintilimab + carboplatin + nab-paclitaxel", "Oral/oropharyngeal squamous cell carcinoma", "ORR: 64.6%; OS: 24 months",
     "NCT04718415 Phase II, 2025"],
    ["Pembrolizumab + axitinib + FMT", "Metastatic renal cell carcinoma", "ORR: 52%; PFS: 24 months", "NCT04758507 Phase II, 2025"],
    ["αPD-1 + FMT", "NSCLC", "ORR: 80%", "NCT04951583 Phase II, 2025"],
    ["", "Melanoma", "ORR: 75%", ""],
]


@pytest.fixture(scope="module", params=["seed-review.pdf", "seed-review-2col.pdf"])
def seed_tables(request):
    return _tables(FIX / request.param)


def test_seed_table_1(seed_tables):
    assert len(seed_tables) == 1
    t = seed_tables[0]
    assert (t.label, t.caption, t.page, t.pages, t.method) == (
        "Table 1", "Most recent clinical trials of immunotherapy combinations", 4, [4], "rules")
    assert t.header == ["Treatment", "Tumor type", "Outcomes", "Identifier"]
    assert t.rows == SEED_ROWS
    assert t.continuation == [False] * 9 + [True]
    assert t.footnote.startswith("FMT: Fecal microbiota transplantation; ORR: objective response rate;")
    assert t.footnote.endswith("HER2: human epidermal growth factor receptor-2.")
    assert len(t.row_bboxes) == 10
    (page, box), = t.regions
    assert page == 4 and box[3] < 460  # the paragraph after the footnote stays out


def test_bmj_rotated_table_continued_over_two_pages():
    tabs = {t.label: t for t in _tables(FIX / "rct_bmjopen2016_goactive_pilot.pdf")}
    assert sorted(tabs) == ["Table 1", "Table 2", "Table 3", "Table 4", "Table 5"]
    t3 = tabs["Table 3"]
    assert t3.pages == [5, 6] and t3.header[0] == "Issue from feasibility study"
    assert t3.rows[0][0] == "Lack of mentors Mentors were not recruited as they had examinations."
    t2 = tabs["Table 2"]
    assert ["Sex N (% male)", "71 (43.3%)", "50 (43.5)", "164 (47.7%)"] in t2.rows
    t5 = tabs["Table 5"]
    assert t5.rows[0] == ["Types of PA", "19.2 (12.8)", "14.0 (9.4)", "19.8 (15.2)", "16.6 (14.0)", "2.3 (−0.2 to 4.7) p=0.07"]


def test_mdpi_landscape_table_over_five_pages_is_one_table():
    tabs = {t.label: t for t in _tables(FIX / "onc_cancers2019_cart_meta.pdf")}
    assert sorted(tabs) == ["Table 1", "Table 2", "Table 3"]
    t2 = tabs["Table 2"]
    assert t2.pages == [6, 7, 8, 9, 10]
    assert t2.caption == "Clinical trial characteristics."
    assert len(t2.header) == 14


def test_pymupdf_finder_on_a_grid_when_switched_on(tmp_path, monkeypatch):
    from pipeline.stages.parse import table_finder as parse_tables

    monkeypatch.setattr(parse_tables, "RUN_FINDER", True)
    items = [Text(60, 60, "Table 1: Adverse events", 10, bold=True)]
    rows = [["Event", "Grade 1-2", "Grade 3-4"], ["Fatigue", "12", "2"], ["Nausea", "9", "1"], ["Rash", "7", "0"]]
    tab, y = table(60, 70, [64, 220, 360], rows, x1=480, rules="grid")
    raw = parse(make_pdf(tmp_path / "grid.pdf", [items + tab]), S)
    (rt,) = raw.pages[0].tables
    assert rt.strategy == "lines" and rt.rows[1][:1] == ["Fatigue"]


def test_wrapped_header_wider_than_its_values(tmp_path):
    """Left-aligned header cells reach past their column's values into the gap: the column
    boundary goes in the gap's free part, and a header printed over two lines is one cell."""
    items = [Text(60, 60, "Table 2. Adverse events by grade", 10, bold=True)]
    rows = [["", ["Sintilimab: grade 1-2", "(n=119)"], ["Observation: grade 1-2", "(n=118)"]],
            ["Any adverse event", "84 (70.6)", "40 (33.9)"],
            ["Rash", "19 (16.0)", "4 (3.4)"],
            ["Fatigue", "30 (25.2)", "12 (10.2)"]]
    tab, y = table(60, 70, [60, 190, 300], rows, x1=420, rules="frame")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "hdr.pdf", [items + tab + para]))
    assert t.header == ["", "Sintilimab: grade 1-2 (n=119)", "Observation: grade 1-2 (n=118)"]
    assert t.rows[0] == ["Any adverse event", "84 (70.6)", "40 (33.9)"]


def test_one_line_header_spilling_into_the_gap(tmp_path):
    items = [Text(60, 60, "Table 1. Characteristics of the patients", 10, bold=True)]
    rows = [["Characteristic", "Immunotherapy (n = 22)", "Chemotherapy (n = 20)"],
            ["Age 65 years or more, n (%)", "9 (40.9)", "8 (40.0)"],
            ["Male sex, n (%)", "18 (81.8)", "14 (70.0)"],
            ["Peritoneal metastases, n (%)", "6 (27.3)", "7 (35.0)"]]
    tab, y = table(60, 70, [60, 250, 370], rows, x1=500, rules="frame")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "hdr1.pdf", [items + tab + para]))
    assert t.header == ["Characteristic", "Immunotherapy (n = 22)", "Chemotherapy (n = 20)"]
    assert [r[1] for r in t.rows] == ["9 (40.9)", "18 (81.8)", "6 (27.3)"]


def test_first_cell_starting_with_a_lower_case_code_starts_a_row(tmp_path):
    items = [Text(60, 60, "Table 1. Registries", 10, bold=True)]
    rows = [["Registry", "Identifier", "Design"],
            ["DRKS", "DRKS00021234", "Phase II, 2020"],
            ["jRCT", "jRCTs031180123", "Phase I/II, 2018"],
            ["CRiS", "KCT0003456", "Phase II, 2019"]]
    tab, y = table(60, 70, [60, 200, 340], rows, x1=480, rules="frame")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "code.pdf", [items + tab + para]))
    assert [r[0] for r in t.rows] == ["DRKS", "jRCT", "CRiS"]
    assert t.rows[1] == ["jRCT", "jRCTs031180123", "Phase I/II, 2018"]


def test_lone_word_wrapped_from_the_first_cell_joins_it(tmp_path):
    """Evenly spaced rows: "AG" alone under "N 2 waves >=3d" would not have fitted on that line
    (the column is no wider than its widest line), so it is the cell's wrapped end."""
    items = [Text(60, 60, "Table 2 Participants", 10, bold=True)]
    rows = [["", "Control", "Intervention"],
            ["N assented", "115", "345"],
            [["N 2 waves >=3d", "AG"], "43", "112"],
            ["Age", "13.1 (0.3)", "13.2 (0.4)"],
            [["Per cent of", "overweight/obese"], "22.7", "24.1"]]
    tab, y = table(60, 70, [60, 160, 240], rows, x1=330, rules="frame", pad=0.5)
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "wrap.pdf", [items + tab + para]))
    assert [r[0] for r in t.rows] == ["N assented", "N 2 waves >=3d AG", "Age", "Per cent of overweight/obese"]
    assert t.rows[1] == ["N 2 waves >=3d AG", "43", "112"]


def test_continued_part_starting_with_a_continuation_row(tmp_path):
    """The part on the next page opens with a continuation row (empty first cell), set apart
    from the next row by row spacing: it is a row of its own, not the top of a centred cell."""
    head = ["Identifier", "Regimen", "Population", "Outcomes"]
    cols = [60, 160, 290, 420]
    p1 = [Text(60, 60, "Table 2. Efficacy of combinations", 10, bold=True)]
    tab, y = table(60, 70, cols, [head, ["NCT09000024", "Tislelizumab", "ESCC", "ORR: 63.5%"]], x1=540, rules="frame")
    p1 += tab + paragraph(60, y + 40, BODY, 470, 11)[0]
    p2 = [Text(60, 60, "Table 2 (continued)", 10, bold=True)]
    rows2 = [head, ["", "", "Gastric adenocarcinoma", "ORR: 47.1%"],
             ["jRCTs031200045", "Nivolumab + SOX", ["Elderly patients with", "gastric cancer"], ["DCR: 88.0%; PFS:", "6.9 months"]],
             ["ISRCTN49603761", "Durvalumab + FLOT", "Resectable gastric cancer", "PCR: 19.0%"]]
    tab2, y2 = table(60, 70, cols, rows2, x1=540, rules="frame")
    p2 += tab2 + paragraph(60, y2 + 40, BODY, 470, 11)[0]
    t, = _tables(make_pdf(tmp_path / "controw.pdf", [p1, p2]))
    assert t.pages == [1, 2]
    assert t.rows[1:] == [["", "", "Gastric adenocarcinoma", "ORR: 47.1%"],
                          ["jRCTs031200045", "Nivolumab + SOX", "Elderly patients with gastric cancer", "DCR: 88.0%; PFS: 6.9 months"],
                          ["ISRCTN49603761", "Durvalumab + FLOT", "Resectable gastric cancer", "PCR: 19.0%"]]
    assert t.continuation == [False, True, False, False]


def test_author_initial_a_does_not_carry_the_row_on(tmp_path):
    """"Dirican A" ends in a capital initial, not the article "a": the next line is a new row."""
    items = [Text(60, 60, "Table 1 Included studies", 10, bold=True)]
    rows = [["Study", "Year", "Country", "No."],
            ["Pistelli M", "2015", "Italy", "90"],
            ["Dirican A", "2015", "Turkey", "1527"],
            ["Suppan C", "2015", "Austria", "247"],
            ["Hong J", "2016", "China", "487"]]
    tab, y = table(60, 70, [60, 160, 240, 330], rows, x1=400, rules="frame")
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "initial.pdf", [items + tab + para]))
    assert [r[0] for r in t.rows] == ["Pistelli M", "Dirican A", "Suppan C", "Hong J"]


def test_header_only_columns_right_of_the_body_text(tmp_path):
    """Columns whose cells print no text (coloured quality-score cells) are still columns: the
    header's leaf cells beyond all body text each open one."""
    items = [Text(60, 60, "Table 1. Included studies and quality assessment", 10, bold=True)]
    rows = [["Study", "Sex", "QUADAS", "", ""], ["", "", "1", "2", "3"],
            ["Louis et al. 2016", "10M/9F", "", "", ""],
            ["Brown et al. 2015", "1M/2F", "", "", ""],
            ["Feng et al. 2016", "5M/6F", "", "", ""]]
    tab, y = table(60, 70, [60, 200, 280, 320, 360], rows, x1=420, rules="frame", header_rows=2)
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "quadas.pdf", [items + tab + para]))
    assert t.header == ["Study", "Sex", "1", "2", "3"]
    assert t.rows[0] == ["Louis et al. 2016", "10M/9F", "", "", ""]


def test_next_tables_caption_ends_a_framed_body(tmp_path):
    """Two framed tables on one page: the first's body stops at the second's caption."""
    items = [Text(60, 60, "Table 1: Clinical characteristics", 9)]
    t1, y = table(60, 70, [60, 250, 400], [["", "Arm A", "Arm B"], ["Age, years", "61", "59"],
                                            ["Gender (m/f)", "13/8", "44/19"]], rules="frame")
    items += t1 + [Text(60, y + 20, "Table 2: Outcomes", 9)]
    t2, y2 = table(60, y + 30, [60, 250, 400], [["", "Arm A", "Arm B"], ["Response", "19/2", "60/3"]], rules="frame")
    first, second = _tables(make_pdf(tmp_path / "two.pdf", [items + t2]))
    assert first.rows == [["Age, years", "61", "59"], ["Gender (m/f)", "13/8", "44/19"]]
    assert second.rows == [["Response", "19/2", "60/3"]]


def test_fonts_with_tall_declared_boxes_keep_their_rows(tmp_path):
    """Some fonts declare ascenders far beyond their glyphs: boxes that overlap the rows around them.
    Rows come from the baselines instead."""
    items = [Text(60, 60, "Table 1. Soil characteristics", 9, bold=True)]
    tab, y = table(60, 70, [60, 300], [["Variable", "Value"], ["EC, dS m", "1.8"], ["pH", "7.5"],
                                       ["O.M, %", "0.97"], ["Sabinene", "954"]], rules="frame")
    raw = parse(make_pdf(tmp_path / "tall.pdf", [items + tab]), S)

    def tall(box):
        return (box[0], box[1] - 12, box[2], box[3] + 12)

    page = raw.pages[0]
    blocks = [b.model_copy(update={"lines": [ln.model_copy(update={
        "bbox": tall(ln.bbox), "spans": [s.model_copy(update={"bbox": tall(s.bbox)}) for s in ln.spans]})
        for ln in b.lines]}) for b in page.blocks]
    raw = raw.model_copy(update={"pages": [page.model_copy(update={"blocks": blocks})]})
    t, = find_tables(raw, S)
    assert t.header == ["Variable", "Value"]
    assert t.rows == [["EC, dS m", "1.8"], ["pH", "7.5"], ["O.M, %", "0.97"], ["Sabinene", "954"]]


def test_bold_header_cells_in_body_size_type_are_not_headings(tmp_path):
    """A ruled grid whose header cells are set in the body's own size, bold: each shares its row
    with other cells, so none reads as a section heading that would end the table."""
    para, y = paragraph(60, 60, BODY, 470, 10)
    items = para + [Text(60, y + 16, "Table 1: Sampled localities", 10, bold=True)]
    tab, y2 = table(60, y + 26, [60, 220, 360], [["Localities", "Habitat", "Altitude (m)"],
                                                 ["Lake District", "Red pine forest", "400"],
                                                 ["Upper Valley", "Open pasture", "820"]], size=10, rules="grid")
    t, = _tables(make_pdf(tmp_path / "boldhead.pdf", [items + tab]))
    assert t.header == ["Localities", "Habitat", "Altitude (m)"]
    assert t.rows == [["Lake District", "Red pine forest", "400"], ["Upper Valley", "Open pasture", "820"]]


def test_side_by_side_tables_keep_their_own_rules(tmp_path):
    # two framed tables in two columns with rules at the same heights, the left one under a lone
    # line above its top rule (a title row): the right table's rules must not cut the left one's header
    items = [Text(40, 50, "Table 1. Element contents", 9, bold=True), Text(40, 72, "Dried root samples", 9),
             Text(320, 50, "Table 2. Element contents of the leaves", 9, bold=True)]
    left = [["Element", "Conc.", "RSD %"], ["Be", "0.79", "2.84"], ["Ag", "8.03", "0.97"], ["Cs", "8.20", "1.18"]]
    right = [["Element", "Conc.", "RSD %"], ["Mn", "6.56", "0.10"], ["Al", "53.0", "0.11"], ["Fe", "12.1", "0.24"]]
    a, _ = table(40, 78, [40, 120, 200], left, x1=280, rules="frame", bold_header=False)
    b, _ = table(320, 78, [320, 400, 480], right, x1=560, rules="frame", bold_header=False)
    t1, t2 = _tables(make_pdf(tmp_path / "s.pdf", [items + a + b]))
    assert t1.header == ["Element", "Conc.", "RSD %"] and t1.rows[0] == ["Be", "0.79", "2.84"] and len(t1.rows) == 3
    assert t2.header == ["Element", "Conc.", "RSD %"] and len(t2.rows) == 3


def test_continued_part_without_header_keeps_its_first_row_and_columns(tmp_path):
    # "Continued Table 2" above a part that does not repeat the header: its first line is a row,
    # and its columns are the first part's (here two close columns that whitespace alone would join)
    head = ["Plant", "Form", "Design", "Days"]
    cols = [60, 200, 262, 470]
    rows1 = [[f"Plant {i}", "Gel", f"Randomized trial in {20 + i} subjects", str(7 * i)] for i in range(1, 5)]
    rows2 = [[f"Plant {i}", "Mouthwash", f"Open trial in {20 + i} subjects", str(7 * i)] for i in range(5, 8)]
    p1 = [Text(60, 60, "Table 2. Clinical trials", 10, bold=True)] + table(60, 70, cols, [head] + rows1, x1=520, rules="frame")[0]
    p2 = [Text(60, 60, "Continued Table 2", 10, bold=True)]
    p2 += table(60, 70, cols, rows2, x1=520, rules="none", header_rows=0)[0]
    tabs = _tables(make_pdf(tmp_path / "cont2.pdf", [p1, p2]))
    assert len(tabs) == 1 and tabs[0].pages == [1, 2]
    assert [r[0] for r in tabs[0].rows] == [f"Plant {i}" for i in range(1, 8)]
    assert tabs[0].rows[4] == ["Plant 5", "Mouthwash", "Open trial in 25 subjects", "35"]


def test_spanning_head_declares_the_columns_below_it(tmp_path):
    """A head spanning the leaf headers ("Share at each stage, %") is kept as each column's
    `header_above`, and it declares the bare numbers below it percentages; a column under it
    that holds values above 100 (an index) is not one of percentages."""
    from pipeline.run import extract

    items = [Text(60, 60, "Table 1. Composition of the oils at three stages", 10, bold=True)]
    rows = [["Compound", [Text(10, 0, "Share of the oil at each developmental stage, %")], "", ""],
            ["", "Index", "Early", "Late"],
            ["Sabinene", "954", "0.55", "0.44"],
            ["Camphor", "1141", "20.78", "19.41"]]
    tab, y = table(60, 70, [60, 200, 300, 400], rows, x1=480, rules="frame", header_rows=2)
    para, _ = paragraph(60, y + 30, BODY, 470, 11)
    pdf = make_pdf(tmp_path / "span.pdf", [items + tab + para])
    t, = _tables(pdf)
    assert t.header == ["Compound", "Index", "Early", "Late"]
    assert t.header_above[1:] == ["Share of the oil at each developmental stage, %"] * 3
    res = extract(pdf, S)
    values = sorted(p.value for p in res.records.percentages if p.provenance.table == "Table 1")
    assert values == [0.44, 0.55, 19.41, 20.78]


def test_table_running_off_the_page_without_a_caption_on_the_next(tmp_path):
    """A ruled table whose header has a lone "%" over its value columns, bold names in some rows and
    no bottom rule on its first page, carried on at the top of the next page with no caption there,
    where rules set apart only its summary rows: one table, every row its own."""
    from pdfgen import Rule

    def row(y, cells, bold=False):
        return [Text(x, y, c, 9, bold=bold) for x, c in zip([62, 110, 300, 380], cells) if c]

    p1 = [Text(60, 60, "Table 1. Composition of the oil at two sites", 10, bold=True),
          Rule(60, 66, 460, 66), Text(345, 78, "%", 9, bold=True), Rule(295, 82, 460, 82)]
    p1 += row(94, ["No", "Compound", "A", "B"], bold=True) + [Rule(60, 98, 460, 98)]
    y, n = 112, 1
    while y < 780:
        p1 += row(y, [str(n), f"Compound {n}", f"{n / 10:.2f}", f"{n / 20:.2f}"], bold=n % 3 == 0)
        y, n = y + 14, n + 1
    first_page = n - 1
    p2 = [Text(60, 40, "Running head of the journal", 8)]
    y = 70
    for k in range(10):
        p2 += row(y, [str(n), f"Compound {n}", f"{n / 10:.2f}", f"{n / 20:.2f}"])
        y, n = y + 14, n + 1
    p2 += [Rule(60, y - 8, 460, y - 8)] + row(y + 4, ["", "Total identified", "98.8", "97.1"]) + [Rule(60, y + 9, 460, y + 9)]
    p2 += row(y + 22, ["", "Monoterpenes", "92.6", "88.4"]) + [Rule(60, y + 27, 460, y + 27)]
    p2.append(Text(60, y + 40, "Note: the percentages are based on peak areas.", 8))
    para, _ = paragraph(60, y + 70, BODY, 470, 11)
    t, = _tables(make_pdf(tmp_path / "runs_off.pdf", [p1, p2 + para]))
    assert t.header == ["No", "Compound", "A", "B"]
    assert t.pages == [1, 2]
    assert len(t.rows) == first_page + 10 + 2
    assert t.rows[0] == ["1", "Compound 1", "0.10", "0.05"]
    assert t.rows[first_page] == [str(first_page + 1), f"Compound {first_page + 1}",
                                  f"{(first_page + 1) / 10:.2f}", f"{(first_page + 1) / 20:.2f}"]
    assert t.rows[-1] == ["", "Monoterpenes", "92.6", "88.4"]
    assert t.footnote == "Note: the percentages are based on peak areas."

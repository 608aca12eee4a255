"""Percentages as printed, from seed-review sentences and the real articles' forms."""
import pytest

from pipeline.stages.extract.percentages import find_percentages, header_declared, header_mode, row_label_mode


def values(text):
    return [(p.value, p.qualifier, p.declared_by) for p in find_percentages(text)]


def test_seed_sentences():
    s = ("Promising results from the complex triple combination of lenvatinib, TACE, and PD-1 inhibitors "
         "(LEN-TAP) regimen, have led to a higher rate of salvage liver resection (SLR) than TACE alone, "
         "at 59.2% compared to 18.3%.")
    assert values(s) == [(59.2, None, "sign"), (18.3, None, "sign")]
    assert values("the conversion rate from this locoregional therapy is only about 10%.") == [(10, "about", "sign")]
    assert values("and reduced T regulatory cells by ~72%. In a murine model") == [(72, "~", "sign")]
    assert values("over 70% of PLX-Lip were detached from CAR-T cells") == [(70, "over", "sign")]
    assert values("a significant increase in PFS (24.0 months vs. 9.0 months) and ORR (52% vs. 32%)") == [
        (52, None, "sign"), (32, None, "sign")]


def test_temperature_is_not_a_percentage():
    assert values("Mild-temperature photothermal therapy, generally 42-45 °C, has shown") == []


def test_ranges_give_two_items():
    assert [v for v, _, _ in values("rates of 42-45% and 42–45 %")] == [42, 45, 42, 45]
    assert values("from 9 to 13% of cases") == [(9, None, "shared_sign"), (13, None, "sign")]
    assert [v for v, _, _ in values("between 9%-13%")] == [9, 13]


def test_shared_sign():
    assert values("mortality (3.5 versus 6.6%)") == [(3.5, None, "shared_sign"), (6.6, None, "sign")]
    assert values("27.3 vs 59.1%") == [(27.3, None, "shared_sign"), (59.1, None, "sign")]


def test_space_spelled_and_lancet_decimals():
    assert values("95 % CI") == [(95, None, "sign")]
    assert [v for v, _, _ in values("Seventy two per cent of smokers; ninety-nine percent")] == [72, 99]
    assert [v for v, _, _ in values("rates were 0·6% and 12·5%")] == [0.6, 12.5]


def test_superscripts_are_not_numbers():
    assert values("I² = 45%, CD8⁺ T cells rose") == [(45, None, "sign")]
    assert values("an area of 20 m² only") == []


def test_not_in_urls_or_codes():
    assert values("see http://example.org/a%20b and 20%2F") == []


def test_qualifiers_as_printed():
    assert values("should cover ≥99% of the PTV")[0][:2] == (99, "≥")
    assert values("Approximately 15% of patients")[0][:2] == (15, "Approximately")
    assert values("up to 30% of cases")[0][:2] == (30, "up to")


def test_negative_change():
    assert [v for v, _, _ in values("a change of −1.5% (-3.2%)")] == [-1.5, -3.2]


def test_quantifies():
    ps = find_percentages("complete tumor eradication in 60% of mice, with 80% of treated mice surviving")
    assert ps[0].quantifies == "mice"
    ps = find_percentages("LipoNCs@pGSDMB treatment achieved 94% tumor suppression")
    assert ps[0].quantifies == "tumor suppression"
    assert find_percentages("ORR of 52%")[0].quantifies == "ORR"


@pytest.mark.parametrize("header,mode", [
    ("n (%)", "paren"), ("Intervention (n = 20) n (%)", "paren"), ("No. (%)", "paren"),
    ("% (SD)", "lead"), ("%", "lead"), ("Treatment", None), ("Mean (SD)", None),
])
def test_header_modes(header, mode):
    assert header_mode(header) == mode


def test_header_declared_cells():
    got = header_declared("18 (81.8)", "paren")
    assert [(p.value, p.declared_by) for p in got] == [(81.8, "header")]
    assert header_declared("18 (81.8%)", "paren") == []  # signed: found by find_percentages
    assert [p.value for p in header_declared("45.2 (12.1)", "lead")] == [45.2]
    assert header_declared("14.5 (0.5)", "paren", row_label="Age, mean (SD)") == []
    assert row_label_mode("Female, n (%)") == "paren"


@pytest.mark.parametrize("label,mode", [
    ("Sex N (% male)", "paren"), ("Per cent of overweight/obese", "lead"), ("Percentage female", "lead"),
    ("% with diabetes", "lead"), ("Percent change, mean (SD)", None), ("BMI z-score", None),
])
def test_row_labels_that_declare_percentages(label, mode):
    assert row_label_mode(label) == mode


def test_header_cell_with_words_inside_the_percent_parenthesis():
    assert header_mode("Sex N (% male)") == "paren"
    assert header_mode("Responders (% of treated)") == "paren"
    assert [p.value for p in header_declared("50 (43.5)", "paren", row_label="Sex N (% male)")] == [43.5]
    assert [p.value for p in header_declared("26.9", row_label_mode("Per cent of overweight/obese"))] == [26.9]

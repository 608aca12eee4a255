"""Review-specific entity rules applied after the recognizer."""
from __future__ import annotations

from pipeline.ner.review_rules import apply


def _found(text, spans=()):
    return [(text[a:b], lab) for a, b, lab in apply(text, list(spans))]


def test_drug_codes_formulas_and_prefixed_drugs():
    text = "AZD4635 and MK-3475 with MnO2 or Fe3O4; nab-paclitaxel; NCT03504397, CD8, CH3 and BRD4 are not drugs."
    start = text.index("paclitaxel")
    got = _found(text, [(start, start + len("paclitaxel"), "CHEMICAL")])
    assert ("AZD4635", "CHEMICAL") in got and ("MK-3475", "CHEMICAL") in got
    assert ("MnO2", "CHEMICAL") in got and ("Fe3O4", "CHEMICAL") in got
    assert ("nab-paclitaxel", "CHEMICAL") in got
    assert not any(t in ("NCT03504397", "CD8", "CH3", "BRD4") for t, _ in got)


def test_listed_drugs_and_adverse_events_without_overriding_the_model():
    text = "Quercetin reduced immune-related adverse events; the patients were treated."
    got = _found(text)
    assert ("Quercetin", "CHEMICAL") in got and ("immune-related adverse events", "DISEASE") in got
    assert not any(t in ("patients", "treated") for t, _ in got)
    # a span the model already found is kept as it is
    assert _found("quercetin", [(0, 9, "DISEASE")]) == [("quercetin", "DISEASE")]


def test_math_alphanumerics_fold_to_plain_letters_and_lone_symbols_map():
    from pipeline.core.textnorm import clean, lone_symbol

    assert clean("\U0001D45B = 21, \U0001D45D value") == "n = 21, p value"
    assert clean("CD8\u207a") == "CD8\u207a"  # superscripts are not folded
    assert lone_symbol(" \u00bc") == " =" and lone_symbol("\u00fe") == "+"
    assert lone_symbol("1\u00bc") == "1\u00bc" and lone_symbol("\u00bd") == "\u00bd"  # fractions stay

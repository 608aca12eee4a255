"""Abbreviation definitions: character-level Schwartz & Hearst (pipeline.stages.tag.abbrev) and the tag stage's filters and
list styles (captions, footnotes, back-matter "Abbreviations" paragraphs)."""
import pytest

from pipeline.stages.tag.abbrev import definitions, extend_left
from pipeline.stages.tag.tagger import _abbreviations, _is_list, _plausible, _tidy


def _defs(text):
    return {s: l for s, l, _, _ in definitions(text)}


def test_british_oe_spelling_matches_an_e():
    text = "Recurrence after resection of oesophageal squamous cell carcinoma (ESCC) is common."
    assert _defs(text)["ESCC"] == "oesophageal squamous cell carcinoma"


def test_numbered_short_form():
    text = "classified by Mandard et al. as tumor regression grade 1 (TRG 1) [5]."
    assert _defs(text)["TRG"] == "tumor regression grade"


@pytest.mark.parametrize("text,short,long,expected", [
    ("coordinated by the Australian and New Zealand Intensive Care Research Centre (ANZIC-RC), Monash",
     "ANZIC-RC", "and New Zealand Intensive Care Research Centre",
     "Australian and New Zealand Intensive Care Research Centre"),
    ("measured by the eight-level Extended Glasgow Outcome Scale (GOSE) [13]", "GOSE", "Glasgow Outcome Scale",
     "Extended Glasgow Outcome Scale"),
    ("Long-term toxicity, (serious) adverse events (SAEs), hospitalization", "SAEs", "serious) adverse events",
     "(serious) adverse events"),
    ("Proximal deep venous thrombosis (DVT) detected", "DVT", "deep venous thrombosis", "deep venous thrombosis"),
    ("the World Health Organization (WHO) recognises", "WHO", "World Health Organization", "World Health Organization"),
])
def test_extend_left(text, short, long, expected):
    assert extend_left(text, short, long, text.index("(" + short) + 1) == expected


@pytest.mark.parametrize("short,long,ok", [
    ("Project", "project grant ID 545901", False),
    ("often", "falsely regarded", False),
    ("active opt-out consent", "passive consent", False),
    ("Gy", "25 × 2 Gy on weekdays", False),
    ("RECTAL BOOST", "RandomizEd Controlled Trial for Pre-operAtive Dose-escaLation BOOST", True),
    ("APACHE II", "Acute Physiology and Chronic Health Evaluation II", True),
    ("Hb", "haemoglobin", True),
    ("SF-12", "Short Form 12", True),
    ("iii", "(ii) allocation concealment", False),  # an item number
    ("IL-6", "IL-8, IL-10, GM-CSF, and TNF-α) in LPS-stimulated astrocytes", False),
    ("SAEs", "serious) adverse events", True),
])
def test_plausible(short, long, ok):
    assert _plausible(short, long) is ok


def test_tidy_strips_quotes():
    assert _tidy("cohort multiple randomized controlled trial’") == "cohort multiple randomized controlled trial"


def test_back_matter_list_paragraph():
    text = ("APR: Abdominoperineal resection; DSMB: Data and safety monitoring board; OAR: Organ at risk; "
            "RCT: Randomized controlled trial; SAE: Serious adverse event.")
    assert _is_list(text)
    assert not _is_list("Patients were randomised: 60 received the boost; 60 did not; all were followed.")


def _run(units):
    def locate(uid, s, e):
        from schemas.common import Provenance
        return Provenance(page=1, bbox=None, section=[], text="", char_start=s, char_end=e)
    return {a.short: a.long for a in _abbreviations(units, locate)}


def test_list_styles_and_first_definition_wins():
    units = [
        ("b1", "Randomized controlled trials (RCTs) and planned target volume (PTV) and clinical target volume (CTV) "
               "plus PTV (PTVCTV).", "paragraph"),
        ("f1", "ᵃRECTAL BOOST, RandomizEd Controlled Trial for Pre-operAtive Dose-escaLation BOOST in Locally Advanced "
               "Rectal Cancer; MRI, Magnetic resonance imaging.", "footnote"),
        ("b2", "CTV: Clinical target volume; OAR: Organ at risk; RCT: Randomized controlled trial; "
               "SAE: Serious adverse event.", "paragraph"),
    ]
    found = _run(units)
    assert found["RCTs"] == "Randomized controlled trials" and found["RCT"] == "Randomized controlled trial"
    assert found["CTV"] == "clinical target volume"  # the text's definition came first
    assert found["OAR"] == "Organ at risk" and found["SAE"] == "Serious adverse event"
    assert found["RECTAL BOOST"].startswith("RandomizEd Controlled Trial") and "BOOST" not in found
    assert "PTVCTV" not in found  # a composite symbol of two defined short forms


def test_compound_hyphen_is_not_part_of_the_short_form():
    from pipeline.stages.tag.tagger import _unhyphen

    assert _unhyphen("LPS-", "lipopolysaccharide-") == ("LPS", "lipopolysaccharide")
    assert _unhyphen("SF-", "Short Form") == ("SF-", "Short Form")

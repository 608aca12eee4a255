"""The registry table: every example is found and canonicalized, look-alikes are not."""
import pytest

from pipeline.stages.extract.registries import canonicalize, find_trial_ids
from schemas.registries import REGISTRIES, is_canonical, registry_of

EXAMPLES = [(r.family, printed, canon) for r in REGISTRIES for printed, canon in r.examples]
LOOKALIKES = [(r.family, text) for r in REGISTRIES for text in r.lookalikes]


def test_table_covers_who_families():
    families = {r.family for r in REGISTRIES}
    assert {"NCT", "ISRCTN", "EudraCT", "EUCT", "ChiCTR", "ACTRN", "CTRI", "DRKS", "jRCT", "UMIN", "JapicCTI",
            "KCT", "NTR", "NL-CCMO", "PACTR", "IRCT", "ReBEC", "TCTR", "SLCTR", "PROSPERO"} <= families
    assert all(r.examples for r in REGISTRIES)


@pytest.mark.parametrize("family,printed,canon", EXAMPLES)
def test_example_found_and_canonical(family, printed, canon):
    found = find_trial_ids(printed)
    assert [m.id for m in found] == [canon]
    assert found[0].family == family
    assert is_canonical(canon)
    assert registry_of(canon) == found[0].registry


@pytest.mark.parametrize("family,text", LOOKALIKES)
def test_lookalike_not_found_as_family(family, text):
    assert [m.id for m in find_trial_ids(text) if m.family == family] == []


@pytest.mark.parametrize("text", [
    "Grant No. 81972886 and 2019YFA0905600",
    "doi:10.1186/s13063-015-0586-4",
    "https://doi.org/10.20517/2394-4722.2026.21",
    "Tel.: +31 88 755 5555, fax +31-30-2581234",
    "ONLINE ONLY; the NL team; INL123",
    "Drawn by Figdraw (ID: TRWRA36009).",
    "tumor volume 42-45 °C at 2011-06-22",
])
def test_no_ids_in_lookalike_numbers(text):
    assert find_trial_ids(text) == []


@pytest.mark.parametrize("printed,canon", [
    ("NCT0350-\n4397", "NCT03504397"),
    ("NCT 03504397", "NCT03504397"),
    ("NCT\n03504397", "NCT03504397"),
    ("ISRCTN 14422743", "ISRCTN14422743"),
    ("EudraCT 2011-005235-22", "2011-005235-22"),
    ("CRD 42018116433", "CRD42018116433"),
    ("ACTRN126090008-\n27235", "ACTRN12609000827235"),
])
def test_split_by_line_break_or_hyphen(printed, canon):
    assert canonicalize(printed) == canon


def test_two_breaks_are_not_one_id():
    assert find_trial_ids("NCT 0350 43 97") == []


def test_offsets_and_order():
    text = "trials (NCT03289963) and EudraCT 2011-005235-22; see NCT0350-\n4397."
    found = find_trial_ids(text)
    assert [m.id for m in found] == ["NCT03289963", "2011-005235-22", "NCT03504397"]
    assert [text[m.start:m.end] for m in found] == ["NCT03289963", "2011-005235-22", "NCT0350-\n4397"]


def test_eu_ct_not_read_as_eudract():
    assert [m.family for m in find_trial_ids("EU CT 2022-500123-45-00")] == ["EUCT"]


def test_is_canonical_rejects_printed_variants():
    for bad in ("nct03504397", "NCT 03504397", "NCT0350439", "ISRCTN1442274", "2011-5235-22", ""):
        assert not is_canonical(bad)
    with pytest.raises(ValueError):
        registry_of("NCT 03504397")


def test_reviews_can_be_left_out():
    assert find_trial_ids("CRD42018116433", include_reviews=False) == []

"""Both seed PDFs end to end: identifiers, Table 1 as printed, one- and two-column records alike."""
from __future__ import annotations

import json
import re

import pytest

SEEDS = ("seed-review", "seed-review-2col")
NCT_IDS = {
    "NCT03504397", "NCT04389073", "NCT04997850", "NCT02492568", "NCT05010668", "NCT05724329", "NCT04718415",
    "NCT04758507", "NCT04951583", "NCT03289963", "NCT03897886", "NCT04089553", "NCT03608631", "NCT01159288",
}


@pytest.fixture(scope="module", params=SEEDS)
def seed(request, fixture_runs):
    result, folder = fixture_runs[request.param]
    return result


def test_all_records_valid_and_status_ok(seed):
    assert seed.manifest.status == "ok", seed.manifest.errors
    assert seed.issues == []


def test_all_14_nct_identifiers(seed):
    assert {t.id for t in seed.records.trials} == NCT_IDS
    for t in seed.records.trials:
        assert t.registry == "ClinicalTrials.gov"
        assert t.provenance.page >= 1 and t.provenance.bbox is not None
        assert t.id in t.provenance.text.replace(" ", "") or t.provenance.source == "table"


def test_table_1_as_printed(seed):
    (table,) = [t for t in seed.records.tables if t.label == "Table 1"]
    assert table.header == ["Treatment", "Tumor type", "Outcomes", "Identifier"]
    assert len(table.rows) == 10 and all(len(r) == 4 for r in table.rows)
    assert table.rows[0] == ["Zolbetuximab + mFOLFOX6", "Metastatic gastric carcinoma", "PFS: 10.6 months",
                             "NCT03504397 Phase III, 2023"]
    assert table.rows[1][0] == "αPD-1 + capecitabine + cyclophosphamide + vinorelbine"
    assert table.rows[-1] == ["", "Melanoma", "ORR: 75%", ""] and table.continuation[-1]
    assert table.caption == "Most recent clinical trials of immunotherapy combinations"


def _strip(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k not in ("provenance", "other_mentions")}


@pytest.mark.parametrize("kind", ["trials", "endpoints", "percentages", "abbreviations", "sections"])
def test_one_and_two_column_records_identical_apart_from_provenance(fixture_runs, kind):
    one, two = (fixture_runs[s][0] for s in SEEDS)
    a = [_strip(r.model_dump(mode="json")) for r in getattr(one.records, kind)]
    b = [_strip(r.model_dump(mode="json")) for r in getattr(two.records, kind)]
    if kind == "sections":  # pages differ between the layouts
        a = [{k: v for k, v in r.items() if k not in ("page", "bbox")} for r in a]
        b = [{k: v for k, v in r.items() if k not in ("page", "bbox")} for r in b]
    # document order may differ where floats land elsewhere; the records themselves may not
    key = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(a, key=key) == sorted(b, key=key)


def test_no_superscript_citation_fused_into_a_value(seed):
    for p in seed.records.percentages:
        assert p.value <= 100, p
    for e in seed.records.endpoints:
        quote = e.provenance.text[e.provenance.char_start:e.provenance.char_end]
        assert re.search(r"\[\d", quote) is None
    values = {p.value for p in seed.records.percentages}
    assert 72 in values and not any(v > 100 for v in values)
    text = " ".join(b.text for b in seed.document.blocks)
    assert "burden[2]" not in text and "burden2" not in text
    assert "CD8⁺" in text


def test_provenance_points_into_its_text(seed):
    for kind in ("endpoints", "percentages", "abbreviations"):
        for r in getattr(seed.records, kind):
            p = r.provenance
            assert 0 <= p.char_start < p.char_end <= len(p.text), (kind, r)

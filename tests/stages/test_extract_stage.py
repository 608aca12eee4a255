"""The extract stage on a hand-built tagged document: candidates validate against the record models."""
import re

import pytest

from pipeline.stages.extract import extract, ordered_units
from pipeline.settings import Settings
from schemas.common import Provenance
from schemas.document import Fragment, FrontMatter, Heading, StructuredDocument, Table, TextBlock
from schemas.records import Abbreviation, Endpoint, Entity, Percentage, Section, TableRecord, Trial
from schemas.tagged import Sentence, TaggedDocument

P1 = ("The polymeric nanoformulation of AZD4635 is currently undergoing Phase II trials (NCT04089553). "
      "Mesenchymal stromal cell-derived iExosomes (NCT03608631) or DC-derived exosome (NCT01159288) exhibit "
      "unique advantages.")
P2 = ("In cases of metastatic NSCLC, the combination of stereotactic body radiation therapy (SBRT) followed by "
      "pembrolizumab (NCT0249-\n2568) resulted in a longer PFS compared to SBRT alone (15.56 vs. 4.39 months). "
      "Mild-temperature photothermal therapy, generally 42-45 °C, reduced T regulatory cells by ~72%.")
P3 = "In a murine model, treatment achieved 94% tumor suppression and a median OS of 40 days."
REF = "Smith AB, Jones C. A phase III trial (NCT01234567). Lancet. 2020;395:1-10. 45% of readers."
FRONT = "© The Author(s) 2026. 100% open access."
CAPTION = "Most recent clinical trials of immunotherapy combinations"

HEADER = ["Treatment", "Tumor type", "Outcomes", "Identifier"]
ROWS = [
    ["Zolbetuximab + mFOLFOX6", "Metastatic gastric carcinoma", "PFS: 10.6 months", "NCT03504397\nPhase III, 2023"],
    ["αPD-1 + FMT", "NSCLC", "ORR: 80%", "NCT04951583 Phase II, 2025"],
    ["", "Melanoma", "ORR: 75%", ""],
    ["αPD-1 + capecitabine + cyclophosphamide", "Metastatic HER2-negative breast cancer",
     "ORR: 18.5%; PFS: 6.6 months; OS: 42.6 months", "NCT04389073 Phase II, 2024"],
]


def _block(id, kind, text, page, y, section=("BODY",), label=None):
    return TextBlock(id=id, kind=kind, text=text, section=list(section), label=label,
                     fragments=[Fragment(page=page, bbox=(50, y, 550, y + 40), start=0, end=len(text))])


def _sentences(unit, text):
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z])", text):
        out.append(Sentence(unit=unit, start=start, end=m.start(), text=text[start:m.start()]))
        start = m.end()
    out.append(Sentence(unit=unit, start=start, end=len(text), text=text[start:]))
    return out


@pytest.fixture(scope="module")
def tagged():
    blocks = [
        _block("b1", "front", FRONT, 1, 40, section=()),
        _block("b2", "paragraph", P1, 1, 100),
        _block("b3", "caption", CAPTION, 1, 300, label="Table 1"),
        _block("b4", "paragraph", P2, 2, 100),
        _block("b5", "paragraph", P3, 2, 200),
        _block("b6", "reference", REF, 3, 100, section=("REFERENCES",)),
    ]
    table = Table(id="t1", label="Table 1", caption=CAPTION, header=HEADER, rows=ROWS,
                  continuation=[False, False, True, False], footnote="ORR: objective response rate.", page=1,
                  pages=[1], bbox=(50, 320, 550, 500), row_bboxes=[(1, (50, 340 + 30 * i, 550, 365 + 30 * i))
                                                                   for i in range(len(ROWS))],
                  regions=[(1, (50, 300, 550, 520))], section=["BODY"], method="test")
    heads = [Heading(title="BODY", number="1", level=1, page=1, bbox=(50, 80, 300, 95), path=["BODY"])]
    doc = StructuredDocument(file="x.pdf", sha256="0" * 64, page_count=3, metadata={}, pages=[],
                             front=FrontMatter(), headings=heads, blocks=blocks, tables=[table], references=[])
    sents = []
    for b in blocks:
        if b.kind not in ("front", "reference"):  # like the tag stage: no sentences there
            sents += _sentences(b.id, b.text)
    for r, row in enumerate([HEADER] + ROWS):
        for c, text in enumerate(row):
            if text:
                sents.append(Sentence(unit=f"t1:{r - 1}:{c}", start=0, end=len(text), text=text))
    prov = Provenance(page=1, bbox=None, section=["BODY"], text=P2, char_start=0, char_end=3)
    abbrs = [Abbreviation(short="SBRT", long="stereotactic body radiation therapy", provenance=prov),
             Abbreviation(short="PFS", long="progression-free survival", provenance=prov)]
    ents = [Entity(text="pembrolizumab", label="CHEMICAL", source="lexicon", provenance=prov)]
    return TaggedDocument(document=doc, sentences=sents, abbreviations=abbrs, entities=ents, ner_model="lexicon")


@pytest.fixture(scope="module")
def cands(tagged):
    return extract(tagged, Settings())


def test_every_candidate_validates(cands):
    models = {"trials": Trial, "endpoints": Endpoint, "percentages": Percentage, "abbreviations": Abbreviation,
              "entities": Entity, "sections": Section, "tables": TableRecord}
    for kind, model in models.items():
        items = getattr(cands, kind)
        assert items, kind
        for item in items:
            model.model_validate(item)


def test_trials(cands):
    trials = {t["id"]: t for t in cands.trials}
    assert list(trials) == ["NCT04089553", "NCT03608631", "NCT01159288", "NCT03504397", "NCT04951583",
                            "NCT04389073", "NCT02492568", "NCT01234567"]
    assert trials["NCT04089553"]["phase"] == "II"
    assert trials["NCT04089553"]["interventions"] == ["AZD4635"]
    assert trials["NCT03608631"]["interventions"] == ["Mesenchymal stromal cell-derived iExosomes"]
    assert trials["NCT01159288"]["interventions"] == ["DC-derived exosome"]
    z = trials["NCT03504397"]
    assert (z["phase"], z["year"], z["condition"], z["interventions"]) == (
        "III", 2023, "Metastatic gastric carcinoma", ["Zolbetuximab", "mFOLFOX6"])
    assert z["provenance"]["source"] == "table" and z["provenance"]["table"] == "Table 1"
    assert trials["NCT04951583"]["condition"] == "NSCLC; Melanoma"
    assert trials["NCT04951583"]["interventions"] == ["αPD-1", "FMT"]
    # split by a line-end hyphen in the text; no phase or year printed beside it
    s = trials["NCT02492568"]
    assert (s["phase"], s["year"], s["mentions"]) == (None, None, 1)
    assert s["provenance"]["text"][s["provenance"]["char_start"]:s["provenance"]["char_end"]] == "NCT0249-\n2568"
    # an id in the reference list is still a mention of the document
    assert trials["NCT01234567"]["provenance"]["source"] == "reference"
    assert trials["NCT01234567"]["phase"] == "III"


def test_endpoints(cands):
    got = [(e["endpoint"], e["value"], e["unit"], e["comparator_value"], e["qualifier"], e["trial_id"])
           for e in cands.endpoints]
    assert got == [
        ("PFS", 10.6, "months", None, None, "NCT03504397"),
        ("ORR", 80, "%", None, None, "NCT04951583"),
        ("ORR", 75, "%", None, None, "NCT04951583"),  # continuation row: the trial of the row above
        ("ORR", 18.5, "%", None, None, "NCT04389073"),
        ("PFS", 6.6, "months", None, None, "NCT04389073"),
        ("OS", 42.6, "months", None, None, "NCT04389073"),
        ("PFS", 15.56, "months", 4.39, None, "NCT02492568"),
    ]  # nothing from the murine sentence, the reference or the front matter
    e = cands.endpoints[2]["provenance"]
    assert (e["source"], e["row"], e["text"]) == ("table", 2, "ORR: 75%")


def test_percentages(cands):
    got = [(p["value"], p["qualifier"]) for p in cands.percentages]
    assert got == [(80, None), (75, None), (18.5, None), (72, "~"), (94, None)]
    p = cands.percentages[3]["provenance"]
    assert p["text"][p["char_start"]:p["char_end"]] == "72%"
    assert p["page"] == 2 and p["source"] == "text"
    assert cands.percentages[0]["quantifies"] == "ORR"


def test_table_placed_after_its_caption(tagged):
    order = [(k, getattr(x, "id")) for k, x in ordered_units(tagged.document)]
    assert order.index(("table", "t1")) == order.index(("block", "b3")) + 1


def test_pass_through(cands, tagged):
    assert [a["short"] for a in cands.abbreviations] == ["SBRT", "PFS"]
    assert cands.sections[0]["title"] == "BODY"
    assert cands.tables[0]["rows"] == ROWS and cands.tables[0]["continuation"] == [False, False, True, False]


def test_trial_attribute_helpers():
    from pipeline.stages.extract.trials import phases_in, split_interventions, year_after

    assert [p for p, _, _ in phases_in("phase 3; Phase Ib; phase I/II; Phase 2/3; phase IV; phase in")] == [
        "III", "I", "I/II", "II/III", "IV"]
    text = "ACTRN12609000827235 (registered on 22 September\n2009). NL46051.041.13. Registered 22 August 2013."
    assert year_after(text, 19) == 2009
    assert year_after(text, text.index("NL") + 14) == 2013
    assert year_after("ISRCTN14422743. Transanal endoscopic microsurgery. Accessed 14 Feb 2015.", 14) is None
    assert split_interventions("Sintilimab + carboplatin + nab-paclitaxel") == ["Sintilimab", "carboplatin", "nab-paclitaxel"]


def test_own_trial_registration_gets_the_documents_phase():
    text = "Trial registration: ACTRN12609000827235 (registered on 22 September 2009)."
    body = "The EPO-TBI trial is a placebo-controlled phase III trial."
    blocks = [_block("a", "paragraph", body, 1, 100), _block("b", "paragraph", text, 1, 200),
              _block("c", "paragraph", "ClinicalTrials.gov: NCT00987454 (registered on 29 September 2009).", 1, 250)]
    doc = StructuredDocument(file="y.pdf", sha256="0" * 64, page_count=1, metadata={}, pages=[], front=FrontMatter(),
                             headings=[], blocks=blocks, tables=[], references=[])
    tagged = TaggedDocument(document=doc, sentences=[], abbreviations=[], entities=[], ner_model="lexicon")
    trials = extract(tagged, Settings()).trials
    assert [(t["id"], t["phase"], t["year"]) for t in trials] == [
        ("ACTRN12609000827235", "III", 2009), ("NCT00987454", "III", 2009)]


def test_apposition_after_an_id():
    from pipeline.stages.extract.trials import described_after

    text = "the Netherlands Trial Register lists NTR4387, a trial of short-course radiotherapy before surgery in rectal cancer."
    assert described_after(text, text.index("NTR4387") + 7) == (["short-course radiotherapy"], "rectal cancer")
    text = "the Iranian registry lists IRCT20150531022498N21, a trial of perioperative ketamine in breast cancer surgery;"
    assert described_after(text, text.index("N21") + 3) == (["ketamine"], "breast cancer surgery")


def test_table_rules_from_footnote_and_empty_key_cells():
    from pipeline.stages.extract.percentages import table_mode
    from pipeline.stages.extract.tables import columns, row_owner

    assert table_mode("Baseline characteristics", "Data are n (%). ECOG=Eastern Cooperative Oncology Group.") == "paren"
    assert table_mode("Outcomes", "HR: hazard ratio.") is None
    t = Table(id="t", label="Table 2", caption="", header=["Identifier", "Regimen", "Population", "Outcomes"],
              rows=[["NCT09000024", "Tislelizumab + chemotherapy", "ESCC", "ORR: 63.5%"],
                    ["", "", "Gastric adenocarcinoma", "ORR: 47.1%"]],
              continuation=[False, False], footnote=None, page=1, pages=[1], bbox=(0, 0, 1, 1), row_bboxes=[],
              regions=[], section=[], method="test")
    assert row_owner(t, columns(t)) == [0, 0]


# ---- the document's own trial: title, registration sentences, placebo, registry-record titles ----

@pytest.mark.parametrize("title,expected", [
    ("Erythropoietin in traumatic brain injury: study protocol for a randomised controlled trial",
     (["Erythropoietin"], "traumatic brain injury")),
    ("Adjuvant sintilimab versus observation after resection of oesophageal squamous cell carcinoma (SYN-ESCC): "
     "a randomised, open-label, phase 3 trial", (["sintilimab"], "resection of oesophageal squamous cell carcinoma")),
    ("Feasibility study and pilot cluster- randomised controlled trial of the GoActive intervention aiming to "
     "promote physical activity among adolescents: outcomes and lessons learnt",
     (["GoActive"], "physical activity among adolescents")),
    ("Transanal endoscopic microsurgery (TEM) and Radiotherapy in Early rectal Cancer: a randomised phase II "
     "feasibility study", (["Transanal endoscopic microsurgery", "Radiotherapy"], "Early rectal Cancer")),
    ("The PICNIC Project: a ProspectIve Data CollectioN Initiative on Colorectal Cancer", ([], "Colorectal Cancer")),
    ("Study protocol for a randomised controlled trial", ([], None)),
    (None, ([], None)),
])
def test_describe_title(title, expected):
    from pipeline.stages.extract.trials import describe_title

    assert describe_title(title) == expected


def test_placebo_and_registry_record_titles():
    from pipeline.stages.extract.trials import record_title_after, states_placebo

    assert states_placebo("patients will receive either subcutaneous erythropoietin or placebo")
    assert states_placebo("a blinded, placebo-controlled trial")
    assert not states_placebo("placebo effects are discussed elsewhere")
    ref = ("16. ClinicalTrials.gov NCT02070146. The PICNIC Project: a Data Collection Initiative on Colorectal "
           "Cancer. http://clinicaltrials.gov/show/NCT02070146. Accessed 14 Feb 2015.")
    first = ref.index("NCT02070146") + 11
    assert record_title_after(ref, first) == "The PICNIC Project: a Data Collection Initiative on Colorectal Cancer"
    assert record_title_after(ref, ref.rindex("NCT02070146") + 11) is None  # the id inside a URL


def test_phrase_before_an_id_and_no_arm_counts():
    from pipeline.stages.extract.trials import described_before, interventions_in_text

    text = "The Australian New Zealand registry lists a trial of stereotactic radiotherapy before pancreatectomy as "
    assert described_before(text + "ACTRN12618000123456.", len(text)) == (["stereotactic radiotherapy"], None)
    text = "a pilot trial in three schools (two intervention and one control; ISRCTN31583496)."
    s = text.index("ISRCTN")
    assert interventions_in_text(text, s, s + 14) == []
    text = "pembrolizumab plus chemotherapy (BNT122, NCT03289963)"
    s = text.index("NCT")
    assert interventions_in_text(text, s, s + 11) == ["BNT122"]


def _own_doc(title, blocks):
    doc = StructuredDocument(file="y.pdf", sha256="0" * 64, page_count=1, metadata={}, pages=[],
                             front=FrontMatter(title=title), headings=[], blocks=blocks, tables=[], references=[])
    sents = [s for b in blocks for s in _sentences(b.id, b.text)]
    tagged = TaggedDocument(document=doc, sentences=sents, abbreviations=[], entities=[], ner_model="lexicon")
    return {t["id"]: t for t in extract(tagged, Settings()).trials}


def test_own_trial_attributes_from_title_and_registration():
    blocks = [
        _block("a", "abstract", "Trial patients will receive either subcutaneous erythropoietin or placebo. "
                                "The trial is a phase III trial.", 1, 100, section=("Abstract",)),
        _block("b", "abstract", "Trial registration: ACTRN12609000827235 (registered on 22 September 2009).", 1, 200,
               section=("Abstract",)),
        _block("c", "paragraph", "Methods In this randomised, open-label, phase 3 trial (NCT00987454), patients were "
                                 "assigned. A cited trial (NCT01234567) used another drug.", 1, 300),
    ]
    trials = _own_doc("Erythropoietin in traumatic brain injury: study protocol for a randomised controlled trial",
                      blocks)
    for id in ("ACTRN12609000827235", "NCT00987454"):
        t = trials[id]
        assert (t["phase"], t["condition"], t["interventions"]) == (
            "III", "traumatic brain injury", ["Erythropoietin", "placebo"]), id
    assert trials["NCT01234567"]["condition"] is None and trials["NCT01234567"]["interventions"] == []


def test_review_titles_do_not_describe_cited_trials():
    blocks = [_block("a", "paragraph", "In this phase 2 trial (NCT01234567), nivolumab was given.", 1, 100)]
    t = _own_doc("Nivolumab in melanoma: a systematic review", blocks)["NCT01234567"]
    assert t["condition"] is None


@pytest.mark.parametrize("title,expected", [
    ("Effect of intensive blood pressure control on cardiovascular events in type 2 diabetes: a randomized clinical "
     "trial", (["intensive blood pressure control"], "type 2 diabetes")),
    ("Nivolumab plus ipilimumab versus placebo in advanced melanoma (CheckMate 915): a double-blind, randomised, "
     "phase 3 trial", (["Nivolumab", "ipilimumab", "placebo"], "advanced melanoma")),
])
def test_describe_title_effect_of_and_placebo_arm(title, expected):
    from pipeline.stages.extract.trials import describe_title

    assert describe_title(title) == expected

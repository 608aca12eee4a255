"""Tag: sentences, the three abbreviation styles, entities with long forms and provenance."""
from __future__ import annotations

import re

from schemas.document import Fragment, FrontMatter, StructuredDocument, TextBlock

from pipeline.stages.tag.sentences import split
from pipeline.settings import Settings
from pipeline.stages.tag.tagger import tag


def _doc(*blocks: tuple[str, str]) -> StructuredDocument:
    bl = [TextBlock(id=f"b{i}", kind=kind, text=text, section=["Results"],
                    fragments=[Fragment(page=1, bbox=(50, 100 + 20 * i, 500, 115 + 20 * i), start=0, end=len(text))])
          for i, (kind, text) in enumerate(blocks)]
    return StructuredDocument(file="t.pdf", sha256="0" * 64, page_count=1, metadata={}, pages=[], front=FrontMatter(),
                              headings=[], blocks=bl, tables=[], references=[])


def test_sentence_split_keeps_abbreviations_and_decimals():
    text = "Median PFS was 15.56 months vs. 4.39 months (Fig. 2). Smith et al. found more. ORR was 52%."
    sents = [text[s:e] for s, e in split(text)]
    assert sents == ["Median PFS was 15.56 months vs. 4.39 months (Fig. 2).", "Smith et al. found more.", "ORR was 52%."]


def test_abbreviation_styles_and_entities():
    doc = _doc(
        ("paragraph", "Patients with non-small cell lung cancer (NSCLC) received pembrolizumab. NSCLC responded."),
        ("paragraph", "We measured the ORR (objective response rate) and used anti-PD-1 (αPD-1) antibodies."),
        ("footnote", "FMT: fecal microbiota transplantation; TACE: transarterial chemoembolization."),
    )
    tagged = tag(doc, Settings(ner_model="lexicon"))
    abbr = {a.short: a.long for a in tagged.abbreviations}
    assert abbr["NSCLC"] == "non-small cell lung cancer"
    assert abbr["ORR"] == "objective response rate"
    assert abbr["αPD-1"] == "anti-PD-1"
    assert abbr["FMT"] == "fecal microbiota transplantation" and abbr["TACE"] == "transarterial chemoembolization"
    ents = {(e.text, e.label): e for e in tagged.entities}
    assert ("pembrolizumab", "CHEMICAL") in ents
    nsclc = ents.get(("NSCLC", "DISEASE"))
    assert nsclc is not None and nsclc.long_form == "non-small cell lung cancer"
    p = ents[("pembrolizumab", "CHEMICAL")].provenance
    assert p.text[p.char_start:p.char_end] == "pembrolizumab" and p.section == ["Results"] and p.page == 1
    assert len(tagged.sentences) == 4


class _StandIn:
    """A recognizer that knows one string, as DISEASE."""

    name = "stand-in"

    def __init__(self, surface: str):
        self.surface = surface

    def __call__(self, texts):
        return [[(m.start(), m.end(), "DISEASE") for m in re.finditer(re.escape(self.surface), t)] for t in texts]


def _tag_with(monkeypatch, doc, surface):
    import pipeline.stages.tag.tagger as tagmod

    monkeypatch.setattr(tagmod, "recognizer_for", lambda settings: _StandIn(surface))
    return tag(doc, Settings())


def test_long_form_of_an_entity_abbreviation_is_an_entity_too(monkeypatch):
    doc = _doc(("paragraph", "Patients had triple-negative breast cancer (TNBC). TNBC responded to the treatment."))
    tagged = _tag_with(monkeypatch, doc, "TNBC")
    ents = {(e.text, e.label): e for e in tagged.entities}
    long_form = ents[("triple-negative breast cancer", "DISEASE")]
    p = long_form.provenance
    assert p.text[p.char_start:p.char_end] == "triple-negative breast cancer"
    assert ents[("TNBC", "DISEASE")].long_form == "triple-negative breast cancer"


def test_disease_with_a_stage_qualifier_is_kept_in_both_forms(monkeypatch):
    doc = _doc(("paragraph", "Patients with locally advanced rectal cancer were enrolled."))
    tagged = _tag_with(monkeypatch, doc, "rectal cancer")
    texts = {e.text for e in tagged.entities if e.label == "DISEASE"}
    assert {"rectal cancer", "locally advanced rectal cancer"} <= texts

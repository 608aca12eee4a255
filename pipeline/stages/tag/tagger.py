"""Stage 4, tag: sentences, abbreviation definitions and biomedical entities over every text unit.

Text units are the document's blocks (the reference list and publisher boilerplate aside)
and its table cells. Abbreviations come from scispaCy's detector (Schwartz & Hearst:
`long form (SHORT)` and `SHORT (long form)`) plus the list style of captions and table
footnotes (`SHORT: long form;`, `SHORT, long form;`, `SHORT=long form`).
"""
from __future__ import annotations

import bisect
import re
import warnings
from functools import lru_cache

from pipeline.core.provenance import UnitIndex, cell_unit
from pipeline.ner import review_rules
from pipeline.settings import Settings
from pipeline.stages.tag.abbrev import definitions, extend_left
from pipeline.stages.tag.sentences import split
from schemas.document import StructuredDocument
from schemas.records import Abbreviation, Entity
from schemas.tagged import Sentence, TaggedDocument

_GREEK_INITIALS = str.maketrans({"α": "a", "β": "b", "γ": "g", "δ": "d", "κ": "k"})
_SKIP_KINDS = {"reference", "boilerplate"}
_LIST_KINDS = {"caption", "footnote"}
# entities come from body text, captions and table cells that hold words; not from the front matter
# (authors, affiliations), nor from back-matter sections that list people, grants and interests
_NO_ENTITY_KINDS = {"front", "keywords"}
_PEOPLE_SECTIONS = re.compile(
    r"(?i)^(?:\d+(?:\.\d+)*\.?\s+)?(?:authors?['’]?\s+contributions?|contributors|acknowledge?ments?|"
    r"competing interests?|conflicts? of interests?|declarations? of (?:competing )?interests?|"
    r"funding(?: sources?| statement)?|author (?:details|information)|financial disclosures?)\W*$")
_WORDY_CELL = re.compile(r"[A-Za-zα-ωΑ-Ω]{3,}")
# footnote markers printed before a list's first item ("ᵃTRIAL, …")
_MARKS = "\u00b2\u00b3\u00b9\u1d2c-\u1dbf\u2070-\u209f*†‡§"
_LIST_ITEM = re.compile(
    r"(?:^|[;.]\s*|\s)[" + _MARKS + r"]*(?P<short>[A-Za-zα-ωΑ-Ω0-9][\w\-+/α-ωΑ-Ω]{0,14}"
    r"(?:[ ](?=[A-Z0-9]{1,10}\b)[\w\-]{1,10})?)\s*(?::|=|,)\s*(?P<long>[^;:=]{3,120}?)\s*(?=;|\.\s|\.$|$)")
_SHORTISH = re.compile(r"^(?=.*[A-Z])[A-Za-zα-ωΑ-Ω0-9][\w\-+/α-ωΑ-Ω]*(?: [A-Z0-9][A-Z0-9\-]*)?$")
# a paragraph that is an abbreviation list: the back-matter "Abbreviations" section, "Abbreviations: …"
_LIST_HEAD = re.compile(r"(?i)^\s*(?:list\s+of\s+)?abbreviations?(?:\s+used)?\s*[:.]")


@lru_cache(maxsize=2)
def _abbreviation_nlp():
    import spacy
    from scispacy.abbreviation import (
        AbbreviationDetector,  # noqa: F401  registers the factory
    )
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
        nlp.add_pipe("abbreviation_detector")
    return nlp


@lru_cache(maxsize=4)
def _recognizer(name: str):
    from pipeline.ner import load_recognizer

    return load_recognizer(name)


def recognizer_for(settings: Settings):
    """The entity recognizer the settings ask for, loaded once per process."""
    if not settings.ner:
        return _recognizer("lexicon") if settings.lexicon else None
    return _recognizer(settings.ner_model)


def tag(doc: StructuredDocument, settings: Settings) -> TaggedDocument:
    units = _units(doc)
    index = UnitIndex(doc)
    sentences: list[Sentence] = []
    starts: dict[str, list[int]] = {}
    for uid, text, _ in units:
        spans = split(text) if not uid.count(":") else [(0, len(text))]
        for s, e in spans:
            sentences.append(Sentence(unit=uid, start=s, end=e, text=text[s:e]))
        starts[uid] = [s for s, _ in spans]
    sent_of = {}
    for s in sentences:
        sent_of.setdefault(s.unit, []).append(s)

    def locate(uid: str, start: int, end: int):
        ss = sent_of.get(uid, [])
        k = max(0, bisect.bisect_right(starts.get(uid, []), start) - 1)
        sent = ss[k] if ss else None
        return index.provenance(uid, sent.start if sent else 0, sent.end if sent else end, start, end)

    abbreviations = _abbreviations(units, locate)
    entities, model_name = _entities(_entity_units(doc, units), abbreviations, settings, locate)
    return TaggedDocument(document=doc, sentences=sentences, abbreviations=abbreviations, entities=entities,
                          ner_model=model_name)


def _units(doc: StructuredDocument) -> list[tuple[str, str, str]]:
    """(unit id, text, block kind or 'cell')."""
    out = [(b.id, b.text, b.kind) for b in doc.blocks if b.kind not in _SKIP_KINDS and b.text.strip()]
    for t in doc.tables:
        for r, row in enumerate([t.header] + t.rows):
            for c, cell in enumerate(row):
                if cell.strip():
                    out.append((cell_unit(t, r - 1, c), cell, "cell"))
    return out


def _entity_units(doc: StructuredDocument, units: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    kind_section = {b.id: (b.kind, b.section) for b in doc.blocks}
    out = []
    for uid, text, kind in units:
        if kind == "cell":
            if _WORDY_CELL.search(text):
                out.append((uid, text, kind))
            continue
        _, section = kind_section.get(uid, (kind, []))
        if kind in _NO_ENTITY_KINDS or any(_PEOPLE_SECTIONS.match(s) for s in section):
            continue
        out.append((uid, text, kind))
    return out


def _abbreviations(units, locate) -> list[Abbreviation]:
    found: dict[str, Abbreviation] = {}
    prose = [(uid, text) for uid, text, kind in units if kind != "cell"]
    nlp = _abbreviation_nlp()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = nlp.pipe(text for _, text in prose)
        for (uid, text), d in zip(prose, docs):
            items = []
            for short in d._.abbreviations:
                long = short._.long_form
                # only the defining occurrence: short and long form beside each other
                if abs(short.start_char - long.end_char) > 3 and abs(long.start_char - short.end_char) > 3:
                    continue
                items.append((min(short.start_char, long.start_char), short.text, long.text, short.start_char, short.end_char))
            for _, short, long, s, e in sorted(items):
                short, long = _unhyphen(short, long)
                if short not in found and _plausible(short, long):
                    long = extend_left(text, short, long, s)
                    found[short] = Abbreviation(short=short, long=_tidy(long), provenance=locate(uid, s, e))
    # character-level Schwartz & Hearst for short forms the token-level detector skips
    for uid, text in prose:
        for short, long, s, e in definitions(text):
            short, long = _unhyphen(short, long)
            if short not in found and _plausible(short, long):
                long = extend_left(text, short, long, s)
                found[short] = Abbreviation(short=short, long=_tidy(long), provenance=locate(uid, s, e))
    for uid, text, kind in units:
        if kind in _LIST_KINDS or (kind != "cell" and _is_list(text)):
            for m in _LIST_ITEM.finditer(text):
                short, long = m.group("short"), m.group("long").strip()
                if _SHORTISH.match(short) and short not in found and _plausible(short, long) and not long[:1].isdigit():
                    found[short] = Abbreviation(short=short, long=_tidy(long),
                                                provenance=locate(uid, m.start("short"), m.end("short")))
    # composite symbols: "PTVCTV" (PTV with a subscript CTV) is two defined short forms run together
    for short in list(found):
        if any(short[:k] in found and short[k:] in found for k in range(2, len(short) - 1)):
            del found[short]
    # document order
    return sorted(found.values(), key=lambda a: (a.provenance.page, a.provenance.bbox[1] if a.provenance.bbox else 0))


def _is_list(text: str) -> bool:
    """A paragraph made of `SHORT: long form;` items: an "Abbreviations: …" paragraph, or the back-matter
    list printed under its own heading (at least three items, separated by semicolons)."""
    if _LIST_HEAD.match(text):
        return True
    items = [m for m in _LIST_ITEM.finditer(text) if _SHORTISH.match(m.group("short"))]
    return len(items) >= 3 and text.count(";") >= 2 and sum(m.end() - m.start() for m in items) >= 0.8 * len(text)


_ROMAN = re.compile(r"(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})")


def _plausible(short: str, long: str) -> bool:
    if len(long) <= len(short) or len(long) > 150:
        return False
    if _ROMAN.fullmatch(short):
        return False  # "(iii) allocation concealment": an item number, not a short form
    if long.count(")") > long.count("(") and "," in long[:long.find(")")]:
        return False  # "IL-8, IL-10 and TNF-α) in …": a list running out of its parenthesis
    initials = [c.lower() for c in short.translate(_GREEK_INITIALS) if c.isalpha()]
    if not initials:
        return False
    if re.fullmatch(r"[A-Z]?[a-z]{4,}", short):
        return False  # a plain word in parentheses: "Council Project (project grant …)", "(often)"
    if " " in short and not re.fullmatch(r"[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*(?: [A-Z0-9][A-Za-z0-9-]*)+",
                                         short):
        return False  # "(active opt-out consent)" is an explanation, not a short form
    if long.lstrip("( ")[:1].isdigit() or re.search(r"(?<![\w-])" + re.escape(short) + r"(?![\w-])", long):
        return False  # "Gy (25 × 2 Gy on weekdays)"
    return initials[0] in long.lower()


def _unhyphen(short: str, long: str) -> tuple[str, str]:
    """"lipopolysaccharide- (LPS-)stimulated": the hyphen joins the compound, not the short form."""
    if short.endswith("-") and long.endswith("-"):
        return short[:-1], long[:-1]
    return short, long


def _tidy(long: str) -> str:
    return re.sub(r"\s+", " ", long).strip(" ,;:‘’“”\"'")


# stage and course words that clinicians print as part of a disease's name; the bare name is kept too
_DISEASE_QUALIFIER = re.compile(
    r"(?<![\w-])(?:(?:locally|very|extensive|limited)[ -])?(?:advanced|metastatic|malignant|recurrent|refractory|"
    r"relapsed|unresectable|resectable|early[ -]stage|late[ -]stage|invasive|chronic|acute|severe|morbid)\s+$", re.I)


def _entities(units, abbreviations: list[Abbreviation], settings: Settings, locate) -> tuple[list[Entity], str]:
    rec = recognizer_for(settings)  # a model that cannot load raises ReviewExtractError (one line)
    if rec is None:
        return [], "none"
    texts = [text for _, text, _ in units]
    found = rec(texts)
    if rec.name != "lexicon":
        found = [review_rules.apply(t, spans) for t, spans in zip(texts, found)]
    longs = {a.short: a.long for a in abbreviations}

    def keep(t: str, s: int, e: int, lab: str) -> bool:
        if t[s:e] in longs:  # the document's own short form: kept when its long form names an entity
            return review_rules.defined_entity(longs[t[s:e]], lab)
        return review_rules.curated(t[s:e], lab, t[e:e + 24])

    found = [[(s, e, lab) for s, e, lab in spans if keep(t, s, e, lab)] for t, spans in zip(texts, found)]
    label_of_long: dict[str, str] = {}
    seen: dict[tuple[str, str], Entity] = {}
    for (uid, text, _), spans in zip(units, found):
        for s, e, label in spans:
            variants = [(s, e)]
            m = _DISEASE_QUALIFIER.search(text, max(0, s - 40), s) if label == "DISEASE" else None
            if m:
                variants.append((m.start(), e))  # "locally advanced rectal cancer" besides "rectal cancer"
            for a, b in variants:
                surface = text[a:b]
                key = (surface, label)
                if key in seen:
                    continue
                seen[key] = Entity(text=surface, label=label, long_form=longs.get(surface), source=rec.name,
                                   provenance=locate(uid, a, b))
                label_of_long.setdefault(surface.lower(), label)
    # an abbreviation and its defined long form are one entity: each takes the other's label
    # (NSCLC -> DISEASE from "non-small cell lung cancer"; "triple-negative breast cancer" from TNBC)
    short_label = {short: label for (short, label) in seen if short in longs}
    for a in abbreviations:
        label = label_of_long.get(a.long.lower())
        if label and (a.short, label) not in seen:
            seen[(a.short, label)] = Entity(text=a.short, label=label, long_form=a.long, source=rec.name,
                                            provenance=a.provenance)
        label = short_label.get(a.short)
        if label and a.long.lower() not in label_of_long and (a.long, label) not in seen:
            p = a.provenance
            at = p.text.find(a.long)
            prov = p.model_copy(update={"char_start": at, "char_end": at + len(a.long)}) if at >= 0 else p
            seen[(a.long, label)] = Entity(text=a.long, label=label, long_form=None, source=rec.name, provenance=prov)
    return list(seen.values()), rec.name

"""Rules for what reviews print and the 2015 training abstracts rarely did, applied by the tag
stage after the recognizer (so `ner eval` keeps measuring the model alone):

- investigational drug codes: two to four capitals, an optional hyphen, three to six digits
  ("AZD4635", "PLX3397", "BMS-936558"), registry identifiers excepted;
- inorganic formulas whose every symbol is a chemical element, that carry a count and an
  anion-forming element ("MnO2", "Fe3O4", "TiO2");
- a formulation prefix joined to a recognized drug ("nab-paclitaxel", "peg-interferon");
- single-word names from the drug list (DrugBank, MeSH) the model missed, when they are not
  ordinary English words ("quercetin");
- adverse events, which the gold format counts as DISEASE ("immune-related adverse events",
  "serious adverse events").
"""
from __future__ import annotations

import re
from functools import lru_cache

_ELEMENTS = set("""H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr
Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os
Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu""".split())
_FORMULA = re.compile(r"(?<![\w-])((?:[A-Z][a-z]?\d{0,2}){2,6})(?![\w-])")
_PART = re.compile(r"([A-Z][a-z]?)(\d{0,2})")
_CODE = re.compile(r"(?<![\w-])([A-Z]{2,4})-?(\d{3,6})(?![\w-])")
_NOT_DRUGS = {"NCT", "ISRCTN", "ACTRN", "CTRI", "DRKS", "UMIN", "KCT", "PACTR", "IRCT", "TCTR", "SLCTR", "NTR", "NL",
              "CRD", "ID", "ISBN", "ISSN", "DOI", "PMID", "PMC", "ORCID", "GCP", "ICD", "ATCC", "CA", "CD",
              "HLA", "AJCC", "WHO", "FDA", "EMA", "EU", "UK", "USA", "NCI", "NIH", "COVID", "SARS"}
_WORD = re.compile(r"(?<![\w-])([A-Za-z][a-z]{6,})(?![\w-])")
_ADVERSE = re.compile(r"(?<![\w-])((?:[A-Za-z]+-related|serious|severe|immune|treatment)\s+)?adverse\s+"
                      r"(?:events?|effects?|reactions?)(?![\w-])", re.I)
_PREFIX = re.compile(r"(?<![\w-])(nab|peg|lipo|pegylated|liposomal)-$", re.I)


def _formula(token: str) -> bool:
    parts = _PART.findall(token)
    if "".join(a + b for a, b in parts) != token:
        return False
    symbols = {a for a, _ in parts}
    # a counted formula with an anion-forming element: MnO2, Fe3O4, CO2 (not "CH3" domains or "CB2")
    return (symbols <= _ELEMENTS and any(b for _, b in parts) and len(parts) >= 2
            and bool(symbols & {"O", "N", "S", "Cl", "F", "Br", "I", "P"}))


@lru_cache(maxsize=1)
def _single_word_drugs() -> frozenset[str]:
    from pipeline.core.hyphenation import zipf
    from pipeline.ner.recognizers import _drug_keys

    return frozenset(k for k in _drug_keys() if " " not in k and "-" not in k and len(k) >= 7 and zipf(k) < 3.0)


def apply(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`spans` sorted and non-overlapping; returns them with the rules' additions, same form."""
    out = list(spans)
    taken = [(s, e) for s, e, _ in out]

    def free(a: int, b: int) -> bool:
        return all(b <= s or e <= a for s, e in taken)

    for m in _CODE.finditer(text):
        if m.group(1) not in _NOT_DRUGS and free(*m.span()):
            out.append((m.start(), m.end(), "CHEMICAL"))
            taken.append(m.span())
    for m in _FORMULA.finditer(text):
        if _formula(m.group(1)) and free(*m.span()):
            out.append((m.start(), m.end(), "CHEMICAL"))
            taken.append(m.span())
    drugs = _single_word_drugs()
    for m in _WORD.finditer(text):
        if m.group(1).lower() in drugs and free(*m.span()):
            out.append((m.start(), m.end(), "CHEMICAL"))
            taken.append(m.span())
    for m in _ADVERSE.finditer(text):
        if free(*m.span()):
            out.append((m.start(), m.end(), "DISEASE"))
            taken.append(m.span())
    widened = []
    for s, e, lab in out:
        p = _PREFIX.search(text, max(0, s - 12), s) if lab == "CHEMICAL" else None
        widened.append((p.start(1), e, lab) if p and free(p.start(1), s) else (s, e, lab))
    return sorted(widened)


# --- what a curator would not keep ------------------------------------------------------------------
# The recognizer's spans are filtered by their form alone: citations, dates, numbers, degrees,
# person-name-like capitalized words, bare initialisms the document never defines, everyday words.

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MONTH = re.compile(r"(?i)^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s|$)")
_REGISTRY_LIKE = re.compile(r"^[A-Z]{2,}[-\s]?\d{7,}$")
_DEGREES = re.compile(r"^(?:MD|PhD|DPhil|MSc|BSc|BS|MA|MM|MB|MBBS|MPH|MPhil|RN|DrPH|PharmD|Dr|Prof|Mr|Mrs|Ms)\.?$")
_EDGE_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "by", "at", "as", "from",
               "versus", "vs", "than", "that", "which", "is", "are", "was", "were", "be", "this", "these", "et", "al"}
_NOT_ENTITIES = {"bias", "publication bias", "selection bias", "heterogeneity", "confounding", "risk", "outcome",
                 "outcomes", "placebo"}  # methods words the recognizer reads as diseases
_PROCEDURE = re.compile(r"(?i)(?:ectom(?:y|ies)|otom(?:y|ies)|ostom(?:y|ies)|plast(?:y|ies)|scop(?:y|ies))$")
_ANATOMY_END = {"liver", "lung", "lungs", "node", "nodes", "breast", "colon", "kidney", "bone", "brain", "skin",
                "blood", "tissue", "cell", "cells", "and", "or"}
# a span followed by these is the modifier of a gene or protein name: "tumor necrosis factor", "estrogen receptor"
_NAME_HEAD = re.compile(r"^(?:[\s-]*(?:necrosis factor|factors?|receptors?|ligands?|kinases?|antigens?|genes?|"
                        r"proteins?|motif)\b|-\d)", re.I)
_AUTHOR = re.compile(r"^[A-Z][a-zà-ÿ'’-]+(?: [A-Z][a-zà-ÿ'’-]+)? [A-Z]{1,3}$")  # "Hernández C": a cited author
_COMMON_ZIPF = 4.3  # everyday English (wordfreq's top ~10k words): "huge", "telephone", "besides"


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, str]]:
    import gzip

    from pipeline.ner.lexicon import LEXICON_PATH

    out = {}
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as f:
        for line in f:
            key, label, src = line.rstrip("\n").split("\t")
            out[key] = (label, src)
    return out


def _in_lexicon(surface: str, label: str) -> bool:
    entry = _lexicon().get(surface.lower())
    if entry is None or entry[0] != label:
        return False
    # two- and three-letter keys of the mention corpora are noise ("ma", "be", "dr"); drug names are not
    return len(surface) >= 4 or "drugs" in entry[1].split(",")


def curated(surface: str, label: str, after: str = "") -> bool:
    """Whether a recognized span is an entity a curator would keep, by its form; `after` is the text
    that follows it."""
    s = surface.strip()
    if s.lower() in _NOT_ENTITIES or _AUTHOR.match(s) or _NAME_HEAD.match(after[:20]):
        return False
    if label == "DISEASE" and (_PROCEDURE.search(s) or (" " in s and s.split()[-1].lower() in _ANATOMY_END)):
        return False  # "hemihepatectomies" is a procedure; "colorectal liver" lost its head noun
    if label == "CHEMICAL" and re.search(r"[a-z]{3}ases?$", s):
        return False  # "5-lipoxygenase": an enzyme
    letters = re.sub(r"[^A-Za-zÀ-ÿα-ωΑ-Ω]", "", s)
    if len(letters) < 2 or _YEAR.search(s) or _MONTH.match(s) or _REGISTRY_LIKE.match(s):
        return False  # ".042", "Oct 11, 2013", "Lancet Respir Med 2014", "NCT00874224"
    words = s.split()
    if _DEGREES.match(s) or any(w.lower().strip(".,") in ("et", "al") for w in words):
        return False
    if words[0].lower() in _EDGE_WORDS or words[-1].lower() in _EDGE_WORDS:
        return False  # "Open versus laparoscopic liver" cut from a title
    if _in_lexicon(s, label):
        return True
    if len(words) == 1:
        w = words[0]
        if w.isupper() and len(letters) <= 5 and not re.search(r"\d", w):
            return False  # a bare initialism: kept only through the document's own definition (tag stage)
        if w[:1].isupper() and w[1:].islower() and not _in_lexicon(w.lower(), label):
            return False  # "Maria", "Figure", "Olympus": names and labels, not entities
        if w.islower() and not _drug_or_lexicon(w, label):
            from pipeline.core.hyphenation import zipf

            return zipf(w) < _COMMON_ZIPF
    return True


def defined_entity(long_form: str, label: str) -> bool:
    """A document's abbreviation whose long form ends in a known entity of that label ("triple-negative
    breast cancer" for TNBC); "relapse-free survival" does not make RFS a chemical."""
    words = long_form.split()
    return any(_in_lexicon(" ".join(words[k:]), label) for k in range(len(words)))


def _drug_or_lexicon(word: str, label: str) -> bool:
    return _in_lexicon(word, label) or (label == "CHEMICAL" and word in _single_word_drugs())

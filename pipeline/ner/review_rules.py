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

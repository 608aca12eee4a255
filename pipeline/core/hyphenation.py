"""Decide what a hyphen at the end of a printed line is: a word break or a real hyphen.

The rule, in order (the first that applies wins):
1. Identifiers and acronyms keep their hyphen: the fragment before it ends in a digit or
   is written in capitals ("LEN-"/"TAP", "PD-"/"1"), or the next line starts with a capital
   or digit. Typesetters do not insert break hyphens into these.
2. The document's own vocabulary: if the joined word ("expand") is printed elsewhere in the
   document and the hyphenated one ("ex-pand") is not, join; the other way round, keep.
3. A real word list (wordfreq's English frequencies, plus the drug-name vocabulary):
   a joined form that is a common word (Zipf >= 2.0) or a known drug name is joined;
   otherwise the hyphen is real when the second fragment is a compound head ("-targeting",
   "-containing") or a drug name ("nab-"/"paclitaxel"), when both fragments are words in
   their own right ("immune", "related"), or when the first is a word the document prints
   on its own and the second a common word; otherwise the fragments are pieces of one
   word and are joined.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Literal

Join = Literal["join", "hyphen"]
_LEFT = re.compile(r"([A-Za-z\u00c0-\u024f\u0370-\u03ff]+)-$")
_RIGHT = re.compile(r"^([A-Za-z\u00c0-\u024f\u0370-\u03ff]+)")
_WORDS = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff]+(?:-[A-Za-z\u00c0-\u024f\u0370-\u03ff]+)*")
COMMON_ZIPF = 2.0
# second parts of compounds that follow a real hyphen; as a line-end fragment they never end a broken word
_COMPOUND_HEADS = frozenset("""
based derived mediated induced related associated containing targeting loaded responsive specific dependent
free like type positive negative resistant sensitive treated expressing producing activated bearing
encapsulated modified coated conjugated driven enabled guided triggered regulated stimulated infiltrating
mimetic sustaining term scale dose line arm blind label group rich naive refractory matched adjusted
controlled linked labeled labelled shaped sparing intensive inhibiting secreting deficient enriched
""".split())
WORD_ZIPF = 2.5


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def _drug_names() -> frozenset[str]:
    # read the package's dictionary directly: importing the package (which importlib.resources.files
    # would do) runs its finder's set-up, ~2 s of n-gram indexes we don't need; find_spec does not
    import bz2
    import pickle
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("drug_named_entity_recognition", name="drug_named_entity_recognition")
    folder = Path(next(iter(spec.submodule_search_locations)))
    with bz2.open(folder / "drug_ner_dictionary.pkl.bz2", "rb") as f:
        data = pickle.load(f)
    return frozenset(n.lower() for n in data["drug_variant_to_canonical"] if " " not in n)


class Vocabulary:
    """Words a document prints whole, with and without inner hyphens."""

    def __init__(self, lines: Iterable[str]):
        self.counts: dict[str, int] = {}
        after_break = False
        for line in lines:
            words = _WORDS.findall(line)
            # the two fragments of a word broken at a line end are not evidence of anything
            broken = line.endswith("-") and len(line) > 1 and line[-2].isalpha()
            if broken and words:
                words = words[:-1]
            if after_break and words:
                words = words[1:]
            after_break = broken
            for w in words:
                k = w.lower()
                self.counts[k] = self.counts.get(k, 0) + 1

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts


class LazyVocabulary:
    """A Vocabulary built on first use: most tables never need one."""

    def __init__(self, make: Callable[[], Vocabulary]):
        self._make = make
        self._vocab: Vocabulary | None = None

    def __contains__(self, word: str) -> bool:
        if self._vocab is None:
            self._vocab = self._make()
        return word in self._vocab


def decide(line_end: str, next_start: str, vocab: Vocabulary | None = None,
           is_known: Callable[[str], bool] | None = None) -> Join:
    """`line_end` is the text of a line ending in '-', `next_start` the next line's text."""
    m = _LEFT.search(line_end)
    r = _RIGHT.match(next_start.lstrip())
    if not m or not r:
        return "hyphen"  # "10-" / "PD-1" style or a dangling dash: keep what is printed
    left, right = m.group(1), r.group(1)
    if left.isupper() or right[0].isupper() or line_end[: m.start(1)][-1:].isdigit():
        return "hyphen"
    joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
    if vocab is not None:
        has_joined, has_hyphened = joined in vocab, hyphened in vocab
        if has_joined != has_hyphened:
            return "join" if has_joined else "hyphen"
    if zipf(joined) >= COMMON_ZIPF or joined in _drug_names() or (is_known and is_known(joined)):
        return "join"
    rl = right.lower()
    if rl in _COMPOUND_HEADS or (len(rl) >= 7 and rl in _drug_names()):
        return "hyphen"  # "photothermal-targeting", "nab-paclitaxel"
    if zipf(left.lower()) >= WORD_ZIPF and zipf(rl) >= WORD_ZIPF:
        return "hyphen"
    if vocab is not None and left.lower() in vocab and zipf(rl) >= WORD_ZIPF and not left.lower().endswith("o"):
        # combining forms (immuno-, nano-, chemo-) are prefixes, not words: "immunosurveillance"
        return "hyphen"  # the fragment is a word the document prints on its own
    return "join"

"""Tokenizer whose boundaries biomedical entities can fall on.

spaCy's default English tokenizer keeps "cocaine-induced", "5-HT/NE" or "Na+/K+" whole;
BC5CDR annotates "cocaine" inside "cocaine-induced". We add infix splits on hyphens,
slashes, plus signs between letters/digits and a few other joiners, so (measured on the
BC5CDR training set) nearly every gold entity starts and ends on a token boundary.

The patterns are stored with the saved pipeline (tokenizer.to_disk), so the trained model
loads with plain ``spacy.load`` too.
"""
from __future__ import annotations

import spacy
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

EXTRA_INFIXES = [
    r"[-\u2010\u2011\u2012\u2013\u2014/+:;=,\[\]()'\u2019*~<>%&\.]",
]
EXTRA_PREFIXES = [r"[-\u2010\u2013/+\[\(\'\u2019]", r"\d+(?=[A-Za-z\-])"]
EXTRA_SUFFIXES = [r"[-\u2010\u2013/+\]\)\'\u2019]", r"(?<=[A-Za-z])\d+(?=$)"]


def customize_tokenizer(nlp) -> None:
    """Split on hyphen/slash/etc. everywhere inside a token (char-level joiners)."""
    defaults = nlp.Defaults
    infixes = list(defaults.infixes) + EXTRA_INFIXES
    prefixes = list(defaults.prefixes) + [EXTRA_PREFIXES[0]]
    suffixes = list(defaults.suffixes) + [EXTRA_SUFFIXES[0]]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    # exceptions like "e.g." stay; drop ones containing a hyphen/slash so they split too
    rules = {k: v for k, v in nlp.tokenizer.rules.items() if not any(c in k for c in "-/")}
    nlp.tokenizer.rules = rules
    nlp.tokenizer.token_match = None
    nlp.tokenizer.url_match = None


@spacy.registry.callbacks("review_extract.bio_tokenizer.v1")
def make_before_init():
    def before_init(nlp):
        customize_tokenizer(nlp)
        return nlp

    return before_init


def blank_bio_nlp():
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    return nlp

"""Lexicon recognizer and lexicon token features.

The lexicon file (pipeline/ner/lexicon/lexicon.tsv.gz, built by ``review-extract ner
build-lexicon``) has one entry a line: ``key<TAB>label<TAB>sources`` where ``key`` is the
term tokenized with the project's tokenizer, lower-cased, tokens joined by one space;
``label`` is CHEMICAL or DISEASE (GENE/CELL possible); ``sources`` is a comma list among
``drugs`` (the drug-named-entity-recognition package: DrugBank/MeSH/MedlinePlus names),
``ncbi`` (NCBI-disease train+dev mentions), ``bionlp`` (BioNLP13CG train+dev),
``cdr`` (BC5CDR train+dev mentions).

Two uses:
- ``LexiconMatcher`` finds greedy longest matches over a Doc's tokens (the "lexicon"
  recognizer, and the drug-name override of the bundled model);
- the ``review_extract_lexicon_features`` pipeline component writes match tags into
  ``token.tag_`` ("LEX_CHEMICAL_B", ...), which the model's tok2vec embeds as a feature.
  That component uses only the sources that are not the model's own training corpus, so
  the feature is as reliable on training text as on unseen text.
"""
from __future__ import annotations

import gzip
from pathlib import Path

from spacy.language import Language

LEXICON_PATH = Path(__file__).parent / "lexicon" / "lexicon.tsv.gz"
FEATURE_SOURCES = ("drugs", "ncbi", "bionlp")
MAX_TOKENS = 10


class LexiconMatcher:
    def __init__(self, path: str | Path = LEXICON_PATH, sources: tuple[str, ...] | None = None,
                 labels: tuple[str, ...] | None = None):
        self.terms: dict[str, str] = {}
        self.first: dict[str, int] = {}  # first token -> longest term length (tokens)
        self.path = str(path)
        self.sources = tuple(sources) if sources else None
        self.labels = tuple(labels) if labels else None
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                key, label, src = line.rstrip("\n").split("\t")
                if self.labels and label not in self.labels:
                    continue
                if self.sources and not any(s in self.sources for s in src.split(",")):
                    continue
                toks = key.split(" ")
                if len(toks) > MAX_TOKENS:
                    continue
                self.terms[key] = label
                if self.first.get(toks[0], 0) < len(toks):
                    self.first[toks[0]] = len(toks)
        # the same, keyed by spaCy string hashes (doc.to_array(LOWER)): no Token objects
        from spacy.strings import get_string_id

        self.hterms = {tuple(get_string_id(t) for t in k.split(" ")): lab for k, lab in self.terms.items()}
        self.hfirst = {get_string_id(t): n for t, n in self.first.items()}

    def match_tokens(self, lowers: list[str]) -> list[tuple[int, int, str]]:
        """Greedy longest match, left to right; token index spans [i, j)."""
        return _greedy_longest(lowers, self.first, self.terms, " ".join)

    def match_doc(self, doc) -> list[tuple[int, int, str]]:
        """Same as match_tokens over the lower-cased tokens, on hash ids."""
        from spacy.attrs import LOWER

        ids = doc.to_array(LOWER).tolist() if len(doc) else []
        return _greedy_longest(ids, self.hfirst, self.hterms, tuple)


_ZIPF_CACHE: dict[str, float] = {}


def plausible(text: str) -> bool:
    """Filter for lexicon matches used as output (not as features): the lexicon is matched
    case-insensitively, so short lower-case words ("be", "no", "if") and common English
    words ("age", "lead", "map") are dropped unless written like an abbreviation ("NO")."""
    from wordfreq import zipf_frequency

    if len(text) <= 3:
        return any(c.isupper() for c in text) or any(c.isdigit() for c in text)
    if " " in text or "-" in text or not text.isalpha():
        return True
    low = text.lower()
    z = _ZIPF_CACHE.get(low)
    if z is None:
        z = _ZIPF_CACHE[low] = zipf_frequency(low, "en")
    return z < 4.5 or (text.isupper() and len(text) <= 6)


@Language.factory("review_extract_lexicon_features", default_config={"sources": list(FEATURE_SOURCES)})
def make_lexicon_features(nlp, name: str, sources: list[str]):
    return LexiconFeatures(sources)


class LexiconFeatures:
    """Writes lexicon-match tags into token.tag_ (read by tok2vec as the TAG attribute)."""

    def __init__(self, sources):
        self.sources = tuple(sources)
        self.matcher = LexiconMatcher(LEXICON_PATH, sources=self.sources, labels=("CHEMICAL", "DISEASE"))

    def __call__(self, doc):
        import numpy
        from spacy.attrs import TAG

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        o = strings.add("O")
        tags = numpy.full((len(doc), 1), o, dtype="uint64")
        for i, j, lab in self.matcher.match_doc(doc):
            tags[i, 0] = strings.add("LEX_" + lab + "_B")
            if j > i + 1:
                tags[i + 1:j, 0] = strings.add("LEX_" + lab + "_I")
        doc.from_array([TAG], tags)
        return doc

    def pipe(self, docs, batch_size=256):
        for doc in docs:
            yield self(doc)

    # the lexicon ships beside the code: nothing to serialize
    def to_disk(self, path, exclude=()):
        pass

    def from_disk(self, path, exclude=()):
        return self

    def to_bytes(self, exclude=()):
        return b""

    def from_bytes(self, data, exclude=()):
        return self


def _greedy_longest(seq: list, first: dict, terms: dict, key) -> list[tuple[int, int, str]]:
    """Left to right, the longest term starting at each position; `first` bounds the length
    of the terms a token can start, `key` turns a slice of `seq` into a `terms` key."""
    out = []
    i, n = 0, len(seq)
    while i < n:
        m = first.get(seq[i])
        if m:
            for L in range(min(m, n - i), 0, -1):
                lab = terms.get(key(seq[i:i + L]))
                if lab is not None:
                    out.append((i, i + L, lab))
                    i += L
                    break
            else:
                i += 1
        else:
            i += 1
    return out

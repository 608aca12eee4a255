"""Recognizer implementations behind pipeline.ner.load_recognizer."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from pipeline.errors import ReviewExtractError
from pipeline.ner import FOREIGN_LABELS, MODEL_VERSION, _resolve

BATCH = 64


def _register() -> None:
    # registers the tokenizer callback and the factories used by our configs
    import pipeline.ner.components  # noqa: F401
    import pipeline.ner.lexicon  # noqa: F401
    import pipeline.ner.tokenizer  # noqa: F401


def _load_spacy(name: str, need_ner: bool = True):
    import spacy

    _register()
    p = Path(name)
    if p.exists() and not (p / "config.cfg").exists():
        raise ReviewExtractError(f"cannot load NER model {name!r}: not a spaCy pipeline directory (no config.cfg)")
    if not p.exists() and ("/" in name or name.startswith(".")):
        raise ReviewExtractError(f"cannot load NER model {name!r}: no such directory")
    try:
        nlp = spacy.load(name)
    except OSError as e:
        msg = str(e).splitlines()[0]
        if "E050" in msg:
            msg = "not an installed spaCy package or pipeline directory"
        raise ReviewExtractError(f"cannot load NER model {name!r}: {msg[:200]}") from None
    if need_ner and not any(hasattr(c, "moves") or n in ("ner", "entity_ruler") or "ner" in n or "ruler" in n
                            for n, c in nlp.pipeline):
        raise ReviewExtractError(f"cannot load NER model {name!r}: the pipeline has no entity recognizer")
    return nlp


def _ner_only(nlp):
    """Disable components that entity recognition doesn't need (tagger, parser, linker...)."""
    keep = set()
    for n, c in nlp.pipeline:
        if n in ("tok2vec", "lexfeat", "stash") or "ner" in n or "ruler" in n or hasattr(c, "moves"):
            keep.add(n)
    # a ner that listens to a tok2vec needs it; keep anything named *tok2vec*
    for n, _ in nlp.pipeline:
        if "tok2vec" in n:
            keep.add(n)
    return [n for n, _ in nlp.pipeline if n not in keep]


class SpacyRecognizer:
    """Any spaCy pipeline; its labels are mapped to ours, other labels dropped."""

    def __init__(self, nlp, name: str):
        self.nlp = nlp
        self.name = name
        self.disable = _ner_only(nlp)

    @classmethod
    def load(cls, name: str) -> "SpacyRecognizer":
        return cls(_load_spacy(name), name)

    def docs(self, texts):
        return self.nlp.pipe(texts, batch_size=BATCH, disable=self.disable)

    def __call__(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        out = []
        for doc in self.docs(list(texts)):
            spans = []
            for ent in doc.ents:
                lab = FOREIGN_LABELS.get(ent.label_)
                if lab:
                    spans.append((ent.start_char, ent.end_char, lab))
            out.append(_resolve(spans))
        return out


# ---------------------------------------------------------------- post-processing
_ABBR = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-+/]{0,9})\s*\)")


def _word_re(s: str):
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(s) + r"(?![A-Za-z0-9])")


def propagate(text: str, spans: list[tuple[int, int, str]], min_len: int = 3) -> list[tuple[int, int, str]]:
    """Document-level consistency: abbreviations defined as "long form (SF)" after a
    recognized entity get its label; strings recognized once are recognized everywhere."""
    found = {}
    conflict = set()
    for s, e, lab in spans:
        t = text[s:e]
        if found.get(t, lab) != lab:
            conflict.add(t)
        found[t] = lab
    for s, e, lab in spans:
        m = _ABBR.match(text, e + 1) if text[e:e + 1] == " " else _ABBR.match(text, e)
        if m:
            sf = m.group(1)
            if any(c.isupper() for c in sf) and sf[0].lower() == text[s].lower() and sf not in found:
                found[sf] = lab
    extra = []
    taken = [(s, e) for s, e, _ in spans]
    for t, lab in found.items():
        if t in conflict or len(t) < min_len and not (len(t) >= 2 and t.isupper()):
            continue
        for m in _word_re(t).finditer(text):
            a, b = m.span()
            if not any(a < e and s < b for s, e in taken):
                extra.append((a, b, lab))
                taken.append((a, b))
    return _resolve(list(spans) + extra) if extra else list(spans)


class BundledRecognizer:
    """The shipped pipeline (pipeline/ner/model): one tok2vec (with lexicon features), a
    CHEMICAL/DISEASE head (BC5CDR) and a GENE/CELL head (BioNLP13CG + BC2GM). CHEMICAL/
    DISEASE win overlaps; document-level propagation and a drug-name lexicon that turns
    DISEASE into CHEMICAL ("pembrolizumab") are applied on top."""

    def __init__(self, model_dir: Path, gene_cell: bool = True, postprocess: bool = True):
        if not (Path(model_dir) / "config.cfg").exists():
            raise ReviewExtractError(f"bundled NER model missing at {model_dir}; run 'review-extract ner train'")
        self.nlp = _load_spacy(str(model_dir))
        self.has_gc = "ner_gc" in self.nlp.pipe_names
        self.disable = _ner_only(self.nlp)
        if not gene_cell:
            self.disable += [n for n in ("stash", "ner_gc") if n in self.nlp.pipe_names]
        self.gene_cell = gene_cell and self.has_gc
        self.postprocess = postprocess
        self.name = MODEL_VERSION
        self.drugs = _drug_keys()

    def __call__(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        from pipeline.ner.components import STASH_KEY

        texts = list(texts)
        out = []
        for text, doc in zip(texts, self.nlp.pipe(texts, batch_size=BATCH, disable=self.disable)):
            chem = doc.spans[STASH_KEY] if STASH_KEY in doc.spans else doc.ents
            spans = []
            for ent in chem:
                lab = ent.label_
                if lab == "DISEASE" and " ".join(t.lower_ for t in ent) in self.drugs:
                    lab = "CHEMICAL"  # e.g. antibody drugs BC5CDR never saw
                spans.append((ent.start_char, ent.end_char, lab))
            spans = _resolve(spans)
            if self.postprocess:
                spans = propagate(text, spans)
            if self.gene_cell and STASH_KEY in doc.spans:
                add = [(e.start_char, e.end_char, e.label_) for e in doc.ents
                       if not any(e.start_char < b and a < e.end_char for a, b, _ in spans)]
                if add:
                    spans = _resolve(spans + add)
            out.append(spans)
        return out


def _drug_keys() -> set[str]:
    from pipeline.ner.lexicon import LEXICON_PATH

    keys = set()
    with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as f:
        for line in f:
            key, label, src = line.rstrip("\n").split("\t")
            if label == "CHEMICAL" and "drugs" in src:
                keys.add(key)
    return keys


class LexiconRecognizer:
    """No statistical model: greedy longest match against the shipped lexicon."""

    name = "lexicon"

    def __init__(self):
        from pipeline.ner.lexicon import LEXICON_PATH, LexiconMatcher
        from pipeline.ner.tokenizer import blank_bio_nlp

        self.nlp = blank_bio_nlp()
        self.matcher = LexiconMatcher(LEXICON_PATH)

    def __call__(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        out = []
        for doc in self.nlp.pipe(list(texts), batch_size=BATCH):
            spans = []
            for i, j, lab in self.matcher.match_doc(doc):
                span = doc[i:j]
                spans.append((span.start_char, span.end_char, lab))
            out.append(_resolve(spans))
        return out

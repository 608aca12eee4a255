"""Recognizer implementations behind pipeline.ner.load_recognizer."""
from __future__ import annotations

import bisect
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
    try:  # scispaCy's pipelines may name its registered functions
        import scispacy.custom_sentence_segmenter  # noqa: F401
        import scispacy.custom_tokenizer  # noqa: F401
    except Exception:  # noqa: BLE001 - optional
        pass
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
    if need_ner and not any(_is_recognizer(n, c) for n, c in nlp.pipeline):
        raise ReviewExtractError(f"cannot load NER model {name!r}: the pipeline has no entity recognizer")
    nlp.max_length = max(nlp.max_length, 10_000_000)  # a whole article in one text is fine
    return nlp


def _is_recognizer(name: str, comp) -> bool:
    from spacy.pipeline import EntityRecognizer, EntityRuler, SpanRuler

    return isinstance(comp, (EntityRecognizer, EntityRuler, SpanRuler)) or name in ("lexfeat", "stash")


def _ner_only(nlp):
    """Disable components that entity recognition doesn't need (tagger, parser, lemmatizer,
    linker...); keep the recognizers and the tok2vec layers they may listen to."""
    keep = {n for n, c in nlp.pipeline if _is_recognizer(n, c) or "tok2vec" in n or n == "transformer"}
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
class _Occupied:
    """Overlap test against sorted, non-overlapping spans in O(log n)."""

    def __init__(self, spans):
        self.starts = [s for s, _, _ in spans]
        self.ends = [e for _, e, _ in spans]

    def hits(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a) - 1
        if i >= 0 and self.ends[i] > a:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < b


_ABBR = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-+/]{0,9})\s*\)")


_CODE_TAIL = re.compile(r"(?:-| |)\d[\d,]*[A-Za-z]?(?![\w-])")


def extend_codes(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A CHEMICAL that is a short upper-case prefix of a compound code ("SM" in "SM-5887",
    "BN 52021") is extended over the number."""
    out = []
    occ = _Occupied(spans)
    for s, e, lab in spans:
        t = text[s:e]
        if lab == "CHEMICAL" and 1 <= len(t) <= 4 and t.isalpha() and t.isupper():
            m = _CODE_TAIL.match(text, e)
            if m and m.end() > e and not occ.hits(e, m.end()):
                e = m.end()
        out.append((s, e, lab))
    return out


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
    keep = {t: lab for t, lab in found.items()
            if t not in conflict and (len(t) >= min_len or (len(t) >= 2 and t.isupper()))}
    if not keep:
        return list(spans)
    # one scan of the text for all strings, longest first
    alt = "|".join(re.escape(t) for t in sorted(keep, key=len, reverse=True))
    pat = re.compile(r"(?<![A-Za-z0-9])(?:" + alt + r")(?![A-Za-z0-9])")
    starts = sorted(s for s, _, _ in spans)
    ends = {s: e for s, e, _ in spans}
    extra = []
    for m in pat.finditer(text):
        a, b = m.span()
        i = bisect.bisect_right(starts, a) - 1  # the span starting at or before a
        if i >= 0 and ends[starts[i]] > a:
            continue
        if i + 1 < len(starts) and starts[i + 1] < b:
            continue
        extra.append((a, b, keep[m.group(0)]))
    return _resolve(list(spans) + extra) if extra else list(spans)


# USAN/INN stems of drug classes (many newer than BC5CDR: antibodies, kinase inhibitors)
DRUG_STEMS = (
    "mab", "cept", "nib", "parib", "lisib", "ciclib", "degib", "tinib", "platin", "taxel",
    "rubicin", "mycin", "cycline", "floxacin", "vir", "pril", "sartan", "olol", "azole",
    "statin", "profen", "dronate", "gliptin", "gliflozin", "glutide", "prazole", "setron",
    "triptan", "dipine", "azepam", "zolam", "barbital", "caine", "parin", "xaban", "gatran",
    "lukast", "tidine", "oxetine", "tadine", "semide", "thiazide", "cillin", "penem",
)

_STEM_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{2,}(?:" + "|".join(DRUG_STEMS) + r")(?![A-Za-z0-9])",
                      re.IGNORECASE)


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
        self.name = MODEL_VERSION if self.gene_cell else f"{MODEL_VERSION}-chemdis"
        self.drugs = _drug_keys()
        self.stem_drugs = {k for k in self.drugs if " " not in k and len(k) >= 6 and k.endswith(DRUG_STEMS)}

    def _drug_stems(self, text, spans):
        """Known drug names with a drug-class stem ("pembrolizumab", "osimertinib") are
        CHEMICAL even where the model, trained on 2015 abstracts, missed them."""
        spans = _resolve(spans)
        occ = _Occupied(spans)
        add = []
        for m in _STEM_RE.finditer(text):
            if m.group(0).lower() in self.stem_drugs:
                a, b = m.span()
                if not occ.hits(a, b):
                    add.append((a, b, "CHEMICAL"))
        return _resolve(spans + add) if add else spans

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
            spans = self._drug_stems(text, spans)
            if self.postprocess:
                spans = propagate(text, extend_codes(text, spans))
            if self.gene_cell and STASH_KEY in doc.spans:
                occ = _Occupied(spans)
                add = [(e.start_char, e.end_char, e.label_) for e in doc.ents
                       if not occ.hits(e.start_char, e.end_char)
                       and not (len(e) == 1 and e.text.lower() in self.stem_drugs)]
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
        self.nlp.max_length = 10_000_000
        self.matcher = LexiconMatcher(LEXICON_PATH)

    def __call__(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        from pipeline.ner.lexicon import plausible

        out = []
        for doc in self.nlp.pipe(list(texts), batch_size=BATCH):
            spans = []
            for i, j, lab in self.matcher.match_doc(doc):
                span = doc[i:j]
                if plausible(span.text):
                    spans.append((span.start_char, span.end_char, lab))
            out.append(_resolve(spans))
        return out

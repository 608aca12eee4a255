"""Biomedical named-entity recognition that ships offline.

    from pipeline.ner import load_recognizer
    rec = load_recognizer()            # "bundled" | "lexicon" | spaCy package name | pipeline dir
    rec(["Pembrolizumab in non-small cell lung cancer."])
    # -> [[(0, 13, 'CHEMICAL'), (17, 43, 'DISEASE')]]

Labels: CHEMICAL, DISEASE, GENE, CELL (see docs/ner.md).
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pipeline.errors import ReviewExtractError

LABELS = ("CHEMICAL", "DISEASE", "GENE", "CELL")
MODEL_DIR = Path(__file__).parent / "model"
MODEL_VERSION = "review-extract-ner-0.1"

# labels of other pipelines (scispaCy's, BioNLP13CG, ...) -> ours; others are dropped
FOREIGN_LABELS = {
    "CHEMICAL": "CHEMICAL", "Chemical": "CHEMICAL", "Simple_chemical": "CHEMICAL", "CHEM": "CHEMICAL",
    "DISEASE": "DISEASE", "Disease": "DISEASE", "Cancer": "DISEASE",
    "GENE": "GENE", "Gene": "GENE", "Gene_or_gene_product": "GENE", "GENE_OR_GENE_PRODUCT": "GENE",
    "CELL": "CELL", "Cell": "CELL", "CELL_TYPE": "CELL",
}

Span = tuple[int, int, str]


class Recognizer(Protocol):
    name: str

    def __call__(self, texts: list[str]) -> list[list[Span]]: ...


def _resolve(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping: earlier start wins, then the longer span."""
    out: list[Span] = []
    end = -1
    for s, e, lab in sorted(set(spans), key=lambda x: (x[0], -x[1])):
        if s >= end and e > s:
            out.append((s, e, lab))
            end = e
    return out


def load_recognizer(name: str = "bundled") -> Recognizer:
    """Load a recognizer; raises ReviewExtractError (one line) when NAME cannot be loaded."""
    from pipeline.ner import recognizers

    if not isinstance(name, str) or not name.strip():
        raise ReviewExtractError("NER model name is empty")
    name = name.strip()
    try:
        if name == "bundled":  # CHEMICAL and DISEASE: the fast default (the tag stage's speed bar)
            return recognizers.BundledRecognizer(MODEL_DIR, gene_cell=False)
        if name == "bundled-full":  # also GENE and CELL, from the second head: ~45% slower
            return recognizers.BundledRecognizer(MODEL_DIR)
        if name == "lexicon":
            return recognizers.LexiconRecognizer()
        return recognizers.SpacyRecognizer.load(name)
    except ReviewExtractError:
        raise
    except Exception as e:  # noqa: BLE001 - any load failure becomes one line
        msg = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
        raise ReviewExtractError(f"cannot load NER model {name!r}: {msg[:200]}") from None

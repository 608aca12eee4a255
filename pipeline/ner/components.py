"""Small spaCy components of the bundled pipeline."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

STASH_KEY = "chemdis"


@Language.component("review_extract_stash_ents")
def stash_ents(doc: Doc) -> Doc:
    """Move the CHEMICAL/DISEASE entities to doc.spans["chemdis"] and clear doc.ents, so
    the GENE/CELL head that follows predicts on a clean slate (its spans may overlap)."""
    doc.spans[STASH_KEY] = list(doc.ents)
    doc.ents = ()
    return doc

"""The text units extract reads, in document order, with their sentences and the chemicals tagged in them."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from schemas.document import StructuredDocument, Table, TextBlock
from schemas.tagged import TaggedDocument

_NO_VALUES = {"reference", "front", "keywords", "boilerplate"}  # no endpoints or percentages from these blocks


def ordered_units(doc: StructuredDocument) -> list[tuple[str, Any]]:
    """Blocks in reading order with each table placed after its caption block, else by page position."""
    blocks = list(doc.blocks)
    after_caption: dict[int, list[Table]] = defaultdict(list)
    loose: list[Table] = []
    caption_at = {}
    for i, b in enumerate(blocks):
        if b.kind == "caption" and b.label and b.label not in caption_at:
            caption_at[_norm_label(b.label)] = i
    for t in doc.tables:
        i = caption_at.get(_norm_label(t.label))
        (after_caption[i].append(t) if i is not None else loose.append(t))
    out: list[tuple[str, Any]] = []
    loose.sort(key=lambda t: (t.page, t.bbox[1]))
    for i, b in enumerate(blocks):
        pos = (b.fragments[0].page, b.fragments[0].bbox[1]) if b.fragments else None
        while loose and pos is not None and pos > (loose[0].page, loose[0].bbox[1]):
            out.append(("table", loose.pop(0)))
        out.append(("block", b))
        out.extend(("table", t) for t in after_caption.get(i, []))
    out.extend(("table", t) for t in loose)
    return out


def _norm_label(label: str) -> str:
    return re.sub(r"[\s.:|]+", " ", label).strip().lower()


def _sentences(tagged: TaggedDocument) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in tagged.sentences:
        out[s.unit].append((s.start, s.end))
    for v in out.values():
        v.sort()
    return out


def _chemicals(tagged: TaggedDocument) -> dict[str, list[tuple[int, str]]]:
    """CHEMICAL entities by the sentence text they were found in: (offset, text)."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for e in tagged.entities:
        if e.label == "CHEMICAL":
            out[e.provenance.text].append((e.provenance.char_start, e.text))
    return out


_AUTHORS = re.compile(r"^\s*(?:\[?[0-9]{1,3}[.\]]\s*)?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [A-Z]{1,3}(?:,| et al)")


_BIBLIO = re.compile(r"(?:19|20)[0-9]{2}\s*[;:]\s*[0-9]|\bdoi\b|https?://|\bAccessed\b", re.I)


def kind_of(block: TextBlock) -> str:
    """The block's kind; a paragraph that reads as a reference-list entry (authors, year;volume,
    URL, access date) counts as "reference" when the segmenter did not label it."""
    if block.kind == "paragraph" and _BIBLIO.search(block.text) and (
        _AUTHORS.match(block.text) or re.search(r"\bAccessed\b|https?://\S+\s*$", block.text)
    ):
        return "reference"
    return block.kind


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    prev = [sp for sp in spans if sp[0] <= pos]
    return prev[-1] if prev else spans[0]

"""Output of the tag stage: sentences, abbreviations and entities over the document."""
from __future__ import annotations

from .common import Model
from .document import StructuredDocument
from .records import Abbreviation, Entity


class Sentence(Model):
    unit: str  # id of the text unit: a block id, or "<table id>:<row>:<col>" for a cell
    start: int
    end: int
    text: str


class TaggedDocument(Model):
    document: StructuredDocument
    sentences: list[Sentence]
    abbreviations: list[Abbreviation]
    entities: list[Entity]
    ner_model: str

"""Pydantic models of every stage output and every record: the single source of truth.

`schemas` imports nothing from `pipeline`.
"""
from .common import BBox, Provenance
from .document import StructuredDocument, Table, TextBlock
from .layout import LaidOutDocument
from .raw import RawDocument
from .records import (
    Abbreviation,
    Endpoint,
    Entity,
    Percentage,
    Section,
    TableRecord,
    Trial,
)
from .result import Candidates, ExtractionResult, Manifest, Records, Validated
from .tagged import TaggedDocument

__all__ = [
    "Abbreviation", "BBox", "Candidates", "Endpoint", "Entity", "ExtractionResult", "LaidOutDocument",
    "Manifest", "Percentage", "Provenance", "RawDocument", "Records", "Section", "StructuredDocument",
    "Table", "TableRecord", "TaggedDocument", "TextBlock", "Trial", "Validated",
]

"""Output of the parse stage: what PyMuPDF reads off each page."""
from __future__ import annotations

from .common import BBox, Model


class Span(Model):
    text: str
    bbox: BBox
    font: str
    size: float
    bold: bool
    italic: bool
    superscript: bool
    origin_y: float  # baseline; used to tell superscripts and subscripts from body text


class Line(Model):
    bbox: BBox
    dir: tuple[float, float] = (1.0, 0.0)
    spans: list[Span]


class Block(Model):
    bbox: BBox
    lines: list[Line]


class Rule(Model):
    """A drawn line or thin rectangle (table rules, box edges)."""

    bbox: BBox
    horizontal: bool


class RawTable(Model):
    """A table as PyMuPDF's own table finder reports it (run only on pages that print a table caption)."""

    bbox: BBox
    rows: list[list[str | None]]
    strategy: str


class Page(Model):
    number: int  # 1-based
    width: float
    height: float
    rotation: int  # the page's /Rotate; coordinates are of the rotated (displayed) page
    has_text_layer: bool
    image_count: int
    drawing_count: int  # vector drawings read: only on pages that caption a table (and the page after)
    blocks: list[Block]
    rules: list[Rule]
    images: list[BBox]  # image boxes, listed on pages with little text (scans, figure pages)
    tables: list[RawTable] = []


class RawDocument(Model):
    file: str  # file name only: outputs must not depend on where the PDF lives
    sha256: str
    page_count: int
    metadata: dict[str, str]
    pages: list[Page]
    warnings: list[str] = []

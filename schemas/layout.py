"""Output of the layout stage: text lines in reading order, page furniture removed."""
from __future__ import annotations

from typing import Literal

from .common import BBox, Model


class Marker(Model):
    """A superscript run kept out of the text: citation or footnote marker."""

    text: str
    offset: int  # position in the line text where it stood


class TextLine(Model):
    page: int
    bbox: BBox
    text: str  # normalized; superscripts that are markers removed
    size: float  # dominant font size
    bold: bool
    italic: bool
    font: str
    column: int  # 0-based column on the page; -1 for full-width lines
    region: int  # reading-order region index on the page (full-width bands split columns)
    markers: list[Marker] = []
    # how this line joins the next one in a paragraph: "space", "join" (word broken by a
    # line-end hyphen: hyphen dropped) or "hyphen" (real hyphen kept, no space)
    join: Literal["space", "join", "hyphen"] = "space"


class LaidOutPage(Model):
    number: int
    width: float
    height: float
    rotation: int
    has_text_layer: bool
    columns: int
    lines: list[TextLine]
    furniture: list[str]  # running headers, footers, page numbers removed from this page


class LaidOutDocument(Model):
    file: str
    sha256: str
    page_count: int
    metadata: dict[str, str]
    body_size: float  # most common font size of body text
    pages: list[LaidOutPage]
    warnings: list[str] = []

"""Output of the segment stage: the structured document."""
from __future__ import annotations

from typing import Literal

from .common import BBox, Model
from .layout import Marker

BlockKind = Literal["paragraph", "caption", "footnote", "reference", "front", "abstract", "keywords", "boilerplate"]


class Fragment(Model):
    """The part [start, end) of a block's text printed on one line."""

    page: int
    bbox: BBox
    start: int
    end: int


class TextBlock(Model):
    id: str
    kind: BlockKind
    text: str
    section: list[str]
    fragments: list[Fragment]
    label: str | None = None  # "Table 1" / "Figure 2" for captions
    markers: list[Marker] = []  # citation / footnote markers, offsets into `text`


class Heading(Model):
    title: str  # without its numbering
    number: str | None
    level: int
    page: int
    bbox: BBox
    path: list[str]  # titles from the top level down to this heading


class Table(Model):
    id: str
    label: str  # as printed, e.g. "Table 1"
    caption: str  # without the label
    header: list[str]
    # per column, the header text printed above its leaf header (spanning heads, upper header lines); [] if none
    header_above: list[str] = []
    rows: list[list[str]]  # cell strings as printed; "" where the cell is empty
    continuation: list[bool]  # per row: a continuation of the row above
    footnote: str | None
    page: int  # first page
    pages: list[int]
    bbox: BBox  # on the first page
    row_bboxes: list[tuple[int, BBox]]  # (page, bbox) per data row
    regions: list[tuple[int, BBox]]  # (page, bbox) of everything the table covers: caption, body, footnote
    section: list[str]
    method: str  # which detector found it


class FrontMatter(Model):
    title: str | None = None
    authors: list[str] = []
    affiliations: list[str] = []
    correspondence: str | None = None
    doi: str | None = None
    journal: str | None = None  # as printed in the citation line or masthead
    dates: dict[str, str] = {}
    keywords: list[str] = []


class Reference(Model):
    number: int | None
    text: str
    page: int


class PageInfo(Model):
    number: int
    width: float
    height: float
    rotation: int
    has_text_layer: bool
    columns: int


class StructuredDocument(Model):
    file: str
    sha256: str
    page_count: int
    metadata: dict[str, str]
    pages: list[PageInfo]
    front: FrontMatter
    headings: list[Heading]
    blocks: list[TextBlock]
    tables: list[Table]
    references: list[Reference]
    warnings: list[str] = []

"""Shared value types: geometry and provenance, reused by every record."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    """Base for every model: strict field names, no silent extras."""

    model_config = ConfigDict(extra="forbid", frozen=False)


BBox = tuple[float, float, float, float]
"""x0, y0, x1, y1 in PDF points, origin top-left of the (unrotated) page."""

SourceKind = Literal["text", "caption", "table", "footnote", "front", "abstract", "heading", "reference"]


class Provenance(Model):
    """Where a record came from: enough to find it again in the PDF."""

    page: int = Field(ge=1, description="1-based page number")
    bbox: BBox | None = Field(description="bbox of the sentence or cell on that page")
    section: list[str] = Field(default_factory=list, description="section path, outermost first")
    source: SourceKind = "text"
    text: str = Field(description="the sentence, or the table cell, the record was read from")
    char_start: int = Field(ge=0, description="offset of the match in `text`")
    char_end: int = Field(ge=0)
    table: str | None = Field(default=None, description="table label when the record came from a table")
    row: int | None = Field(default=None, description="0-based data row index within the table")

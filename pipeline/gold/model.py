"""What a reader (jats.py, bmc_art.py) takes from one XML file, before any PDF check.

`Article.units` is the printed text in XML document order: strings (a paragraph, a title,
a caption, a footnote) and `TableData` items at the place the XML puts the table. It is
what percentages are read from; `trial_text` (all article text, references included) is
what registry identifiers are read from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .tables import Cell


@dataclass
class SectionCandidate:
    title: str
    level: int
    where: str                    # "abstract" | "body" | "back" | "implied"
    label: str = ""               # the XML's printed number ("2.1"), not part of the title
    alternatives: tuple[str, ...] = ()   # "implied": headings the typesetter may print


@dataclass
class TableData:
    label: str
    caption: str
    header_rows: list[list[Cell]] | None      # None: image-only table (no cells)
    body_rows: list[list[Cell]] | None
    footnotes: list[str] = field(default_factory=list)


@dataclass
class Article:
    title: str | None
    doi: str | None
    has_abstract: bool
    sections: list[SectionCandidate]
    units: list[str | TableData]
    trial_text: str
    skipped_tables: list[str] = field(default_factory=list)   # table-wraps without a label

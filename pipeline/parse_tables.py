"""PyMuPDF's table finder, run by parse on pages that print a table caption."""
from __future__ import annotations

import pymupdf

from schemas.raw import Block, RawTable, Rule


def find_pymupdf_tables(page: pymupdf.Page, blocks: list[Block], rules: list[Rule]) -> list[RawTable]:
    return []

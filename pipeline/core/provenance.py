"""Build the one Provenance model from a text unit (block or table cell) and offsets."""
from __future__ import annotations

from pipeline.core.geometry import round_box, union
from schemas.common import Provenance
from schemas.document import StructuredDocument, Table, TextBlock

_SOURCE = {"paragraph": "text", "abstract": "abstract", "caption": "caption", "footnote": "footnote",
           "reference": "reference", "front": "front", "keywords": "front"}


def cell_unit(table: Table, row: int, col: int) -> str:
    """Unit id of a table cell; row -1 is the header."""
    return f"{table.id}:{row}:{col}"


class UnitIndex:
    """Finds the block or table cell behind a unit id, and builds provenance for offsets in it."""

    def __init__(self, doc: StructuredDocument):
        self.blocks = {b.id: b for b in doc.blocks}
        self.tables = {t.id: t for t in doc.tables}

    def text_of(self, unit: str) -> str:
        if unit in self.blocks:
            return self.blocks[unit].text
        table, row, col = self._cell(unit)
        return (table.header if row < 0 else table.rows[row])[col]

    def section_of(self, unit: str) -> list[str]:
        if unit in self.blocks:
            return self.blocks[unit].section
        return self._cell(unit)[0].section

    def provenance(self, unit: str, sent_start: int, sent_end: int, start: int, end: int) -> Provenance:
        """`start`/`end` are offsets in the unit's text; the sentence is [sent_start, sent_end)."""
        if unit in self.blocks:
            return block_provenance(self.blocks[unit], sent_start, sent_end, start, end)
        table, row, col = self._cell(unit)
        return cell_provenance(table, row, col, start - sent_start, end - sent_start)

    def _cell(self, unit: str) -> tuple[Table, int, int]:
        tid, row, col = unit.rsplit(":", 2)
        return self.tables[tid], int(row), int(col)


def block_provenance(block: TextBlock, sent_start: int, sent_end: int, start: int, end: int) -> Provenance:
    frags = [f for f in block.fragments if f.start < sent_end and f.end > sent_start] or block.fragments[:1]
    # the sentence's box on the page where the match is printed
    at = next((f for f in block.fragments if f.start <= start < max(f.end, f.start + 1)), frags[0] if frags else None)
    page = at.page if at else 1
    boxes = [f.bbox for f in frags if f.page == page]
    return Provenance(
        page=page,
        bbox=round_box(union(boxes)) if boxes else None,
        section=block.section,
        source=_SOURCE.get(block.kind, "text"),
        text=block.text[sent_start:sent_end],
        char_start=start - sent_start,
        char_end=end - sent_start,
    )


def cell_provenance(table: Table, row: int, col: int, start: int, end: int) -> Provenance:
    text = (table.header if row < 0 else table.rows[row])[col]
    if 0 <= row < len(table.row_bboxes):
        page, rb = table.row_bboxes[row]
    else:
        page, rb = table.page, table.bbox
    return Provenance(
        page=page,
        bbox=rb,
        section=table.section,
        source="table",
        text=text,
        char_start=start,
        char_end=end,
        table=table.label,
        row=row if row >= 0 else None,
    )

"""Small PDFs built by the tests themselves, with PyMuPDF.

    from pdfgen import Text, Rule, make_pdf, paragraph, table
    items = [Text(60, 80, "Table 1. Results", bold=True)]
    items += table(60, 90, cols=[60, 200, 340], rows=[["A", "B", "C"], ["1", "2", "3"]], rules="rows")
    make_pdf(tmp_path / "t.pdf", pages=[items])

Coordinates are PDF points from the top-left corner; `y` of a Text is its baseline.
A cell may be a list of strings (its printed lines, one under the other) or a list of Text
placed relative to the cell's first baseline (x offset, y offset), e.g. a raised "+" after "CD8".
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Union

import pymupdf

A4 = (595.28, 841.89)


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 9.0
    bold: bool = False
    italic: bool = False
    rise: float = 0.0  # > 0 raises the text (superscripts): baseline moves up by `rise`


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.5


Item = Union[Text, Rule]


def _font(t: Text) -> str:
    if t.bold and t.italic:
        return "hebi"
    if t.bold:
        return "hebo"
    if t.italic:
        return "heit"
    return "helv"


def text_width(text: str, size: float = 9.0, bold: bool = False) -> float:
    return pymupdf.get_text_length(text, fontname="hebo" if bold else "helv", fontsize=size)


def make_pdf(path: str | Path, pages: list[list[Item]], size: tuple[float, float] = A4,
             rotate: dict[int, int] | None = None) -> Path:
    """Write a PDF with one page per item list. `rotate` maps a 0-based page index to /Rotate."""
    path = Path(path)
    doc = pymupdf.open()
    for i, items in enumerate(pages):
        page = doc.new_page(width=size[0], height=size[1])
        for it in items:
            if isinstance(it, Rule):
                page.draw_line((it.x0, it.y0), (it.x1, it.y1), width=it.width)
            else:
                page.insert_text((it.x, it.y - it.rise), it.text, fontsize=it.size, fontname=_font(it))
        if rotate and i in rotate:
            page.set_rotation(rotate[i])
    doc.save(path)
    doc.close()
    return path


def paragraph(x: float, y: float, text: str, width: float, size: float = 10.0, leading: float = 1.25) -> tuple[list[Text], float]:
    """Running text wrapped to `width`; returns the lines and the baseline below the last one."""
    items: list[Text] = []
    line = ""
    for word in text.split():
        cand = f"{line} {word}".strip()
        if line and text_width(cand, size) > width:
            items.append(Text(x, y, line, size))
            y += size * leading
            line = word
        else:
            line = cand
    if line:
        items.append(Text(x, y, line, size))
        y += size * leading
    return items, y


Cell = Union[str, list[str], list[Text]]


def table(x0: float, y: float, cols: list[float], rows: list[list[Cell]], x1: float | None = None,
          size: float = 9.0, leading: float = 1.3, pad: float = 4.0,
          rules: Literal["none", "frame", "rows", "grid"] = "rows", header_rows: int = 1,
          bold_header: bool = True, align: list[str] | None = None, col_widths: list[float] | None = None,
          partial_rules: dict[int, tuple[float, float]] | None = None) -> tuple[list[Item], float]:
    """A table: `cols` are the left x of each column; the first `header_rows` rows are the header.

    rules: "none" (whitespace only), "frame" (top, under the header, bottom), "rows" (also between
    every data row: horizontal rules only, like the seed's Table 1), "grid" (plus vertical rules).
    align: per column "l" or "r" (right-aligned to col_widths). partial_rules: {row index: (xa, xb)}
    replaces the full rule above that row by a partial one (a continuation row under a cmidrule).
    Returns the items and the y just below the table.
    """
    x1 = x1 if x1 is not None else cols[-1] + 120
    items: list[Item] = []
    lh = size * leading
    ys = [y]
    cur = y
    for ri, row in enumerate(rows):
        nlines = max(_nlines(c, lh) for c in row) if row else 1
        top = cur + pad
        for ci, cell in enumerate(row):
            lines = cell if isinstance(cell, list) else [cell]
            for li, ln in enumerate(lines):
                if isinstance(ln, Text):  # placed relative to the cell's first baseline
                    items.append(Text(cols[ci] + ln.x, top + size + ln.y, ln.text, ln.size, ln.bold, ln.italic, ln.rise))
                    continue
                if not ln:
                    continue
                bold = bold_header and ri < header_rows
                x = cols[ci]
                if align and align[ci] == "r" and col_widths:
                    x = cols[ci] + col_widths[ci] - text_width(ln, size, bold)
                items.append(Text(x, top + size + li * lh, ln, size, bold))
        cur = top + (nlines - 1) * lh + size + pad + 2
        ys.append(cur)
    if rules != "none":
        lines_at = [0, header_rows, len(rows)]
        if rules in ("rows", "grid"):
            lines_at = list(range(len(rows) + 1))
        for i in sorted(set(lines_at)):
            if partial_rules and i in partial_rules:
                xa, xb = partial_rules[i]
                items.append(Rule(xa, ys[i], xb, ys[i]))
            else:
                items.append(Rule(x0, ys[i], x1, ys[i]))
        if rules == "grid":
            for x in [x0] + [c - 4 for c in cols[1:]] + [x1]:
                items.append(Rule(x, ys[0], x, ys[-1]))
    return items, cur


def _nlines(cell: Cell, lh: float) -> int:
    if not isinstance(cell, list):
        return 1
    if cell and all(isinstance(c, Text) for c in cell):
        return 1 + int(max(c.y for c in cell) // lh)
    return len(cell)

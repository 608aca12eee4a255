"""Small PDF builders for stage tests: text placed line by line, so tests know what is printed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

A4 = (595, 842)


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 10
    font: str = "tiro"  # Times; "tibo" bold, "helv" Helvetica, "hebo" Helvetica bold


@dataclass
class Super:
    """A raised, smaller run placed right after the previous Text on the same baseline."""

    text: str
    size: float = 6


@dataclass
class Page:
    items: list = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    width: float = A4[0]
    height: float = A4[1]
    rotate: int = 0
    image_only: bool = False


def build(path: Path, pages: list[Page], metadata: dict | None = None) -> Path:
    doc = pymupdf.open()
    for spec in pages:
        page = doc.new_page(width=spec.width, height=spec.height)
        if spec.image_only:
            pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 200), 0)
            pix.clear_with(200)
            page.insert_image(pymupdf.Rect(50, 50, 400, 400), pixmap=pix)
        last_end = None
        for it in spec.items:
            if isinstance(it, Text):
                page.insert_text((it.x, it.y), it.text, fontsize=it.size, fontname=it.font)
                last_end = (it.x + pymupdf.get_text_length(it.text, fontname=it.font, fontsize=it.size), it.y, it.size)
            elif isinstance(it, Super) and last_end:
                x, y, size = last_end
                page.insert_text((x + 0.3, y - size * 0.35), it.text, fontsize=it.size, fontname="tiro")
                last_end = (x + 0.3 + pymupdf.get_text_length(it.text, fontname="tiro", fontsize=it.size), y, size)
        for x0, y0, x1, y1 in spec.rules:
            page.draw_line((x0, y0), (x1, y1), width=0.6)
        if spec.rotate:
            page.set_rotation(spec.rotate)
    doc.set_metadata(metadata or {"title": "Test document", "producer": "tests", "creationDate": "", "modDate": ""})
    doc.save(path, garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return path


def lines(x: float, y: float, texts: list[str], size: float = 10, font: str = "tiro", leading: float = 1.25) -> list[Text]:
    return [Text(x, y + i * size * leading, t, size, font) for i, t in enumerate(texts)]


def running_furniture(n: int, total: int) -> list[Text]:
    return [Text(60, 40, "Doe et al. J Test Med 2026;1:1", 8, "helv"), Text(260, 815, f"Page {n} of {total}", 8, "helv")]

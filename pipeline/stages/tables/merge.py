"""Parts of one table over several pages into one Table; PyMuPDF's finder as the fallback reader."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.geometry import round_box
from pipeline.core.textnorm import clean, collapse_spaces
from pipeline.stages.tables.captions import Caption
from schemas.document import Table
from schemas.raw import Page


@dataclass
class Part:
    cap: Caption
    header: list[str]
    rows: list[list[str]]
    continuation: list[bool]
    row_boxes: list[tuple[float, float, float, float]]
    footnote: str | None
    region: tuple[float, float, float, float]
    body_box: tuple[float, float, float, float] | None
    method: str
    extra_pages: list[tuple[int, tuple]] = field(default_factory=list)
    header_above: list[str] = field(default_factory=list)
    runs_off: bool = False  # the body ran to the end of its page, nothing closing it


def _pymupdf_fallback(page: Page, cbox):
    best = None
    for t in page.tables:
        if not t.rows or len(t.rows) < 2:
            continue
        dy = min(abs(t.bbox[1] - cbox[3]), abs(cbox[1] - t.bbox[3]))
        if dy > 60:
            continue
        if best is None or dy < best[0]:
            best = (dy, t)
    if best is None:
        return None
    t = best[1]
    rows = [[collapse_spaces(clean(c or "").replace("\n", " ")) for c in r] for r in t.rows]
    return rows[0], rows[1:], tuple(t.bbox)


def _merge(parts: list[Part]) -> list[Table]:
    parts.sort(key=lambda p: (p.cap.page, p.cap.box[1]))
    tables: list[Table] = []
    by_key: dict[str, Table] = {}
    for p in parts:
        prev = by_key.get(p.cap.key)
        if prev is not None and (p.cap.cont or p.cap.page > prev.pages[-1]) and p.cap.page != prev.page:
            rows = p.rows
            cont = p.continuation
            boxes = p.row_boxes
            if rows and prev.header and _same_header(rows[0], prev.header):
                rows, cont, boxes = rows[1:], cont[1:], boxes[1:]
            elif p.header and prev.header and not _same_header(p.header, prev.header) and len(p.header) == len(prev.header):
                # the part's first line was read as a header, but it does not repeat the table's: a row
                rows, cont, boxes = [p.header] + rows, [False] + cont, [p.body_box or p.region] + boxes
            if rows and prev.rows and not rows[0][0] and any(rows[0][1:]):
                cont = [True] + cont[1:]  # the part opens with a continuation of the row above
            prev.rows.extend(rows)
            prev.continuation.extend(cont)
            prev.row_bboxes.extend((p.cap.page, b) for b in boxes)
            if p.cap.page not in prev.pages:
                prev.pages.append(p.cap.page)
            prev.regions.append((p.cap.page, p.region))
            if p.footnote:
                prev.footnote = f"{prev.footnote} {p.footnote}" if prev.footnote else p.footnote
            if prev.method == "caption-only" and p.method != "caption-only":
                prev.method = p.method
                if not prev.header:
                    prev.header = p.header
                    prev.header_above = p.header_above
            continue
        if prev is not None and p.cap.page == prev.page:
            continue  # the same label twice on one page: the second is a reference, not a caption
        t = Table(
            id=f"t{len(tables) + 1}",
            label=p.cap.label,
            caption=p.cap.text,
            header=p.header,
            header_above=p.header_above if any(p.header_above) else [],
            rows=p.rows,
            continuation=p.continuation,
            footnote=p.footnote,
            page=p.cap.page,
            pages=[p.cap.page],
            bbox=p.body_box or round_box(p.cap.box),
            row_bboxes=[(p.cap.page, b) for b in p.row_boxes],
            regions=[(p.cap.page, p.region)],
            section=[],
            method=p.method,
        )
        tables.append(t)
        by_key[p.cap.key] = t
    return tables


def _same_header(row: list[str], header: list[str]) -> bool:
    a = [c.lower() for c in row if c]
    b = [c.lower() for c in header if c]
    return bool(a) and a == b

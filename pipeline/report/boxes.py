"""What to draw: boxes per page from a run folder's document and records, or from one stage's output.

Every function returns {page number: [Box]} in upright page points; `render.py` draws them.
Inputs are plain dicts (document.json, *.jsonl) or the stages' pydantic models dumped to dicts,
so the report (which reads files) and `inspect --draw` (which holds models) share the code.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable

from pipeline.report.render import BBox, Box, PageSource

# record kind -> box class
RECORD_CLASS = {"trials": "trial", "endpoints": "endpoint", "percentages": "percentage",
                "abbreviations": "abbreviation", "entities": "entity", "sections": "section", "tables": "table"}

Boxes = dict[int, list[Box]]


def _union(boxes: Iterable[BBox]) -> BBox | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _merge(*parts: Boxes) -> Boxes:
    out: Boxes = defaultdict(list)
    for p in parts:
        for page, boxes in p.items():
            out[page].extend(boxes)
    return dict(out)


def heading_boxes(headings: list[dict]) -> Boxes:
    out: Boxes = defaultdict(list)
    for h in headings:
        out[h["page"]].append(Box(tuple(h["bbox"]), "heading", f"H{h.get('level', 1)}"))
    return dict(out)


def block_boxes(blocks: list[dict], lines: bool = False) -> Boxes:
    """One box per block and page (the union of its line fragments), classed by block kind;
    with `lines`, one box per printed line instead."""
    out: Boxes = defaultdict(list)
    for b in blocks:
        per_page: dict[int, list[BBox]] = defaultdict(list)
        for fr in b.get("fragments", []):
            per_page[fr["page"]].append(tuple(fr["bbox"]))
        for page, frs in per_page.items():
            if lines:
                out[page].extend(Box(f, b["kind"]) for f in frs)
            else:
                out[page].append(Box(_union(frs), b["kind"], b.get("label")))
    return dict(out)


def table_boxes(tables: list[dict], src: PageSource | None = None) -> Boxes:
    """Table outline, one box per data row, and (with the PDF at hand) one per cell found in its row."""
    out: Boxes = defaultdict(list)
    for t in tables:
        out[t["page"]].append(Box(tuple(t["bbox"]), "table", t.get("label")))
        for page, box in t.get("regions", []):
            if page != t["page"]:
                out[page].append(Box(tuple(box), "table", t.get("label")))
        rows = t.get("rows", [])
        for i, (page, box) in enumerate(t.get("row_bboxes", [])):
            out[page].append(Box(tuple(box), "cell"))
            if src is None or i >= len(rows):
                continue
            x = box[0]
            for cell in rows[i]:
                hit = _union(src.find_span(page, tuple(box), cell, right_of=x))
                if hit:
                    out[page].append(Box(hit, "cell"))
                    x = hit[2]
    return dict(out)


def figure_boxes(src: PageSource, pages: Iterable[int]) -> Boxes:
    return {p: [Box(b, "figure") for b in src.image_boxes(p)] for p in pages}


def record_boxes(records: dict[str, list[dict]], locate: Callable[[dict], list[BBox]] | None = None) -> Boxes:
    """Every record classed by kind: the printed span where `locate` finds it, else its sentence or row box."""
    out: Boxes = defaultdict(list)
    for kind, items in records.items():
        cls = RECORD_CLASS.get(kind)
        if cls is None or kind in ("sections", "tables"):
            continue  # drawn from the document itself
        for rec in items:
            prov = rec.get("provenance") or {}
            if not prov.get("page"):
                continue
            spans = locate(prov) if locate else []
            if spans:
                out[prov["page"]].extend(Box(b, cls) for b in spans)
            elif prov.get("bbox"):
                out[prov["page"]].append(Box(tuple(prov["bbox"]), cls))
    return dict(out)


def document_boxes(document: dict, records: dict[str, list[dict]], src: PageSource | None,
                   locate: Callable[[dict], list[BBox]] | None = None) -> Boxes:
    """The report's page view: structure, tables with cells, artwork, then records on top."""
    pages = [p["number"] for p in document.get("pages", [])]
    return _merge(block_boxes(document.get("blocks", [])), heading_boxes(document.get("headings", [])),
                  table_boxes(document.get("tables", []), src), figure_boxes(src, pages) if src else {},
                  record_boxes(records, locate))


def layout_boxes(laid: dict) -> Boxes:
    """Columns in reading order, numbered (a full-width band counts as one), each line inside."""
    out: Boxes = {}
    for p in laid.get("pages", []):
        groups: dict[tuple[int, int], list[BBox]] = {}
        lines = []
        for ln in p.get("lines", []):
            groups.setdefault((ln["region"], ln["column"]), []).append(tuple(ln["bbox"]))
            lines.append(Box(tuple(ln["bbox"]), "body"))
        cols = [Box(_union(bs), "column", str(n)) for n, bs in enumerate(groups.values(), 1)]
        out[p["number"]] = cols + lines
    return out


def segment_boxes(doc: dict, src: PageSource | None) -> Boxes:
    """Each printed line with its class (block kind, heading level), tables and artwork."""
    pages = [p["number"] for p in doc.get("pages", [])]
    return _merge(block_boxes(doc.get("blocks", []), lines=True), heading_boxes(doc.get("headings", [])),
                  table_boxes(doc.get("tables", []), src), figure_boxes(src, pages) if src else {})


def tag_boxes(tagged: dict, locate: Callable[[dict], list[BBox]] | None = None) -> Boxes:
    recs = {"abbreviations": tagged.get("abbreviations", []), "entities": tagged.get("entities", [])}
    return _merge(block_boxes(tagged["document"].get("blocks", [])), record_boxes(recs, locate))


def stage_boxes(stage: str, out: Any, src: PageSource | None) -> Boxes:
    """Boxes for `inspect --stage STAGE --draw`: `out` is the stage's output model."""
    if stage == "layout":
        return layout_boxes(out.model_dump(mode="json"))
    if stage == "tables":
        return table_boxes([t.model_dump(mode="json") for t in out], src)
    if stage == "segment":
        return segment_boxes(out.model_dump(mode="json"), src)
    locate = span_locator(src) if src else None
    if stage == "tag":
        return tag_boxes(out.model_dump(mode="json"), locate)
    if stage == "extract":
        return record_boxes({k: list(v) for k, v in out.model_dump(mode="json").items()}, locate)
    if stage == "validate":
        return record_boxes(out.records.model_dump(mode="json"), locate)
    raise ValueError(f"stage {stage!r} has nothing to draw")


def span_text(prov: dict) -> tuple[str, int]:
    """The matched text of a provenance and which occurrence of it in the sentence it is."""
    text = prov.get("text") or ""
    s, e = prov.get("char_start") or 0, prov.get("char_end") or 0
    needle = text[s:e] if 0 <= s < e <= len(text) else ""
    if not needle.strip():
        return "", 0
    return needle, text[:s].count(needle)


def span_locator(src: PageSource) -> Callable[[dict], list[BBox]]:
    """prov -> the boxes of its matched text on the page, memoized (the report asks twice per record)."""
    memo: dict[tuple, list[BBox]] = {}

    def locate(prov: dict) -> list[BBox]:
        needle, occ = span_text(prov)
        page = prov.get("page")
        if not needle or not page or not 1 <= page <= src.page_count:
            return []
        bbox = tuple(prov["bbox"]) if prov.get("bbox") else None
        key = (page, bbox, needle, occ)
        if key not in memo:
            memo[key] = src.find_span(page, bbox, needle, occ)
        return memo[key]

    return locate

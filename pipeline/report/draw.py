"""`inspect --stage STAGE --draw OUT_DIR`: one PNG per page with the stage's boxes on the page render."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pipeline.core.atomic import write_bytes
from pipeline.report.boxes import Box, stage_boxes
from pipeline.report.render import PageSource, encode, page_picture

DRAW_SCALE = 1.5  # ~900 px wide for A4: line boxes and order numbers stay legible
DRAWABLE = ("parse", "layout", "tables", "segment", "tag", "extract", "validate")


def _parse_boxes(raw) -> dict[int, list[Box]]:
    out = {}
    for p in raw.pages:
        boxes = [Box(b.bbox, "paragraph", str(i)) for i, b in enumerate(p.blocks, 1)]
        boxes += [Box(ln.bbox, "body") for b in p.blocks for ln in b.lines]
        boxes += [Box(r.bbox, "table") for r in p.rules]
        out[p.number] = boxes
    return out


def draw_stage(pdf: str | os.PathLike, stage: str, state: dict[str, Any], outdir: str | os.PathLike,
               scale: float = DRAW_SCALE) -> list[Path]:
    """Write OUTDIR/page-NNN.png for every page; `state` is `run_stages()`'s, up to `stage`."""
    raw = state["parse"]
    rotations = {p.number: p.rotation for p in raw.pages}
    outdir = Path(outdir)
    written = []
    with PageSource(pdf, rotations) as src:
        boxes = _parse_boxes(raw) if stage == "parse" else stage_boxes(stage, state[stage], src)
        for n in range(1, src.page_count + 1):
            pic = page_picture(src, n, boxes.get(n, []), scale, legend=True)
            path = outdir / f"page-{n:03d}.png"
            write_bytes(path, encode(pic.image, "png"))
            written.append(path)
    return written

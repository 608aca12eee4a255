"""PyMuPDF's table finder, run by parse on pages that print a table caption.

The finder is slow over a whole page (0.3-0.8 s) and finds only ruled grids, so it runs only
where a grid of vertical and horizontal rules starts right below a "Table N" caption, clipped
to that grid. Its boxes are turned upright like everything else parse returns.
"""
from __future__ import annotations

import contextlib
import io
import re

import pymupdf

from pipeline.core.geometry import round_box, turn_box, unturn_box
from schemas.raw import Block, RawTable, Rule

_CAPTION = re.compile(r"\s*(Table|TABLE)\s+[0-9IVX]+[A-Za-z]?\b")
_MIN_VRULES = 3
# The finder costs ~0.2 s per grid page (cell-bordered tables: parse 0.10 s -> 0.49 s for
# 17 pages), over the 50 pages/s budget, and tables.py reads those grids itself from the same rules.
# It stays available as tables.py's fallback; switch it on here when a corpus needs it.
RUN_FINDER = False


def find_pymupdf_tables(page: pymupdf.Page, blocks: list[Block], rules: list[Rule]) -> list[RawTable]:
    if not RUN_FINDER:
        return []
    vr = [r.bbox for r in rules if not r.horizontal and r.bbox[2] >= r.bbox[0]]
    hr = [r.bbox for r in rules if r.horizontal]
    if len(vr) < _MIN_VRULES or len(hr) < 2:
        return []
    clips = []
    for b in blocks:
        for ln in b.lines:
            if not _CAPTION.match("".join(s.text for s in ln.spans)):
                continue
            clip = _grid_below(ln.bbox, vr, hr)
            if clip is not None:
                clips.append(clip)
    if not clips or page.rotation:  # the finder's own handling of /Rotate is not relied on
        return []
    d, w, h = _direction(page)
    out: list[RawTable] = []
    for clip in clips:
        rect = pymupdf.Rect(unturn_box(clip, d, w, h))  # text and drawing coordinates are of the unrotated page
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the finder prints advice on first use
                found = page.find_tables(clip=rect, strategy="lines")
        except Exception:
            continue
        for t in found.tables:
            try:
                rows = t.extract()
            except Exception:
                continue
            out.append(RawTable(bbox=round_box(turn_box(tuple(t.bbox), d, w, h)), rows=rows, strategy="lines"))
    return out


def _grid_below(cap, vr, hr):
    """The box of the grid of rules that starts right below a caption line, or None."""
    lh = max(6.0, cap[3] - cap[1])
    y_end = cap[3] + 3 * lh
    start = y_end
    xs: list[float] = []
    for v in sorted(vr, key=lambda b: b[1]):
        if v[1] < cap[3] - 2:
            continue
        if v[1] <= y_end + 2:
            y_end = max(y_end, v[3])
            xs += [v[0], v[2]]
        else:
            break
    if len(xs) < 2 * _MIN_VRULES or y_end - start < 10:
        return None
    hs = [r for r in hr if cap[3] - 2 <= r[1] <= y_end + 2]
    x0 = min(xs + [r[0] for r in hs])
    x1 = max(xs + [r[2] for r in hs])
    return (x0 - 1, cap[3], x1 + 1, y_end + 1)


def _direction(page: pymupdf.Page) -> tuple[tuple[int, int], float, float]:
    """The main text direction, as parse decides it (only asked for pages with a grid)."""
    w, h = page.cropbox.width, page.cropbox.height
    counts: dict[tuple[int, int], int] = {}
    for b in page.get_text("dict", flags=0)["blocks"]:
        for ln in b.get("lines", []):
            d = (round(ln["dir"][0]), round(ln["dir"][1]))
            counts[d] = counts.get(d, 0) + sum(len(s["text"].strip()) for s in ln["spans"])
    d = max(counts, key=counts.get) if counts else (1, 0)
    return d, w, h

"""Scoring tables (label, caption) and their cells as (header, text) multisets."""
from __future__ import annotations

from collections import Counter
from typing import Any

from pipeline.core.normalize import (
    caption_key,
    label_key,
    normalize_text,
)
from pipeline.evaluate.match import (
    Attribute,
    Side,
    _score_multiset,
    _warn_missing,
    counts,
    labeled,
)
from schemas.scores import (
    FalsePositive,
    KindScores,
    Miss,
)


def _eq_caption(g: Any, r: Any) -> bool:
    gk = caption_key(g) if g is not None else ""
    rk = caption_key(r) if r is not None else ""
    return gk == rk


def _cells(header: list | None, rows: list | None) -> Counter:
    out: Counter = Counter()
    header = list(header or [])
    for row in rows or []:
        if not isinstance(row, list):
            continue
        for col, cell in enumerate(row):
            text = normalize_text(str(cell)) if cell is not None else ""
            if not text:
                continue
            head = normalize_text(str(header[col])) if col < len(header) and header[col] is not None else ""
            out[(head, text)] += 1
    return out


def _cell_examples(header: list | None, rows: list | None, wanted: Counter) -> list[tuple[str, str, int]]:
    """(raw header, raw cell, row index) for the normalized cells in `wanted`, in table order."""
    left = Counter(wanted)
    out = []
    header = list(header or [])
    for r, row in enumerate(rows or []):
        if not isinstance(row, list):
            continue
        for col, cell in enumerate(row):
            text = normalize_text(str(cell)) if cell is not None else ""
            head = normalize_text(str(header[col])) if col < len(header) and header[col] is not None else ""
            if text and left[(head, text)] > 0:
                left[(head, text)] -= 1
                out.append((str(header[col]) if col < len(header) else "", str(cell), r))
    return out


def score_tables(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("caption", _eq_caption)]
    gs = [Side(label_key(t.label), None, t, labeled(t, ["caption"])) for t in gold]
    rs = [Side(label_key(r.get("label")), None, r, {"caption": r.get("caption")}) for r in run if r.get("label")]
    _warn_missing(warnings, "tables", "label", len(run) - len(rs))
    ks, pairs = _score_multiset(gs, rs, attrs, lambda g: g.label, lambda r: str(r.get("label")))
    for fp in ks.false_positives:
        fp.text = fp.text or fp.item.get("caption")

    tp = fp = fn = 0
    cell_misses: list[Miss] = []
    cell_fps: list[FalsePositive] = []
    matched_g = {i: j for i, j in pairs}
    matched_r = {j for _, j in pairs}
    for i, g in enumerate(gs):
        t = g.raw
        if not t.has_cells:
            continue  # presence and caption only; the run's cells for it are ignored
        gc = _cells(t.header, t.rows)
        if i in matched_g:
            r = rs[matched_g[i]].raw
            rc = _cells(r.get("header"), r.get("rows"))
        else:
            r, rc = None, Counter()
        both = gc & rc
        tp += sum(both.values())
        fn += sum((gc - rc).values())
        fp += sum((rc - gc).values())
        for head, cell, row in _cell_examples(t.header, t.rows, gc - rc):
            cell_misses.append(Miss(key=f"cell {t.label} [{head}] {cell}", item={"table": t.label, "header": head,
                                                                           "cell": cell, "row": row}))
        if r is not None:
            for head, cell, row in _cell_examples(r.get("header"), r.get("rows"), rc - gc):
                cell_fps.append(FalsePositive(key=f"cell {r.get('label')} [{head}] {cell}",
                                              item={"table": r.get("label"), "header": head, "cell": cell, "row": row},
                                              page=r.get("page"), text=cell))
    for j, s in enumerate(rs):
        if j in matched_r:
            continue
        r = s.raw
        rc = _cells(r.get("header"), r.get("rows"))
        fp += sum(rc.values())
        for head, cell, row in _cell_examples(r.get("header"), r.get("rows"), rc):
            cell_fps.append(FalsePositive(key=f"cell {r.get('label')} [{head}] {cell}",
                                          item={"table": r.get("label"), "header": head, "cell": cell, "row": row},
                                          page=r.get("page"), text=cell))
    ks.cells = counts(tp, fp, fn)
    ks.misses.extend(cell_misses)
    ks.false_positives.extend(cell_fps)
    return ks

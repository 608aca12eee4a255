"""The batch index: one row per file with status, counts, scores and a link to its report.

Rows are plain HTML, paged by the shared table script (100 per page) and filterable by text
and status, so a 1,000-file batch stays quick to open and search."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.atomic import write_text
from pipeline.report import html as H
from schemas.kinds import GOLD_KINDS

PAGE_SIZE = 100


@dataclass
class IndexRow:
    file: str
    status: str
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    scores: dict[str, float | None] = field(default_factory=dict)
    report: str | None = None  # path of the file's report, relative to the index
    message: str | None = None


def write_index(rows: list[IndexRow], path: str | os.PathLike, title: str = "review-extract batch") -> Path:
    path = Path(path)
    scored = [k for k in GOLD_KINDS if any(k in r.scores for r in rows)]
    headers = ["file", "status", "pages"] + list(GOLD_KINDS) + [f"F1 {k}" for k in scored] + ["report", "message"]
    body_rows = []
    for r in rows:
        cells = [H.td(r.file), H.td(f'<span class="{H.e(r.status)}">{H.e(r.status)}</span>', raw=True, sort=r.status),
                 H.td(r.pages, num=True)]
        cells += [H.td(r.counts.get(k, ""), num=True) for k in GOLD_KINDS]
        for k in scored:
            v = r.scores.get(k)
            cells.append(H.td("" if v is None else f"{v:.3f}", num=True))
        link = f'<a href="{H.e(r.report)}">report</a>' if r.report else ""
        cells += [H.td(link, raw=True), H.td(r.message or "")]
        body_rows.append((r.status, "", cells))
    statuses = sorted({r.status for r in rows})
    counts = ", ".join(f"{sum(1 for r in rows if r.status == s)} {s}" for s in statuses)
    body = (f"<h2>Files ({len(rows)})</h2>" + H.tools("t-files", statuses, paged=True)
            + H.table("t-files", headers, body_rows, page_size=PAGE_SIZE))
    write_text(path, H.page(title, H.e(f"{len(rows)} files: {counts}"), body))
    return path

"""`batch --report`: OUTDIR/<folder>.report.html per file, then OUTDIR/index.html linking them.

Reports are written after the batch (rendering is ~0.1 s a page, small beside extraction),
each in a worker bounded like the file's extraction when `settings` are given (the PDF is
read again to render its pages); a folder whose report is newer than its manifest is not
redone."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from pipeline.evaluate import read_manifest
from pipeline.evaluate.load import GOLD_SUFFIX
from pipeline.report.audit import build_report, default_report_path
from pipeline.report.index import IndexRow, write_index
from schemas.kinds import GOLD_KINDS


def _build(folder: Path, report: Path, gold: Path | None, pdf: str):
    """One report; returns its scores (None without gold)."""
    return build_report(folder, report, gold=gold, pdf=pdf).scores


def batch_reports(outcomes, outdir: str | os.PathLike, gold_dir: str | os.PathLike | None = None,
                  warn: Callable[[str], None] = print, settings=None) -> Path:
    """Reports for every outcome with a folder (`pipeline.batch.runner.Outcome`s); returns the index path.
    With `settings`, each report is built in a bounded worker (pipeline.batch.work.call_bounded)."""
    from pipeline.batch.work import call_bounded

    def build(folder: Path, report: Path, gold: Path | None, pdf: str):
        if settings is None:
            return _build(folder, report, gold, pdf)
        return call_bounded(_build, folder, report, gold, pdf, settings=settings, path=pdf)

    outdir = Path(outdir)
    golds = {}
    if gold_dir:
        golds = {p.name[: -len(GOLD_SUFFIX)]: p for p in Path(gold_dir).glob(f"*{GOLD_SUFFIX}")}
    rows: list[IndexRow] = []
    for o in outcomes:
        folder = outdir / o.output if o.output else None
        manifest = read_manifest(folder) if folder and folder.is_dir() else {}
        status = manifest.get("status") or o.status
        row = IndexRow(file=str(o.file), status=o.status if o.status != "skipped" else f"{status} (skipped)",
                       pages=int(manifest.get("pages") or o.pages or 0),
                       counts={k: v for k, v in (manifest.get("counts") or {}).items() if k in GOLD_KINDS},
                       message=o.message or o.error)
        if folder is not None and manifest:
            stem = Path(str(manifest.get("file") or o.file)).stem
            gold = golds.get(stem)
            report = default_report_path(folder)
            try:
                fresh = report.is_file() and report.stat().st_mtime >= (folder / "manifest.json").stat().st_mtime
                if gold is not None:  # always redone: the gold file may have changed
                    row.scores = build(folder, report, gold, str(o.file))
                elif not fresh:
                    build(folder, report, None, str(o.file))
                row.report = os.path.relpath(report, outdir)
            except Exception as e:  # noqa: BLE001 - one file's report never stops the index
                msg = " ".join(str(e).split())[:200]
                warn(f"warning: no report for {o.file}: {msg}")
                row.message = (row.message + "; " if row.message else "") + f"no report: {msg}"
        rows.append(row)
    return write_index(rows, outdir / "index.html", title=f"review-extract batch: {outdir.name}")

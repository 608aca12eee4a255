"""Corpus tables across a batch, read back from the output folders (OUTDIR/corpus/):

    trials.{parquet,csv}       one row per registry identifier: registry, phase, year,
                               condition (first stated, in source order), total mentions,
                               n_sources and sources (the source PDFs; a list in Parquet,
                               JSON text in CSV)
    endpoints.{parquet,csv}    every endpoint of every PDF, with source_file and source_folder
    percentages.{parquet,csv}  every percentage, likewise

Rows are ordered by output folder name, then as in each PDF's own table, so the tables
are deterministic whichever executor or worker count produced the folders.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from pipeline.core.atomic import write_bytes
from pipeline.errors import OutputError

_SOURCE_COLS = ["source_file", "source_folder"]


def _read(folder: Path, kind: str) -> pd.DataFrame | None:
    p = folder / f"{kind}.parquet"
    try:
        return pd.read_parquet(p) if p.is_file() else None
    except Exception:  # noqa: BLE001 - a damaged table is left out, not fatal
        return None


def write_corpus(outdir: Path, sources: list[tuple[str, str]]) -> dict[str, int]:
    """sources: (output folder name, source file path) of every document of the batch."""
    outdir = Path(outdir)
    seen: dict[str, str] = {}
    for folder, file in sources:
        seen.setdefault(folder, Path(file).name)
    order = sorted(seen)
    frames: dict[str, list[pd.DataFrame]] = {"trials": [], "endpoints": [], "percentages": []}
    for name in order:
        for kind in frames:
            df = _read(outdir / name, kind)
            if df is not None and len(df):
                df = df.copy()
                df.insert(0, "source_folder", name)
                df.insert(0, "source_file", seen[name])
                frames[kind].append(df)
    tables = {
        "trials": _trials(frames["trials"]),
        "endpoints": _concat(frames["endpoints"]),
        "percentages": _concat(frames["percentages"]),
    }
    for kind, df in tables.items():
        _write(outdir / "corpus", kind, df)
    return {kind: len(df) for kind, df in tables.items()}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=_SOURCE_COLS)
    return pd.concat(frames, ignore_index=True)


_TRIAL_COLS = ["id", "registry", "phase", "year", "condition", "mentions", "n_sources", "sources", "source_folders"]


def _trials(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=_TRIAL_COLS)
    df = pd.concat(frames, ignore_index=True)
    rows = []
    for tid, g in df.groupby("id", sort=True):
        def first(col):
            if col not in g:
                return None
            vals = g[col].dropna()
            return vals.iloc[0] if len(vals) else None

        year = first("year")
        rows.append({
            "id": tid,
            "registry": first("registry"),
            "phase": first("phase"),
            "year": int(year) if year is not None else None,
            "condition": first("condition"),
            "mentions": int(g["mentions"].fillna(0).sum()) if "mentions" in g else 0,
            "n_sources": int(g["source_folder"].nunique()),
            "sources": list(dict.fromkeys(zip(g["source_folder"], g["source_file"])).keys()),
            "source_folders": list(dict.fromkeys(g["source_folder"])),
        })
    for r in rows:  # one entry per source document (two PDFs may share a file name)
        r["sources"] = [file for _, file in r["sources"]]
    out = pd.DataFrame(rows, columns=_TRIAL_COLS)
    out["year"] = out["year"].astype("Int64")
    return out


def _write(folder: Path, kind: str, df: pd.DataFrame) -> None:
    buf = io.BytesIO()
    try:
        df.to_parquet(buf, index=False, engine="pyarrow")
    except Exception as e:  # noqa: BLE001
        raise OutputError(f"cannot build {kind}.parquet: {e}") from None
    csv = df.copy()
    for col in ("sources", "source_folders"):
        if col in csv:
            csv[col] = [json.dumps(list(v), ensure_ascii=False) for v in csv[col]]
    write_bytes(folder / f"{kind}.parquet", buf.getvalue())
    write_bytes(folder / f"{kind}.csv", csv.to_csv(index=False, lineterminator="\n").encode("utf-8"))

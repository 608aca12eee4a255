"""Stage 7, export: the only stage that writes. One folder per PDF, replaced atomically.

Record files (JSONL, CSV, Parquet) are deterministic: no timestamps, no absolute paths;
`manifest.json` alone carries timings.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, TypeAdapter

from pipeline.core.atomic import staged_dir
from pipeline.settings import Settings
from pipeline.stages.validate import MODELS
from schemas.common import Provenance
from schemas.kinds import TABULAR_KINDS
from schemas.records import TableRecord
from schemas.result import ExtractionResult, ValidationIssue

FLAT_KINDS = TABULAR_KINDS


def export(result: ExtractionResult, outdir: str | Path, settings: Settings, name: str | None = None) -> Path:
    """Write every output of one PDF to OUTDIR/<name>/ (default: the PDF's safe stem) and return that
    folder. An existing folder is replaced only when it is an output folder (core.atomic)."""
    from pipeline.batch.naming import safe_stem

    name = name or safe_stem(result.manifest.file)
    final = Path(outdir) / name
    files = render(result, name)
    with staged_dir(final) as tmp:
        for fname, data in files.items():  # manifest last: its presence marks a complete folder
            (tmp / fname).write_bytes(data)
    return final


def render(result: ExtractionResult, name: str | None = None) -> dict[str, bytes]:
    """All output files as bytes, manifest last (its presence marks a complete folder); the manifest
    records the folder's name and the sha256 of every other file (a damaged file is found on rerun)."""
    files: dict[str, bytes] = {}
    rec = result.records
    if result.document is not None:
        files["document.json"] = result.document.model_dump_json(indent=1).encode("utf-8") + b"\n"
    for kind in FLAT_KINDS:
        items = getattr(rec, kind)
        files[f"{kind}.jsonl"] = b"".join(r.model_dump_json().encode("utf-8") + b"\n" for r in items)
        frame = flatten(items, MODELS[kind])
        files[f"{kind}.csv"] = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
        files[f"{kind}.parquet"] = _parquet(frame)
    files["tables.json"] = _models_json(rec.tables, TableRecord)
    cells = _cells(result)
    files["table_cells.csv"] = cells.to_csv(index=False, lineterminator="\n").encode("utf-8")
    files["table_cells.parquet"] = _parquet(cells)
    files["validation.json"] = _models_json(result.issues, ValidationIssue)
    from pipeline.batch.naming import safe_stem

    manifest = result.manifest.model_copy(update={
        "output": name or safe_stem(result.manifest.file),
        "checksums": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(files.items())}})
    files["manifest.json"] = manifest.model_dump_json(indent=1).encode("utf-8") + b"\n"
    return files


def _models_json(items: list, model: type[BaseModel]) -> bytes:
    # pydantic's serializer: the standard library's indenting encoder is pure Python and slow
    return TypeAdapter(list[model]).dump_json(items, indent=1) + b"\n"


def _parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow")
    return buf.getvalue()


def columns(model: type[BaseModel]) -> list[str]:
    cols = []
    for name, field in model.model_fields.items():
        if field.annotation is Provenance:
            cols += [f"{name}.{p}" for p in Provenance.model_fields if p != "bbox"]
            cols += [f"{name}.bbox_{c}" for c in ("x0", "y0", "x1", "y1")]
        elif name == "bbox":
            cols += [f"bbox_{c}" for c in ("x0", "y0", "x1", "y1")]
        else:
            cols.append(name)
    return cols


def flatten(items: list[BaseModel], model: type[BaseModel]) -> pd.DataFrame:
    """One row per record; provenance spread into columns; lists and dicts as JSON text."""
    rows = []
    for it in items:
        d = it.model_dump(mode="json")
        row = {}
        for k, v in d.items():
            if isinstance(v, dict) and "page" in v and "char_start" in v:
                for pk, pv in v.items():
                    if pk == "bbox":
                        for c, x in zip(("x0", "y0", "x1", "y1"), pv or [None] * 4):
                            row[f"{k}.bbox_{c}"] = x
                    else:
                        row[f"{k}.{pk}"] = json.dumps(pv, ensure_ascii=False) if isinstance(pv, (list, dict)) else pv
            elif k == "bbox":
                for c, x in zip(("x0", "y0", "x1", "y1"), v):
                    row[f"bbox_{c}"] = x
            else:
                row[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
        rows.append(row)
    return pd.DataFrame(rows, columns=columns(model))


def _cells(result: ExtractionResult) -> pd.DataFrame:
    rows = []
    for t in result.records.tables:
        for r, row in enumerate(t.rows):
            for c, text in enumerate(row):
                rows.append({"table": t.label, "row": r, "column": c,
                             "header": t.header[c] if c < len(t.header) else "", "text": text,
                             "continuation": t.continuation[r] if r < len(t.continuation) else False})
    return pd.DataFrame(rows, columns=["table", "row", "column", "header", "text", "continuation"])

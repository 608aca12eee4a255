"""The public Python API: the CLI is a thin layer over these."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.run import extract
from pipeline.settings import Settings
from pipeline.stages.export import export
from schemas.result import ExtractionResult


def extract_to(path: str | os.PathLike, outdir: str | os.PathLike, settings: Settings | None = None) -> tuple[ExtractionResult, Path]:
    """Run the pipeline on one PDF and write its output folder; returns the result and the folder."""
    settings = settings or Settings()
    result = extract(path, settings)
    return result, export(result, outdir, settings)


__all__ = ["ExtractionResult", "Settings", "extract", "extract_to"]

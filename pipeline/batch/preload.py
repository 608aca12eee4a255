"""Imported once by the local executor's fork server: heavy imports and per-process resources
are loaded there, and every worker forked from it starts warm (memory shared copy-on-write).

REVIEW_EXTRACT_PRELOAD (set by the executor) is the settings JSON of the batch; without it
the lexicon-only resources are loaded.
"""
from __future__ import annotations

import os

import pymupdf  # noqa: F401

from pipeline import run  # noqa: F401
from pipeline.batch.work import warm
from pipeline.settings import Settings
from pipeline.stages import export  # noqa: F401


def _settings() -> Settings:
    blob = os.environ.get("REVIEW_EXTRACT_PRELOAD")
    try:
        return Settings.model_validate_json(blob) if blob else Settings(ner=False)
    except Exception:  # noqa: BLE001
        return Settings(ner=False)


warm(_settings())

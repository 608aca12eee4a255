"""The one list of record kinds: kind -> model -> file names. Validate, export, evaluate, the JSON
Schema and the scripts read it; nothing else types the kinds out."""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from .records import (
    Abbreviation,
    Endpoint,
    Entity,
    Percentage,
    Section,
    TableRecord,
    Trial,
)


@dataclass(frozen=True)
class RecordKind:
    name: str                 # the key in Records, Candidates and gold files: "trials"
    model: type[BaseModel]
    schema_name: str          # JSON Schema file stem: "trial"
    record_file: str          # what `eval` reads back: "trials.jsonl"
    tabular: bool = True      # also written as CSV and Parquet (flat columns)


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("trials", Trial, "trial", "trials.jsonl"),
    RecordKind("endpoints", Endpoint, "endpoint", "endpoints.jsonl"),
    RecordKind("percentages", Percentage, "percentage", "percentages.jsonl"),
    RecordKind("abbreviations", Abbreviation, "abbreviation", "abbreviations.jsonl"),
    RecordKind("entities", Entity, "entity", "entities.jsonl"),
    RecordKind("sections", Section, "section", "sections.jsonl"),
    RecordKind("tables", TableRecord, "table", "tables.json", tabular=False),
)
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in RECORD_KINDS)
TABULAR_KINDS: tuple[str, ...] = tuple(k.name for k in RECORD_KINDS if k.tabular)
# the order gold files and score tables list the kinds in (structure first, then records)
GOLD_KINDS: tuple[str, ...] = ("sections", "tables", "trials", "endpoints", "percentages", "abbreviations", "entities")
assert set(GOLD_KINDS) == set(KIND_NAMES)
# gold-only kinds: scored from the run's document.json (front matter, reference list), not record files
DOCUMENT_KINDS: tuple[str, ...] = ("document", "references")
DOCUMENT_FILE = "document.json"
SCORED_KINDS: tuple[str, ...] = GOLD_KINDS + DOCUMENT_KINDS
MODELS: dict[str, type[BaseModel]] = {k.name: k.model for k in RECORD_KINDS}
RECORD_FILES: dict[str, str] = {k.name: k.record_file for k in RECORD_KINDS}

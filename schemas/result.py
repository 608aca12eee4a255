"""What a run returns: records, the validation report, the manifest."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import Model
from .document import StructuredDocument
from .kinds import (
    KIND_NAMES as RECORD_KINDS,  # noqa: F401  (the one list lives in kinds.py)
)
from .records import (
    Abbreviation,
    Endpoint,
    Entity,
    Percentage,
    Section,
    TableRecord,
    Trial,
)


class Candidates(Model):
    """Output of extract: record candidates as plain dicts, not yet validated."""

    trials: list[dict[str, Any]] = []
    endpoints: list[dict[str, Any]] = []
    percentages: list[dict[str, Any]] = []
    abbreviations: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []


class Records(Model):
    trials: list[Trial] = []
    endpoints: list[Endpoint] = []
    percentages: list[Percentage] = []
    abbreviations: list[Abbreviation] = []
    entities: list[Entity] = []
    sections: list[Section] = []
    tables: list[TableRecord] = []


class ValidationIssue(Model):
    kind: str
    index: int
    reason: str
    candidate: dict[str, Any]


class Validated(Model):
    """Output of validate: the records that passed and a report of those that did not."""

    records: Records
    issues: list[ValidationIssue] = []


class StageError(Model):
    stage: str
    error: str  # the error's class name
    message: str


class Manifest(Model):
    tool: str = "review-extract"
    version: str
    file: str
    sha256: str
    pages: int
    status: Literal["ok", "partial", "no_text_layer", "failed"]
    pages_without_text: list[int] = []
    config: dict[str, Any]
    config_hash: str
    seconds: dict[str, float] = Field(default_factory=dict, description="wall time per stage")
    counts: dict[str, int] = {}
    validation_issues: int = 0
    warnings: list[str] = []
    errors: list[StageError] = []
    output: str | None = Field(None, description="name of the output folder (the PDF's safe stem; "
                                                 "stem-<hash of the input path> on a collision)")
    checksums: dict[str, str] = Field(default_factory=dict, description="sha256 of every other file of the folder")


class ExtractionResult(Model):
    manifest: Manifest
    document: StructuredDocument | None
    records: Records
    issues: list[ValidationIssue] = []

"""The records users get: one model per output file, each carrying provenance."""
from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator

from .common import BBox, Model, Provenance

Phase = Literal["0", "I", "I/II", "II", "II/III", "III", "IV"]
EndpointUnit = Literal["months", "years", "weeks", "days", "%"]
EntityLabel = Literal["CHEMICAL", "DISEASE", "GENE", "CELL"]


class Trial(Model):
    """One distinct registry identifier, in its registry's canonical form."""

    id: str = Field(description="canonical identifier, e.g. NCT03504397")
    registry: str = Field(description="registry family, e.g. ClinicalTrials.gov")
    phase: Phase | None = None
    year: int | None = Field(default=None, ge=1950, le=2100)
    condition: str | None = None
    interventions: list[str] = []
    mentions: int = Field(ge=1, description="how many times the document prints it")
    provenance: Provenance  # the first mention
    other_mentions: list[Provenance] = []

    @field_validator("id")
    @classmethod
    def _canonical(cls, v: str) -> str:
        from .registries import is_canonical

        if not is_canonical(v):
            raise ValueError(f"{v!r} is not a canonical registry identifier")
        return v


class Endpoint(Model):
    endpoint: str = Field(description="canonical abbreviation, e.g. PFS, ORR")
    long_form: str | None = None
    value: float
    unit: EndpointUnit
    comparator_value: float | None = None
    qualifier: str | None = None
    trial_id: str | None = None
    timepoint: str | None = Field(default=None, description="landmark of a rate, e.g. '3-year', '6-month'")
    provenance: Provenance

    @field_validator("value", "comparator_value")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and (not math.isfinite(v) or v < 0):
            raise ValueError("endpoint values are finite and non-negative")
        return v


class Percentage(Model):
    value: float
    qualifier: str | None = None
    quantifies: str | None = Field(default=None, description="what the sentence says it measures")
    declared_by: Literal["sign", "header", "shared_sign"] = Field(
        default="sign", description="'%' printed beside it, a column header such as n (%), or a later '%' ('27.3 vs 59.1%')"
    )
    provenance: Provenance

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("percentage must be finite")
        return v


class Abbreviation(Model):
    short: str
    long: str
    provenance: Provenance


class Entity(Model):
    text: str
    label: EntityLabel
    long_form: str | None = Field(default=None, description="the defined long form when `text` is an abbreviation")
    source: str = Field(description="which recognizer found it: ner model name or lexicon")
    provenance: Provenance


class Section(Model):
    title: str
    number: str | None
    level: int = Field(ge=1)
    path: list[str]
    page: int = Field(ge=1)
    bbox: BBox


class TableRecord(Model):
    label: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    continuation: list[bool]
    footnote: str | None
    page: int = Field(ge=1)
    pages: list[int]
    bbox: BBox
    section: list[str]

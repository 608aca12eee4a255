"""The gold file `review-gold/1`: what a careful person reads off one review PDF.

Every kind is optional: absent or null = not scored; an empty list = "there are none".
Unknown keys are ignored, at the top level and inside items (a later version may add kinds).
Numbers must be JSON numbers (`24.0` and `24` are the same value); strings are not coerced.
An attribute left out of an item is not scored for that item (null says "there is none").

`schemas` imports nothing from `pipeline`: `load_gold` in `pipeline.evaluate` turns a
`ValidationError` into the project's one-line `GoldFormatError`.
"""
from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

GOLD_FORMAT = "review-gold/1"
from .kinds import GOLD_KINDS  # noqa: E402,F401


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("must be a JSON number")
    if not math.isfinite(v):
        raise ValueError("must be a finite number")
    return float(v)


def _integer(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("must be a JSON number")
    if isinstance(v, float) and not (math.isfinite(v) and v.is_integer()):
        raise ValueError("must be a whole number")
    return int(v)


Number = Annotated[float, BeforeValidator(_number)]
Integer = Annotated[int, BeforeValidator(_integer)]


class GoldModel(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False, coerce_numbers_to_str=False)


class GoldDocument(GoldModel):
    file: str | None = None
    title: str | None = None
    doi: str | None = None
    journal: str | None = None
    authors: list[str] | None = None  # scored as a count


class GoldReference(GoldModel):
    number: Integer | None = None
    text: str


class GoldSection(GoldModel):
    title: str
    level: Integer = Field(ge=1)


class GoldTable(GoldModel):
    label: str
    caption: str | None = None
    header: list[str] | None = None
    rows: list[list[str]] | None = None

    @model_validator(mode="after")
    def _together(self) -> "GoldTable":
        if (self.header is None) != (self.rows is None):
            given = "header" if self.header is not None else "rows"
            raise ValueError(f"{given} given without {'rows' if given == 'header' else 'header'}; "
                             "header and rows are given or left out together")
        return self

    @property
    def has_cells(self) -> bool:
        return self.header is not None and self.rows is not None


class GoldTrial(GoldModel):
    id: str
    registry: str | None = None
    phase: str | None = None
    year: Integer | None = None
    condition: str | None = None
    interventions: list[str] | None = None


class GoldEndpoint(GoldModel):
    endpoint: str
    value: Number
    unit: str
    comparator_value: Number | None = None
    qualifier: str | None = None
    trial_id: str | None = None
    timepoint: str | None = None  # a landmark rate's time: "3-year", "6-month"
    quote: str | None = None


class GoldPercentage(GoldModel):
    value: Number
    qualifier: str | None = None
    quote: str | None = None


class GoldAbbreviation(GoldModel):
    short: str
    long: str


class GoldEntity(GoldModel):
    text: str
    label: str


class GoldFile(GoldModel):
    """One gold file. A kind that is None is not scored."""

    format: Literal["review-gold/1"]
    document: GoldDocument | None = None
    sections: list[GoldSection] | None = None
    tables: list[GoldTable] | None = None
    trials: list[GoldTrial] | None = None
    endpoints: list[GoldEndpoint] | None = None
    percentages: list[GoldPercentage] | None = None
    abbreviations: list[GoldAbbreviation] | None = None
    entities: list[GoldEntity] | None = None
    entities_complete: bool | None = None
    references: list[GoldReference] | None = None

    def scored(self, kind: str) -> bool:
        return getattr(self, kind) is not None

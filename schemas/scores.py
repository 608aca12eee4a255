"""Scores of a run against a gold file (`review-extract eval`), per document and per corpus.

JSON shape of one document (`DocumentScores.to_json()`):

    {"gold": "...", "run": "...",
     "kinds": {"trials": {"scored": true, "tp": 14, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0,
                          "f1": 1.0, "attributes": {"phase": {"correct": 9, "total": 9, "accuracy": 1.0}},
                          "misses": [...], "false_positives": [...], "mismatches": [...]},
               "tables": {..., "cells": {"tp", "fp", "fn", "precision", "recall", "f1"}},
               "entities": {..., "complete": false, "strict": {...}, "relaxed": {...}},
               "endpoints": {"scored": false}, ...}}

A kind the gold file lacks is `{"scored": false}`; precision, f1 (and fp) are null where only
recall is defined (entities with `entities_complete` false or absent).
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from .kinds import SCORED_KINDS as KINDS  # noqa: F401  (re-exported: the one list is in kinds.py)


class ScoreModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Headline:
    """For models with `f1` and `recall` fields."""

    def headline(self) -> tuple[str, float | None]:
        """The figure a bar is checked against: f1, or recall where f1 is undefined."""
        if self.f1 is not None:
            return "f1", self.f1
        return "recall", self.recall


class Counts(ScoreModel):
    """Counts and the figures derived from them; precision/f1/fp are None where undefined."""

    tp: int = 0
    fp: int | None = 0
    fn: int = 0
    precision: float | None = 1.0
    recall: float = 1.0
    f1: float | None = 0.0


class AttributeScore(ScoreModel):
    correct: int = 0
    total: int = 0
    accuracy: float | None = None


class Miss(ScoreModel):
    """A gold item the run did not find (false negative)."""

    key: str
    item: dict[str, Any] = {}
    quote: str | None = None
    near: str | None = Field(default=None, description="entities: the run text that matches it relaxed")


class FalsePositive(ScoreModel):
    """A run item that matches nothing in the gold file, with where the run read it."""

    key: str
    item: dict[str, Any] = {}
    page: int | None = None
    text: str | None = Field(default=None, description="the sentence or cell from the record's provenance")
    near: str | None = None


class Mismatch(ScoreModel):
    """An attribute of a matched item that disagrees with the gold file."""

    key: str
    attribute: str
    expected: Any = None
    got: Any = None
    page: int | None = None
    text: str | None = None


_OPTIONAL_BLOCKS = ("cells", "strict", "relaxed", "complete")


class KindScores(_Headline, ScoreModel):
    scored: bool
    tp: int | None = None
    fp: int | None = None
    fn: int | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    attributes: dict[str, AttributeScore] = {}
    cells: Counts | None = None          # tables only
    complete: bool | None = None         # entities only: entities_complete
    strict: Counts | None = None         # entities only (same figures as the top level)
    relaxed: Counts | None = None        # entities only
    misses: list[Miss] = []
    false_positives: list[FalsePositive] = []
    mismatches: list[Mismatch] = []

    @model_serializer(mode="wrap")
    def _shape(self, handler):
        data = handler(self)
        if not self.scored:
            return {"scored": False}
        for key in _OPTIONAL_BLOCKS:
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def counts(self) -> Counts:
        return Counts(tp=self.tp or 0, fp=self.fp, fn=self.fn or 0, precision=self.precision,
                      recall=self.recall if self.recall is not None else 1.0, f1=self.f1)

class DocumentScores(ScoreModel):
    gold: str
    run: str
    kinds: dict[str, KindScores]
    warnings: list[str] = Field(default=[], exclude=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Average(_Headline, ScoreModel):
    """Micro (pooled counts) or macro (mean over documents) figures of one kind over a corpus."""

    scored: bool
    documents: int = 0
    tp: int | None = None
    fp: int | None = None
    fn: int | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    attributes: dict[str, AttributeScore] = {}
    cells: Counts | None = None
    relaxed: Counts | None = None

    @model_serializer(mode="wrap")
    def _shape(self, handler):
        data = handler(self)
        if not self.scored:
            return {"scored": False}
        for key in ("cells", "relaxed", "tp", "fp", "fn"):
            if data.get(key) is None:
                data.pop(key, None)
        return data



class CorpusScores(ScoreModel):
    gold_dir: str
    outdir: str
    documents: list[DocumentScores]
    micro: dict[str, Average]
    macro: dict[str, Average]
    missing_runs: list[str] = Field(default=[], description="gold files whose run folder does not exist")
    unscored_runs: list[str] = Field(default=[], description="run folders without a gold file")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

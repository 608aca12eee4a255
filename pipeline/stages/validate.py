"""Stage 6, validate: every candidate through its pydantic model; failures are reported, never dropped silently."""
from __future__ import annotations

from pydantic import BaseModel, ValidationError

from pipeline.settings import Settings
from schemas.kinds import MODELS as KIND_MODELS
from schemas.result import Candidates, Records, Validated, ValidationIssue

MODELS: dict[str, type[BaseModel]] = KIND_MODELS


def validate(candidates: Candidates, settings: Settings) -> Validated:
    records: dict[str, list] = {k: [] for k in MODELS}
    issues: list[ValidationIssue] = []
    for kind, model in MODELS.items():
        for i, cand in enumerate(getattr(candidates, kind)):
            try:
                records[kind].append(model.model_validate(cand))
            except ValidationError as e:
                reason = "; ".join(f"{'.'.join(map(str, err['loc'])) or kind}: {err['msg']}" for err in e.errors())
                issues.append(ValidationIssue(kind=kind, index=i, reason=reason, candidate=_jsonable(cand)))
    return Validated(records=Records(**records), issues=issues)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)

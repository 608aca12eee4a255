"""The JSON Schema users get, generated from the models (never written by hand)."""
from __future__ import annotations

from pydantic import BaseModel

from .document import StructuredDocument
from .kinds import RECORD_KINDS
from .result import Manifest, ValidationIssue

OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    **{k.schema_name: k.model for k in RECORD_KINDS},
    "document": StructuredDocument,
    "manifest": Manifest,
    "validation_issue": ValidationIssue,
}


def all_schemas() -> dict[str, dict]:
    """File name -> JSON Schema of each output record."""
    out = {}
    for name, model in OUTPUT_MODELS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://review-extract.local/schemas/{name}.schema.json"
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = schema
    return out

"""The JSON Schema files under schemas/json are generated from the models and must not drift."""
from __future__ import annotations

import json
from pathlib import Path

from schemas.jsonschema import all_schemas

JSON_DIR = Path(__file__).resolve().parents[2] / "schemas" / "json"


def test_committed_schemas_match_models():
    expected = all_schemas()
    on_disk = {p.name for p in JSON_DIR.glob("*.schema.json")}
    assert on_disk == set(expected), "run `review-extract schema` and commit schemas/json"
    for name, schema in expected.items():
        assert json.loads((JSON_DIR / name).read_text()) == schema, f"{name} drifted: run `review-extract schema`"

"""The CLI: exit codes, one-line errors, inspect views, schema output."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli.main import main

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs" / "seed-review.pdf"


def test_run_bad_file_is_one_line_and_nonzero(tmp_path, capsys):
    bad = tmp_path / "page.pdf"
    bad.write_text("<!DOCTYPE html><html><body>404</body></html>")
    code = main(["run", str(bad), "-o", str(tmp_path / "out"), "--no-ner"])
    err = capsys.readouterr().err
    assert code == 1
    assert "not a PDF (HTML page)" in err and "Traceback" not in err


def test_inspect_segment_and_json(capsys):
    assert main(["inspect", str(SEED), "--stage", "segment", "--no-ner"]) == 0
    out = capsys.readouterr().out
    assert "INTRODUCTION" in out and "Table 1" in out
    assert main(["inspect", str(SEED), "--stage", "parse", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["page_count"] == 13


def test_schema_command_writes_every_record_schema(tmp_path, capsys):
    assert main(["schema", "-o", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"trial.schema.json", "endpoint.schema.json", "percentage.schema.json", "manifest.schema.json"} <= names

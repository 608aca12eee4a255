from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PDFS = sorted((ROOT / "fixtures" / "pdfs").glob("*.pdf"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))  # the PDF builders


@pytest.fixture(scope="session")
def fixture_runs(tmp_path_factory):
    """Every fixture PDF through the full pipeline once per session, default settings: stem -> (result, folder)."""
    from pipeline.api import extract_to
    from pipeline.settings import Settings

    out = tmp_path_factory.mktemp("fixture-runs")
    return {pdf.stem: extract_to(pdf, out, Settings()) for pdf in FIXTURE_PDFS}

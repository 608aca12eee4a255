"""Fuzzing (issue 6): mutated fixture PDFs (truncated, bytes flipped, spliced) either give a result
whose records validate, or fail with the project's own error types; never a crash, never past
the time limit. Bounded here (25 examples); scripts/fuzz.py runs longer."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import badpdf
from pipeline import errors as errors_mod
from pipeline.errors import ReviewExtractError
from pipeline.run import extract
from pipeline.settings import Settings

LIMIT_S = 20.0
SETTINGS = Settings(ner=False, time_limit_s=LIMIT_S)
SOURCES = {"seed": badpdf.SEED.read_bytes(), "small": badpdf.text_pdf(pages=2, garbage=0, deflate=False)}
OWN_ERRORS = {name for name, obj in vars(errors_mod).items()
              if isinstance(obj, type) and issubclass(obj, ReviewExtractError)}


@st.composite
def mutated(draw):
    data = bytearray(SOURCES[draw(st.sampled_from(sorted(SOURCES)))])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "splice", "zero"]))
        n = len(data)
        if n < 16:
            break
        i = draw(st.integers(0, n - 1))
        if op == "truncate":
            del data[max(8, i):]
        elif op == "flip":
            for k in range(draw(st.integers(1, 32))):
                j = (i + k * 97) % n
                data[j] ^= draw(st.integers(1, 255))
        elif op == "splice":
            j = draw(st.integers(0, n - 1))
            length = draw(st.integers(1, 4096))
            data[i:i] = data[j:j + length]
        else:
            data[i:i + draw(st.integers(1, 512))] = b"\0" * 16
    return bytes(data)


def check(path, data: bytes) -> None:
    path.write_bytes(data)
    t0 = time.monotonic()
    result = extract(path, SETTINGS)
    assert time.monotonic() - t0 < LIMIT_S + 5
    for e in result.manifest.errors:
        assert e.error in OWN_ERRORS, f"{e.error}: {e.message}"
        assert "\n" not in e.message
    for kind in type(result.records).model_fields:
        for rec in getattr(result.records, kind):
            type(rec).model_validate(rec.model_dump())
    try:
        extract(path, SETTINGS, raise_errors=True)
    except ReviewExtractError:
        pass


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=mutated())
def test_mutated_pdfs(tmp_path_factory, data):
    check(tmp_path_factory.mktemp("fuzz") / "mutant.pdf", data)


@pytest.mark.parametrize("keep", [0.001, 0.3, 0.8, 0.99])
def test_truncations(tmp_path, keep):
    check(tmp_path / "cut.pdf", badpdf.truncated(keep=keep))

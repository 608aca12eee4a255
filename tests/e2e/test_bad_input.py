"""Bad input and faults (issue 6): every case builds its own file (tests/support/badpdf.py) and must give a
clear one-line error for that file, lose nothing, never hang and never print a traceback."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import badpdf
from pipeline.core import atomic
from pipeline.batch.runner import clean_leftovers, run_batch
from pipeline.errors import OutputError
from pipeline.run import extract
from pipeline.settings import Settings

S = Settings(ner=False, time_limit_s=60)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _text(result) -> str:
    return " ".join(b.text for b in result.document.blocks) if result.document else ""


@pytest.mark.parametrize("name,build,error", [
    ("error.pdf", badpdf.html_error_page, "NotAPDFError"),
    ("image.pdf", badpdf.png_bytes, "NotAPDFError"),
    ("empty.pdf", lambda: b"", "EmptyFileError"),
    ("truncated.pdf", lambda: badpdf.truncated(keep=0.5), "DamagedPDFError"),
    ("encrypted.pdf", badpdf.encrypted, "EncryptedPDFError"),
    ("zero.pdf", badpdf.zero_pages, "NoPagesError"),
])
def test_bad_files_fail_with_one_line(tmp_path, name, build, error):
    r = extract(_write(tmp_path, name, build()), S)
    m = r.manifest
    assert m.status == "failed"
    assert [e.error for e in m.errors] == [error]
    assert m.errors[0].stage == "parse" and name in m.errors[0].message and "\n" not in m.errors[0].message
    assert r.records.trials == [] and r.document is None


def test_cli_one_line_per_bad_file(tmp_path, capsys):
    from pipeline.cli.main import main

    src = tmp_path / "in"
    src.mkdir()
    bad = {"error.pdf": badpdf.html_error_page(), "image.pdf": badpdf.png_bytes(), "empty.pdf": b"",
           "truncated.pdf": badpdf.truncated(), "encrypted.pdf": badpdf.encrypted(), "zero.pdf": badpdf.zero_pages()}
    for name, data in bad.items():
        _write(src, name, data)
    for argv in (["run", *sorted(str(p) for p in src.iterdir()), "-o", str(tmp_path / "o1"), "--no-ner"],
                 ["batch", str(src), "-o", str(tmp_path / "o2"), "--no-ner", "--workers", "0", "--quiet"]):
        assert main(argv) == 1
        out = capsys.readouterr()
        lines = out.err.strip().splitlines()
        assert "Traceback" not in out.err + out.out
        for name in bad:
            assert len([x for x in lines if name in x]) == 1, (name, lines)


def test_damaged_xref_is_repaired_with_a_warning(tmp_path):
    r = extract(_write(tmp_path, "xref.pdf", badpdf.damaged_xref()), S)
    assert r.manifest.status == "ok" and r.manifest.pages == 2
    assert any("repaired" in w for w in r.manifest.warnings)
    assert "progression-free survival" in _text(r)


def test_encrypted_opens_with_password(tmp_path):
    p = _write(tmp_path, "enc.pdf", badpdf.encrypted("s3cret"))
    r = extract(p, Settings(ner=False, password="s3cret"))
    assert r.manifest.status == "ok" and "NCT02578680" in [t.id for t in r.records.trials]
    assert "password" not in r.manifest.config
    r = extract(p, Settings(ner=False, password="wrong"))
    assert r.manifest.errors[0].error == "EncryptedPDFError" and "password" in r.manifest.errors[0].message


def test_scanned_pages_are_no_text_layer(tmp_path):
    p = _write(tmp_path, "scan.pdf", badpdf.scanned(pages=2))
    r = extract(p, S)
    assert r.manifest.status == "no_text_layer" and r.manifest.pages_without_text == [1, 2]
    assert r.manifest.errors == []
    summary = run_batch([p], tmp_path / "out", S)
    assert summary.outcomes[0].status == "no_text_layer" and "--ocr" in summary.outcomes[0].message
    assert (tmp_path / "out" / "scan" / "manifest.json").exists()


def test_ocr_reads_scanned_pages(tmp_path):
    from pipeline.stages.parse.reader import ocr_available

    if ocr_available() is not None:
        pytest.skip("Tesseract is not installed")
    r = extract(_write(tmp_path, "scan.pdf", badpdf.scanned(pages=1)), Settings(ner=False, ocr=True))
    assert r.manifest.status == "ok"
    assert any("OCR" in w for w in r.manifest.warnings)
    assert "NCT02578680" in [t.id for t in r.records.trials]


def test_ocr_missing_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import pymupdf

    from pipeline.stages.parse import reader as parse
    from pipeline.cli.main import main

    def no_tesseract(*a, **k):
        raise RuntimeError("No tessdata specified and Tesseract is not installed")

    monkeypatch.setattr(pymupdf, "get_tessdata", no_tesseract)
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    parse._tessdata.cache_clear()
    try:
        p = _write(tmp_path, "scan.pdf", badpdf.scanned(pages=1))
        r = extract(p, Settings(ner=False, ocr=True))
        assert r.manifest.errors[0].error == "OCRUnavailableError" and "Tesseract" in r.manifest.errors[0].message
        assert main(["batch", str(p), "-o", str(tmp_path / "out"), "--ocr", "--workers", "0"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Tesseract" in err
    finally:
        parse._tessdata.cache_clear()


def test_rotated_and_landscape_pages(tmp_path):
    r = extract(_write(tmp_path, "rot.pdf", badpdf.rotated()), S)
    assert r.manifest.status == "ok" and r.manifest.pages == 2
    text = _text(r)
    assert "Rotated page" in text and "KEYNOTE-189" in text and "Sideways page body text" in text
    assert "NCT02578680" in [t.id for t in r.records.trials]


def test_many_drawings_are_skipped(tmp_path):
    p = _write(tmp_path, "draw.pdf", badpdf.many_drawings(6000))
    t0 = time.monotonic()
    r = extract(p, Settings(ner=False, max_drawings_per_page=5000))
    assert time.monotonic() - t0 < 20
    assert r.manifest.status == "ok"
    assert any("max_drawings_per_page" in w for w in r.manifest.warnings)
    # without a table to look for, the drawings are not read at all
    p = _write(tmp_path, "draw2.pdf", badpdf.many_drawings(6000, table_caption=False))
    r = extract(p, Settings(ner=False, max_drawings_per_page=5000))
    assert r.manifest.status == "ok" and not any("max_drawings_per_page" in w for w in r.manifest.warnings)


def test_page_and_size_limits(tmp_path):
    p = _write(tmp_path, "long.pdf", badpdf.many_pages(300))
    t0 = time.monotonic()
    r = extract(p, Settings(ner=False, max_pages=100))
    assert time.monotonic() - t0 < 10
    assert r.manifest.errors[0].error == "LimitExceededError" and "max_pages" in r.manifest.errors[0].message
    r = extract(badpdf.SEED, Settings(ner=False, max_file_mb=0.01))
    assert r.manifest.errors[0].error == "LimitExceededError" and "max_file_mb" in r.manifest.errors[0].message


def test_time_limit(tmp_path, monkeypatch):
    from pipeline.stages import layout

    def slow(*a, **k):
        time.sleep(30)

    monkeypatch.setattr(layout, "layout", slow)
    t0 = time.monotonic()
    r = extract(_write(tmp_path, "t.pdf", badpdf.text_pdf()), Settings(ner=False, time_limit_s=1))
    assert time.monotonic() - t0 < 5
    assert r.manifest.status == "failed" and r.manifest.errors[0].error == "StageTimeoutError"
    assert "time_limit_s" in r.manifest.errors[0].message


def test_unusual_unicode(tmp_path):
    r = extract(_write(tmp_path, "uni.pdf", badpdf.odd_unicode()), S)
    assert r.manifest.status == "ok"
    for kind in ("trials", "percentages", "endpoints"):
        for rec in getattr(r.records, kind):
            type(rec).model_validate(rec.model_dump())


def test_output_folder_not_writable(tmp_path, capsys):
    from pipeline.cli.main import main

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    pdf = _write(tmp_path, "ok.pdf", badpdf.text_pdf())
    for cmd in ("run", "batch"):
        argv = [cmd, str(pdf), "-o", str(blocker / "out"), "--no-ner"] + (["--workers", "0"] if cmd == "batch" else [])
        assert main(argv) == 1
        out = capsys.readouterr()
        assert out.err.count("\n") == 1 and "cannot write" in out.err and "Traceback" not in out.err


class _DiskFull:
    """Stands in for the os module inside pipeline.core.atomic: every write fails with ENOSPC."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def write(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full(tmp_path, monkeypatch):
    from pipeline.stages.export import export

    pdf = _write(tmp_path, "ok.pdf", badpdf.text_pdf())
    out = tmp_path / "out"
    monkeypatch.setattr(atomic, "os", _DiskFull())
    summary = run_batch([pdf], out, S)
    o = summary.outcomes[0]
    assert (o.status, o.error) == ("failed", "OutputError") and "No space left" in o.message
    assert not (out / "ok").exists() and not [p for p in out.iterdir() if p.name.endswith(".partial")]
    monkeypatch.undo()

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="No space left"):
        export(extract(pdf, S), out, S)
    monkeypatch.undo()
    assert not (out / "ok").exists() and not [p for p in out.iterdir() if p.name.endswith(".partial")]


_KILL_MID_WRITE = r"""
import os, sys, time
from pathlib import Path
from pipeline.core import atomic
real = os.write
def slow(fd, data):
    n = real(fd, data)
    Path(sys.argv[2]).touch()
    time.sleep(60)
    return n
class OS:
    def __getattr__(self, k): return getattr(os, k)
    write = staticmethod(slow)
atomic.os = OS()
atomic.write_dir(Path(sys.argv[1]), {"a.json": b"{}", "b.csv": b"x\n", "manifest.json": b"{}"}, last="manifest.json")
"""


@pytest.mark.parametrize("existing", [False, True])
def test_killed_mid_write_leaves_nothing_complete(tmp_path, existing):
    final = tmp_path / "out" / "doc"
    if existing:
        atomic.write_dir(final, {"old.json": b"1", "manifest.json": b"{}"}, last="manifest.json")
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", _KILL_MID_WRITE, str(final), str(marker)], cwd=badpdf.ROOT)
    try:
        for _ in range(400):
            if marker.exists():
                break
            time.sleep(0.025)
        assert marker.exists()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(10)
    if existing:  # the old folder stays whole under its name
        assert sorted(p.name for p in final.iterdir()) == ["manifest.json", "old.json"]
    else:
        assert not final.exists()
    leftovers = clean_leftovers(final.parent)
    assert any(n.endswith(".partial") for n in leftovers)
    assert [p.name for p in final.parent.iterdir()] == (["doc"] if existing else [])

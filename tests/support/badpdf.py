"""Builders of bad and unusual PDFs for tests/e2e/test_bad_input.py, tests/e2e/test_fuzz.py and tests/e2e/test_batch.py.

Every builder returns bytes (write them where the test wants); nothing is read from the
network and nothing is committed.
"""
from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "pdfs" / "seed-review.pdf"
SEED_2COL = ROOT / "fixtures" / "pdfs" / "seed-review-2col.pdf"

PARAGRAPH = ("Pembrolizumab improved progression-free survival (PFS) in the KEYNOTE-189 trial "
             "(NCT02578680): median PFS 8.8 versus 4.9 months, and the objective response rate was 47.6%.")


def html_error_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body>Access denied</body></html>\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def text_pdf(pages: int = 1, text: str = PARAGRAPH, **save_kw) -> bytes:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 760), f"{text} Page {i + 1}.", fontsize=11)
    data = doc.tobytes(**save_kw)
    doc.close()
    return data


def truncated(data: bytes | None = None, keep: float = 0.5) -> bytes:
    data = data if data is not None else SEED.read_bytes()
    return data[: int(len(data) * keep)]


def damaged_xref(data: bytes | None = None) -> bytes:
    """A valid small PDF whose xref offsets all point to the wrong place (MuPDF repairs it)."""
    data = data if data is not None else text_pdf(pages=2, garbage=0, deflate=False)
    start = data.rindex(b"\nxref\n")
    head, tail = data[:start], data[start:]
    tail = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), tail)
    return head + tail


def encrypted(password: str = "s3cret") -> bytes:
    return text_pdf(pages=1, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "-owner")


def zero_pages() -> bytes:
    """A well-formed PDF whose page tree has no kids (PyMuPDF refuses to save one; written by hand)."""
    return _serialize([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _serialize(objs: list[bytes]) -> bytes:
    """Objects 1..n as a PDF with a correct xref table, written by hand (no library rewrites them)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _text_image(text: str, width: int = 1200) -> bytes:
    """A PNG of printed text (rendered by MuPDF), for 'scanned' pages."""
    doc = pymupdf.open()
    page = doc.new_page(width=600, height=200)
    page.insert_textbox(pymupdf.Rect(20, 20, 580, 180), text, fontsize=14)
    pix = page.get_pixmap(dpi=200)
    data = pix.tobytes("png")
    doc.close()
    return data


def scanned(pages: int = 2, text: str = PARAGRAPH) -> bytes:
    """Pages that are images of text, with no text layer."""
    img = _text_image(text)
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        page.insert_image(pymupdf.Rect(36, 72, 576, 252), stream=img)
    data = doc.tobytes()
    doc.close()
    return data


def rotated(text: str = PARAGRAPH) -> bytes:
    """Page 1 has /Rotate 90; page 2 is a portrait page whose text is typeset sideways (a landscape table page)."""
    doc = pymupdf.open()
    p1 = doc.new_page()
    p1.insert_textbox(pymupdf.Rect(72, 72, 520, 400), "Rotated page. " + text, fontsize=11)
    p1.set_rotation(90)
    p2 = doc.new_page()
    y = 100
    for row in ("Table 1 Trial characteristics", "Trial  Phase  Patients  ORR",
                "KEYNOTE-189  III  616  47.6%", "CheckMate 227  III  1739  33.1%"):
        p2.insert_text((y, 700), row, fontsize=10, rotate=90)
        y += 16
    p2.insert_textbox(pymupdf.Rect(300, 72, 560, 500), "Sideways page body text. " * 5, fontsize=9, rotate=90)
    data = doc.tobytes()
    doc.close()
    return data


def many_drawings(n: int = 6000, table_caption: bool = True) -> bytes:
    """A page of tiny vector shapes; with a table caption, so that parse reads its drawings."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 520, 200), PARAGRAPH, fontsize=11)
    if table_caption:
        page.insert_text((72, 290), "Table 1. Values measured on the grid below", fontsize=10)
    shape = page.new_shape()
    for i in range(n):
        x, y = 72 + (i % 100) * 4.5, 300 + (i // 100) * 4.5
        shape.draw_rect(pymupdf.Rect(x, y, x + 2, y + 2))
        shape.finish(color=(0, 0, 0), width=0.2)  # one path per rectangle
    shape.commit()
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def many_pages(n: int = 300) -> bytes:
    doc = pymupdf.open()
    for i in range(n):
        doc.new_page().insert_text((72, 72), f"Page {i + 1} of a very long document.", fontsize=11)
    data = doc.tobytes(deflate=True)
    doc.close()
    return data


def odd_unicode() -> bytes:
    """Private-use glyphs, U+FFFD, '?' stand-ins and combining marks in the text layer."""
    doc = pymupdf.open()
    page = doc.new_page()
    font = pymupdf.Font("notos") if "notos" in getattr(pymupdf, "fitz_fontdescriptors", {}) else None
    text = ("Response rate \ue000\ue001 was 45% (\ufffd) in NCT01234567 ? ?? \u0301e\u0308 "
            "\U000f0000 ligature \ufb01 zero\u200bwidth. " + PARAGRAPH)
    if font is not None:
        page.insert_font(fontname="F0", fontbuffer=font.buffer)
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 760), text, fontname="F0", fontsize=11)
    else:
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 760), text, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def with_changed_comment(data: bytes, n: int) -> bytes:
    """The same PDF with a trailing comment, so that its sha256 differs (benchmark corpora)."""
    return data + b"\n%% copy %08d\n" % n


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- issue 12: hostile input

def _pdf_with_content(content_stream: bytes, extra_page_keys: bytes = b"", count: bytes = b"1",
                      filter_: bytes = b"/Filter /FlateDecode") -> bytes:
    """A one-page PDF written by hand (so that nothing inflates the stream while building it)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count " + count + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + extra_page_keys + b">>",
        b"<< /Length %d %s >>\nstream\n" % (len(content_stream), filter_) + content_stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _serialize(objs)


def _deflate_repeated(head: bytes, unit: bytes, inflated_mb: int) -> bytes:
    """head + unit repeated to about inflated_mb MiB, compressed chunk by chunk (little memory)."""
    z = zlib.compressobj(9)
    parts = [z.compress(head)]
    block = unit * max(1, (1 << 20) // len(unit))
    for _ in range(inflated_mb):
        parts.append(z.compress(block))
    parts.append(z.flush())
    return b"".join(parts)


CAPTION = b"BT /F1 10 Tf 72 720 Td (Table 1. Values measured on the grid below) Tj ET\n"


def drawing_bomb(inflated_mb: int = 512) -> bytes:
    """A small file whose page (with a table caption, so that parse looks at its drawings) holds
    `0 0 m 1 1 l S` repeated to inflated_mb MiB: millions of paths."""
    return _pdf_with_content(_deflate_repeated(CAPTION, b"0 0 m 1 1 l S\n", inflated_mb))


def text_bomb(inflated_mb: int = 256) -> bytes:
    """A small file whose page shows one glyph millions of times."""
    return _pdf_with_content(_deflate_repeated(b"BT /F1 1 Tf 72 720 Td\n", b"(x) Tj\n", inflated_mb))


def page_count(count: bytes) -> bytes:
    """A page tree that claims `count` pages (huge or negative) for its one page."""
    return _pdf_with_content(zlib.compress(CAPTION), count=count)

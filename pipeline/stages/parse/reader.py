"""Stage 1, parse: the only stage that reads the PDF. PyMuPDF spans, rules and images per page.

Pages whose text runs vertically (landscape tables typeset on portrait pages) are turned
upright here, so that every later stage sees left-to-right lines; their coordinates are
those of the page as read upright.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import zlib
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pymupdf

from pipeline.core.geometry import round_box
from pipeline.core.textnorm import lone_symbol
from pipeline.errors import (
    DamagedPDFError,
    EmptyFileError,
    EncryptedPDFError,
    LimitExceededError,
    NoPagesError,
    NotAPDFError,
    OCRUnavailableError,
    ReviewExtractError,
)
from pipeline.settings import Settings
from pipeline.stages.parse.table_finder import find_pymupdf_tables
from schemas.raw import Block, Line, Page, RawDocument, Rule, Span

_BOLD, _ITALIC, _SUPER = 16, 2, 1
_TABLE_CAPTION = re.compile(r"\s*(Table|TABLE)\s+[0-9IVX]+[A-Za-z]?\b")
_RULE_THICKNESS = 2.0
_IMAGE_BOXES_BELOW_CHARS = 500  # a rectangle thinner than this is a rule, not a box
_MIN_TEXT_CHARS = 20  # fewer non-blank characters than this: the page has no text layer
_MAX_SPANS_PER_PAGE = 30_000  # beyond this a page's text is cut (memory on pathological pages)
_OCR_DPI = 300
_MIB = 1024 * 1024
# a page whose content inflates past this is a bomb, not an article page (the largest pages of
# the corpus hold a few MiB): it is not read, so MuPDF never builds its text or drawings
_MAX_PAGE_CONTENT = 64 * _MIB
_FLATE_MAX_RATIO = 1100

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def parse(path: str | os.PathLike, settings: Settings) -> RawDocument:
    path = Path(path)
    data = _read_checked(path, settings)
    doc = _open(data, path.name, settings)
    warnings = [f"PDF repaired on open: {w}" for w in _mupdf_warnings() if w]
    try:
        try:
            page_count = doc.page_count
        except Exception as e:  # noqa: BLE001 - a huge or negative /Count: MuPDF refuses the page tree
            raise DamagedPDFError(f"{path.name}: damaged PDF: bad page tree ({_one_line(e)})") from None
        if page_count == 0:
            if _looks_cut(data) or warnings or _is_repaired(doc):
                raise DamagedPDFError(f"{path.name}: damaged or truncated PDF: no readable page")
            raise NoPagesError(f"{path.name}: the PDF has no pages")
        if page_count > settings.max_pages:
            raise LimitExceededError(
                f"{path.name}: {page_count} pages is over the limit of {settings.max_pages} (max_pages)"
            )
        pages: list[Page] = []
        for i in range(doc.page_count):
            # drawn rules serve table detection only: read them where a table is captioned
            # (or continues from the page before); elsewhere vector art costs time for nothing
            near_table = bool(pages) and bool(pages[-1].tables or pages[-1].rules)
            pages.append(_parse_page(doc, i, settings, warnings, near_table, path.name))
        late = [w for w in _mupdf_warnings() if w]
        if late or (_is_repaired(doc) and not any(w.startswith("PDF repaired") for w in warnings)):
            detail = "; ".join(late[:3]) or "broken cross-reference table rebuilt"
            warnings.insert(0, f"PDF repaired while reading: {detail}")
        if _looks_cut(data):
            warnings.insert(0, "the file looks truncated (no %%EOF at its end); pages may be missing")
        meta = {k: str(v) for k, v in (doc.metadata or {}).items() if v and k != "encryption"}
        return RawDocument(
            file=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            page_count=doc.page_count,
            metadata=meta,
            pages=pages,
            warnings=warnings,
        )
    finally:
        doc.close()


def _read_checked(path: Path, settings: Settings) -> bytes:
    """The file's bytes: only a regular file is read (a FIFO would block, /dev/zero never ends),
    opened once without blocking, and the size limit holds on the bytes read, not on st_size."""
    limit = int(settings.max_file_mb * _MIB)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise NotAPDFError(f"{path}: cannot read file ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotAPDFError(f"{path}: is a folder, not a PDF")
        if not stat.S_ISREG(st.st_mode):
            raise NotAPDFError(f"{path}: not a regular file (a FIFO, device or socket is never read)")
        if st.st_size > limit:
            raise LimitExceededError(_size_message(path.name, st.st_size, settings))
        os.set_blocking(fd, True)
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 22, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as e:
        raise NotAPDFError(f"{path}: cannot read file ({e.strerror or e})") from None
    finally:
        os.close(fd)
    if got > limit:
        raise LimitExceededError(_size_message(path.name, got, settings, "at least "))
    data = b"".join(chunks)
    if not data:
        raise EmptyFileError(f"{path.name}: the file is empty")
    head = data[:1024].lstrip()
    if b"%PDF-" not in data[:1024]:
        kind = _sniff(head)
        raise NotAPDFError(f"{path.name}: not a PDF ({kind})")
    return data


def _size_message(name: str, size: int, settings: Settings, prefix: str = "") -> str:
    return (f"{name}: {prefix}{size / _MIB:.1f} MiB is over the limit of {settings.max_file_mb:g} MiB "
            f"(max_file_mb)")


def _looks_cut(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def _is_repaired(doc: pymupdf.Document) -> bool:
    try:
        return bool(getattr(doc, "is_repaired", False))
    except Exception:  # noqa: BLE001
        return False


def _sniff(head: bytes) -> str:
    low = head[:200].lower()
    if low.startswith(b"\x89png"):
        return "PNG image"
    if low.startswith(b"\xff\xd8"):
        return "JPEG image"
    if b"<html" in low or b"<!doctype html" in low:
        return "HTML page"
    if low.startswith(b"pk\x03\x04"):
        return "ZIP archive"
    return "no %PDF- header"


def _mupdf_warnings() -> list[str]:
    text = pymupdf.TOOLS.mupdf_warnings(reset=True) or ""
    return [w.strip() for w in text.splitlines() if w.strip()][:5]


def _open(data: bytes, name: str, settings: Settings) -> pymupdf.Document:
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # MuPDF raises its own FileDataError / RuntimeError kinds
        raise DamagedPDFError(f"{name}: cannot open PDF ({_one_line(e)})") from None
    if doc.needs_pass:
        if not settings.password:
            doc.close()
            raise EncryptedPDFError(f"{name}: the PDF is encrypted; give its password with --password")
        if not doc.authenticate(settings.password):
            doc.close()
            raise EncryptedPDFError(f"{name}: the password given does not open this PDF")
    return doc


def _one_line(e: BaseException) -> str:
    msg = " ".join(str(e).split())
    return msg[:200] or type(e).__name__


def _parse_page(doc: pymupdf.Document, index: int, settings: Settings, warnings: list[str],
                near_table: bool = False, name: str = "PDF") -> Page:
    try:
        page = doc[index]
        over, _ = _content_scan(doc, page, count_paints=False)
        if over:
            raise LimitExceededError(f"{name}: page {index + 1}: its content inflates past "
                                     f"{_MAX_PAGE_CONTENT // _MIB} MiB (a content bomb); the file was not read")
        raw = page.get_text("dict", flags=pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES)
    except ReviewExtractError:  # a time limit above all: it ends the file, not the page
        raise
    except MemoryError:
        raise
    except Exception as e:
        warnings.append(f"page {index + 1}: text could not be read ({_one_line(e)})")
        return _empty_page(index)
    if settings.ocr and _raw_chars(raw) < _MIN_TEXT_CHARS:
        raw = _ocr_page(page, index, settings, warnings, raw)
    _cap_spans(raw, index, warnings)
    # text coordinates are of the unrotated page
    w, h = page.cropbox.width, page.cropbox.height
    lines_by_dir = Counter()
    for b in raw["blocks"]:
        for ln in b.get("lines", []):
            d = (round(ln["dir"][0]), round(ln["dir"][1]))
            lines_by_dir[d] += sum(len(s["text"].strip()) for s in ln["spans"])
    main_dir = lines_by_dir.most_common(1)[0][0] if lines_by_dir else (1, 0)
    turn = _turner(main_dir, w, h)
    out_w, out_h = (w, h) if main_dir in ((1, 0), (-1, 0)) else (h, w)

    blocks: list[Block] = []
    off_axis = 0
    for b in raw["blocks"]:
        lines: list[Line] = []
        for ln in b.get("lines", []):
            d = (round(ln["dir"][0]), round(ln["dir"][1]))
            if d != main_dir:
                off_axis += 1  # margin banners, rotated labels: not part of the reading flow
                continue
            spans = _spaced([_span(s, turn) for s in _style_runs(ln["spans"])])
            if spans:
                lines.append(Line(bbox=round_box(turn(ln["bbox"])), dir=(1.0, 0.0), spans=spans))
        if lines:
            blocks.append(Block(bbox=round_box(turn(b["bbox"])), lines=lines))
    if off_axis and main_dir != (1, 0):
        warnings.append(f"page {index + 1}: text runs {main_dir}; read upright, {off_axis} off-axis lines skipped")

    captioned = _has_table_caption(blocks)
    paints = _content_scan(doc, page)[1] if captioned or near_table else 0
    if not (captioned or near_table):
        rules, drawing_count = [], 0
    elif paints > settings.max_drawings_per_page:  # counted in the content stream: never built
        rules, drawing_count = [], paints
    else:
        rules, drawing_count = _rules(page, turn, settings)
    if drawing_count > settings.max_drawings_per_page:
        warnings.append(f"page {index + 1}: {drawing_count} drawings, over the limit of "
                        f"{settings.max_drawings_per_page} (max_drawings_per_page); its vector art was ignored")
    tables = find_pymupdf_tables(page, blocks, rules) if captioned else []
    text_chars = sum(len(s.text.strip()) for bl in blocks for ln in bl.lines for s in ln.spans)
    # image boxes matter where text is scarce (scans, figure pages); elsewhere a count will do
    if text_chars < _IMAGE_BOXES_BELOW_CHARS:
        images = [round_box(turn(tuple(info["bbox"]))) for info in page.get_image_info()]
    else:
        images = []
    image_count = len(images) if images else len(page.get_images(full=False))
    return Page(
        number=index + 1,
        width=round(out_w, 2),
        height=round(out_h, 2),
        rotation=(page.rotation + _dir_angle(main_dir)) % 360,
        has_text_layer=text_chars >= _MIN_TEXT_CHARS,
        image_count=image_count,
        drawing_count=drawing_count,
        blocks=blocks,
        rules=rules,
        images=images,
        tables=tables,
    )


def _empty_page(index: int, page: pymupdf.Page | None = None) -> Page:
    w = round(page.cropbox.width, 2) if page is not None else 0
    h = round(page.cropbox.height, 2) if page is not None else 0
    return Page(number=index + 1, width=w, height=h, rotation=0, has_text_layer=False,
                image_count=0, drawing_count=0, blocks=[], rules=[], images=[])


_PAINT = re.compile(rb"\s[SsfFBbn]\*?(?=\s)")  # path-painting operators
# paths are counted past this much content only: below it a page cannot hold enough drawings to
# hurt (each path takes bytes), and the count after they are built still applies
_COUNT_PAINTS_FROM = 256 * 1024


def _content_scan(doc: pymupdf.Document, page: pymupdf.Page, count_paints: bool = True) -> tuple[bool, int]:
    """(over _MAX_PAGE_CONTENT, number of painted paths) of the page's content streams. Inflated
    in chunks and counted, never held: a 1 MiB Flate stream may inflate to gigabytes. Counting the
    paths costs a regex pass, so it is done only where vector art will be read (table pages)."""
    total = paints = 0
    xrefs = page.get_contents()
    if not count_paints:
        raws = [doc.xref_stream_raw(x) or b"" for x in xrefs]
        # Flate inflates at most ~1032:1: small zlib streams cannot reach the limit, so they are
        # not inflated here (most pages; the worker's memory bound backs up what this misses)
        if all(r[:1] == b"\x78" for r in raws if r) and sum(map(len, raws)) * _FLATE_MAX_RATIO <= _MAX_PAGE_CONTENT:
            return False, 0
    for xref in xrefs:
        raw = doc.xref_stream_raw(xref) or b""
        if raw[:1] != b"\x78" or "FlateDecode" not in doc.xref_get_key(xref, "Filter")[1]:  # 0x78: a zlib header
            total += len(raw)
            paints += len(_PAINT.findall(raw)) if count_paints and total > _COUNT_PAINTS_FROM else 0
            continue
        d = zlib.decompressobj()
        buf = raw
        while buf and total <= _MAX_PAGE_CONTENT:
            try:
                chunk = d.decompress(buf, 1 << 22)
            except zlib.error:
                break  # MuPDF reads what it can of a broken stream; so do we
            total += len(chunk)
            paints += len(_PAINT.findall(chunk)) if count_paints and total > _COUNT_PAINTS_FROM else 0
            buf = d.unconsumed_tail
        if total > _MAX_PAGE_CONTENT:
            return True, paints
    return False, paints


def _raw_chars(raw: dict) -> int:
    return sum(len(s["text"].strip()) for b in raw["blocks"] for ln in b.get("lines", []) for s in ln["spans"])


def _cap_spans(raw: dict, index: int, warnings: list[str]) -> None:
    n = 0
    for bi, b in enumerate(raw["blocks"]):
        for li, ln in enumerate(b.get("lines", [])):
            n += len(ln["spans"])
            if n > _MAX_SPANS_PER_PAGE:
                del b["lines"][li:]
                del raw["blocks"][bi + 1:]
                warnings.append(f"page {index + 1}: over {_MAX_SPANS_PER_PAGE} text spans; the rest of the page was skipped")
                return


@lru_cache(maxsize=8)
def _tessdata(language: str) -> str:
    """Tesseract's language folder; raises OCRUnavailableError with what is missing."""
    try:
        folder = pymupdf.get_tessdata()
    except Exception:  # noqa: BLE001 - RuntimeError when Tesseract is not installed
        folder = None
    if not folder or not os.path.isdir(folder):
        raise OCRUnavailableError(
            "OCR needs Tesseract, which is not installed (apt-get install tesseract-ocr, or set TESSDATA_PREFIX)")
    missing = [lang for lang in language.split("+") if not os.path.isfile(os.path.join(folder, f"{lang}.traineddata"))]
    if missing:
        raise OCRUnavailableError(f"Tesseract has no language data for {'+'.join(missing)} in {folder} (ocr_language)")
    return folder


def ocr_available(language: str = "eng") -> str | None:
    """None when OCR can run, else a one-line reason."""
    try:
        _tessdata(language)
        return None
    except OCRUnavailableError as e:
        return str(e)


def _ocr_page(page: pymupdf.Page, index: int, settings: Settings, warnings: list[str], raw: dict) -> dict:
    tessdata = _tessdata(settings.ocr_language)  # raises a clear error when OCR was asked for and cannot run
    try:
        tp = page.get_textpage_ocr(language=settings.ocr_language, dpi=_OCR_DPI, full=True, tessdata=tessdata)
        ocr = page.get_text("dict", textpage=tp, flags=pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES)
    except (ReviewExtractError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001
        warnings.append(f"page {index + 1}: OCR failed ({_one_line(e)})")
        return raw
    warnings.append(f"page {index + 1}: no text layer; text read by OCR (Tesseract, {settings.ocr_language})")
    return ocr


def _has_table_caption(blocks: list[Block]) -> bool:
    return any(_TABLE_CAPTION.match("".join(s.text for s in ln.spans)) for b in blocks for ln in b.lines)


def _dir_angle(d: tuple[int, int]) -> int:
    return {(1, 0): 0, (0, -1): 90, (-1, 0): 180, (0, 1): 270}.get(d, 0)


def _turner(d: tuple[int, int], w: float, h: float):
    """Map boxes so that text running in direction d reads left to right."""
    if d == (0, -1):  # text runs upward
        return lambda b: (h - b[3], b[0], h - b[1], b[2])
    if d == (0, 1):  # text runs downward
        return lambda b: (b[1], w - b[2], b[3], w - b[0])
    if d == (-1, 0):  # upside down
        return lambda b: (w - b[2], h - b[3], w - b[0], h - b[1])
    return lambda b: tuple(b)


def _style_runs(spans: list[dict]) -> list[dict]:
    """Merge neighbouring spans of one style that touch: justified text often comes one span per
    word and one per space, and tens of thousands of tiny spans cost more than they tell."""
    out: list[dict] = []
    for s in spans:
        if not s["text"]:
            continue
        if out:
            p = out[-1]
            gap = s["bbox"][0] - p["bbox"][2]
            if (p["font"] == s["font"] and p["flags"] == s["flags"] and round(p["size"], 2) == round(s["size"], 2)
                    and abs(p["origin"][1] - s["origin"][1]) < 0.05 and -0.5 <= gap <= 0.15 * s["size"]
                    and not s["flags"] & _SUPER and _joinable(p["text"], s["text"])):
                b0, b1 = p["bbox"], s["bbox"]
                out[-1] = {**p, "text": p["text"] + s["text"],
                           "bbox": (b0[0], min(b0[1], b1[1]), b1[2], max(b0[3], b1[3]))}
                continue
        out.append(s)
    return out


def _spaced(spans: list[Span]) -> list[Span]:
    """A word space that is only a gap between two spans on one baseline (a math font's 𝑛 then
    "= 21", fonts without a space glyph) becomes a space in the text."""
    for i in range(len(spans) - 1):
        a, b = spans[i], spans[i + 1]
        if not a.text or not b.text or a.text[-1].isspace() or b.text[0].isspace() or a.superscript or b.superscript:
            continue
        size = min(a.size, b.size)
        if b.bbox[0] - a.bbox[2] >= 0.18 * size and abs(a.origin_y - b.origin_y) < 0.2 * size:
            spans[i] = a.model_copy(update={"text": a.text + " "})
    return spans


def _joinable(a: str, b: str) -> bool:
    # a space run joins the word before it; a word joins a run ending in a space unless the
    # two could be table cells set edge to edge (a space span of its own, then text)
    return b.isspace() or (a.endswith(" ") and not a.isspace() and len(a) > 1 and a[-2:-1] != " " and _WORDISH(b))


def _WORDISH(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


def _span(s: dict, turn) -> Span:
    flags = s["flags"]
    font = s["font"]
    lf = font.lower()
    return Span(
        text=lone_symbol(s["text"]),
        bbox=round_box(turn(s["bbox"])),
        font=font,
        size=round(s["size"], 2),
        bold=bool(flags & _BOLD) or "bold" in lf or "medi" in lf or "black" in lf or "heavy" in lf,
        italic=bool(flags & _ITALIC) or "italic" in lf or "oblique" in lf,
        superscript=bool(flags & _SUPER),
        origin_y=round(turn((s["origin"][0], s["origin"][1], s["origin"][0], s["origin"][1]))[1], 2),
    )


def _rules(page: pymupdf.Page, turn, settings: Settings) -> tuple[list[Rule], int]:
    try:
        drawings = page.get_cdrawings()
    except (ReviewExtractError, MemoryError):
        raise
    except Exception:  # noqa: BLE001
        return [], 0
    n = len(drawings)
    if n > settings.max_drawings_per_page:
        return [], n  # vector artwork, not table rules; reading it all costs memory and time
    rules: list[Rule] = []
    for dr in drawings:
        for item in dr.get("items", []):
            kind = item[0]
            if kind == "l":
                p1, p2 = item[1], item[2]
                box = (min(p1[0], p2[0]), min(p1[1], p2[1]), max(p1[0], p2[0]), max(p1[1], p2[1]))
            elif kind == "re":
                r = item[1]  # get_cdrawings gives rectangles as drawn: x0 > x1 when drawn right to left
                box = (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))
            else:
                continue
            box = turn(box)
            bw, bh = box[2] - box[0], box[3] - box[1]
            if bh <= _RULE_THICKNESS and bw > 5:
                rules.append(Rule(bbox=round_box(box), horizontal=True))
            elif bw <= _RULE_THICKNESS and bh > 5:
                rules.append(Rule(bbox=round_box(box), horizontal=False))
    return rules, n

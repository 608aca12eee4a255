"""The one renderer behind the audit report and `inspect --draw`: PyMuPDF page images in the
pipeline's upright coordinates, boxes per class with a legend, crops with a span highlighted."""
from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass, field

import pymupdf
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import InputError

BBox = tuple[float, float, float, float]

# one colour per box class; the legend lists the classes present, in this order
PALETTE: dict[str, tuple[int, int, int]] = {
    "column": (120, 120, 120),
    "heading": (214, 39, 40),
    "paragraph": (31, 119, 180),
    "body": (31, 119, 180),
    "abstract": (23, 190, 207),
    "front": (148, 103, 189),
    "caption": (255, 127, 14),
    "footnote": (188, 189, 34),
    "reference": (140, 86, 75),
    "boilerplate": (127, 127, 127),
    "keywords": (148, 103, 189),
    "table": (44, 160, 44),
    "cell": (152, 223, 138),
    "figure": (227, 119, 194),
    "trial": (200, 0, 90),
    "endpoint": (0, 90, 200),
    "percentage": (230, 150, 0),
    "abbreviation": (90, 160, 160),
    "entity": (110, 60, 200),
    "section": (214, 39, 40),
    "highlight": (255, 215, 0),
}
_FALLBACK = (60, 60, 60)
_CACHED_PAGES = 16


@dataclass
class Box:
    """A box to draw, in upright page points; `label` is printed at its top-left corner (e.g. an order number)."""

    bbox: BBox
    cls: str
    label: str | None = None
    fill: bool = False


@dataclass
class Rendered:
    image: Image.Image
    scale: float  # pixels per point
    width_pt: float
    height_pt: float
    classes: list[str] = field(default_factory=list)


# text runs -> the matrix that the parse stage's box turner applies (unrotated -> upright)
def _upright_matrix(angle: int, w: float, h: float) -> pymupdf.Matrix:
    if angle == 90:     # text ran upward
        return pymupdf.Matrix(0, 1, -1, 0, h, 0)
    if angle == 270:    # text ran downward
        return pymupdf.Matrix(0, -1, 1, 0, 0, w)
    if angle == 180:
        return pymupdf.Matrix(-1, 0, 0, -1, w, h)
    return pymupdf.Matrix(1, 0, 0, 1, 0, 0)


class PageSource:
    """An open PDF whose pages render in the frame the pipeline's coordinates use.

    `rotations` are the run's per-page `rotation` (the PDF's /Rotate plus the turn applied to
    vertical text); without them pages render as stored, unturned.
    """

    def __init__(self, path: str | os.PathLike, rotations: dict[int, int] | None = None, password: str | None = None):
        try:
            self.doc = pymupdf.open(path)
        except Exception as e:  # noqa: BLE001 - any open failure: one line
            raise InputError(f"{path}: cannot open the PDF ({' '.join(str(e).split())[:120]})") from None
        if self.doc.needs_pass and not (password and self.doc.authenticate(password)):
            raise InputError(f"{path}: the PDF is encrypted; give its password with --password")
        self.rotations = rotations or {}
        self._matrices: dict[int, pymupdf.Matrix] = {}
        # a report renders one page many times (page view, crops) and searches it often
        self._lists: dict[int, pymupdf.DisplayList] = {}
        self._text: dict[int, pymupdf.TextPage] = {}
        self._pages: dict[int, pymupdf.Page] = {}

    def _cached(self, cache: dict, number: int, make):
        if number not in cache:
            if len(cache) >= _CACHED_PAGES:
                cache.pop(next(iter(cache)))
            cache[number] = make()
        return cache[number]

    def close(self) -> None:
        self.doc.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def page_count(self) -> int:
        return self.doc.page_count

    def _page(self, number: int) -> pymupdf.Page:
        if not 1 <= number <= self.doc.page_count:
            raise InputError(f"page {number} is not in the PDF ({self.doc.page_count} pages)")
        page = self._cached(self._pages, number, lambda: self.doc[number - 1])  # text pages belong to their Page
        if number not in self._matrices:
            turn = (self.rotations.get(number, page.rotation) - page.rotation) % 360
            self._matrices[number] = _upright_matrix(turn, page.cropbox.width, page.cropbox.height)
        if page.rotation:
            page.set_rotation(0)  # in memory only: text coordinates are of the unrotated page
        return page

    def size(self, number: int) -> tuple[float, float]:
        page = self._page(number)
        r = page.cropbox * self._matrices[number]
        return r.width, r.height

    def to_upright(self, number: int, rect) -> BBox:
        self._page(number)
        r = pymupdf.Rect(rect) * self._matrices[number]
        return (r.x0, r.y0, r.x1, r.y1)

    def to_unrotated(self, number: int, bbox: BBox) -> pymupdf.Rect:
        self._page(number)
        return pymupdf.Rect(bbox) * ~self._matrices[number]

    def render(self, number: int, scale: float, clip: BBox | None = None) -> Image.Image:
        """The page (or the upright `clip` of it) at `scale` pixels per point."""
        page = self._page(number)
        m = self._matrices[number]
        kw = {}
        if clip is not None:
            kw["clip"] = (pymupdf.Rect(clip) * ~m) & page.cropbox
        dl = self._cached(self._lists, number, page.get_displaylist)
        pix = dl.get_pixmap(matrix=m * pymupdf.Matrix(scale, scale), alpha=False, **kw)
        return Image.frombytes("RGB", (pix.width, pix.height), pix.samples)

    def image_boxes(self, number: int) -> list[BBox]:
        """Where raster artwork is placed on the page (upright points)."""
        page = self._page(number)
        out = []
        for info in page.get_image_info():
            r = pymupdf.Rect(info["bbox"]) & page.cropbox
            if r.width > 4 and r.height > 4:
                out.append(self.to_upright(number, r))
        return out

    def find_span(self, number: int, within: BBox | None, needle: str, occurrence: int = 0,
                  right_of: float | None = None) -> list[BBox]:
        """Boxes of `needle` printed inside `within` (upright points); the occurrence-th hit, else the first
        (counting only hits starting at or right of `right_of`, for cells read left to right)."""
        needle = " ".join(needle.split())
        if not needle:
            return []
        page = self._page(number)
        clip = None
        if within is not None:
            clip = self.to_unrotated(number, within)
            clip = pymupdf.Rect(clip.x0 - 2, clip.y0 - 2, clip.x1 + 2, clip.y1 + 2)
        try:
            if clip is not None:  # a text page of the clip alone: ~2x faster than searching the page
                quads = page.search_for(needle, clip=clip, quads=True)
            else:
                quads = page.search_for(needle, quads=True, textpage=self._cached(self._text, number, page.get_textpage))
        except Exception:  # noqa: BLE001 - odd glyphs: no highlight rather than no report
            return []
        if clip is not None:  # words straddling the clip's edge: keep hits centred inside it
            quads = [q for q in quads if clip.contains(q.rect.tl + (q.rect.br - q.rect.tl) * 0.5)]
        if not quads:
            return []
        # a hit spanning lines comes back as one quad per line, consecutive; keep one hit's quads
        hits: list[list[BBox]] = []
        for q in quads:
            box = self.to_upright(number, q.rect)
            if hits and _continues(hits[-1][-1], box):
                hits[-1].append(box)
            else:
                hits.append([box])
        if right_of is not None:
            hits = [h for h in hits if h[0][0] >= right_of - 1] or hits
        return hits[min(occurrence, len(hits) - 1)] if hits else []


def _continues(prev: BBox, box: BBox) -> bool:
    """A box on the next line (below, starting left of where the last ended)."""
    return box[1] >= prev[3] - 1 and box[1] - prev[3] < (prev[3] - prev[1]) * 1.5 and box[0] < prev[2]


_FONT_CACHE: dict[int, ImageFont.ImageFont] = {}


def _font(size: int) -> ImageFont.ImageFont:
    if size not in _FONT_CACHE:
        try:
            _FONT_CACHE[size] = ImageFont.load_default(size=size)
        except TypeError:  # old Pillow without sizes
            _FONT_CACHE[size] = ImageFont.load_default()
    return _FONT_CACHE[size]


def colour(cls: str) -> tuple[int, int, int]:
    return PALETTE.get(cls.split(":")[0], _FALLBACK)


def draw_boxes(image: Image.Image, boxes: list[Box], scale: float, origin: tuple[float, float] = (0.0, 0.0),
               width: int = 2) -> list[str]:
    """Draw `boxes` (page points; `origin` is the image's top-left in points) on `image`; the classes drawn."""
    over = Image.new("RGBA", image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(over)
    font = _font(max(10, int(9 * scale)))
    seen: list[str] = []
    ox, oy = origin
    for b in boxes:
        rgb = colour(b.cls)
        x0, y0, x1, y1 = ((b.bbox[0] - ox) * scale, (b.bbox[1] - oy) * scale,
                          (b.bbox[2] - ox) * scale, (b.bbox[3] - oy) * scale)
        if x1 < x0 or y1 < y0:
            continue
        if b.fill:
            d.rectangle((x0, y0, x1, y1), fill=rgb + (90,))
        else:
            d.rectangle((x0, y0, x1, y1), outline=rgb + (230,), width=width)
        if b.label:
            tw = d.textlength(b.label, font=font)
            th = font.size if hasattr(font, "size") else 10
            d.rectangle((x0, y0, x0 + tw + 4, y0 + th + 3), fill=rgb + (230,))
            d.text((x0 + 2, y0 + 1), b.label, fill=(255, 255, 255, 255), font=font)
        key = b.cls.split(":")[0]
        if key not in seen:
            seen.append(key)
    image.paste(Image.alpha_composite(image.convert("RGBA"), over).convert("RGB"))
    return seen


def add_legend(image: Image.Image, classes: list[str], scale: float = 1.0) -> Image.Image:
    """Name each class in its colour on a white strip over the bottom edge (the page margin), so the
    image keeps the page's size and aspect ratio."""
    if not classes:
        return image
    font = _font(max(11, int(8 * scale)))
    fs = font.size if hasattr(font, "size") else 11
    pad, sw = 6, fs
    d = ImageDraw.Draw(image)
    rows: list[list[tuple[int, str]]] = [[]]
    x = pad
    for c in classes:
        w = sw + 4 + int(d.textlength(c, font=font)) + 14
        if x + w > image.width - pad and rows[-1]:
            rows.append([])
            x = pad
        rows[-1].append((x, c))
        x += w
    top = image.height - len(rows) * (fs + 8) - pad
    d.rectangle((0, top, image.width, image.height), fill=(255, 255, 255))
    for r, items in enumerate(rows):
        y = top + pad // 2 + r * (fs + 8)
        for x, c in items:
            d.rectangle((x, y + 1, x + sw, y + 1 + sw), fill=colour(c))
            d.text((x + sw + 4, y), c, fill=(0, 0, 0), font=font)
    return image


def encode(image: Image.Image, fmt: str = "webp", quality: int = 60) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        image.save(buf, "PNG", compress_level=3)  # optimize=True: 10x slower for a larger file here
    elif fmt == "jpeg":
        image.save(buf, "JPEG", quality=quality, optimize=True)
    else:
        image.save(buf, "WEBP", quality=quality, method=2)  # 4+ is 2x slower for ~3% less
    return buf.getvalue()


def data_uri(data: bytes, fmt: str = "webp") -> str:
    return f"data:image/{fmt};base64," + base64.b64encode(data).decode("ascii")


def page_picture(src: PageSource, number: int, boxes: list[Box], scale: float, legend: bool = True) -> Rendered:
    """The page with `boxes` drawn and (optionally) a legend strip."""
    img = src.render(number, scale)
    classes = draw_boxes(img, boxes, scale)
    w, h = src.size(number)
    if legend:
        img = add_legend(img, classes, scale)
    return Rendered(img, scale, w, h, classes)


def crop_picture(src: PageSource, number: int, around: BBox, spans: list[BBox], scale: float,
                 max_w: float = 380.0, max_h: float = 44.0, cls: str = "highlight") -> Image.Image:
    """A crop of the page around `spans` (or `around` when the span was not found), spans highlighted.

    The crop keeps to the record's sentence/cell box but is cut to at most max_w x max_h points
    centred on the span, so a long paragraph does not become a full-page image.
    """
    pw, ph = src.size(number)
    focus = _union(spans) if spans else around
    x0, y0, x1, y1 = around if around else focus
    x0, y0, x1, y1 = min(x0, focus[0]), min(y0, focus[1]), max(x1, focus[2]), max(y1, focus[3])
    cx, cy = (focus[0] + focus[2]) / 2, (focus[1] + focus[3]) / 2
    if x1 - x0 > max_w:
        x0 = max(x0, min(cx - max_w / 2, x1 - max_w))
        x1 = x0 + max_w
    if y1 - y0 > max_h:
        y0 = max(y0, min(cy - max_h / 2, y1 - max_h))
        y1 = y0 + max_h
    pad = 3.0
    clip = (max(0.0, x0 - pad), max(0.0, y0 - pad), min(pw, x1 + pad), min(ph, y1 + pad))
    if clip[2] - clip[0] < 2 or clip[3] - clip[1] < 2:
        clip = (0.0, 0.0, min(pw, 200.0), min(ph, 40.0))
    img = src.render(number, scale, clip=clip)
    if spans:
        draw_boxes(img, [Box(b, cls, fill=True) for b in spans], scale, origin=clip[:2])
        draw_boxes(img, [Box(b, cls) for b in spans], scale, origin=clip[:2], width=1)
    return img


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

"""Text pieces for table detection: page lines cut into segments at wide gaps, superscripts resolved.

A segment is a run of spans of one printed line with no gap wider than about half an em
between them: inside a table it is (part of) one cell's line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.geometry import union
from pipeline.core.hyphenation import Vocabulary, _drug_names, decide, zipf
from pipeline.core.textnorm import clean, collapse_spaces, to_superscript
from schemas.raw import Line, Page, Span

_CITATION = re.compile(r"^\[[\d,\s\u2013\u2014-]+\]$|^\d+(?:\s*[,\u2013\u2014-]\s*\d+)+$")
_SPLIT_SPACES = re.compile(r"\s{3,}")


@dataclass
class Seg:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool
    line: int  # index of the TLine it belongs to
    # where spans meet with no space between them ("…CD3" + "Autologous": two cells printed
    # touching): (x where the right piece starts, its offset in text)
    cuts: list[tuple[float, int]] = field(default_factory=list)

    @property
    def bbox(self):
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class TLine:
    idx: int
    bbox: tuple[float, float, float, float]
    block: int
    size: float
    bold: bool
    text: str
    segs: list[Seg] = field(default_factory=list)

    @property
    def y0(self) -> float:
        return self.bbox[1]

    @property
    def y1(self) -> float:
        return self.bbox[3]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


def _main_span(spans: list[Span]) -> Span:
    return max(spans, key=lambda s: (len(s.text.strip()) > 0, s.size, len(s.text)))


def _is_raised(s: Span, main: Span) -> bool:
    if s.superscript:
        return True
    return s.size < 0.8 * main.size and s.origin_y < main.origin_y - 0.2 * main.size


def span_text(s: Span, main: Span) -> str:
    """A span's text with superscripts resolved: citation numbers dropped, others as Unicode superscripts."""
    t = clean(s.text)
    if s is main or not _is_raised(s, main) or not t.strip():
        return t
    core = t.strip()
    if _CITATION.match(core):
        return ""
    sup = to_superscript(core)
    return sup if sup is not None else t


def build_lines(page: Page) -> list[TLine]:
    """All horizontal lines of a page, each cut into segments, sorted top to bottom."""
    out: list[TLine] = []
    for bi, b in enumerate(page.blocks):
        for ln in b.lines:
            if abs(ln.dir[1]) > 0.1 or not ln.spans:
                continue
            tl = _make_line(ln, bi, len(out))
            if tl is not None:
                out.append(tl)
    out = _attach_raised(out)
    out.sort(key=lambda t: (round(t.y0, 1), t.bbox[0]))
    for i, t in enumerate(out):
        t.idx = i
        for s in t.segs:
            s.line = i
    return out


def _attach_raised(lines: list[TLine]) -> list[TLine]:
    """Small raised text that the PDF set as a line of its own ("+" of CD8+, a footnote "a", citation
    numbers) joined to the word it sits on."""
    small = [t for t in lines if len(t.segs) == 1 and len(t.text) <= 12]
    if not small:
        return lines
    drop: set[int] = set()
    for t in small:
        for o in lines:
            if o is t or id(o) in drop or t.size >= 0.8 * o.size:
                continue
            if not (o.y0 - 0.5 * o.height <= t.y0 and t.y1 <= o.y1 and t.y0 < o.y0 + 0.35 * o.height):
                continue
            seg = next((s for s in o.segs if -1.0 <= t.bbox[0] - s.x1 <= 0.3 * o.size), None)
            if seg is None:
                continue
            core = t.text.strip()
            sup = "" if _CITATION.match(core) else (to_superscript(core) or core)
            seg.text += sup
            seg.x1 = max(seg.x1, t.bbox[2])
            o.text = " ".join(sg.text for sg in o.segs)
            drop.add(id(t))
            break
    return [t for t in lines if id(t) not in drop]


def _make_line(ln: Line, block: int, idx: int) -> TLine | None:
    spans = [s for s in ln.spans if s.text]
    if not spans or not any(s.text.strip() for s in spans):
        return None
    main = _main_span(spans)
    size = main.size
    gap_limit = max(2.5, 0.55 * size)
    tight = _baseline_box(spans, size) if (ln.bbox[3] - ln.bbox[1]) > 1.6 * size else None
    segs: list[Seg] = []
    cur: list[tuple[Span, str]] = []

    def flush():
        if not cur:
            return
        text = "".join(t for _, t in cur)
        if text.strip():
            box = union([sp.bbox for sp, _ in cur if sp.text.strip()] or [sp.bbox for sp, _ in cur])
            if tight is not None:
                box = (box[0], tight[0], box[2], tight[1])
            bold = sum(len(sp.text) for sp, _ in cur if sp.bold) * 2 >= sum(len(sp.text) for sp, _ in cur)
            new = _split_wide_spaces(box, collapse_spaces(text) if "   " not in text else text.strip(), size, bold, idx)
            if len(new) == 1:
                new[0].cuts = _touching_cuts(cur, new[0].text)
            segs.extend(new)
        cur.clear()

    prev_x1 = None
    for s in spans:
        t = span_text(s, main)
        if t != clean(s.text) and cur and cur[-1][1].isspace():
            cur[-1] = (cur[-1][0], "")  # "No ᵃ" -> "Noᵃ": the marker sits on the word
        if not s.text.strip():  # a space span: part of the running segment unless the gap is wide
            if cur:
                cur.append((s, t))
            continue
        if prev_x1 is not None and s.bbox[0] - prev_x1 > gap_limit:
            if _is_bullet(cur):
                t = " " + t.lstrip()
            else:
                flush()
        cur.append((s, t))
        prev_x1 = s.bbox[2]
    flush()
    if not segs:
        return None
    text = " ".join(sg.text for sg in segs)
    bold = sum(len(sg.text) for sg in segs if sg.bold) * 2 >= len(text.replace(" ", ""))
    bbox = tuple(ln.bbox) if tight is None else (ln.bbox[0], tight[0], ln.bbox[2], tight[1])
    return TLine(idx=idx, bbox=bbox, block=block, size=size, bold=bold, text=text, segs=segs)


def _baseline_box(spans: list[Span], size: float) -> tuple[float, float]:
    """The vertical extent from the baselines: some fonts declare ascenders and descenders far
    beyond their glyphs, and boxes that tall overlap the rows above and below them."""
    base = [s.origin_y for s in spans if s.text.strip() and s.size >= 0.9 * size] or [s.origin_y for s in spans]
    return (min(base) - 0.8 * size, max(base) + 0.25 * size)


def _touching_cuts(cur, text: str) -> list[tuple[float, int]]:
    """Span boundaries with no space on either side, as (x, offset in the segment's text)."""
    pieces: list[str] = [""]
    xs: list[float] = []
    prev = None
    for sp, t in cur:
        if (prev is not None and t and t[:1].strip() and prev[1][-1:].strip() and sp.text.strip()
                and sp.bbox[0] - prev[0].bbox[2] > -1.5 and t[:1].isupper()):
            pieces.append("")
            xs.append(sp.bbox[0])
        pieces[-1] += t
        if t:
            prev = (sp, t)
    if not xs:
        return []
    parts = [collapse_spaces(p) for p in pieces]
    if "".join(parts) != text or not all(parts):
        return []
    out, off = [], 0
    for x, part in zip(xs, parts):
        off += len(part)
        out.append((x, off))
    return out


_BULLETS = set("▸►▶•▪■□●○◦‣–-·*")


def _is_bullet(cur) -> bool:
    """The running segment is only a list bullet: the item text after it belongs to it."""
    text = "".join(t for _, t in cur).strip()
    return len(text) == 1 and text in _BULLETS


def _split_wide_spaces(box, text: str, size: float, bold: bool, idx: int) -> list[Seg]:
    """A span that holds runs of 3+ spaces (columns typeset with spaces): split it, placing the
    pieces by their share of the characters."""
    if not _SPLIT_SPACES.search(text):
        return [Seg(box[0], box[1], box[2], box[3], collapse_spaces(text), size, bold, idx)]
    n = max(1, len(text))
    w = box[2] - box[0]
    out = []
    for m in re.finditer(r"\S+(?:\s{1,2}\S+)*", text):
        a, b = m.start(), m.end()
        out.append(Seg(box[0] + w * a / n, box[1], box[0] + w * b / n, box[3], collapse_spaces(m.group()), size, bold, idx))
    return out


def join_cell_lines(parts: list[str], vocab: Vocabulary | None) -> str:
    """Join the printed lines of one cell: single spaces, line-end hyphens resolved."""
    text = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not text:
            text = p
        elif text.endswith("-") and not text.endswith(" -"):
            if _keeps_hyphen(text, p) or decide(text, p, vocab) != "join":
                text = text + p
            else:
                text = text[:-1] + p
        else:
            text = text + " " + p
    return collapse_spaces(text)


_LEFT = re.compile(r"([A-Za-z]+)-$")
_RIGHT = re.compile(r"^([A-Za-z]+)")


def _keeps_hyphen(left: str, right: str) -> bool:
    """A prefix before a whole drug name ("nab-" / "paclitaxel"): the hyphen is part of the name."""
    m, r = _LEFT.search(left), _RIGHT.match(right)
    if not m or not r:
        return False
    a, b = m.group(1).lower(), r.group(1).lower()
    drugs = _drug_names()
    return b in drugs and (a + b) not in drugs and zipf(a + b) < 2.0

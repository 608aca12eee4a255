"""Stage 3, segment: front matter, abstract, section tree, paragraphs, captions, footnotes,
references; tables come from the tables detector and their lines leave the text flow.

Headings are lines whose style stands out from body text (bold, larger, capitals) and
that stand alone; their level comes from numbering when printed ("2.1" is level 2), else
from the rank of their style (bigger, then capitals, then upright before italic).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from schemas.document import (
    Fragment, FrontMatter, Heading, PageInfo, Reference, StructuredDocument, Table, TextBlock,
)
from schemas.layout import LaidOutDocument, Marker, TextLine

from pipeline.core.geometry import inside, round_box, union
from pipeline.settings import Settings

_NUMBERING = re.compile(r"^(\d+(?:\.\d+)*\.?|[IVXLC]+[.)]|\d+\))\s+(?=\S)")
_CAPTION = re.compile(
    r"^(Figure|Fig\.?|FIGURE|FIG\.?|Table|TABLE|Scheme|Box|Supplementary\s+(?:Figure|Table)|"
    r"S\d+\s+(?:Table|Fig\.?|Figure|File|Appendix|Text|Data))\s*(S?\d+[A-Za-z]?)?\s*([.:|]|\b)")
_FRONT_LABEL = re.compile(
    r"^(received|revised|accepted|published|first decision|available online|citation|correspondence|"
    r"\*?\s*correspondence|e-?mail|academic editor|copy editor|production editor|editor|keywords?|key words|"
    r"doi|how to cite|copyright|open access|edited by|reviewed by|funding|©)\b", re.I)
_ABSTRACT = re.compile(r"^(abstract|summary)$", re.I)
_REFERENCES = re.compile(r"^(references?|bibliography|literature cited|reference list)$", re.I)
_KEYWORDS = re.compile(r"^(keywords?|key words)\s*[:.]?\s*", re.I)
_REF_START = re.compile(r"^\s*(\[(\d{1,3})\]|(\d{1,3})\.)\s+\S")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")
_DATE = re.compile(
    r"\b(Received|Revised|Accepted|Published(?: online)?|First Decision|Available online)\s*:?\s*"
    r"(\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})")
_TERMINAL = (".", "?", "!", ":")
_BACK_MATTER = (r"abbreviations|acknowledg(e)?ments?|competing interests|conflicts? of interests?|declaration of interests?|"
                r"funding|author details|authors?['’]? contributions?|contributors|availability of data( and materials?)?|"
                r"data availability( statement)?|ethics approval.*|consent for publication|endnotes|additional files?|"
                r"supplementary (material|information|data)|references?|declarations")
_KNOWN = re.compile(r"^(abstract|summary|background|introduction|methods?|materials and methods|methods?/design|"
                    r"results|discussion|conclusions?|limitations|trial status|" + _BACK_MATTER + r")$", re.I)
_BACK = re.compile(r"^(" + _BACK_MATTER + r")$", re.I)
_CONTAINERS = re.compile(r"^(declarations|additional information|back matter|statements|article information)$", re.I)
_RUN_IN = re.compile(
    r"^(background|aims?|objectives?|purpose|methods?|design|setting|participants|interventions?|findings|results|"
    r"interpretation|conclusions?|funding|trial registration|main outcome measures?|context|importance)"
    r"[:.]?\s+[A-Za-z0-9(]", re.I)
_BOILERPLATE = re.compile(
    r"^(disclaimer|submit your (next )?manuscript|updated information and services|email alerting|"
    r"to request permissions|to order reprints|to subscribe to|publisher'?s note|©|\(c\)\s*the author|copyright ©|open access\b|this article is licensed|"
    r"this is an open access article|creative commons|downloaded from|reprints and permissions)", re.I)


@dataclass
class _Building:
    kind: str
    lines: list[TextLine] = field(default_factory=list)
    label: str | None = None


def segment(laid: LaidOutDocument, tables: list[Table], settings: Settings) -> StructuredDocument:
    lines = _flow(laid, tables)
    body = laid.body_size
    head_styles = _heading_styles(lines, body)
    body_family = _body_family(lines)
    margin_regions = _margin_regions(laid, body)
    built: list[_Building] = []
    headings: list[tuple[str, str | None, int | None, tuple, list[TextLine]]] = []
    state = "front"
    prev: TextLine | None = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        runin = _RUN_IN_ABSTRACT.match(ln.text) if state == "front" else None
        if runin:
            # "Abstract: Chimeric antigen ..." opens the abstract without a heading line of its own
            headings.append(("Abstract", None, 1, _style(ln), [ln]))
            built.append(_Building(kind="heading", lines=[ln]))
            state = "abstract"
            ln = lines[i] = _without_prefix(ln, runin.end())
        if (_is_heading(ln, prev, head_styles, body, lines[i + 1] if i + 1 < len(lines) else None, state, body_family)
                and _styled_run(lines, i) <= 3):
            group = [ln]
            while (i + 1 < len(lines) and _style(lines[i + 1]) == _style(ln) and _near(group[-1], lines[i + 1])
                   and not lines[i + 1].text.rstrip().endswith(".") and not _NUMBERING.match(lines[i + 1].text)
                   and len(group) < 4 and not group[-1].text.rstrip().endswith(".")):
                i += 1
                group.append(lines[i])
            title = " ".join(g.text for g in group).strip()
            num_match = _NUMBERING.match(title)
            number = num_match.group(1).rstrip(".)") if num_match else None
            clean_title = title[num_match.end():] if num_match else title
            headings.append((clean_title, number, _level_from_number(number), _style(ln), group))
            if _ABSTRACT.match(clean_title.strip(" .:")):
                state = "abstract"
            elif _REFERENCES.match(clean_title.strip(" .:")):
                state = "references"
            else:
                state = "body"
            built.append(_Building(kind="heading", lines=group))
            prev = group[-1]
            i += 1
            continue
        if _BOILERPLATE.match(ln.text) and (prev is None or not built or built[-1].kind != "boilerplate" or True):
            state = "boilerplate" if state in ("references", "boilerplate") else state
            if state != "boilerplate":
                built.append(_Building(kind="boilerplate", lines=[ln]))
                prev = ln
                i += 1
                continue
        kind = _line_kind(ln, state, body)
        if kind in ("paragraph", "abstract") and (ln.page, ln.region) in margin_regions:
            kind = "front"  # a first-page margin column: journal, dates, affiliations
        cur = built[-1] if built else None
        if cur is not None and _continues(cur, ln, prev, kind, body):
            cur.lines.append(ln)
        else:
            cap = _CAPTION.match(ln.text)
            built.append(_Building(kind=kind, lines=[ln], label=_label(cap) if kind == "caption" else None))
        if _KEYWORDS.match(ln.text) and state == "abstract":
            state = "body"
        prev = ln
        i += 1

    level_of = _style_levels([(h[3], h[0]) for h in headings])
    heads, blocks, refs = _assemble(built, headings, level_of, laid)
    _place_tables(tables, heads)
    blocks = _with_table_blocks(blocks, tables)
    return StructuredDocument(
        file=laid.file, sha256=laid.sha256, page_count=laid.page_count, metadata=laid.metadata,
        pages=[PageInfo(number=p.number, width=p.width, height=p.height, rotation=p.rotation,
                        has_text_layer=p.has_text_layer, columns=p.columns) for p in laid.pages],
        front=_front_matter(laid, blocks),
        headings=heads, blocks=blocks, tables=tables, references=refs, warnings=list(laid.warnings),
    )


# the text flow ---------------------------------------------------------------------------

def _flow(laid: LaidOutDocument, tables: list[Table]) -> list[TextLine]:
    regions: dict[int, list] = {}
    for t in tables:
        for page, box in t.regions:
            regions.setdefault(page, []).append(box)
    out = []
    for p in laid.pages:
        for ln in p.lines:
            if any(inside(ln.bbox, box, tol=1.0) for box in regions.get(p.number, [])):
                continue
            out.append(ln)
    return out


_BOLD_NAME = re.compile(r"(bold|black|heavy|semibold|demi|[.,+_-](B|BI|Bd|Bol)$)", re.I)


def _bold(ln: TextLine) -> bool:
    # embedded subset fonts often hide weight in the name only ("AdvOT9bd2e232.B")
    return ln.bold or bool(_BOLD_NAME.search(ln.font))


def _style(ln: TextLine) -> tuple:
    return _style_of(ln.text, ln.size, ln.bold, ln.italic, ln.font)


@lru_cache(maxsize=65_536)
def _style_of(text: str, size: float, bold: bool, italic: bool, font: str) -> tuple:
    heavy = bold or bool(_BOLD_NAME.search(font))
    return (round(size * 2) / 2, heavy, italic, _is_caps(text), _family(font))


def _family(font: str) -> str:
    return re.split(r"[-,+.]", font)[0].rstrip("0123456789").lower()


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.9


def _stands_out(ln: TextLine, body: float, body_family: str = "", nxt: TextLine | None = None) -> bool:
    local = min(body, nxt.size) if nxt is not None else body  # back matter is often set smaller
    if ln.size < local - 1.2:
        return False  # figure labels, footnotes
    if ln.size < 0.7 * body or (ln.size < 0.8 * body and (nxt is None or len(nxt.text) < 40)):
        return False  # labels inside figure artwork
    if _bold(ln) or ln.size >= body + 1.0 or (_is_caps(ln.text) and ln.size >= body - 0.5 and len(ln.text) > 3):
        return True
    if ln.italic and re.match(r"^\d+(\.\d+)+\.?\s+\S", ln.text) and len(ln.text) < 100:
        return True  # "2.1. Study Selection" set in italics
    # a short line in a typeface family of its own (sans headings over serif body)
    if nxt is not None and nxt.size < body - 1.2:
        body_family = _family(nxt.font)
    if not body_family or _family(ln.font) == body_family or len(ln.text) >= 90 or ln.italic:
        return False
    # set apart by typeface alone, a title does not read as a sentence: no closing full stop,
    # here or on a next line in the same face ("Pilot study recruitment" / "flow chart.")
    if ln.text.rstrip().endswith("."):
        return False
    return not (nxt is not None and _family(nxt.font) == _family(ln.font) and _near(ln, nxt)
                and nxt.text.rstrip().endswith("."))


def _body_family(lines: list[TextLine]) -> str:
    chars: Counter[str] = Counter()
    for ln in lines:
        chars[_family(ln.font)] += len(ln.text)
    return chars.most_common(1)[0][0] if chars else ""


def _heading_styles(lines: list[TextLine], body: float) -> set[tuple]:
    """Styles used by standalone short lines; a style that covers lots of text is body, not heading."""
    chars: Counter[tuple] = Counter()
    for ln in lines:
        chars[_style(ln)] += len(ln.text)
    total = sum(chars.values()) or 1
    return {s for s, c in chars.items() if c / total < 0.08}


def _is_heading(ln: TextLine, prev: TextLine | None, styles: set[tuple], body: float, nxt: TextLine | None,
                state: str, body_family: str = "") -> bool:
    text = ln.text.strip()
    known = bool(_KNOWN.match(_NUMBERING.sub("", text).strip(" .:")))
    if state == "front" and not known and not re.match(r"^\d+(\.\d+)*\.?\s", text):
        return False
    if state == "boilerplate" or (state == "references" and not known and not (_bold(ln) and _is_caps(text))):
        return False
    if known and len(text) < 60 and (nxt is None or _style(nxt) != _style(ln) or not _near(ln, nxt)):
        return True
    # in the abstract, a typeface of its own is the abstract's, not a heading's
    if not _stands_out(ln, body, body_family if state != "abstract" else "", nxt) or _style(ln) not in styles:
        return False
    if re.match(r"^\d+\s", text) and not _bold(ln):
        return False  # "1 Are aged 15 to 65": a list item, not a numbered heading
    if len(text) > 160 or len(text) < 3 or text.endswith((",", ";")) or _CAPTION.match(text):
        return False
    if (state == "front" and _FRONT_LABEL.match(text)) or _BOILERPLATE.match(text) or _KEYWORDS.match(text):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if ln.markers and ln.page == 1 and (text.count(",") >= 1 or len(ln.markers) >= 2):
        return False  # an author line with affiliation marks
    if re.fullmatch(r"[\d\W]+", text) or sum(c.isalpha() for c in text) < 2:
        return False
    if " " not in text and any(c.isdigit() for c in text):
        return False  # an identifier or code on a line of its own
    if re.search(r"[=%<>]|\d,\s", text):
        return False  # statistics, not a title
    if text.endswith(":") and not known:
        return False  # a label that introduces what follows ("Primary and secondary outcome measures:")
    if _RUN_IN.match(text) and len(text.split()) >= 6:
        return False  # "Funding National Prevention Research ...": a structured-abstract label running into text
    label = re.match(r"^([^:]{1,40}):\s+\S", text)
    if label and not _TITLED_LABEL.match(text):
        return False  # a run-in label ("Funding acquisition: ...")
    if ln.size > body + 4 and ln.page == 1:
        return False  # the title
    if prev is not None and _same_row(prev, ln):
        return False  # the rest of a printed line ("Figure 2" | "Pilot study recruitment")
    if prev is not None and prev.page == ln.page and _style(prev) == _style(ln) and _near(prev, ln) and not prev.text.rstrip().endswith("."):
        return False  # continuation of a styled run that did not start as a heading
    if nxt is not None and _style(nxt) == _style(ln) and _near(ln, nxt) and nxt.page == ln.page:
        # a multi-line heading is fine; a whole bold paragraph or a run-in label is not
        return len(text) < 100 and (not re.search(r"\w:\s+\S", text) or bool(_TITLED_LABEL.match(text)))
    return True


_TITLED_LABEL = re.compile(r"^(appendix|part|chapter|box|panel|section|supplement\w*)\b[^:]{0,12}:", re.I)
_RUN_IN_ABSTRACT = re.compile(r"^(Abstract|ABSTRACT|Summary|SUMMARY)\s*[:.]\s+(?=\S)")


def _without_prefix(ln: TextLine, n: int) -> TextLine:
    markers = [m.model_copy(update={"offset": max(0, m.offset - n)}) for m in ln.markers]
    return ln.model_copy(update={"text": ln.text[n:], "markers": markers})


def _styled_run(lines: list[TextLine], i: int) -> int:
    """How many lines from i on share one style and follow each other closely: 4+ is a paragraph."""
    n = 1
    while i + n < len(lines) and n < 5 and _style(lines[i + n]) == _style(lines[i]) and _near(lines[i + n - 1], lines[i + n]):
        n += 1
    return n


def _same_row(a: TextLine, b: TextLine) -> bool:
    """b continues a's printed line to the right (same baseline band)."""
    return (a.page == b.page and abs(a.bbox[1] - b.bbox[1]) < 0.3 * a.size and abs(a.bbox[3] - b.bbox[3]) < 0.3 * a.size
            and b.bbox[0] >= a.bbox[2] - 1)


def _near(a: TextLine, b: TextLine) -> bool:
    return a.page == b.page and -0.3 * a.size <= b.bbox[1] - a.bbox[3] < 0.9 * a.size and abs(a.bbox[0] - b.bbox[0]) < 3 * a.size


def _level_from_number(number: str | None) -> int | None:
    if number and re.fullmatch(r"\d+(\.\d+)*", number):
        return number.count(".") + 1
    return None


def _style_levels(heads: list[tuple[tuple, str]]) -> dict[tuple, int]:
    styles = {s for s, title in heads if not _ABSTRACT.match(title.strip(" .:")) and not _BACK.match(title.strip(" .:"))}
    styles |= {s for s, title in heads if _BACK.match(title.strip(" .:")) and any(
        s == s2 for s2, t2 in heads if not _BACK.match(t2.strip(" .:")) and not _ABSTRACT.match(t2.strip(" .:")))}
    ranked = sorted(styles, key=lambda s: (-s[0], not s[3], s[2], not s[1]))
    levels, level, last = {}, 0, None
    for s in ranked:
        key = (s[0], s[3], s[2], s[1])
        if key != last:
            level += 1
            last = key
        levels[s] = level
    return levels


def _margin_regions(laid: LaidOutDocument, body: float) -> set[tuple[int, int]]:
    """Regions of the first page set as a narrow column of small type beside the text."""
    if not laid.pages:
        return set()
    page = laid.pages[0]
    by_region: dict[int, list[TextLine]] = {}
    for ln in page.lines:
        by_region.setdefault(ln.region, []).append(ln)
    out = set()
    for region, lns in by_region.items():
        box = union(ln.bbox for ln in lns)
        small = sum(len(ln.text) for ln in lns if ln.size <= 0.8 * body) >= 0.8 * sum(len(ln.text) for ln in lns)
        if small and box[2] - box[0] < 0.3 * page.width:
            out.add((page.number, region))
    return out


def _line_kind(ln: TextLine, state: str, body: float) -> str:
    if _CAPTION.match(ln.text):
        return "caption"
    if state == "front":
        return "front"
    if state == "abstract":
        return "keywords" if _KEYWORDS.match(ln.text) else "abstract"
    if state == "references":
        return "reference"
    if state == "boilerplate":
        return "boilerplate"
    return "paragraph"


def _label(m: re.Match | None) -> str | None:
    if not m:
        return None
    if not m.group(2):
        return " ".join(m.group(1).split())
    word = {"fig.": "Figure", "fig": "Figure", "figure": "Figure", "table": "Table"}.get(m.group(1).lower(), m.group(1).title())
    return f"{word} {m.group(2)}"


def _continues(cur: _Building, ln: TextLine, prev: TextLine | None, kind: str, body: float) -> bool:
    if prev is None or cur.kind == "heading":
        return False
    if kind == "caption" and _CAPTION.match(ln.text):
        return False
    if cur.kind == "caption":
        return kind in ("caption", "paragraph", "abstract", "front") and (
            _same_row(prev, ln) or (_near(prev, ln) and ln.region == prev.region))
    if kind != cur.kind and not (cur.kind == "abstract" and kind == "abstract"):
        return False
    if kind == "reference":
        return not _REF_START.match(ln.text) and not (ln.bbox[0] < prev.bbox[0] - 2 and _REF_START.match(ln.text))
    if kind in ("keywords", "boilerplate"):
        return True
    same_flow = ln.page == prev.page and ln.region == prev.region
    if same_flow:
        gap = ln.bbox[1] - prev.bbox[3]
        if gap > 0.55 * prev.size or gap < -prev.size:
            return False
        if ln.bbox[0] > prev.bbox[0] + 0.8 * body and prev.text.rstrip().endswith(_TERMINAL):
            return False  # first-line indent
        return not (_short_line(prev, cur) and prev.text.rstrip().endswith(_TERMINAL))
    # column or page break: continue a paragraph that stopped mid-sentence
    if prev.join != "space":
        return True
    return not prev.text.rstrip().endswith(_TERMINAL) and abs(ln.size - prev.size) < 1.0


def _short_line(prev: TextLine, cur: _Building) -> bool:
    right = max(ln.bbox[2] for ln in cur.lines if ln.page == prev.page and ln.region == prev.region)
    left = min(ln.bbox[0] for ln in cur.lines if ln.page == prev.page and ln.region == prev.region)
    return prev.bbox[2] < right - 0.12 * max(right - left, 1) if len(cur.lines) > 1 else False


# assembling text with offsets -----------------------------------------------------------------

def _join_lines(lines: list[TextLine]) -> tuple[str, list[Fragment], list[Marker]]:
    text, frags, markers = "", [], []
    for k, ln in enumerate(lines):
        t = ln.text
        if k > 0:
            before = lines[k - 1]
            if before.join == "join" and text.endswith("-"):
                text = text[:-1]
            elif before.join == "space":
                text += " "
        start = len(text)
        text += t
        frags.append(Fragment(page=ln.page, bbox=round_box(ln.bbox), start=start, end=len(text)))
        markers.extend(Marker(text=m.text, offset=start + m.offset) for m in ln.markers)
    return text, frags, markers  # a word broken at the very end of a block stays as printed


def _assemble(built, headings, level_of, laid):
    heads: list[Heading] = []
    blocks: list[TextBlock] = []
    refs: list[Reference] = []
    path: list[tuple[int, str]] = []
    hi = 0
    for b in built:
        if b.kind == "heading":
            title, number, num_level, style, group = headings[hi]
            hi += 1
            plain = title.strip(" .:")
            under_container = bool(path) and bool(_CONTAINERS.match(path[0][1].strip(" .:")))
            if _ABSTRACT.match(plain) or _REFERENCES.match(plain) or (_BACK.match(plain) and not under_container):
                level = 1
            else:
                level = num_level or level_of.get(style, 1)
            path = [p for p in path if p[0] < level] + [(level, title)]
            if re.fullmatch(r"summary", plain, re.I):
                title = "Abstract"  # the abstract, whatever the journal calls it
            heads.append(Heading(title=title, number=number, level=level, page=group[0].page,
                                 bbox=round_box(union(g.bbox for g in group)), path=[p[1] for p in path]))
            continue
        text, frags, markers = _join_lines(b.lines)
        section = [p[1] for p in path]
        if b.kind == "reference":
            m = _REF_START.match(text)
            refs.append(Reference(number=int(m.group(2) or m.group(3)) if m else None, text=text, page=b.lines[0].page))
        blocks.append(TextBlock(id=f"b{len(blocks) + 1}", kind=b.kind, text=text, section=section if b.kind != "front" else [],
                                fragments=frags, label=b.label, markers=markers))
    return heads, blocks, refs


def _place_tables(tables: list[Table], heads: list[Heading]) -> None:
    for t in tables:
        before = [h for h in heads if (h.page, h.bbox[1]) <= (t.page, t.bbox[1])]
        t.section = before[-1].path if before else []


def _with_table_blocks(blocks: list[TextBlock], tables: list[Table]) -> list[TextBlock]:
    """Table captions and footnotes become blocks too, so their text is tagged and searched."""
    out = list(blocks)
    for t in tables:
        page, box = t.regions[0] if t.regions else (t.page, t.bbox)
        text = f"{t.label}. {t.caption}".strip() if t.caption else t.label
        out.append(TextBlock(id=f"{t.id}-caption", kind="caption", text=text, section=t.section,
                             fragments=[Fragment(page=page, bbox=box, start=0, end=len(text))], label=t.label))
        if t.footnote:
            lp, lb = t.regions[-1] if t.regions else (t.page, t.bbox)
            out.append(TextBlock(id=f"{t.id}-footnote", kind="footnote", text=t.footnote, section=t.section,
                                 fragments=[Fragment(page=lp, bbox=lb, start=0, end=len(t.footnote))], label=t.label))
    if not tables:
        return out
    # keep the flow order; a table's blocks go before the first text block printed below them
    flow, extra = blocks, out[len(blocks):]
    result: list[TextBlock] = []
    for b in flow:
        while extra and extra[0].fragments and b.fragments and (extra[0].fragments[0].page, extra[0].fragments[0].bbox[1]) <= (b.fragments[0].page, b.fragments[0].bbox[1]):
            result.append(extra.pop(0))
        result.append(b)
    result.extend(extra)
    return result


# front matter ----------------------------------------------------------------------------------

def _front_matter(laid: LaidOutDocument, blocks: list[TextBlock]) -> FrontMatter:
    fm = FrontMatter()
    page1 = laid.pages[0].lines if laid.pages else []
    if page1:
        top = max(ln.size for ln in page1)
        if top >= laid.body_size + 2:
            title_lines = [ln for ln in page1 if abs(ln.size - top) < 0.3]
            fm.title = " ".join(ln.text for ln in title_lines).strip()
    meta_title = laid.metadata.get("title", "").strip()
    if meta_title and (not fm.title or _similar(meta_title, fm.title)):
        fm.title = fm.title or meta_title
    front_text = "\n".join(b.text for b in blocks if b.kind in ("front", "keywords"))
    first_pages = "\n".join(ln.text for p in laid.pages[:2] for ln in p.lines)
    m = _DOI.search(front_text) or _DOI.search(laid.metadata.get("subject", "")) or _DOI.search(first_pages)
    if m:
        fm.doi = m.group(1)
    for dm in _DATE.finditer(front_text or first_pages):
        fm.dates.setdefault(dm.group(1).lower(), dm.group(2))
    for b in blocks:
        if b.kind == "keywords" or (b.kind == "front" and _KEYWORDS.match(b.text)):
            kw = _KEYWORDS.sub("", b.text, count=1)
            fm.keywords = [k.strip(" .") for k in re.split(r"[;,]", kw) if k.strip(" .")]
            break
    fronts = [b for b in blocks if b.kind == "front"]
    for b in fronts:
        t = b.text
        if fm.title and _similar(t, fm.title):
            continue
        if not fm.authors and b.markers and "," in t and len(t) < 600 and not _FRONT_LABEL.match(t):
            fm.authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", t) if a.strip()]
        elif re.match(r"^\*?\s*correspond", t, re.I) and not fm.correspondence:
            fm.correspondence = re.sub(r"^\*?\s*correspondence( to)?\s*:?\s*", "", t, flags=re.I)
        elif (b.markers and b.markers[0].offset == 0) or re.search(r"\b(University|Institute|Hospital|Department|School|College|Cent(er|re)|Academy)\b", t):
            if not _FRONT_LABEL.match(t):
                fm.affiliations.append(t)
    if not fm.authors and laid.metadata.get("author"):
        fm.authors = [a.strip() for a in re.split(r",|;| and ", laid.metadata["author"]) if a.strip()]
    return fm


def _similar(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and len(wa & wb) / max(len(wa), len(wb)) > 0.7

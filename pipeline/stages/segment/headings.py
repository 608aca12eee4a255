"""Heading or not, by style relative to the body (size, weight, face, case), numbering and position; heading levels."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.stages.segment.patterns import (
    _ABSTRACT,
    _BACK,
    _BOILERPLATE,
    _BOLD_SUFFIX,
    _ITALIC_SUFFIX,
    _CAPTION,
    _FRONT_LABEL,
    _KEYWORDS,
    _KNOWN,
    _NUMBERING,
    _RUN_IN,
    _TITLED_LABEL,
)
from schemas.layout import TextLine


def _bold(ln: TextLine) -> bool:
    # embedded subset fonts often hide weight in the name only (a ".B" suffix)
    return ln.bold or _heavy_name(ln.font)


def _heavy_name(font: str) -> bool:
    base = re.split(r"[,+]", font)[-1]
    return bool(re.search(r"(bold|black|heavy|semibold|demi)", base, re.I) or re.search(r"[.,_-](B|BI|Bd|Bol)$", base, re.I)
                or _BOLD_SUFFIX.search(base))


def _slanted_name(font: str) -> bool:
    base = re.split(r"[,+]", font)[-1]
    return bool(re.search(r"(italic|oblique|[a-z-]Ital$)", base, re.I) or re.search(r"[.,_-](I|It|BI|Obl)$", base, re.I)
                or _ITALIC_SUFFIX.search(base))


def _style(ln: TextLine) -> tuple:
    return _style_of(ln.text, ln.size, ln.bold, ln.italic, ln.font)


@lru_cache(maxsize=65_536)
def _style_of(text: str, size: float, bold: bool, italic: bool, font: str) -> tuple:
    return (round(size * 2) / 2, bold or _heavy_name(font), italic or _slanted_name(font), _is_caps(text), _family(font))


def _family(font: str) -> str:
    return re.split(r"[-,+.]", font)[0].rstrip("0123456789").lower()


@lru_cache(maxsize=65_536)
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


def _hard_reject(ln: TextLine, state: str) -> bool:
    """The exact reasons a line is no heading, whatever its style: labels and lists the gold format
    excludes, boilerplate, captions, run-in labels, sentences. The heading model never overrules these."""
    text = ln.text.strip()
    bare = _NUMBERING.sub("", text).strip(" .:")
    known = bool(_KNOWN.match(bare))
    if _KEYWORDS.match(text) or _BOILERPLATE.match(text) or _CAPTION.match(text) or state == "boilerplate":
        return True
    if state == "front" and _FRONT_LABEL.match(text):
        return True
    if text.endswith(":") and not known:
        return True
    if _RUN_IN.match(text) and len(text.split()) >= 4:
        return True
    label = re.match(r"^([^:]{1,40}):\s+\S", text)
    if label and not known:
        return True
    return text.endswith(".") and len(text.split()) >= 4 and not known


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


_TOP_LEVEL = re.compile(r"^(introduction|background|methods?|materials and methods|patients and methods|"
                        r"methods?/design|results|discussion|conclusions?|references)$", re.I)


def _prominence(s: tuple, family: str = "") -> tuple:
    # bigger, then capitals, then upright, then bold; at equal weight, the top level's typeface first
    return (-s[0], not s[3], s[2], not s[1], bool(family) and s[4] != family)


def _style_levels(heads: list[tuple[tuple, str]]) -> dict[tuple, int]:
    """Levels of heading styles. The style the article sets its top-level names in (Introduction,
    Methods, Results, Discussion ...) is level 1, whatever its size: journals set level 1 smaller or
    plainer than level 2 as often as not. Styles less prominent than it are levels 2, 3 ... in order;
    without such names, the most prominent style is level 1."""
    styles = {s for s, title in heads if not _ABSTRACT.match(title.strip(" .:")) and not _BACK.match(title.strip(" .:"))}
    styles |= {s for s, title in heads if _BACK.match(title.strip(" .:")) and any(
        s == s2 for s2, t2 in heads if not _BACK.match(t2.strip(" .:")) and not _ABSTRACT.match(t2.strip(" .:")))}
    # a name's last use is the body's (a structured abstract sets Background, Methods ... first, smaller)
    last: dict[str, tuple] = {}
    for s, title in heads:
        name = _NUMBERING.sub("", title).strip(" .:").lower()
        if s in styles and _TOP_LEVEL.match(name):
            last[name] = s
    named = Counter(last.values())
    family = named.most_common(1)[0][0][4] if named else ""
    used = Counter(_prominence(s, family) for s, _ in heads if s in styles)
    anchors = Counter(_prominence(s, family) for s in named.elements())
    # a style set once claims no level of its own (a stray line in artwork or a one-off label would
    # push every real level below it down): it takes the level of the next ranked style below it
    keys = sorted(k for k in used if used[k] > 1 or k in anchors) or sorted(used)
    top = anchors.most_common(1)[0][0] if anchors else (keys[0] if keys else None)
    below = [k for k in keys if top is not None and k > top and k not in anchors]
    rank = {k: 1 for k in keys if top is None or k <= top or k in anchors}
    rank.update({k: i + 2 for i, k in enumerate(below)})
    deepest = max(rank.values(), default=1)
    for k in used:
        if k not in rank:
            rank[k] = next((rank[k2] for k2 in keys if k2 > k), deepest + 1 if top is not None and k > top else 1)
    return {s: rank[_prominence(s, family)] for s in styles}

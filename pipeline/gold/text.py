"""Cell and paragraph text from publisher XML: inline markup flattened as printed.

Rules (shared by the JATS and the BMC `art` readers):
- all inline markup (bold, italic, links, named content, MathML) is flattened to its text;
- superscript text (`<sup>`, BMC `<sup>`, and a footnote cross-reference `<xref ref-type=
  "table-fn"|"fn">` that is not already inside a superscript) is written with Unicode
  superscript characters where they exist (`a` → `ᵃ`, `2` → `²`, `+` → `⁺`); the footnote
  symbols `* † ‡ § ¶ ‖ #` keep their own character (no superscript form exists and print
  shows them), every other character of a superscript (commas, spaces, letters without a
  superscript form) is left out. gold-format removes superscripts before comparing, so this
  only keeps the audit text readable;
- subscripts are plain text; line breaks (`<break/>`, `<br/>`) are a space;
- `<alternatives>` keeps one rendering (MathML, else the first non-graphic child);
  alt-text, long descriptions, object ids and TeX sources are not printed and are skipped;
- white-space runs become one space, trimmed.
"""
from __future__ import annotations

import re

from lxml import etree

_SUP = dict(zip(
    "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
))
_SYMBOLS = set("*†‡§¶‖#")
_WS = re.compile(r"\s+")

# elements whose text is never printed
SKIP_ALWAYS = {"alt-text", "long-desc", "object-id", "tex-math", "processing-meta",
               "graphic", "inline-graphic", "media"}
BREAKS = {"break", "br"}
# block elements met inside a flattened element (a table nested in a footnote, list items,
# several paragraphs in one cell) are separated by a space
SPACED = {"p", "td", "th", "tr", "list-item", "title", "caption", "entry", "row", "l", "li",
          "def", "term", "label"}
FN_XREF = {"table-fn", "fn"}


def local(e) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    if not isinstance(e.tag, str):
        return ""
    return etree.QName(e).localname


def superscript(text: str) -> str:
    out = []
    for ch in text:
        if ch in _SUP:
            out.append(_SUP[ch])
        elif ch in _SYMBOLS:
            out.append(ch)
    return "".join(out)


_BEFORE_SUP = re.compile("\\s+(?=[" + "".join(sorted(set(_SUP.values()))) + "])")


def collapse(text: str) -> str:
    """White-space runs → one space, trimmed; no space before a superscript character."""
    return _BEFORE_SUP.sub("", _WS.sub(" ", text)).strip()


def _choose_alternative(e):
    kids = [c for c in e if local(c)]
    for c in kids:
        if local(c) == "math":
            return c
    for c in kids:
        if local(c) not in SKIP_ALWAYS:
            return c
    return None


def flatten(e, skip: frozenset[str] | set[str] = frozenset(), citation_groups: bool = False) -> str:
    """The printed text of `e`, white space collapsed. Elements named in `skip` (local
    names) are left out with their text but not their tail. `citation_groups` renders a BMC
    `<abbrgrp>` citation group as "[1,2]" as BMC prints it."""
    parts: list[str] = []
    _flat(e, parts, set(skip), False, citation_groups, top=True)
    return collapse("".join(parts))


def _flat(e, parts, skip, in_sup, cite, top=False):
    name = local(e)
    if not name:  # comment / PI: only its tail is text
        if not top and e.tail:
            parts.append(e.tail)
        return
    if (name in skip or name in SKIP_ALWAYS) and not top:
        if e.tail:
            parts.append(e.tail)
        return
    if name in SPACED:
        parts.append(" ")
    if name in BREAKS:
        parts.append(" ")
    elif name == "alternatives":
        c = _choose_alternative(e)
        if c is not None:
            _flat(c, parts, skip, in_sup, cite, top=True)
    elif cite and name == "abbrgrp":
        nums = [collapse("".join(a.itertext())) for a in e if local(a) == "abbr"]
        parts.append("[" + ",".join(n for n in nums if n) + "]")
    else:
        sup = in_sup or name == "sup" or (name == "xref" and e.get("ref-type") in FN_XREF)
        if e.text:
            parts.append(superscript(e.text) if sup else e.text)
        for c in e:
            _flat(c, parts, skip, sup, cite)
    if name in SPACED:
        parts.append(" ")
    if not top and e.tail:
        parts.append(superscript(e.tail) if in_sup else e.tail)


def block_text(root, blocks: set[str], skip: set[str] = frozenset(), sep: str = "\n\n") -> str:
    """All text under `root` with `sep` at the boundaries of the named block elements (so
    that two paragraphs never run together) and a space between the children of any
    element whose local name ends in "citation" (structured references)."""
    parts: list[str] = []

    def walk(e):
        name = local(e)
        if name and (name in skip or name in SKIP_ALWAYS):
            return
        if name in blocks:
            parts.append(sep)
        if name and e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
            if name.endswith("citation"):
                parts.append(" ")
            if c.tail:
                parts.append(c.tail)
        if name in blocks:
            parts.append(sep)

    walk(root)
    return "".join(parts)


def parse_xml(path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             recover=True, huge_tree=True)
    return etree.parse(str(path), parser).getroot()

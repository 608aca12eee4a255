"""What segment recognizes by its words: numbering, captions, front-matter labels, known section names, boilerplate."""
from __future__ import annotations

import re

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


# weight and slant hidden in the font name: "-Bold", ".B", and suffixes run on ("TimesB", "TimesBI")
_BOLD_SUFFIX = re.compile(r"[a-z](B|BI|Bd)$")  # case-sensitive: a capital after a lower-case letter
_ITALIC_SUFFIX = re.compile(r"[a-z](I|It|BI)$")


_TITLED_LABEL = re.compile(r"^(appendix|part|chapter|box|panel|section|supplement\w*)\b[^:]{0,12}:", re.I)


_RUN_IN_ABSTRACT = re.compile(r"^(Abstract|ABSTRACT|Summary|SUMMARY)\s*[:.]\s+(?=\S)")

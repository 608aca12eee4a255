"""Front matter from the first page's blocks: title, authors, affiliations, DOI, dates, keywords."""
from __future__ import annotations

import re

from pipeline.stages.segment.patterns import _DATE, _DOI, _FRONT_LABEL, _KEYWORDS
from schemas.document import (
    FrontMatter,
    TextBlock,
)
from schemas.layout import LaidOutDocument


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

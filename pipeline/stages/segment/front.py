"""Front matter from the first pages: title, authors, affiliations, correspondence, DOI, journal, dates, keywords.

The title is the largest type on page 1 that reads as a title (a one- to three-word line in larger
type is a masthead: the journal's name). Authors are the first run of same-styled lines before the
abstract that splits into person names (degrees and honorifics stripped, e-mail addresses read as
separators); PDF metadata is the fallback."""
from __future__ import annotations

import re

from pipeline.stages.segment.patterns import _DOI, _FRONT_LABEL, _KEYWORDS
from schemas.document import FrontMatter, TextBlock
from schemas.layout import LaidOutDocument, TextLine

_DATE = re.compile(
    r"\b(Received|Revised|Accepted|Published(?: online)?|First Decision|Available online|Submission date|"
    r"Acceptance date)\s*:?\s*"
    r"(\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})", re.I)
_DATE_KEY = {"submission date": "received", "acceptance date": "accepted", "published online": "published",
             "available online": "published"}
_DEGREE = re.compile(
    r"^(?:MD|PhD|DPhil|MSc|BSc|BS|BA|MA|MM|MB|BM|ChB|BCh|MBBS|MBChB|MPH|MPhil|MRes|MBA|RN|DrPH|PharmD|MS|DO|DDS|"
    r"DMD|FRCP\w*|FRACP|FCICM|FANZCA|FRCS\w*|FRCR|Dr|Prof|Professor|Mr|Mrs|Ms|Jr|Sr)\.?$")
_PARTICLE = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "dos", "das", "ter",
             "ten", "bin", "al", "el", "y"}
_EMAIL = re.compile(r"\(?\s*(?:e-?mail:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\)?", re.I)
_ABSTRACT_START = re.compile(r"^(abstract|summary|background|objectives?|introduction)\b", re.I)
_AFFILIATION = re.compile(r"\b(University|Institute|Hospital|Department|School|College|Cent(?:er|re)|Academy|"
                          r"Laborator(?:y|ies)|Faculty|Unit|Division)\b")
# a citation line: "Lancet Respir Med 2014", "Trials (2015) 16:73", "PLOS ONE | https://…"; or a citation
# after a sentence: "… lessons learnt. BMJ Open 2016;6:e012335"
_CITE = re.compile(r"^(?:[A-Z][\w'’-]+ et al\.?\s+)?(?P<j>[A-Z][A-Za-z&.]*(?: [A-Z][A-Za-z&.]*){0,5})\s*"
                   r"(?:\(?(?:19|20)\d{2}\)?(?:[;,:\s]+\S+)?$|\(?(?:19|20)\d{2}\)?[;,:\s]+\d|\|\s*https?://)"
                   r"|(?<=\.\s)(?P<j2>[A-Z][A-Za-z&]*(?: [A-Z][A-Za-z&]*){0,5}) (?:19|20)\d{2}[;,]\s*\d", re.M)


def _front_matter(laid: LaidOutDocument, blocks: list[TextBlock]) -> FrontMatter:
    fm = FrontMatter()
    page1 = laid.pages[0].lines if laid.pages else []
    fm.title, masthead = _title(page1, laid.body_size)
    meta_title = laid.metadata.get("title", "").strip()
    if meta_title and len(meta_title.split()) >= 4 and (not fm.title or _similar(meta_title, fm.title)):
        fm.title = fm.title or meta_title
    front_text = "\n".join(b.text for b in blocks if b.kind in ("front", "keywords"))
    first_pages = "\n".join(ln.text for p in laid.pages[:2] for ln in p.lines)
    furniture = "\n".join(t for p in laid.pages[:2] for t in p.furniture)
    fm.doi = _doi([front_text, laid.metadata.get("subject", ""), first_pages, furniture])
    for dm in _DATE.finditer(front_text or first_pages):
        key = dm.group(1).lower()
        fm.dates.setdefault(_DATE_KEY.get(key, key.split()[0]), dm.group(2))
    fm.journal = _journal("\n".join([front_text] + [ln.text for ln in page1]), furniture, masthead)
    for b in blocks:
        if b.kind == "keywords" or (b.kind == "front" and _KEYWORDS.match(b.text)):
            kw = _KEYWORDS.sub("", b.text, count=1)
            fm.keywords = [k.strip(" .") for k in re.split(r"[;,]", kw) if k.strip(" .")]
            break
    fm.authors = _authors(laid, fm.title)
    for b in (b for b in blocks if b.kind == "front"):
        t = b.text
        if fm.title and _similar(t, fm.title):
            continue
        if re.match(r"^\*?\s*correspond", t, re.I) and not fm.correspondence:
            fm.correspondence = re.sub(r"^\*?\s*correspond\w*( author)?( to)?\s*[:.]?\s*", "", t, flags=re.I)
        elif ((b.markers and b.markers[0].offset == 0) or _AFFILIATION.search(t)) and not _FRONT_LABEL.match(t):
            if not _name_list(t):
                fm.affiliations.append(t)
    if not fm.authors and laid.metadata.get("author"):
        fm.authors = [n for n in _names(laid.metadata["author"])[0]]
    return fm


def _title(lines: list[TextLine], body: float) -> tuple[str | None, str | None]:
    masthead = None
    for size in sorted({round(ln.size, 1) for ln in lines}, reverse=True):
        if size < body + 2:
            break
        same = [ln for ln in lines if abs(ln.size - size) < 0.3]
        text = _joined(same)
        if len(text.split()) >= 4:
            return text, masthead
        masthead = masthead or text
    return None, masthead


def _joined(lines: list[TextLine]) -> str:
    """Lines as one string, with line-end hyphens decided as layout decided them."""
    text = ""
    for k, ln in enumerate(lines):
        before = lines[k - 1] if k else None
        if before is not None:
            if before.join == "join" and text.endswith("-"):
                text = text[:-1]
            elif before.join == "space":
                text += " "
        text += ln.text
    return text.strip()


def _doi(sources: list[str]) -> str | None:
    found: list[str] = []
    for src in sources:
        # a DOI broken after its slash or a dot by a line end: "10.1016/ S2213-…", "10.1371/journal. pone.0211233"
        src = re.sub(r"(10\.\d{4,9}/)\s+(?=\S)", r"\1", src)
        src = re.sub(r"(10\.\d{4,9}/\S*\.)\s+(?=[a-z0-9])", r"\1", src)
        found += [m.group(1) for m in _DOI.finditer(src)]
        if found:
            break
    if not found:
        return None
    first = found[0]
    # the same DOI cut short elsewhere (a line end) is a prefix of the whole one
    longer = [d for d in found if d.startswith(first) and len(d) > len(first)]
    return max(longer, key=len) if longer else first


def _journal(front_text: str, furniture: str, masthead: str | None) -> str | None:
    for src in (front_text, furniture):
        for m in _CITE.finditer(src):
            j = (m.group("j") or m.group("j2")).strip(" .")
            if 1 <= len(j.split()) <= 6 and not _FRONT_LABEL.match(j) and not re.search(r"\d", j):
                return j
    return masthead.strip() if masthead and not _FRONT_LABEL.match(masthead) else None


def _authors(laid: LaidOutDocument, title: str | None) -> list[str]:
    for page in laid.pages[:2]:
        lines = []
        for ln in page.lines:
            if _ABSTRACT_START.match(ln.text):
                break  # authors come before the abstract
            lines.append(ln)
        groups: list[list[TextLine]] = []
        for ln in lines:
            if _FRONT_LABEL.match(ln.text) or _DOI.search(ln.text):
                groups.append([])  # a labelled line (DOI, dates) is never part of the author list
            elif groups and groups[-1] and _key(ln) == _key(groups[-1][-1]):
                groups[-1].append(ln)
            else:
                groups.append([ln])
        for group in (g for g in groups if g):
            text = " ".join(g.text for g in group)
            if title and _similar(text, title):
                continue
            names, ratio = _names(text)
            if names and ratio >= 0.6 and (len(names) >= 2 or any(g.markers for g in group)):
                return names
    return []


def _key(ln: TextLine) -> tuple:
    return (round(ln.size, 1), ln.bold, ln.italic, ln.font, ln.page)


def _name_list(text: str) -> bool:
    names, ratio = _names(text)
    return len(names) >= 2 and ratio >= 0.8


def _names(text: str) -> tuple[list[str], float]:
    """Person names in a list ("A B, C D and E F"), and the share of its items that are names."""
    text = re.split(r"\bon behalf of\b", text, flags=re.I)[0]
    text = _EMAIL.sub(",", text)
    text = re.sub(r"\bE-?mail:?", ",", text, flags=re.I)
    items = [i.strip(" *†‡§,;") for i in re.split(r",|;|\s+and\s+|\s+&\s+", text)]
    names, counted = [], 0
    for item in items:
        # degrees and honorifics leave; so does an ORCID badge run on to the name ("ShiID")
        words = [re.sub(r"(?<=[a-z])ID$", "", w) for w in item.split() if not _DEGREE.match(w)]
        if not words:
            continue  # "MD" between commas: a degree, not an item
        counted += 1
        if _is_name(words):
            names.append(" ".join(words))
    return names, (len(names) / counted if counted else 0.0)


def _is_name(words: list[str]) -> bool:
    if not 2 <= len(words) <= 5 or words[-1].lower() in _PARTICLE:
        return False
    for w in words:
        if w.lower() in _PARTICLE:
            continue
        if not w[:1].isupper() or re.search(r"\d|[()/:]", w):
            return False
        if len(w) > 3 and w.isupper():
            return False  # "STUDY PROTOCOL"; initials ("JP", "WA") are short
    return True


def _similar(a: str, b: str) -> bool:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa and wb) and len(wa & wb) / max(len(wa), len(wb)) > 0.7

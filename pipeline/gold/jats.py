"""JATS / NLM (PMC nXML) reader.

Sections (candidates; printed.py then checks print where a PDF is given):
- "Abstract", level 1, when the article has an abstract other than a table-of-contents,
  teaser or graphical one; the titled `<sec>`s inside the (first such) abstract are level 2;
- every titled `<sec>` of `<body>` and `<back>` (also inside boxed text and appendices),
  level = 1 + the number of titled `<sec>`/`<app>`/back-matter groups above it; an
  untitled `<sec>` adds no level. The `<label>` ("2.1") is kept apart, not in the title;
- back matter: a titled `<ack>`, `<glossary>`, `<fn-group>`, `<notes>`, `<ref-list>`,
  `<app>`/`<app-group>` is a level-1 heading, the titled `<sec>`s inside it one level below;
- an untitled `<ref-list>` or `<ack>`, and contributor `<role>`s in the front matter
  (CRediT, printed by some typesetters under an "Author contributions" heading the XML
  lacks), become "implied" candidates: kept only when the PDF prints one of the usual
  words for them on a line of its own (printed.py), never without a PDF.

Tables: every `<table-wrap>` with a label (else one whose caption starts "Table N"; others
are reported as skipped): label as printed without trailing punctuation, caption = caption
title + caption paragraphs without the label; `<thead>` rows (or, without a thead, the
leading rows made only of `<th>` cells) are header rows, the rest body rows (tables.py
resolves spans); without header rows the header is `""` in every column (the table prints
none); a `<tfoot>` row of one cell and `<table-wrap-foot>` paragraphs are footnotes, not
rows; a table-wrap without `<table>` (an image) gives label and caption only.

Text units for percentages (document order): abstract(s) as above, body, back matter
except the reference list, floats-group; `<fig>` gives its caption, `<table-wrap>` a
TableData. Not read: front matter other than the abstract (author notes, permissions,
licence), `<sub-article>`, `<trans-abstract>`, `<ref-list>`.
Registry ids are read from all article text, references included (journal-meta, article
ids and self-uris excepted).
"""
from __future__ import annotations

import re

from .model import Article, SectionCandidate, TableData
from .tables import Cell, _span
from .text import block_text, flatten, local

NOT_ABSTRACT = {"toc", "teaser", "graphical", "web-summary"}
FLOATS = {"table-wrap", "fig", "table-wrap-group", "fig-group"}
BLOCKS = {"p", "title", "term", "def-item", "attrib", "td", "th", "label", "mixed-citation",
          "element-citation", "citation", "ref", "caption", "list-item", "article-title",
          "fn", "disp-quote", "disp-formula", "tr", "kwd", "aff", "corresp"}
BACK_GROUPS = {"ack", "glossary", "fn-group", "notes", "ref-list", "app", "app-group",
               "sec", "bio"}
REF_WORDS = ("References", "Reference", "Literature cited", "Bibliography", "References and notes")
CONTRIB_WORDS = ("Author contributions", "Authors' contributions", "Authors contributions",
                 "Contributors", "Author's contributions")
ACK_WORDS = ("Acknowledgements", "Acknowledgments", "Acknowledgement", "Acknowledgment")
UNIT_SKIP = {"label", "ref-list", "sub-article", "permissions", "object-id"}


def kids(e, name=None):
    return [c for c in e if local(c) and (name is None or local(c) == name)]


def first(e, name):
    for c in e:
        if local(c) == name:
            return c
    return None


def title_of(e) -> str:
    t = first(e, "title")
    return flatten(t) if t is not None else ""


def main_abstracts(meta) -> list:
    return [a for a in kids(meta, "abstract") if (a.get("abstract-type") or "") not in NOT_ABSTRACT]


def read_jats(root) -> Article:
    front = first(root, "front")
    meta = first(front, "article-meta") if front is not None else None
    body, back = first(root, "body"), first(root, "back")
    title = doi = None
    abstracts = []
    if meta is not None:
        tg = first(meta, "title-group")
        if tg is not None and first(tg, "article-title") is not None:
            title = flatten(first(tg, "article-title"))
        for aid in kids(meta, "article-id"):
            if aid.get("pub-id-type") == "doi":
                doi = (aid.text or "").strip() or None
        abstracts = main_abstracts(meta)

    sections: list[SectionCandidate] = []
    if abstracts:
        sections.append(SectionCandidate("Abstract", 1, "abstract"))
        for s in abstracts[0].iter():
            if local(s) == "sec" and title_of(s):
                sections.append(SectionCandidate(title_of(s), 2, "abstract"))
    if body is not None:
        _secs(body, 0, "body", sections)
    if back is not None:
        _back(back, sections)
    if meta is not None and any(local(r) == "role" and flatten(r) for r in meta.iter()) \
            and not any(s.title.lower().startswith(("author contribution", "authors' contribution",
                                                    "authors’ contribution")) for s in sections):
        # contributor roles (CRediT) print as a back-matter heading the XML does not title
        at = next((k for k, s in enumerate(sections) if s.where == "implied" and s.alternatives == REF_WORDS
                   or s.where == "back" and s.title.lower().startswith("reference")), len(sections))
        sections.insert(at, SectionCandidate(CONTRIB_WORDS[0], 1, "implied", alternatives=CONTRIB_WORDS))

    units: list = []
    for a in abstracts:
        _units(a, units)
    for part in (body, back, first(root, "floats-group")):
        if part is not None:
            _units(part, units)
    trial_text = block_text(root, BLOCKS, skip={"journal-meta", "article-id", "self-uri",
                                                "custom-meta-group", "sub-article"})
    art = Article(title, doi, bool(abstracts), sections, [], trial_text)
    for u in units:
        if isinstance(u, TableData) and not u.label:
            art.skipped_tables.append(u.caption[:60])
        else:
            art.units.append(u)
    return art


def _secs(e, depth, where, out):
    for c in kids(e):
        name = local(c)
        if name in ("sec", "app") or (name == "boxed-text"):
            t = title_of(c) if name != "boxed-text" else ""
            if t:
                lab = first(c, "label")
                out.append(SectionCandidate(t, depth + 1, where, flatten(lab) if lab is not None else ""))
                _secs(c, depth + 1, where, out)
            else:
                _secs(c, depth, where, out)
        elif name in ("p", "list", "list-item", "disp-quote", "app-group"):
            _secs(c, depth, where, out)


def _back(back, out):
    for c in kids(back):
        name = local(c)
        t = title_of(c)
        if name == "ref-list":
            if t:
                out.append(SectionCandidate(t, 1, "back"))
            else:
                out.append(SectionCandidate(REF_WORDS[0], 1, "implied", alternatives=REF_WORDS))
            continue
        if name == "ack" and not t:
            out.append(SectionCandidate(ACK_WORDS[0], 1, "implied", alternatives=ACK_WORDS))
            _secs(c, 1, "back", out)
            continue
        if name in BACK_GROUPS:
            if t:
                out.append(SectionCandidate(t, 1, "back"))
                _secs(c, 1, "back", out)
            else:
                _secs(c, 0, "back", out)


def _units(e, out):
    name = local(e)
    if not name or name in UNIT_SKIP:
        return
    if name == "table-wrap":
        out.append(table_wrap(e))
        return
    if name == "fig":
        cap = first(e, "caption")
        if cap is not None:
            _units(cap, out)
        return
    if name in ("p", "title", "term", "attrib", "td", "th"):
        text = flatten(e, skip=FLOATS)
        if text:
            out.append(text)
        for c in e.iter():
            if c is not e and local(c) in ("table-wrap", "fig") and _nearest_float(c, e):
                _units(c, out)
        return
    for c in kids(e):
        _units(c, out)


def _nearest_float(c, stop) -> bool:
    """True when no other float lies between `c` and `stop` (nested floats once)."""
    p = c.getparent()
    while p is not None and p is not stop:
        if local(p) in ("table-wrap", "fig"):
            return False
        p = p.getparent()
    return True


def table_wrap(tw) -> TableData:
    lab = first(tw, "label")
    label = flatten(lab).rstrip(".:|") if lab is not None else ""
    cap = first(tw, "caption")
    parts = []
    if cap is not None:
        for c in kids(cap):
            if local(c) in ("title", "p"):
                parts.append(flatten(c))
    caption = " ".join(p for p in parts if p)
    if not label:
        m = re.match(r"(Table\s+[A-Z]?\d+[A-Za-z]?)[.:|]?\s*", caption)
        if m:
            label, caption = m.group(1), caption[m.end():]
    elif caption.lower().startswith(label.lower()):
        caption = caption[len(label):].lstrip(" .:|")
    tables = [t for t in tw.iter() if local(t) == "table"]
    foot = []
    for f in tw.iter():
        if local(f) == "table-wrap-foot":
            foot.extend(paragraphs(f))
    if not tables:
        return TableData(label, caption, None, None, foot)
    head, body = [], []
    for t in tables:
        h, b, extra = _html_rows(t)
        if not head and h:
            head = h
            body.extend(b)
        else:
            body.extend(h + b)
        foot.extend(extra)
    return TableData(label, caption, head, body, foot)


def paragraphs(e) -> list[str]:
    """The text of each outermost `<p>`/`<attrib>` under `e` (a footnote's label included)."""
    out = []
    for c in kids(e):
        if local(c) in ("p", "attrib"):
            txt = flatten(c)
            if txt:
                out.append(txt)
        else:
            out.extend(paragraphs(c))
    return out


def _cells(tr) -> tuple[list[Cell], bool]:
    cells, all_th = [], True
    for c in kids(tr):
        if local(c) in ("td", "th"):
            all_th &= local(c) == "th"
            cells.append(Cell(flatten(c), _span(c.get("rowspan")), _span(c.get("colspan"))))
    return cells, all_th and bool(cells)


def _html_rows(table):
    head, body, foot = [], [], []
    for part in kids(table):
        name = local(part)
        trs = [part] if name == "tr" else [r for r in kids(part, "tr")]
        for tr in trs:
            cells, all_th = _cells(tr)
            if name == "thead":
                head.append(cells)
            elif name == "tfoot":
                texts = [c.text for c in cells if c.text]
                if len(texts) == 1 and len(cells) == 1:
                    foot.append(texts[0])
                else:
                    body.append(cells)
            elif all_th and not body and name in ("tbody", "tr") and not any(local(p) == "thead" for p in kids(table)):
                head.append(cells)
            else:
                body.append(cells)
    return head, body, foot

"""BioMed Central's pre-2016 `art` DTD reader (<art><fm>…<bdy>…<bm>, CALS tables).

Same rules as jats.py, in this DTD's names:
- title `fm/bibl/title`, DOI `fm/bibl/xrefbib/pubidlist/pubid[@idtype="doi"]`;
- abstract `fm/abs`: "Abstract" level 1; its inner titled `<sec>`s (below the wrapping one
  whose title is the word Abstract itself) are level 2, checked against print;
- `bdy` sections: a `<sec>` titled by `<st>` has level 1 + the number of titled `<sec>`
  above it; `bm/ack` and other titled back-matter groups likewise; the untitled reference
  list `bm/refgrp` is an implied "References" candidate (kept only when printed);
- tables `<table>`: label = `<title>` ("Table 1"), caption = `<caption>`, CALS `tgroup`
  with `colspec` column names, `namest`/`nameend` (or `spanname`) column spans and
  `morerows` row spans; `thead` rows head the columns (without a thead the header is `""` in every column:
  such tables print no header row);
  `tfoot` paragraphs are footnotes; a table with a `<graphic>` and no `tgroup` is image-only;
- citation groups `<abbrgrp>` print as "[1,2]"; figure legends come from `fig/text` when
  present (the printed legend), else `fig/caption`; `bm/refgrp` is not read for percentages.
"""
from __future__ import annotations

import re

from .model import Article, SectionCandidate, TableData
from .tables import Cell, _span
from .text import block_text, flatten, local
from .jats import REF_WORDS, first, kids

BLOCKS = {"p", "st", "title", "entry", "bibl", "note", "caption", "text", "l", "li", "row",
          "au", "ins"}
FLOATS = {"table", "fig", "suppl"}


def _flat(e, skip=FLOATS) -> str:
    return flatten(e, skip=skip, citation_groups=True)


def st_of(e) -> str:
    st = first(e, "st")
    return _flat(st) if st is not None else ""


def read_art(root) -> Article:
    fm, bdy, bm = first(root, "fm"), first(root, "bdy"), first(root, "bm")
    title = doi = None
    abstract = None
    if fm is not None:
        bibl = first(fm, "bibl")
        if bibl is not None and first(bibl, "title") is not None:
            title = _flat(first(bibl, "title"))
        if bibl is not None:
            for pid in bibl.iter():
                if local(pid) == "pubid" and pid.get("idtype") == "doi":
                    doi = (pid.text or "").strip() or None
                    break
        abstract = first(fm, "abs")
    sections: list[SectionCandidate] = []
    if abstract is not None:
        sections.append(SectionCandidate("Abstract", 1, "abstract"))
        for s in abstract.iter():
            t = st_of(s) if local(s) == "sec" else ""
            if t and t.strip(" .:").lower() not in ("abstract", "summary"):
                sections.append(SectionCandidate(t, 2, "abstract"))
    if bdy is not None:
        _secs(bdy, 0, "body", sections)
    if bm is not None:
        for c in kids(bm):
            if local(c) == "refgrp":
                sections.append(SectionCandidate(REF_WORDS[0], 1, "implied", alternatives=REF_WORDS))
            else:
                _sec_list([c], 0, "back", sections)
    units: list = []
    for part in (abstract, bdy, bm):
        if part is not None:
            _units(part, units)
    trial_text = block_text(root, BLOCKS, skip={"ui", "ji", "cpyrt"})
    art = Article(title, doi, abstract is not None, sections, [], trial_text)
    for u in units:
        if isinstance(u, TableData) and not u.label:
            art.skipped_tables.append(u.caption[:60])
        else:
            art.units.append(u)
    return art


def _secs(e, depth, where, out):
    _sec_list(kids(e), depth, where, out)


def _sec_list(elements, depth, where, out):
    for c in elements:
        name = local(c)
        if name == "sec":
            t = st_of(c)
            if t:
                out.append(SectionCandidate(t, depth + 1, where))
                _secs(c, depth + 1, where, out)
            else:
                _secs(c, depth, where, out)
        elif name in ("p", "ack", "app", "list", "l"):
            _secs(c, depth, where, out)


def _units(e, out):
    name = local(e)
    if not name or name in ("refgrp", "xrefbib", "ui"):
        return
    if name == "table":
        out.append(cals_table(e))
        return
    if name == "fig":
        legend = first(e, "text") if first(e, "text") is not None else first(e, "caption")
        if legend is not None:
            _units(legend, out)
        return
    if name in ("p", "st"):
        text = _flat(e)
        if text:
            out.append(text)
        for c in e.iter():
            if c is not e and local(c) in ("table", "fig"):
                _units(c, out)
        return
    for c in kids(e):
        _units(c, out)


def cals_table(t) -> TableData:
    lab = first(t, "title")
    label = _flat(lab).rstrip(".:|") if lab is not None else ""
    cap = first(t, "caption")
    caption = _flat(cap) if cap is not None else ""
    if label and caption.lower().startswith(label.lower()):
        caption = caption[len(label):].lstrip(" .:|")
    if not re.match(r"(?i)table", label or "") and re.match(r"(?i)table\s+\S+", caption):
        m = re.match(r"(?i)(table\s+[A-Z]?\d+[A-Za-z]?)[.:|]?\s*", caption)
        if m:
            label, caption = m.group(1), caption[m.end():]
    foot: list[str] = []
    groups = [g for g in t.iter() if local(g) == "tgroup"]
    for f in t.iter():
        if local(f) == "tfoot":
            foot.extend(x for x in (_flat(p) for p in f.iter() if local(p) == "p") if x)
    if not groups:
        return TableData(label, caption, None, None, foot)
    head, body = [], []
    for g in groups:
        names = _colnames(g)
        spans = {s.get("spanname"): (s.get("namest"), s.get("nameend"))
                 for s in kids(g, "spanspec")}
        for part in kids(g):
            if local(part) not in ("thead", "tbody"):
                continue
            rows = [_row(r, names, spans) for r in kids(part, "row")]
            (head if local(part) == "thead" and not head else body).extend(rows)
    return TableData(label, caption, head, body, foot)


def _colnames(g) -> dict[str, int]:
    names = {}
    for i, cs in enumerate(kids(g, "colspec")):
        try:
            n = int(cs.get("colnum") or i + 1) - 1
        except ValueError:
            n = i
        if cs.get("colname"):
            names[cs.get("colname")] = n
    return names


def _row(r, names, spans) -> list[Cell]:
    cells = []
    for en in kids(r, "entry"):
        start = end = None
        if en.get("spanname") in spans:
            st, nd = spans[en.get("spanname")]
            start, end = names.get(st), names.get(nd)
        elif en.get("namest"):
            start, end = names.get(en.get("namest")), names.get(en.get("nameend"))
        elif en.get("colname"):
            start = end = names.get(en.get("colname"))
        colspan = (end - start + 1) if start is not None and end is not None and end >= start else 1
        text = " ".join(x for x in (_flat(p, skip=set()) for p in kids(en, "p")) if x) or _flat(en, skip=set())
        cells.append(Cell(text, _span(en.get("morerows"), 0) + 1 if en.get("morerows") else 1,
                          colspan, start))
    return cells

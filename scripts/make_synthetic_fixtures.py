#!/usr/bin/env python
"""Write the synthetic fixture PDFs and their gold files (`review-gold/1`).

    /work/venv/bin/python scripts/make_synthetic_fixtures.py [--out DIR]

Each document below is held as data: pages of blocks (title lines, headings, paragraphs,
tables, two-column groups), and every block carries the facts its text states (trial ids,
endpoints, percentages, abbreviations). The same data is typeset into
`fixtures/pdfs/synthetic-*.pdf` with PyMuPDF and written as `fixtures/gold/synthetic-*.gold.json`,
so each gold file says exactly what its PDF prints. The pipeline is never run here.

Deterministic: fixed PDF metadata (no dates), no new /ID, subset fonts; running the script
twice gives byte-identical files. With `--out DIR` the PDFs go to DIR/pdfs and the golds to
DIR/gold (the test regenerates into a temporary directory and compares).

Text conventions in the data:
  `{^12}`   a superscript (6.5 pt, raised): citation markers, the + of CD8+; left out of the
            gold's plain text
  `{b:xx}`  bold run-in text (Times-Bold)
  `-|WORD`  WORD is broken with a line-end hyphen wherever its line ends (printed "-" at the end
            of the line, the rest on the next line; the gold reads WORD whole)
Fonts are the MuPDF built-in Nimbus clones of Times and Helvetica, embedded and subset
(the PDF base-14 encoding cannot print "–", "≥" or "·" reliably).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- facts (gold items)


@dataclass
class P:
    """A percentage. `sign=False`: printed without its own % (n (%) cell, first end of a range)."""
    value: float
    quote: str
    q: str | None = None
    sign: bool = True


@dataclass
class E:
    endpoint: str
    value: float
    unit: str
    quote: str
    comp: float | None = None
    q: str | None = None
    trial: str | None = None


@dataclass
class A:
    short: str
    long: str


# ---------------------------------------------------------------- blocks


@dataclass
class Title:
    text: str
    size: float = 15
    font: str = "HB"


@dataclass
class Meta:
    """Front-matter line(s): authors, affiliations, correspondence. Not sections."""
    text: str
    size: float = 9
    font: str = "R"
    facts: list = field(default_factory=list)


@dataclass
class H:
    text: str
    level: int
    gold: str | None = None      # gold title when it differs from the print (Summary -> Abstract)


@dataclass
class Para:
    text: str
    facts: list = field(default_factory=list)
    size: float = 10


@dataclass
class Cell:
    text: str
    facts: list = field(default_factory=list)


@dataclass
class TableDef:
    label: str
    caption: str
    header: list
    rows: list                   # list of rows; a cell is a str or a Cell
    widths: list                 # column widths as fractions of the frame
    footnote: str | None = None
    caption_facts: list = field(default_factory=list)
    footnote_facts: list = field(default_factory=list)


@dataclass
class TablePart:
    table: TableDef
    start: int = 0
    end: int | None = None
    continued: bool = False      # caption "<label> (continued)", header repeated


@dataclass
class Columns:
    left: list
    right: list


@dataclass
class Page:
    blocks: list
    rotated: bool = False        # landscape content on a portrait page with /Rotate 90


@dataclass
class Doc:
    stem: str
    title: str
    doi: str
    running_left: str
    running_right: str
    pages: list
    trials: list                 # dicts: id, registry, phase, year, condition, interventions
    entities: list               # (text, label) must-find list
    subject: str = ""
    keywords: str = ""


# ---------------------------------------------------------------- cell helpers


def npct(n: int, total: int, dot: str = ".") -> Cell:
    """An `n (%)` cell, e.g. 18 (81.8); the percentage is printed without a % sign."""
    pct = round(100.0 * n / total + 1e-9, 1)
    text = f"{n} ({pct:.1f})".replace(".", dot)
    return Cell(text, [P(pct, text, sign=False)])


_OUTCOME = re.compile(r"(?P<ep>[A-Z]{2,4}): (?P<q>up to |median )?(?P<v>\d+(?:\.\d+)?)(?P<u>%| months| years)")


def outcomes(text: str, trial: str) -> Cell:
    """An outcomes cell such as 'ORR: 74.4%; PFS: 10.0 months', each item an endpoint of `trial`."""
    facts = []
    for m in _OUTCOME.finditer(text):
        unit = m["u"].strip()
        value = float(m["v"])
        facts.append(E(m["ep"], value, unit, m[0], q=(m["q"] or "").strip() or None, trial=trial))
        if unit == "%":
            facts.append(P(value, m[0]))
    assert facts, text
    return Cell(text, facts)


# ---------------------------------------------------------------- typesetting

FONTS = {"R": "Times-Roman", "B": "Times-Bold", "I": "Times-Italic", "H": "Helvetica",
         "HB": "Helvetica-Bold", "HBI": "Helvetica-BoldOblique"}
_FONT_OBJ = {k: pymupdf.Font(v) for k, v in FONTS.items()}
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X, TOP, BOTTOM = 62.0, 80.0, 772.0
SUP_SIZE, SUP_RISE = 6.5, 3.8
_MARK = re.compile(r"\{(\^|b:)([^}]*)\}")


def width(text: str, font: str, size: float) -> float:
    return _FONT_OBJ[font].text_length(text, fontsize=size)


def plain(text: str) -> str:
    """The text as the gold reads it: superscripts out, run-in markup and break hyphens resolved."""
    text = _MARK.sub(lambda m: "" if m[1] == "^" else m[2], text)
    return text.replace("-|", "")


def cell_text(c) -> str:
    return c.text if isinstance(c, Cell) else c


class Canvas:
    """Writes on one page, in displayed coordinates (landscape when the page is rotated)."""

    def __init__(self, page: pymupdf.Page, rotated: bool):
        self.page = page
        self.rotated = rotated
        if rotated:
            page.set_rotation(90)
        self.w, self.h = (PAGE_H, PAGE_W) if rotated else (PAGE_W, PAGE_H)
        self.fonts: set[str] = set()

    def _pt(self, x: float, y: float) -> pymupdf.Point:
        p = pymupdf.Point(x, y)
        return p * self.page.derotation_matrix if self.rotated else p

    def text(self, x: float, y: float, s: str, font: str, size: float) -> None:
        if font not in self.fonts:
            self.page.insert_font(fontname=font, fontbuffer=_FONT_OBJ[font].buffer)
            self.fonts.add(font)
        self.page.insert_text(self._pt(x, y), s, fontname=font, fontsize=size,
                              rotate=90 if self.rotated else 0)

    def line(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.5) -> None:
        self.page.draw_line(self._pt(x0, y0), self._pt(x1, y1), width=w)


def _pieces(text: str, font: str, size: float) -> list[tuple[str, float, float, str]]:
    """(font, size, rise, text) pieces of a marked-up string."""
    out, pos = [], 0
    for m in _MARK.finditer(text):
        if m.start() > pos:
            out.append((font, size, 0.0, text[pos:m.start()]))
        if m[1] == "^":
            out.append((font, SUP_SIZE, SUP_RISE, m[2]))
        else:
            out.append(("B" if font == "R" else font, size, 0.0, m[2]))
        pos = m.end()
    if pos < len(text):
        out.append((font, size, 0.0, text[pos:]))
    return out


def _words(text: str, font: str, size: float) -> list:
    """Words as lists of (font, size, rise, text) pieces."""
    words, cur = [], []
    for f, s, r, t in _pieces(text, font, size):
        parts = t.split(" ")
        for i, part in enumerate(parts):
            if i > 0:
                words.append(cur)
                cur = []
            if part:
                cur.append((f, s, r, part))
    words.append(cur)
    return [w for w in words if w]


def wrap(text: str, font: str, size: float, maxw: float) -> list:
    """Greedy line breaking at spaces; returns lines as lists of words.

    A word written as `-|WORD` is always broken with a hyphen at the end of the line it starts
    on: the longest head (at least 4 characters, leaving at least 3) that fits with its "-".
    """
    space = width(" ", font, size)
    lines, cur, curw = [], [], 0.0
    for w in _words(text, font, size):
        f0, s0, r0, t0 = w[0]
        if t0.startswith("-|"):
            assert len(w) == 1, w
            t0 = t0[2:]
            room = maxw - curw - (space if cur else 0.0)
            heads = [k for k in range(4, len(t0) - 2) if width(t0[:k] + "-", f0, s0) <= room]
            if not heads:
                raise ValueError(f"no room to break {t0!r} at the line end; reword the paragraph")
            k = heads[-1]
            cur.append([(f0, s0, r0, t0[:k] + "-")])
            lines.append(cur)
            tail = t0[k:]
            cur, curw = [[(f0, s0, r0, tail)]], width(tail, f0, s0)
            continue
        ww = sum(width(t, f, s) for f, s, r, t in w)
        if cur and curw + space + ww > maxw:
            lines.append(cur)
            cur, curw = [], 0.0
        if ww > maxw:
            raise ValueError(f"word wider than the column: {w}")
        curw += (space if cur else 0.0) + ww
        cur.append(w)
    if cur:
        lines.append(cur)
    return lines


def draw_lines(cv: Canvas, lines: list, x: float, y: float, font: str, size: float, lead: float) -> float:
    """Draws wrapped lines with the first baseline at y; returns the y below the last line."""
    space = width(" ", font, size)
    for ln in lines:
        cx = x
        for i, w in enumerate(ln):
            if i:
                cx += space
            for f, s, r, t in w:
                cv.text(cx, y - r, t, f, s)
                cx += width(t, f, s)
        y += lead
    return y


class Setter:
    def __init__(self, doc: Doc):
        self.doc = doc

    def block(self, cv: Canvas, b, x0: float, x1: float, y: float) -> float:
        """Sets block b in the frame x0..x1 from top y; returns the new top."""
        w = x1 - x0
        if isinstance(b, Title):
            lines = wrap(b.text, b.font, b.size, w)
            return draw_lines(cv, lines, x0, y + b.size, b.font, b.size, b.size * 1.25) + 6
        if isinstance(b, Meta):
            lines = wrap(b.text, b.font, b.size, w)
            return draw_lines(cv, lines, x0, y + b.size, b.font, b.size, b.size * 1.3) + 3
        if isinstance(b, H):
            font, size = {1: ("HB", 11.0), 2: ("HB", 10.0), 3: ("HBI", 9.5)}[b.level]
            y += 8 if b.level == 1 else 5
            lines = wrap(b.text, font, size, w)
            return draw_lines(cv, lines, x0, y + size, font, size, size * 1.3) + 3
        if isinstance(b, Para):
            lines = wrap(b.text, "R", b.size, w)
            return draw_lines(cv, lines, x0, y + b.size, "R", b.size, b.size * 1.3) + 5
        if isinstance(b, TablePart):
            return self.table(cv, b, x0, x1, y)
        if isinstance(b, Columns):
            gap = 18.0
            mid = x0 + (w - gap) / 2
            yl = yr = y
            for c in b.left:
                yl = self.block(cv, c, x0, mid, yl)
            for c in b.right:
                yr = self.block(cv, c, mid + gap, x1, yr)
            return max(yl, yr)
        raise TypeError(b)

    def table(self, cv: Canvas, part: TablePart, x0: float, x1: float, y: float) -> float:
        t = part.table
        w = x1 - x0
        y += 6
        # caption above the table
        if part.continued:
            cv.text(x0, y + 9, f"{t.label} (continued)", "HB", 9)
            y += 9 * 1.3
        else:
            lab = f"{t.label}. "
            lw = width(lab, "HB", 9)
            cv.text(x0, y + 9, lab, "HB", 9)
            lines = wrap(t.caption, "R", 9, w - lw)
            y = draw_lines(cv, lines, x0 + lw, y + 9, "R", 9, 9 * 1.3) - 9 * 1.3 + 9 * 1.3
        y += 3
        xs = [x0]
        for f in t.widths:
            xs.append(xs[-1] + f * w)
        pad, size, lead = 3.0, 8.5, 10.5
        cv.line(x0, y, x1, y, 0.8)

        def row(cells, font):
            nonlocal y
            wrapped = [wrap(cell_text(c), font, size, xs[i + 1] - xs[i] - 2 * pad) if cell_text(c) else []
                       for i, c in enumerate(cells)]
            n = max(1, max(len(c) for c in wrapped))
            for i, lines in enumerate(wrapped):
                draw_lines(cv, lines, xs[i] + pad, y + 3 + size, font, size, lead)
            y += 3 + n * lead + 1

        row(t.header, "HB")
        cv.line(x0, y, x1, y, 0.4)
        for r in t.rows[part.start:part.end]:
            row(r, "R")
        cv.line(x0, y, x1, y, 0.8)
        y += 2
        last = part.end is None or part.end >= len(t.rows)
        if last and t.footnote:
            lines = wrap(t.footnote, "R", 7.5, w)
            y = draw_lines(cv, lines, x0, y + 7.5, "R", 7.5, 7.5 * 1.3)
        return y + 8

    def render(self) -> bytes:
        d = self.doc
        pdf = pymupdf.open()
        npages = len(d.pages)
        for i, pg in enumerate(d.pages, 1):
            page = pdf.new_page(width=PAGE_W, height=PAGE_H)
            cv = Canvas(page, pg.rotated)
            x0, x1 = MARGIN_X, cv.w - MARGIN_X
            top, bottom = (TOP, cv.h - 70) if not pg.rotated else (TOP - 10, cv.h - 60)
            # running header and footer (publisher furniture: not scored)
            hy = top - 28
            cv.text(x0, hy, d.running_left, "H", 8)
            rw = width(d.running_right, "H", 8)
            cv.text(x1 - rw, hy, d.running_right, "H", 8)
            cv.line(x0, hy + 5, x1, hy + 5, 0.4)
            foot = f"Page {i} of {npages}"
            cv.text((cv.w - width(foot, "H", 8)) / 2, cv.h - 36, foot, "H", 8)
            y = top
            for b in pg.blocks:
                y = self.block(cv, b, x0, x1, y)
            if y > bottom:
                raise ValueError(f"{d.stem}: page {i} overflows ({y:.0f} > {bottom:.0f})")
        pdf.subset_fonts()
        pdf.set_metadata({
            "format": "PDF 1.7", "title": d.title, "author": "review-extract synthetic fixtures",
            "subject": d.subject, "keywords": d.keywords,
            "creator": "scripts/make_synthetic_fixtures.py", "producer": "PyMuPDF",
            "creationDate": "", "modDate": "", "trapped": "", "encryption": None,
        })
        return pdf.tobytes(garbage=4, deflate=True, no_new_id=True)


# ---------------------------------------------------------------- gold


def _walk(blocks):
    for b in blocks:
        if isinstance(b, Columns):
            yield from _walk(b.left)
            yield from _walk(b.right)
        else:
            yield b


def _block_items(b) -> tuple[str, list]:
    """(plain text, facts in reading order) of one block."""
    if isinstance(b, (Para, Meta)):
        return plain(b.text), list(b.facts)
    if isinstance(b, TablePart):
        t = b.table
        texts, facts = [], []
        if not b.continued:
            texts.append(t.caption)
            facts += t.caption_facts
        for r in t.rows[b.start:b.end]:
            texts.append(" | ".join(cell_text(c) for c in r))
            for c in r:
                if isinstance(c, Cell):
                    facts += c.facts
        if (b.end is None or b.end >= len(t.rows)) and t.footnote:
            texts.append(t.footnote)
            facts += t.footnote_facts
        return "\n".join(texts), facts
    return "", []


def build_gold(d: Doc) -> dict:
    sections, tables, endpoints, percentages, abbrevs = [], [], [], [], {}
    full = []
    for pg in d.pages:
        for b in _walk(pg.blocks):
            if isinstance(b, H):
                sections.append({"title": b.gold or b.text, "level": b.level})
                full.append(b.text)
                continue
            if isinstance(b, Title):
                full.append(b.text)
                continue
            if isinstance(b, TablePart) and not b.continued:
                t = b.table
                tables.append({"label": t.label, "caption": t.caption, "header": list(t.header),
                               "rows": [[cell_text(c) for c in r] for r in t.rows]})
            text, facts = _block_items(b)
            full.append(text)
            flat = re.sub(r"\s+", " ", text)
            signed = 0
            for f in facts:
                quote_ok = re.sub(r"\s+", " ", f.quote) in flat if not isinstance(f, A) else True
                assert quote_ok, f"{d.stem}: quote not printed in its block: {f.quote!r}"
                if isinstance(f, P):
                    signed += f.sign
                    percentages.append({"value": f.value, "qualifier": f.q, "quote": f.quote})
                elif isinstance(f, E):
                    assert f.unit in ("months", "years", "weeks", "days", "%"), f
                    endpoints.append({"endpoint": f.endpoint, "value": f.value, "unit": f.unit,
                                      "comparator_value": f.comp,
                                      "qualifier": f.q, "trial_id": f.trial, "quote": f.quote})
                elif isinstance(f, A):
                    assert f"({f.short})" in flat or f"({f.long})" in flat or f"{f.short}: {f.long}" in flat or f"{f.short}={f.long}" in flat, \
                        f"{d.stem}: abbreviation not defined as printed: {f}"
                    abbrevs.setdefault(f.short, f.long)
            printed = len(re.findall(r"\d ?%", flat))     # "n (%)" in a label is not a percentage
            assert printed == signed, \
                f"{d.stem}: {printed} '%' printed but {signed} signed percentages in: {flat[:80]!r}"
    alltext = "\n".join(full)
    trials = []
    for t in d.trials:
        assert t["id"] in alltext, f"{d.stem}: trial id not printed: {t['id']}"
    for t in sorted(d.trials, key=lambda t: alltext.index(t["id"])):
        trials.append({k: t.get(k) for k in ("id", "registry", "phase", "year", "condition", "interventions")})
    for e in endpoints:
        assert e["trial_id"] is None or any(t["id"] == e["trial_id"] for t in trials), e
    entities = []
    for text, label in d.entities:
        assert text in alltext, f"{d.stem}: entity not printed: {text}"
        entities.append({"text": text, "label": label})
    return {
        "format": "review-gold/1",
        "document": {"file": f"{d.stem}.pdf", "title": d.title, "doi": d.doi},
        "sections": sections,
        "tables": tables,
        "trials": trials,
        "endpoints": endpoints,
        "percentages": percentages,
        "abbreviations": [{"short": s, "long": l} for s, l in abbrevs.items()],
        "entities": entities,
        "entities_complete": False,
    }


def gold_bytes(d: Doc) -> bytes:
    return (json.dumps(build_gold(d), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ================================================================ the documents
# All people, numbers and trial registrations below are invented for testing; the identifiers
# have the registries' real formats but are not meant to point at real trials.


def trial(id, registry, phase=None, year=None, condition=None, interventions=None) -> dict:
    return {"id": id, "registry": registry, "phase": phase, "year": year, "condition": condition,
            "interventions": interventions}


# ---------------------------------------------------------------- 1. registries review

REG_TABLE = TableDef(
    label="Table 1",
    caption="Perioperative immunotherapy trials registered outside ClinicalTrials.gov",
    header=["Registry", "Identifier", "Design", "Population", "Intervention"],
    widths=[0.22, 0.22, 0.14, 0.24, 0.18],
    rows=[
        ["ISRCTN", "ISRCTN14422743", "Phase III, 2018", "Resectable gastric cancer", "Durvalumab"],
        ["EudraCT", "2015-001234-56", "Phase II, 2015", "Hepatocellular carcinoma", "Nivolumab"],
        ["CTIS", "2023-501234-12-00", "Phase II, 2023", "Cutaneous squamous cell carcinoma",
         "Cemiplimab"],
        ["ChiCTR", "ChiCTR2000029308", "Phase II, 2020", "Hepatocellular carcinoma",
         "Camrelizumab + apatinib"],
        ["CTRI", "CTRI/2019/05/019284", "Phase III, 2019", "Oral cancer", "Methotrexate + celecoxib"],
        ["CRiS", "KCT0003456", "Phase II, 2019", "TNBC", "Pembrolizumab"],
        ["DRKS", "DRKS00021234", "Phase II, 2020", "Oesophagogastric adenocarcinoma",
         "FLOT + atezolizumab"],
        ["jRCT", "jRCTs031180123", "Phase I/II, 2018", "Non-small cell lung cancer", "Nivolumab + RT"],
    ],
    footnote=("FLOT: fluorouracil, leucovorin, oxaliplatin and docetaxel; RT: radiotherapy; "
              "TNBC: triple-negative breast cancer."),
    footnote_facts=[A("FLOT", "fluorouracil, leucovorin, oxaliplatin and docetaxel"), A("RT", "radiotherapy"),
                    A("TNBC", "triple-negative breast cancer")],
)

DOC_REGISTRIES = Doc(
    stem="synthetic-registry-review",
    title="Beyond ClinicalTrials.gov: a narrative review of international trial registries in "
          "perioperative oncology",
    doi="10.5555/sro.2025.0112",
    running_left="Example et al. Synth Rev Oncol 2025;4:112",
    running_right="https://doi.org/10.5555/sro.2025.0112",
    subject="Synth Rev Oncol 2025;4:112. doi:10.5555/sro.2025.0112",
    keywords="trial registration; ISRCTN; EudraCT; ChiCTR; perioperative immunotherapy",
    pages=[
        Page([
            Title("Beyond ClinicalTrials.gov: a narrative review of international trial registries in "
                  "perioperative oncology"),
            Meta("Alex Example{^1}, Beatriz Sample{^1,2}, Chen Placeholder{^2}", size=10),
            Meta("{^1}Department of Surgical Oncology, Example University Hospital, Cambridge, UK. "
                 "{^2}Institute of Trial Methodology, Sample University, Heidelberg, Germany.", size=8),
            Meta("Correspondence: Dr. Alex Example, Department of Surgical Oncology, Example University "
                 "Hospital, Hills Road, Cambridge CB2 0QQ, UK. Tel: +44 1223 245151; "
                 "Fax: +44 1223 2015-0044. E-mail: alex.example@example.org", size=8),
            Meta("Received: 3 Mar 2025 | Accepted: 9 May 2025 | Published: 20 May 2025", size=8),
            H("Abstract", 1),
            Para("{b:Background:} Trial registration outside ClinicalTrials.gov is common in perioperative "
                 "oncology, yet text-mining tools often recognise only NCT numbers. {b:Methods:} We searched "
                 "the International Clinical Trials Registry Platform (ICTRP) for perioperative immunotherapy "
                 "trials registered between 2015 and 2024. {b:Results:} Of 1,204 eligible trials, 42–45% were "
                 "registered only outside ClinicalTrials.gov, depending on how dual registrations were counted, "
                 "and the share held by Asian registries grew from 9 to 13% per year. {b:Conclusion:} Tools "
                 "that read trial identifiers must handle every primary registry of the WHO network.",
                 [A("ICTRP", "International Clinical Trials Registry Platform"),
                  P(42, "42–45%", sign=False), P(45, "42–45%"),
                  P(9, "from 9 to 13%", sign=False), P(13, "from 9 to 13%")]),
            Meta("{b:Keywords:} trial registration, registry identifiers, perioperative immunotherapy, "
                 "text mining", size=9),
            H("1. Introduction", 1),
            Para("Prospective registration has been a condition of publication since 2005{^1,2}, and the "
                 "World Health Organization (WHO) recognises 17 primary registries. Reviews of perioperative "
                 "immunotherapy nevertheless cite trials by acronym, by ClinicalTrials.gov number or by "
                 "a national identifier, often in the same paragraph{^3}. In a sample of 200 reviews, 95 % of "
                 "cited registrations carried an NCT number, but over 70% of reviews also cited at least one "
                 "other registry{^4}. This review describes the identifier of each registry as it is printed "
                 "in the literature, with examples from perioperative oncology.",
                 [A("WHO", "World Health Organization"), P(95, "95 % of cited registrations"),
                  P(70, "over 70% of reviews", q="over")]),
            H("2. Registries outside the United States", 1),
            H("2.1 European registries", 2),
            Para("The ISRCTN registry holds the PERIOP-D study (ISRCTN14422743), a phase III trial of "
                 "perioperative durvalumab in resectable gastric cancer{^5}. The German Clinical Trials Register "
                 "(DRKS) lists DRKS00021234, which adds atezolizumab to perioperative FLOT in "
                 "oesophagogastric adenocarcinoma, and the Netherlands Trial Register lists NTR4387, a trial "
                 "of short-course radiotherapy before surgery in rectal cancer.",
                 [A("DRKS", "German Clinical Trials Register")]),
            H("2.1.1 EudraCT and the EU CT number", 3),
            Para("Until 2023, sponsors in the European Union obtained a EudraCT number such as "
                 "2015-001234-56, used by the NEO-LIVER study of neoadjuvant nivolumab in hepatocellular "
                 "carcinoma (HCC). Trials authorised since then carry a number issued by CTIS (Clinical Trials "
                 "Information System), for example 2023-501234-12-00 for a phase II trial of cemiplimab in "
                 "cutaneous squamous cell carcinoma.",
                 [A("HCC", "hepatocellular carcinoma"), A("CTIS", "Clinical Trials Information System")]),
        ]),
        Page([
            H("2.2 Asia-Pacific registries", 2),
            Para("The Chinese Clinical Trial Registry (ChiCTR) registered ChiCTR2000029308, in which "
                 "camrelizumab plus apatinib was given before hepatectomy for HCC{^6}. In India, "
                 "CTRI/2019/05/019284 is a phase III trial of metronomic methotrexate and celecoxib after "
                 "surgery for oral cancer. Japanese investigators register in jRCT (Japan Registry of Clinical "
                 "Trials) or in the UMIN Clinical Trials Registry: jRCTs031180123 combines nivolumab with "
                 "radiotherapy in non-small cell lung cancer, and UMIN000012345 tests perioperative S-1 in "
                 "gastric cancer. The Clinical Research Information Service (CRiS) of Korea lists KCT0003456, a "
                 "phase II trial of neoadjuvant pembrolizumab in TNBC{^7}. The Australian New Zealand registry "
                 "lists a trial of stereotactic radiotherapy before pancreatectomy as -|ACTRN12618000123456, "
                 "and the Thai Clinical Trials Registry lists TCTR20180108001, a trial of perioperative "
                 "capecitabine in cholangiocarcinoma.",
                 [A("ChiCTR", "Chinese Clinical Trial Registry"), A("jRCT", "Japan Registry of Clinical Trials"),
                  A("CRiS", "Clinical Research Information Service")]),
            H("2.3 Registries in Africa, the Middle East and Latin America", 2),
            Para("Fewer perioperative trials come from these regions. The Pan African Clinical Trials Registry "
                 "lists PACTR201509001187394, a phase II trial of paclitaxel in Kaposi sarcoma; the Iranian "
                 "registry lists IRCT20150531022498N21, a trial of perioperative ketamine in breast cancer "
                 "surgery; the Brazilian registry ReBEC lists RBR-5w6n3t, a trial of prehabilitation before "
                 "colorectal cancer surgery; and the Sri Lanka Clinical Trials Registry lists SLCTR/2012/013, "
                 "a trial of tranexamic acid in oral cancer surgery{^8}."),
            H("3. Registered perioperative trials", 1),
            Para("Table 1 lists one trial from each of eight registries, with the phase and year of "
                 "registration as printed in the registry record. Two entries of Table 1 are discussed "
                 "above; the others were identified in the ICTRP search."),
            TablePart(REG_TABLE),
        ]),
        Page([
            H("4. Identifiers that are not trial registrations", 1),
            Para("Several numbers in a typical review look like registry identifiers but are not. Grant "
                 "numbers follow national schemes: this work was supported by the Swedish Research Council "
                 "(grant no. 2019-01245) and by the National Natural Science Foundation of China (No. "
                 "82073318). Digital object identifiers such as doi:10.1186/s13063-015-0586-4 contain "
                 "digit groups separated by hyphens, and so do telephone numbers in correspondence "
                 "addresses. None of these should be read as a trial registration."),
            H("5. Conclusion", 1),
            Para("Identifiers from at least sixteen registries appear in the perioperative oncology "
                 "literature. Extraction tools should recognise each format, join identifiers broken across "
                 "lines, and ignore grant numbers, DOIs and telephone numbers."),
            H("Declarations", 1),
            H("Funding", 2),
            Para("Swedish Research Council (grant no. 2019-01245); National Natural Science Foundation of "
                 "China (No. 82073318)."),
            H("Conflicts of interest", 2),
            Para("The authors declare no conflicts of interest."),
            H("References", 1),
            Meta("1. De Angelis C, Drazen JM, Frizelle FA, et al. Clinical trial registration: a statement "
                 "from the International Committee of Medical Journal Editors. N Engl J Med 2004;351:1250-1.",
                 size=8),
            Meta("2. Example A, Sample B. Registry identifiers in oncology reviews. Trials 2015;16:586. "
                 "doi:10.1186/s13063-015-0586-4", size=8),
            Meta("3. Placeholder C. Perioperative immunotherapy: where are the trials registered? "
                 "Synth Rev Oncol 2023;2:45-52.", size=8),
        ]),
    ],
    trials=[
        trial("ISRCTN14422743", "ISRCTN", "III", 2018, "Resectable gastric cancer", ["Durvalumab"]),
        trial("DRKS00021234", "German Clinical Trials Register", "II", 2020,
              "Oesophagogastric adenocarcinoma", ["FLOT", "atezolizumab"]),
        trial("NTR4387", "Netherlands Trial Register", None, None, "rectal cancer",
              ["short-course radiotherapy"]),
        trial("2015-001234-56", "EudraCT", "II", 2015, "Hepatocellular carcinoma", ["Nivolumab"]),
        trial("2023-501234-12-00", "EU Clinical Trials Information System (CTIS)", "II", 2023,
              "Cutaneous squamous cell carcinoma", ["Cemiplimab"]),
        trial("ChiCTR2000029308", "Chinese Clinical Trial Registry", "II", 2020, "Hepatocellular carcinoma",
              ["Camrelizumab", "apatinib"]),
        trial("CTRI/2019/05/019284", "Clinical Trials Registry - India", "III", 2019, "Oral cancer",
              ["Methotrexate", "celecoxib"]),
        trial("jRCTs031180123", "Japan Registry of Clinical Trials", "I/II", 2018, "Non-small cell lung cancer",
              ["Nivolumab", "RT"]),
        trial("UMIN000012345", "UMIN Clinical Trials Registry", None, None, "gastric cancer", ["S-1"]),
        trial("KCT0003456", "Clinical Research Information Service (CRiS)", "II", 2019, "TNBC",
              ["Pembrolizumab"]),
        trial("ACTRN12618000123456", "Australian New Zealand Clinical Trials Registry", None, None,
              None, ["stereotactic radiotherapy"]),
        trial("TCTR20180108001", "Thai Clinical Trials Registry", None, None, "cholangiocarcinoma",
              ["capecitabine"]),
        trial("PACTR201509001187394", "Pan African Clinical Trials Registry", "II", None, "Kaposi sarcoma",
              ["paclitaxel"]),
        trial("IRCT20150531022498N21", "Iranian Registry of Clinical Trials", None, None,
              "breast cancer surgery", ["ketamine"]),
        trial("RBR-5w6n3t", "Brazilian Clinical Trials Registry (ReBEC)", None, None,
              "colorectal cancer surgery", ["prehabilitation"]),
        trial("SLCTR/2012/013", "Sri Lanka Clinical Trials Registry", None, None, "oral cancer surgery",
              ["tranexamic acid"]),
    ],
    entities=[("durvalumab", "CHEMICAL"), ("atezolizumab", "CHEMICAL"), ("nivolumab", "CHEMICAL"),
              ("cemiplimab", "CHEMICAL"), ("camrelizumab", "CHEMICAL"), ("apatinib", "CHEMICAL"),
              ("methotrexate", "CHEMICAL"), ("celecoxib", "CHEMICAL"), ("paclitaxel", "CHEMICAL"),
              ("tranexamic acid", "CHEMICAL"), ("gastric cancer", "DISEASE"),
              ("hepatocellular carcinoma", "DISEASE"), ("cutaneous squamous cell carcinoma", "DISEASE"),
              ("Kaposi sarcoma", "DISEASE"), ("cholangiocarcinoma", "DISEASE")],
)

# ---------------------------------------------------------------- 2. efficacy review

CHAR_TABLE = TableDef(
    label="Table 1",
    caption="Characteristics of the patients in the pooled first-line trials",
    header=["Characteristic", "Immunotherapy (n = 22)", "Chemotherapy (n = 20)"],
    widths=[0.40, 0.30, 0.30],
    rows=[
        ["Age ≥65 years, n (%)", npct(9, 22), npct(8, 20)],
        ["Male sex, n (%)", npct(18, 22), npct(14, 20)],
        ["ECOG performance status 1, n (%)", npct(12, 22), npct(11, 20)],
        ["PD-L1 CPS ≥5, n (%)", npct(13, 22), npct(10, 20)],
        ["Peritoneal metastases, n (%)", npct(6, 22), npct(7, 20)],
    ],
    footnote="ECOG: Eastern Cooperative Oncology Group; CPS: combined positive score.",
    footnote_facts=[A("ECOG", "Eastern Cooperative Oncology Group"), A("CPS", "combined positive score")],
)

EFF_ROWS = [
    ["NCT09000021", "Nivolumab + XELOX", "HER2-negative gastric cancer",
     outcomes("PFS: 7.7 months; OS: 13.8 months", "NCT09000021"), "III, 2021"],
    ["NCT09000022", "Pembrolizumab + trastuzumab + chemotherapy", "HER2-positive gastric cancer",
     outcomes("ORR: 74.4%; PFS: 10.0 months", "NCT09000022"), "III, 2023"],
    ["ChiCTR2100045678", "Sintilimab + XELOX", "Gastric cancer with peritoneal metastases",
     outcomes("ORR: 58.3%; OS: median 16.4 months", "ChiCTR2100045678"), "II, 2022"],
    ["NCT09000024", "Tislelizumab + chemotherapy", "ESCC",
     outcomes("ORR: 63.5%; OS: 17.2 months", "NCT09000024"), "III, 2022"],
    ["", "", "Gastric adenocarcinoma", outcomes("ORR: 47.1%", "NCT09000024"), ""],
    ["jRCTs031200045", "Nivolumab + SOX", "Elderly patients with gastric cancer",
     outcomes("DCR: 88.0%; PFS: 6.9 months", "jRCTs031200045"), "II, 2021"],
    ["ISRCTN49603761", "Durvalumab + FLOT", "Resectable gastric cancer",
     outcomes("PCR: 19.0%; EFS: up to 3 years", "ISRCTN49603761"), "II, 2020"],
]

EFF_TABLE = TableDef(
    label="Table 2",
    caption="Efficacy of immunotherapy combinations in randomised and single-arm trials",
    header=["Identifier", "Regimen", "Population", "Outcomes", "Phase, year"],
    widths=[0.19, 0.24, 0.24, 0.21, 0.12],
    rows=EFF_ROWS,
    footnote=("ESCC: oesophageal squamous cell carcinoma; SOX: S-1 and oxaliplatin; XELOX: capecitabine and "
              "oxaliplatin; PCR: pathological complete response; EFS: event-free survival."),
    footnote_facts=[A("ESCC", "oesophageal squamous cell carcinoma"), A("SOX", "S-1 and oxaliplatin"),
                    A("XELOX", "capecitabine and oxaliplatin"), A("PCR", "pathological complete response"),
                    A("EFS", "event-free survival")],
)

DOC_EFFICACY = Doc(
    stem="synthetic-efficacy-review",
    title="Immunotherapy combinations in gastro-oesophageal cancer: a review of efficacy data",
    doi="10.5555/jgo.2025.0348",
    running_left="Sample et al. J Synth Gastrointest Oncol 2025;9:348",
    running_right="https://doi.org/10.5555/jgo.2025.0348",
    subject="J Synth Gastrointest Oncol 2025;9:348. doi:10.5555/jgo.2025.0348",
    keywords="gastric cancer; immune checkpoint inhibitors; progression-free survival; review",
    pages=[
        Page([
            Title("Immunotherapy combinations in gastro-oesophageal cancer: a review of efficacy data"),
            Meta("Beatriz Sample{^1}, Dana Fixture{^1}, Alex Example{^2}", size=10),
            Meta("{^1}Department of Medical Oncology, Sample Cancer Centre, Lisbon, Portugal. {^2}Department of "
                 "Surgical Oncology, Example University Hospital, Cambridge, UK.", size=8),
            H("Abstract", 1),
            Para("Immune checkpoint inhibitors have changed the first-line treatment of advanced gastric and "
                 "oesophageal cancer. We review the efficacy of these combinations, the populations that "
                 "benefit, and the preclinical data behind newer regimens. Across trials, ~72% of enrolled "
                 "patients had HER2-negative disease and over 70% had a combined positive score of 1 or more.",
                 [P(72, "~72% of enrolled patients", q="~"), P(70, "over 70% had a combined", q="over")]),
            H("INTRODUCTION", 1),
            Para("Gastric cancer remains a leading cause of cancer death, and most patients present with "
                 "advanced disease{^1,2}. Programmed death-ligand 1 (PD-L1) is expressed in 45%{^3} of "
                 "gastric adenocarcinomas, and dense infiltrates of CD8{^+} tumour-infiltrating lymphocytes "
                 "(TILs) predict benefit from PD-1 blockade{^4,5}. The main outcome measures in the trials "
                 "discussed here are progression-free survival (PFS), overall survival (OS), objective "
                 "response rate (ORR) and DCR (disease control rate).",
                 [A("PD-L1", "Programmed death-ligand 1"), P(45, "is expressed in 45% of gastric"),
                  A("TILs", "tumour-infiltrating lymphocytes"), A("PFS", "progression-free survival"),
                  A("OS", "overall survival"), A("ORR", "objective response rate"),
                  A("DCR", "disease control rate")]),
            Para("The patients pooled from the two first-line trials with individual data are described in "
                 "Table 1; the arms were balanced, with 18 of 22 and 14 of 20 patients being men."),
            TablePart(CHAR_TABLE),
        ]),
        Page([
            H("EFFICACY IN RANDOMISED TRIALS", 1),
            H("First-line chemo-immunotherapy", 2),
            Para("In the phase III NCT09000011 trial, median PFS was 11.2 months vs 5.8 months with "
                 "chemotherapy alone{^6}, and the hazard ratio (HR) for progression was 0.52 (95% CI "
                 "0.41–0.66). In the same trial the ORR was 45.0% versus 30.1%, and the median OS of 24.0 "
                 "months (95% CI 20.1–27.9) compared with 16.5 months in the control arm corresponds to a "
                 "32% reduction in the risk of death (HR 0.68).",
                 [E("PFS", 11.2, "months", "median PFS was 11.2 months vs 5.8 months", comp=5.8, q="median",
                    trial="NCT09000011"),
                  A("HR", "hazard ratio"), P(95, "(95% CI 0.41–0.66)"),
                  E("ORR", 45.0, "%", "ORR was 45.0% versus 30.1%", comp=30.1),
                  P(45.0, "45.0% versus 30.1%"), P(30.1, "45.0% versus 30.1%"),
                  E("OS", 24.0, "months", "median OS of 24.0 months (95% CI 20.1–27.9) compared with 16.5 months",
                    comp=16.5, q="median"),
                  P(95, "(95% CI 20.1–27.9)"), P(32, "32% reduction in the risk of death")]),
            Para("A second trial, NCT09000012, randomly assigned 1,581{^7} patients and reported an ORR of "
                 "52.3% in the combination arm; the disease control rate reached 88.5%, and the 95 % "
                 "confidence interval (CI) of the hazard ratio for death excluded 1.",
                 [E("ORR", 52.3, "%", "an ORR of 52.3%", trial="NCT09000012"), P(52.3, "52.3% in the combination"),
                  E("DCR", 88.5, "%", "the disease control rate reached 88.5%", trial="NCT09000012"),
                  P(88.5, "reached 88.5%"), P(95, "the 95 % confidence interval"), A("CI", "confidence interval")]),
            H("Anti-angiogenic combinations", 2),
            Para("Ramucirumab with paclitaxel and an anti-PD-1 antibody gave a median PFS of 8.3 months in "
                 "a single-arm study{^8}, and the odds ratio for response in patients with a combined "
                 "positive score of 10 or more was 2.4 (95% CI 1.3–4.4). Grade 3 or worse toxicity occurred "
                 "in 27.3 vs 59.1% of patients in two small randomised phase II trials{^9}.",
                 [E("PFS", 8.3, "months", "a median PFS of 8.3 months", q="median"), P(95, "(95% CI 1.3–4.4)"),
                  P(27.3, "27.3 vs 59.1%", sign=False), P(59.1, "27.3 vs 59.1%")]),
            H("PRECLINICAL EVIDENCE", 1),
            Para("In MC38 tumour-bearing mice, 80% of animals treated with the triple combination survived "
                 "to day 60, and median survival reached 48 days versus 27 days with control IgG{^10}. "
                 "Depletion of CD8{^+} T cells abolished this effect in 100% of the animals tested{^11}.",
                 [P(80, "80% of animals"), P(100, "in 100% of the animals")]),
            H("EFFICACY BY TRIAL", 1),
            Para("Table 2 summarises the efficacy reported by each trial, with the registry identifier, "
                 "the phase and the year of the primary report."),
            Para("Trials were included when they had a registry identifier and reported at least one efficacy "
                 "outcome from a completed primary analysis. Where a trial reported several populations, each "
                 "population is given on its own row, and outcomes are those of the experimental arm. "
                 "Interim analyses, abstracts without a full report and trials in the second-line setting "
                 "were not included, and results in mice are discussed separately above."),
            TablePart(EFF_TABLE, 0, 4),
        ]),
        Page([
            TablePart(EFF_TABLE, 4, None, continued=True),
            H("CONCLUSION", 1),
            Para("Chemo-immunotherapy improves PFS and OS in HER2-negative gastric cancer, and newer "
                 "combinations extend this benefit to ESCC and to HER2-positive disease. Preclinical "
                 "results in mice should not be read as clinical evidence."),
            H("REFERENCES", 1),
            Meta("1. Fixture D, Sample B. Global burden of gastric cancer. Synth Epidemiol 2022;3:1-9.", size=8),
            Meta("2. Example A. Advanced gastric cancer at presentation. J Synth Gastrointest Oncol "
                 "2021;5:101-8.", size=8),
            Meta("3. Sample B, Example A. PD-L1 expression in gastric adenocarcinoma. Synth Pathol "
                 "2020;7:55-63.", size=8),
        ]),
    ],
    trials=[
        trial("NCT09000011", "ClinicalTrials.gov", "III", None, None, None),
        trial("NCT09000012", "ClinicalTrials.gov", None, None, None, None),
        trial("NCT09000021", "ClinicalTrials.gov", "III", 2021, "HER2-negative gastric cancer",
              ["Nivolumab", "XELOX"]),
        trial("NCT09000022", "ClinicalTrials.gov", "III", 2023, "HER2-positive gastric cancer",
              ["Pembrolizumab", "trastuzumab", "chemotherapy"]),
        trial("ChiCTR2100045678", "Chinese Clinical Trial Registry", "II", 2022,
              "Gastric cancer with peritoneal metastases", ["Sintilimab", "XELOX"]),
        trial("NCT09000024", "ClinicalTrials.gov", "III", 2022, "ESCC; Gastric adenocarcinoma",
              ["Tislelizumab", "chemotherapy"]),
        trial("jRCTs031200045", "Japan Registry of Clinical Trials", "II", 2021,
              "Elderly patients with gastric cancer", ["Nivolumab", "SOX"]),
        trial("ISRCTN49603761", "ISRCTN", "II", 2020, "Resectable gastric cancer", ["Durvalumab", "FLOT"]),
    ],
    entities=[("Nivolumab", "CHEMICAL"), ("Pembrolizumab", "CHEMICAL"), ("trastuzumab", "CHEMICAL"),
              ("Tislelizumab", "CHEMICAL"), ("Ramucirumab", "CHEMICAL"), ("paclitaxel", "CHEMICAL"),
              ("Gastric cancer", "DISEASE"), ("gastric adenocarcinomas", "DISEASE"),
              ("oesophageal squamous cell carcinoma", "DISEASE"), ("peritoneal metastases", "DISEASE")],
)

# ---------------------------------------------------------------- 3. Lancet-style trial report

BASE_TABLE = TableDef(
    label="Table 1",
    caption="Baseline characteristics of the intention-to-treat population",
    header=["", "Sintilimab group (n=120)", "Observation group (n=118)"],
    widths=[0.44, 0.28, 0.28],
    rows=[
        ["Age ≥60 years", npct(71, 120, "·"), npct(66, 118, "·")],
        ["Men", npct(98, 120, "·"), npct(95, 118, "·")],
        ["ECOG performance status 0", npct(64, 120, "·"), npct(60, 118, "·")],
        ["Pathological stage III", npct(77, 120, "·"), npct(79, 118, "·")],
        ["Neoadjuvant chemoradiotherapy", npct(45, 120, "·"), npct(42, 118, "·")],
    ],
    footnote="Data are n (%). ECOG=Eastern Cooperative Oncology Group.",
    footnote_facts=[A("ECOG", "Eastern Cooperative Oncology Group")],
)

AE_TABLE = TableDef(
    label="Table 2",
    caption="Treatment-related adverse events in the safety population, by grade",
    header=["", "Sintilimab: grade 1–2 (n=119)", "Sintilimab: grade ≥3 (n=119)",
            "Observation: grade 1–2 (n=118)", "Observation: grade ≥3 (n=118)"],
    widths=[0.28, 0.18, 0.18, 0.18, 0.18],
    rows=[
        ["Any adverse event", npct(84, 119, "·"), npct(21, 119, "·"), npct(40, 118, "·"), npct(5, 118, "·")],
        ["Hypothyroidism", npct(25, 119, "·"), npct(1, 119, "·"), npct(2, 118, "·"), "0"],
        ["Rash", npct(19, 119, "·"), npct(3, 119, "·"), npct(4, 118, "·"), "0"],
        ["Pneumonitis", npct(6, 119, "·"), npct(4, 119, "·"), "0", "0"],
        ["Increased aminotransferase", npct(14, 119, "·"), npct(5, 119, "·"), npct(3, 118, "·"),
         npct(1, 118, "·")],
        ["Fatigue", npct(30, 119, "·"), npct(2, 119, "·"), npct(12, 118, "·"), "0"],
        ["Diarrhoea", npct(11, 119, "·"), npct(2, 119, "·"), npct(5, 118, "·"), npct(1, 118, "·")],
    ],
    footnote=("Data are n (%). Events of any grade occurring in at least 5% of patients in either group are "
              "shown; one treatment-related death (pneumonitis) occurred in the sintilimab group."),
    footnote_facts=[P(5, "at least 5% of patients")],
)

_COL_LEFT = [
    H("Methods", 1),
    H("Study design and participants", 2),
    Para("This randomised, open-label, phase 3 trial enrolled adults with resected oesophageal squamous "
         "cell carcinoma at 14 hospitals in China. The trial is registered with the Chinese Clinical Trial "
         "Registry, ChiCTR1900021234, and with ISRCTN, ISRCTN20415678."),
    H("Statistical analysis", 2),
    Para("The primary endpoint was disease-free survival (DFS). We planned to enrol 238 patients to detect "
         "a hazard ratio of 0·6 with 80% power at a two-sided α of 0·05.",
         [A("DFS", "disease-free survival"), P(80, "with 80% power")]),
]
_COL_RIGHT = [
    H("Results", 1),
    Para("Between 2019 and 2021, 238 patients were randomly assigned (table 1). At a median follow-up of "
         "31·4 months, median DFS was 25·3 months (95% CI 21·0–29·6) in the sintilimab group versus 18·1 "
         "months (15·2–21·0) in the observation group (ChiCTR1900021234).",
         [P(95, "(95% CI 21·0–29·6)"),
          E("DFS", 25.3, "months", "median DFS was 25·3 months (95% CI 21·0–29·6) in the sintilimab group "
            "versus 18·1 months", comp=18.1, q="median", trial="ChiCTR1900021234")]),
    Para("The 2-year DFS rate was 52·1% versus 39·8%, and grade 3 or worse treatment-related adverse "
         "events occurred in 12·5% of patients given sintilimab (table 2). The hazard ratio for death was "
         "0·71 (95% CI 0·50–1·01).",
         [E("DFS", 52.1, "%", "2-year DFS rate was 52·1% versus 39·8%", comp=39.8),
          P(52.1, "52·1% versus 39·8%"), P(39.8, "52·1% versus 39·8%"), P(12.5, "in 12·5% of patients"),
          P(95, "(95% CI 0·50–1·01)")]),
]

DOC_LANCET = Doc(
    stem="synthetic-lancet-trial",
    title="Adjuvant sintilimab versus observation after resection of oesophageal squamous cell "
          "carcinoma (SYN-ESCC): a randomised, open-label, phase 3 trial",
    doi="10.5555/synlancet.2025.0077",
    running_left="Articles",
    running_right="www.example.org/synth-lancet   Vol 6 May 2025",
    subject="Synth Lancet Oncol 2025;6:77. doi:10.5555/synlancet.2025.0077",
    keywords="oesophageal squamous cell carcinoma; adjuvant immunotherapy; sintilimab",
    pages=[
        Page([
            Title("Adjuvant sintilimab versus observation after resection of oesophageal squamous cell "
                  "carcinoma (SYN-ESCC): a randomised, open-label, phase 3 trial", size=14),
            Meta("Chen Placeholder, Dana Fixture, Beatriz Sample, on behalf of the SYN-ESCC investigators*",
                 size=10),
            H("Summary", 1, gold="Abstract"),
            Para("{b:Background} Recurrence after resection of oesophageal squamous cell carcinoma (ESCC) "
                 "is common; we tested adjuvant sintilimab, an anti-PD-1 antibody.",
                 [A("ESCC", "oesophageal squamous cell carcinoma")]),
            Para("{b:Methods} In this randomised, open-label, phase 3 trial (ChiCTR1900021234), patients "
                 "with resected ESCC were assigned to sintilimab for 1 year or to observation. The primary "
                 "endpoint was disease-free survival."),
            Para("{b:Findings} 238 patients were randomly assigned. Median DFS was 25·3 months (95% CI "
                 "21·0–29·6) with sintilimab and 18·1 months (15·2–21·0) with observation (hazard ratio "
                 "0·6, 95% CI 0·4–0·9). Grade 3 or worse treatment-related adverse events occurred in "
                 "12·5% of patients given sintilimab and 4·2% of those under observation.",
                 [P(95, "25·3 months (95% CI"),
                  E("DFS", 25.3, "months", "Median DFS was 25·3 months (95% CI 21·0–29·6) with sintilimab and "
                    "18·1 months", comp=18.1, q="median"),
                  P(95, "0·6, 95% CI 0·4–0·9"), P(12.5, "12·5% of patients given sintilimab"),
                  P(4.2, "4·2% of those under observation")]),
            Para("{b:Interpretation} Adjuvant sintilimab prolonged DFS after resection of ESCC, with "
                 "acceptable toxicity."),
            Para("{b:Funding} Synthetic Cancer Foundation (grant SCF-2019-0412)."),
            H("Introduction", 1),
            Para("Oesophageal cancer causes over 500 000 deaths a year, and about 85% of cases worldwide are "
                 "squamous cell carcinomas{^1}. After neoadjuvant chemoradiotherapy and resection, "
                 "recurrence occurs in 40–50% of patients within 2 years{^2,3}. Adjuvant nivolumab improved "
                 "disease-free survival in patients with residual disease after chemoradiotherapy{^4}, but "
                 "whether patients who had surgery first benefit is unknown. Sintilimab, a fully human "
                 "IgG4 antibody against programmed cell death protein 1 (PD-1), is approved in China for "
                 "several cancers{^5}.",
                 [P(85, "about 85% of cases", q="about"), P(40, "40–50% of patients", sign=False),
                  P(50, "40–50% of patients"), A("PD-1", "programmed cell death protein 1")]),
        ]),
        Page([
            TablePart(BASE_TABLE),
            Columns(_COL_LEFT, _COL_RIGHT),
        ]),
        Page([TablePart(AE_TABLE)], rotated=True),
        Page([
            H("Discussion", 1),
            Para("In this trial, adjuvant sintilimab prolonged DFS by a median of about 7 months. The benefit "
                 "is smaller than in patients with residual disease after chemoradiotherapy, in whom adjuvant "
                 "PD-1 blockade reduced the risk of recurrence by 31%{^4}, but it was consistent across "
                 "subgroups. Hypothyroidism and rash were the most frequent immune-related events, and "
                 "pneumonitis was the only fatal one.",
                 [P(31, "by 31%")]),
            H("Contributors", 1),
            Para("CP designed the trial; DF and BS collected and analysed the data."),
            H("Declaration of interests", 1),
            Para("We declare no competing interests."),
            H("References", 1),
            Meta("1. Fixture D. Oesophageal cancer worldwide. Synth Epidemiol 2023;4:12-20.", size=8),
            Meta("2. Sample B. Recurrence after oesophagectomy. Synth Surg 2022;8:301-9.", size=8),
            Meta("4. Example A. Adjuvant PD-1 blockade after chemoradiotherapy. Synth Med 2021;384:1191-203.",
                 size=8),
        ]),
    ],
    trials=[
        trial("ChiCTR1900021234", "Chinese Clinical Trial Registry", "III", None,
              "resected oesophageal squamous cell carcinoma", ["sintilimab"]),
        trial("ISRCTN20415678", "ISRCTN", "III", None,
              "resected oesophageal squamous cell carcinoma", ["sintilimab"]),
    ],
    entities=[("sintilimab", "CHEMICAL"), ("nivolumab", "CHEMICAL"),
              ("oesophageal squamous cell carcinoma", "DISEASE"), ("Hypothyroidism", "DISEASE"),
              ("pneumonitis", "DISEASE"), ("Rash", "DISEASE"), ("Diarrhoea", "DISEASE")],
)

DOCS = [DOC_REGISTRIES, DOC_EFFICACY, DOC_LANCET]


def generate(out_pdfs: Path, out_gold: Path) -> list[Path]:
    out_pdfs.mkdir(parents=True, exist_ok=True)
    out_gold.mkdir(parents=True, exist_ok=True)
    written = []
    for d in DOCS:
        gold = gold_bytes(d)                       # checks the facts against the text first
        pdf = Setter(d).render()
        (out_pdfs / f"{d.stem}.pdf").write_bytes(pdf)
        (out_gold / f"{d.stem}.gold.json").write_bytes(gold)
        written += [out_pdfs / f"{d.stem}.pdf", out_gold / f"{d.stem}.gold.json"]
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None,
                    help="write DIR/pdfs and DIR/gold instead of fixtures/pdfs and fixtures/gold")
    a = ap.parse_args(argv)
    pdfs, gold = (a.out / "pdfs", a.out / "gold") if a.out else (ROOT / "fixtures/pdfs", ROOT / "fixtures/gold")
    for p in generate(pdfs, gold):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())

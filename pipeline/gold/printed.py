"""Checks against the PDF: which section titles print on a line of their own.

The XML cannot tell a heading printed on its own line from one printed run in (on the first
line of its paragraph, "Background: Treatment for …"), nor which headings the typesetter
adds. With the PDF, every candidate is looked up in its text lines (PyMuPDF
`get_text("dict")` lines, in the file's own order, pages in order):

- line keys: the gold-format normalization (superscripts removed, quotes and dashes
  mapped, NFKC, casefold), leading numbering stripped (gold-format's pattern, or the
  section's own XML label), then only letters and digits kept (so letter-spaced or small-cap
  runs compare equal);
- an OWN-LINE occurrence: one line whose key equals the title's, or two or three
  consecutive lines of one page whose keys joined equal it (a title that wraps);
- a RUN-IN occurrence: a line that starts with the title, followed by a word boundary and
  more text on the same line;
- the candidates are aligned with the occurrences in order (a longest chain increasing in
  both the XML order and the PDF line order), so that an abstract's run-in "Results" is
  not confused with the body's own-line "Results";
- decision: aligned with an own-line occurrence → kept ("own line"); aligned with a run-in
  occurrence → dropped ("run in"); not aligned: an own-line occurrence anywhere → kept
  ("own line, out of order"), else a run-in one → dropped ("run in, out of order"), else
  not found → dropped ("not found in PDF text"): on the corpus a title the text layer
  does not have at all is one print leaves out (an "Introduction" the journal does not
  print, online-only "Supplementary material", a title the typesetter reworded);
- "Abstract" itself is never checked (gold-format: the abstract counts as a level-1 section
  titled Abstract). An implied heading (untitled reference list or acknowledgements) takes
  the printed line's own text as its title.
Without a PDF: every titled candidate is kept, implied ones are dropped (reason "no PDF").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import SectionCandidate

_QUOTES = str.maketrans({**{c: "'" for c in "‘’‚‛′`´"}, **{c: '"' for c in "“”„‟″"},
                         **{c: "-" for c in "‐‑‒–—―−﹘﹣－"}, "\u00ad": None, "\u200b": None,
                         "\u200c": None, "\u200d": None, "\ufeff": None})
_NUMBERING = re.compile(r"^(\d+(\.\d+)*\.?|[IVXLC]+[.)]|\d+\))\s+")


def normalize(text: str) -> str:
    text = "".join(ch for ch in text if not unicodedata.decomposition(ch).startswith("<super>"))
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).casefold()
    return " ".join(text.split())


def key(text: str, label: str = "") -> str:
    t = _NUMBERING.sub("", normalize(text))
    if label:
        lab = normalize(label).rstrip(".")
        if t.startswith(lab):
            t = t[len(lab):].lstrip(" .:)")
    return "".join(ch for ch in t if ch.isalnum())


@dataclass
class Line:
    page: int
    text: str
    norm: str
    key: str


def pdf_lines(pdf_path) -> list[Line]:
    import pymupdf
    out: list[Line] = []
    with pymupdf.open(str(pdf_path)) as doc:
        for pno, page in enumerate(doc):
            for block in page.get_text("dict").get("blocks", []):
                for line in block.get("lines", []):
                    text = " ".join("".join(s.get("text", "") for s in line.get("spans", [])).split())
                    if text:
                        norm = _NUMBERING.sub("", normalize(text))
                        out.append(Line(pno, text, norm, key(text)))
    return out


_TABLE_CAPTION = re.compile(r"^table\s+(\d+)(?:\s*[.:|]|\s+[a-z(]|$)")


def printed_table_labels(lines: list[Line]) -> set[str]:
    """Labels of the tables the PDF captions ("Table 2." / "Table 2:" / "Table 2 Baseline ...")
    at the start of a line; "Table 2 shows" is prose (a lower-case word right after the number is
    let through only when the line is short, as captions set on a line of their own are)."""
    out = set()
    for ln in lines:
        m = _TABLE_CAPTION.match(ln.norm)
        if m and (len(ln.norm) < 120 or not re.match(r"^table\s+\d+\s+[a-z]", ln.norm)):
            if re.match(r"^table\s+\d+\s+(?:shows|lists|summari[sz]es|presents|gives|and|or|in|of)\b", ln.norm):
                continue
            out.add(f"table {m.group(1)}")
    return out


@dataclass
class Decision:
    candidate: SectionCandidate
    keep: bool
    reason: str
    title: str
    page: int | None = None


def _occurrences(c: SectionCandidate, lines: list[Line]) -> list[tuple[int, str]]:
    titles = c.alternatives or (c.title,)
    keys = {key(t, c.label) for t in titles} | {key(t) for t in titles}
    keys.discard("")
    norms = {_NUMBERING.sub("", normalize(t)).rstrip(" .:") for t in titles}
    occ = []
    for i, ln in enumerate(lines):
        if ln.key in keys:
            occ.append((i, "own"))
            continue
        if ln.key and any(k.startswith(ln.key) and len(k) > len(ln.key) for k in keys):
            kind = _wrapped(i, lines, keys)
            if kind and not (kind == "runin" and c.alternatives):
                occ.append((i, kind))
                continue
        if c.alternatives:
            continue          # an implied heading counts only on a line of its own
        for n in norms:
            if n and ln.norm.startswith(n) and len(ln.norm) > len(n) + 1 and not ln.norm[len(n)].isalnum():
                occ.append((i, "runin"))
                break
    return occ


def _wrapped(i: int, lines: list[Line], keys: set[str]) -> str | None:
    """A title that wraps: lines i, i+1 (, i+2) of one page joined equal it ("own"), or
    the title ends inside the last of them and text follows on that line ("runin")."""
    joined = lines[i].key
    for j in (1, 2):
        if i + j >= len(lines) or lines[i + j].page != lines[i].page or not lines[i + j].key:
            return None
        joined += lines[i + j].key
        if joined in keys:
            return "own"
        if any(joined.startswith(k) for k in keys):
            return "runin"
        if not any(k.startswith(joined) for k in keys):
            return None
    return None


OWN_BONUS = 0.01   # among equally long chains, prefer own-line occurrences


def _align(occs: list[list[tuple[int, str]]]) -> dict[int, tuple[int, str]]:
    """Longest chain of (candidate, line) pairs increasing in both; one line per candidate."""
    events = sorted((pos, ci, kind) for ci, occ in enumerate(occs) for pos, kind in occ)
    weight = [1 + (OWN_BONUS if kind == "own" else 0) for _, _, kind in events]
    best = list(weight)
    prev = [-1] * len(events)
    for a in range(len(events)):
        for b in range(a):
            if events[b][0] < events[a][0] and events[b][1] < events[a][1] and best[b] + weight[a] > best[a] + 1e-9:
                best[a], prev[a] = best[b] + weight[a], b
    if not events:
        return {}
    a = max(range(len(events)), key=lambda k: (round(best[k], 6), -k))
    chain = {}
    while a >= 0:
        pos, ci, kind = events[a]
        chain[ci] = (pos, kind)
        a = prev[a]
    return chain


def decide(cands: list[SectionCandidate], lines: list[Line] | None) -> list[Decision]:
    out: list[Decision] = []
    if lines is None:
        for c in cands:
            keep = not c.alternatives
            out.append(Decision(c, keep, "no PDF: kept from XML" if keep else "no PDF: implied heading left out", c.title))
        return out
    checked = [c for c in cands if c.where != "abstract" or c.title != "Abstract" or c.level != 1]
    occs = [_occurrences(c, lines) for c in checked]
    chain = _align(occs)
    by_id = {id(c): k for k, c in enumerate(checked)}
    for c in cands:
        k = by_id.get(id(c))
        if k is None:
            out.append(Decision(c, True, "the abstract: always a level-1 section", c.title))
            continue
        occ = occs[k]
        if k in chain:
            pos, kind = chain[k]
            reason = "own line" if kind == "own" else "run in"
        elif any(kind == "own" for _, kind in occ):
            pos, kind = next(o for o in occ if o[1] == "own")
            reason = "own line, out of order"
        elif occ:
            pos, kind = occ[0]
            reason = "run in, out of order"
        else:
            out.append(Decision(c, False, "not found in PDF text; left out", c.title))
            continue
        title = lines[pos].text if c.alternatives else c.title
        if c.alternatives and kind == "own":
            title = " ".join(lines[pos].text.split())
        out.append(Decision(c, kind == "own", reason, title, lines[pos].page + 1))
    return out

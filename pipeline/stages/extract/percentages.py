"""Percentages as printed: signed numbers, ranges, shared signs, spelled forms, header-declared cells.

What counts (gold-format.md, percentages): every number printed with "%" (also "95 %",
"per cent", "percent", spelled "Seventy two per cent"); both ends of a range ("42-45%",
"9%-13%", "from 9 to 13%"); the unsigned first number of "27.3 vs 59.1%" (declared_by
"shared_sign"); numbers a table column header (or a row label) declares to be percentages,
such as the "(81.8)" of "18 (81.8)" under "n (%)" (declared_by "header").
Temperatures, CI labels without a sign and numbers glued to words are not percentages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.stages.extract.numbers import (
    DASH,
    NUM,
    NUM_START,
    PCT,
    SPELLED_PCT_RE,
    in_url,
    parse_number,
    qualifier_before,
    spelled_value,
)


@dataclass
class PctMatch:
    value: float
    start: int
    end: int
    qualifier: str | None = None
    declared_by: str = "sign"
    quantifies: str | None = None


_SIGNED = re.compile(NUM_START + r"(?P<neg>[−-](?=[0-9]))?(?P<num>" + NUM + r")" + PCT + r"(?![0-9][0-9A-Fa-f]|[A-Fa-f][0-9])")
# "42-45%", "42–45%", "9 to 13%", "from 9 to 13%", "between 9 and 13%": the unsigned first end
_RANGE_HEAD = re.compile(
    r"(?:(?P<from>\b(?:from|between)[ \u00a0]+))?" + NUM_START + r"(?<![-–—‐‑−])(?P<num>" + NUM + r")"
    r"(?P<sep>[ \u00a0]*" + DASH + r"[ \u00a0]*|[ \u00a0]+to[ \u00a0]+|[ \u00a0]+and[ \u00a0]+)$"
)
# "27.3 vs 59.1%", "3.5 versus 6.6%", "27.3 and 59.1%": the unsigned first number
_SHARED_HEAD = re.compile(
    NUM_START + r"(?<![-–—‐‑−])(?P<num>" + NUM + r")"
    r"(?P<sep>[ \u00a0]*(?:vs\.?|versus|v\.|or|and|compared (?:with|to))[ \u00a0]+)$"
)
_NOT_A_VALUE_BEFORE = re.compile(
    r"(?i)(?:\bn[ \u00a0]*=|\bN[ \u00a0]*=|\btables?|\bfig(?:ure)?s?\.?|\bphases?|\bgrades?|\bstages?|\bdays?|"
    r"\bweeks?|\bmonths?|\byears?|\bcycles?|\bdoses?|\bage[ds]?|\bversion|\bref\.?|\bstudy|\bstudies|\bcohorts?|"
    r"\bgroups?|\barms?|\bitems?|\blevels?|\btypes?|\bIL|\bCD|\bPD)[ \u00a0-]*$"
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")

_STOP = (r"(?:with|who|which|that|were|was|is|are|had|have|has|in|at|after|during|for|from|on|by|"
         r"than|compared|versus|vs|and|or|to|of|among|respectively|while|when|whereas|but)")
_AFTER_OF = re.compile(r"^[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+|all[ \u00a0]+|our[ \u00a0]+|these[ \u00a0]+)?"
                       r"(?P<np>(?:(?!" + _STOP + r"\b)[A-Za-zα-ωΑ-Ω][\w+/-]*[ \u00a0]?){1,3})")
_AFTER_NOUN = re.compile(r"^[ \u00a0]+(?P<np>(?:(?!" + _STOP + r"\b)[A-Za-zα-ωΑ-Ω][\w+/-]*[ \u00a0]?){1,4})")
_BEFORE = re.compile(r"(?P<np>(?:\b[A-Za-zα-ωΑ-Ω][\w+/-]*[ \u00a0]){0,3}[A-Za-zα-ωΑ-Ω][\w+/-]*)"
                     r"[ \u00a0]*(?:\(|:|[ \u00a0]+(?:of|was|were|is|are|reached|at|rate of))[ \u00a0]*$")
_WEAK = {"the", "a", "an", "and", "or", "of", "to", "in", "at", "by", "with", "was", "were", "is", "are"}


def quantifies_of(text: str, start: int, end: int) -> str | None:
    """What the sentence says the percentage at [start, end) measures, if it says so nearby.

    "52% of patients" -> "patients"; "94% tumor suppression" -> "tumor suppression";
    "ORR of 52%" / "ORR: 52%" -> "ORR"; otherwise None.
    """
    after = text[end:end + 60]
    m = _AFTER_OF.match(after)
    if m:
        return _clean_np(m.group("np"))
    m = _AFTER_NOUN.match(after)
    if m and not re.match(r"^[ \u00a0]+(?:CI|confidence)\b", after):
        np = _clean_np(m.group("np"))
        if np:
            return np
    before = text[max(0, start - 60):start]
    qual, qstart = qualifier_before(text, start)
    if qual:
        before = text[max(0, qstart - 60):qstart]
    m = _BEFORE.search(before)
    if m:
        words = [w for w in m.group("np").split() if w.lower() not in _WEAK]
        if words:
            return " ".join(words[-3:])
    return None


def _clean_np(np: str) -> str | None:
    words = np.split()
    while words and words[-1].lower() in _WEAK:
        words.pop()
    return " ".join(words) or None


def find_percentages(text: str) -> list[PctMatch]:
    """Every percentage printed in `text`, in text order (offsets into `text`)."""
    out: list[PctMatch] = []
    taken: list[tuple[int, int]] = []
    for m in _SIGNED.finditer(text):
        if in_url(text, m.start(), m.end()):
            continue
        value = parse_number(m.group("num"))
        start = m.start("num")
        if m.group("neg"):
            before = text[m.start() - 1] if m.start() > 0 else " "
            if before.isspace() or before in "([=:;,":
                value = -value
                start = m.start()
        qual, _ = qualifier_before(text, m.start())
        out.append(PctMatch(value, start, m.end(), qual))
        taken.append((m.start(), m.end()))
        # the unsigned first end of a range, or the first number of "27.3 vs 59.1%"
        head_text = text[max(0, m.start() - 40):m.start()]
        base = m.start() - len(head_text)
        h = _RANGE_HEAD.search(head_text)
        kind = "range"
        if h and h.group("sep").strip() == "and" and not h.group("from"):
            h, kind = None, "shared"
        if h is None:
            h = _SHARED_HEAD.search(head_text)
            kind = "shared"
        if h is None:
            continue
        hs, he = base + h.start("num"), base + h.end("num")
        if _NOT_A_VALUE_BEFORE.search(text[max(0, hs - 12):hs]) or (
            _YEAR.fullmatch(h.group("num")) and kind == "shared"
        ):
            continue
        if any(a <= hs < b for a, b in taken):
            continue
        hq, _ = qualifier_before(text, hs)
        out.append(PctMatch(parse_number(h.group("num")), hs, he, hq, "shared_sign"))
    for m in SPELLED_PCT_RE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        qual, _ = qualifier_before(text, m.start())
        out.append(PctMatch(spelled_value(m.group(1)), m.start(), m.end(), qual))
    out.sort(key=lambda p: p.start)
    for p in out:
        p.quantifies = quantifies_of(text, p.start, p.end)
    return out


# ---- numbers a table header declares to be percentages ----

# "n (%)", "N (% male)", "Patients (%)": the number in parentheses is a percentage
_PCT_PAREN = r"\(\s*%(?:\s+[^()%]{1,40})?\s*\)"
_HDR_N_PCT = re.compile(r"(?i)(?:\bn|\bno\.?|\bnumber|\bcount|\bpatients)\s*" + _PCT_PAREN + r"|" + _PCT_PAREN
                        + r"\s*$|\bn\s*\(%\)")
_HDR_PCT_FIRST = re.compile(r"(?i)^\s*(?:mean\s+|median\s+)?(?:%|percent(?:age)?|proportion\s*\(%\)|rate\s*\(%\))"
                            r"(?:\s*\(\s*(?:SD|SE|IQR|range|95\s*%\s*CI)\s*\))?\s*$|^\s*%\s*\(")
_ROW_NOT_PCT = re.compile(r"(?i)\b(?:mean|median|SD|IQR|range|score)\b")
_PAREN_NUM = re.compile(r"\(\s*(?P<num>" + NUM + r")\s*(?P<sign>%)?\s*\)")
_LEAD_NUM = re.compile(r"^\s*(?P<neg>[−-])?(?P<num>" + NUM + r")(?!\s*%)(?![0-9/])")


_HDR_COUNT = re.compile(r"(?i)(?:\bn|\bno\.?|\bnumber|\bcount|\bpatients|\bcases|\bfrequency)\s*" + _PCT_PAREN)
_HDR_UNIT = re.compile(r"(?i)(?:\(\s*%\s*\)|\s%|\[\s*%\s*\])\s*$")
_BARE_NUM = re.compile(r"^\s*(?P<neg>[−-])?(?P<num>" + NUM + r")\s*[a-z*†‡§¶#]?\s*$")


# "% of patients", "% female", "Percentage of responders": the share the column holds, first number
_HDR_PCT_NAMED = re.compile(r"(?i)^\s*(?:%|percent(?:age)?\s+of\b)(?!\s*(?:change|difference|increase|decrease|reduction|CI)\b)\s*[A-Za-z]")
_HDR_STAT = re.compile(r"(?i)\b(?:mean|median|SD|IQR|range|score|p[- ]?value|HR|OR|RR|CI)\b|±")


def header_stat(header: str) -> bool:
    """A leaf header naming another statistic (mean, SD, HR …) and no percentage: the head above
    it does not make its cells percentages."""
    return bool(_HDR_STAT.search(header)) and "%" not in header


def header_mode(header: str) -> str | None:
    """How a column header declares its cells: 'paren' for "n (%)" (the number in parentheses),
    'lead' for "%" or "% (SD)" (the leading number), 'either' for a quantity whose unit is "%"
    ("GC content (%)", "I² (%)", "Inhibition %": a bare number, or the parenthesized share of
    an "n (x)" cell)."""
    h = header.strip()
    if not h or "%" not in h and not re.search(r"(?i)percent", h):
        return None
    if _HDR_PCT_FIRST.search(h) or _HDR_PCT_NAMED.search(h):
        return "lead"
    if _HDR_COUNT.search(h) or re.search(r"(?i)\bn\s*\(%\)", h):
        return "paren"
    if _HDR_UNIT.search(h):
        return "either"
    if _HDR_N_PCT.search(h):
        return "paren"
    return None


_TABLE_N_PCT = re.compile(r"(?i)\b(?:data|values|results)\s+are\s+(?:shown\s+as\s+|presented\s+as\s+|given\s+as\s+)?"
                          r"(?:number\s*|n(?:/N)?\s*)\(\s*%\s*\)")


def table_mode(caption: str, footnote: str | None) -> str | None:
    """"Data are n (%)" in a caption or footnote declares the "n (x)" cells of the whole table."""
    return "paren" if _TABLE_N_PCT.search(f"{caption} {footnote or ''}") else None


def row_label_mode(label: str) -> str | None:
    """A row label ending in "n (%)", "N (% male)" or "(%)" declares its row's cells; so does a label that
    names a percentage ("Per cent of overweight/obese", "% female"): the leading number of each cell."""
    lab = label.strip()
    if re.search(r"(?i)(?:\bn|\bno\.?)\s*" + _PCT_PAREN + r"\s*$", lab):
        return "paren"
    if re.match(r"(?i)(?:%|per\s?cent(?:age)?\b)(?!\s*(?:change|difference|increase|decrease|reduction)\b)", lab) \
            and not re.search(r"(?i)\(\s*(?:SD|SE|IQR|range|95\s*%\s*CI)\s*\)", lab):
        return "lead"
    if re.search(r"\(\s*%\s*\)\s*$|,\s*%\s*$", lab):
        return "lead" if not re.search(r"(?i)\bn\b", lab) else "paren"
    return None


def header_declared(cell: str, mode: str, row_label: str = "") -> list[PctMatch]:
    """Percentages a header or row label declares in a cell printed without "%" beside them."""
    out: list[PctMatch] = []
    if mode == "either":
        if row_label and _ROW_NOT_PCT.search(row_label) and "%" not in row_label:
            return out
        bare = _BARE_NUM.match(cell)
        if bare:
            v = parse_number(bare.group("num"))
            start = bare.start("neg") if bare.group("neg") else bare.start("num")
            return [PctMatch(-v if bare.group("neg") else v, start, bare.end("num"), None, "header")]
        mode = "paren"
    if mode == "paren":
        if row_label and _ROW_NOT_PCT.search(row_label) and "%" not in row_label:
            return out
        for m in _PAREN_NUM.finditer(cell):
            if m.group("sign"):
                continue  # printed with its own sign: found as a signed percentage
            # "18 (81.8)", "147/1233 (12)": an integer count before the parenthesis
            if not re.search(r"(?<![0-9.·⋅])[0-9]+(?:/[0-9]+)?\s*$", cell[:m.start()]):
                continue
            out.append(PctMatch(parse_number(m.group("num")), m.start("num"), m.end("num"), None, "header"))
    elif mode == "lead":
        m = _LEAD_NUM.match(cell)
        if m:
            v = parse_number(m.group("num"))
            start = m.start("num")
            if m.group("neg"):
                v, start = -v, m.start("neg")
            out.append(PctMatch(v, start, m.end("num"), None, "header"))
    return out

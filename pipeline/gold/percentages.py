"""Percentages: every printed one, and the numbers a table declares to be percentages.

Printed percentages (any text unit: abstract, body, boxed text, titles, captions, table
cells, table footnotes; never the reference list, author notes or licence):
- a number followed by `%` (with or without a space), `per cent` or `percent`;
  a number is ASCII digits with an optional `.`/`·` decimal part (thousands with commas);
  it never starts inside a word or another number. A minus sign directly before it (with
  no number before the sign) makes it negative: `−8%` → -8;
- a number spelled in words before `per cent`/`percent` ("Seventy two per cent" → 72);
- a pair whose second number carries the sign gives two items, first number first:
  `a-b%`, `a–b%`, `a to b%`, `from a to b%`, `between a and b%`, `a vs b%`, `a versus b%`;
- the qualifier is the word or sign printed just before the number (`~`, `≈`, `<`, `≥`,
  about, approximately, around, nearly, almost, over, more than, less than, up to, at
  least …), lower-cased, else null (not scored).

Declared percentages in tables (cells without a `%` of their own):
- a header cell covering the column (the leaf cell or a spanning head above it), the row's
  first cell (or that of the group-head row above it, see below), the caption or a table
  footnote can declare; text is read after removing printed percentages (`95% CI`);
- "(%)" or "[%]" declares the number in parentheses: in a cell `18 (81.8)` or `18/22 (81.8)`
  the 81.8 counts. When the declaring text names a count before it (`n (%)`, `No. (%)`,
  `Number (%)`, `n/N (%)`, `frequency (%)`) a cell that is a bare number is a count and
  gives nothing; otherwise (`Prevalence (%)`) a bare-number cell counts whole;
- a `%` that is not in parentheses (`%`, `% (SD)`, `% of patients`) or the word
  percent/percentage/per cent declares the cell's first number (and the second of a range
  `a–b` right after it);
- the caption and the footnotes declare only through a count form (`n (%)`, "number
  (percentage)") and only for cells shaped `n (x)` / `n/N (x)`;
- a row whose first cell declares applies to its own cells; when its other cells are all
  empty it is a group head and applies to the rows below it until the next group head;
- "(n, %)" is a count form too ("Male (n, %)");
- a row label declares only in an explicit form (`n (%)`, `(n, %)`, `(%)`, `(% DM)`,
  `Male, %`, percent/percentage), never by a unit such as "mg %";
- a column in which any value declared by its header exceeds 100 is not a column of
  percentages: none of its header-declared values counts, and no declared value above 100
  counts anywhere (an energy row under a "% DM" group head); printed `%` values always count;
- the first column (row labels) is never a declared value; a column whose header names
  another statistic and no percentage (mean, median, SD, IQR, range, ±, CI, p value, HR,
  OR, RR …) is never declared by a row or the table; a row whose label names one
  ("Age, mean (SD)") is never declared unless the label itself declares. A group head is a row with a label and no values
  outside such columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import TableData
from .tables import resolve

NUM = r"(?:[0-9]+,[0-9]{1,2}(?![0-9,])|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.·][0-9]+)?)"
SIGN = r"(?P<sign>[-−–]\s?)?"
PCT = r"(?:\s?%|\s?per\s?cent\b|\s?percent(?!ile|age))"
_PRIMARY = re.compile(rf"(?<![\w.·,]){SIGN}(?P<num>{NUM}){PCT}")
_PAIR = re.compile(rf"(?<![\w.·,])(?P<first>{NUM})\s*(?P<sep>-|–|—|‒|to|vs\.?|versus|and)\s*$")
_QUAL = re.compile(r"(?i)(~|∼|≈|≃|<|>|≤|≥|⩽|⩾|about|approximately|approx\.|around|nearly|almost|"
                   r"over|more than|less than|greater than|fewer than|up to|at least|at most|"
                   r"roughly|under|above|below|only|just|some)\s*$")
_WORDNUM = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_WORDS = "|".join(sorted(list(_WORDNUM) + list(_TENS) + ["hundred"], key=len, reverse=True))
_SPELLED = re.compile(rf"(?i)\b(?P<words>(?:{_WORDS})(?:[\s-]+(?:{_WORDS}))*)\s+(?:per\s?cent|percent)\b")

_PRINTED = re.compile(rf"{NUM}\s?%")
_PAREN_DECL = re.compile(r"[(\[]\s*%\s*[)\]]")
_N_COMMA_PCT = re.compile(r"(?i)[(\[]\s*n\s*[,/;]\s*%\s*[)\]]")
_COUNT_DECL = re.compile(r"(?i)(?:\bn\b|\bno\.?|\bnumber|\bcounts?|\bfrequency|\bfreq\.?)\s*(?:/\s*n\s*)?[,]?\s*[(\[]\s*(?:%|percent(?:age)?s?)\s*[)\]]")
_BARE_DECL = re.compile(r"(?i)%|\bper\s?cent\b|\bpercent(?:age)?s?\b")
_OTHER_STAT = re.compile(r"(?i)\b(mean|median|sd|s\.d\.|iqr|range|ci|p[- ]?values?|p)\b|±")
_RATIO = re.compile(r"\b(HR|OR|RR|aOR|AOR|aHR|IRR|SMD|MD|WMD)\b")
_NPAREN = re.compile(rf"(?<![\w.])(?:{NUM})(?:\s*/\s*{NUM})?\s*[(\[]\s*(?P<pct>{NUM})\s*[)\]\s,;]")
_FIRST = re.compile(rf"^\s*[~≈<>≤≥]?\s*(?P<sign>[-−–])?(?P<num>{NUM})(?:\s*[-–]\s*(?P<second>{NUM}))?")
_BARE_NUM = re.compile(rf"^\s*(?P<sign>[-−–])?(?P<num>{NUM})\s*$")


@dataclass
class Pct:
    value: float
    qualifier: str | None
    quote: str


def number(s: str) -> float:
    """A printed number: `·` is a decimal point; a comma before 1-2 final digits is a decimal
    comma ("8,15" = 8.15), before groups of three a thousands separator."""
    if re.fullmatch(r"[0-9]+,[0-9]{1,2}", s):
        s = s.replace(",", ".")
    v = float(s.replace(",", "").replace("·", "."))
    return int(v) if v.is_integer() else v


def _quote(text: str, start: int, end: int) -> str:
    a = max(0, start - 40)
    b = min(len(text), end + 25)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp >= 0 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp > 0 else b
    return text[a:b].strip()


def _qualifier(before: str) -> str | None:
    m = _QUAL.search(before[-20:])
    return m.group(1).lower() if m else None


def _spelled_value(words: str) -> int | None:
    total = 0
    for w in re.split(r"[\s-]+", words.lower()):
        if w == "hundred":
            total = (total or 1) * 100
        elif w in _TENS:
            total += _TENS[w]
        elif w in _WORDNUM:
            total += _WORDNUM[w]
        else:
            return None
    return total


def in_text(text: str) -> list[Pct]:
    """Printed percentages of one text, in order."""
    found: list[tuple[int, Pct]] = []
    for m in _PRIMARY.finditer(text):
        sign = m.group("sign")
        start = m.start("num")
        before = text[:m.start()]
        if sign and re.search(rf"{NUM}\s*%?\s*$", before):
            sign = None        # a range dash, not a minus: "27.87-61.94%"
            before = text[:m.start("num")]
        value = number(m.group("num"))
        if sign:
            value = -value
        pair = _PAIR.search(text[:start] if not m.group("sign") or sign else text[:m.start()])
        if pair and not re.search(r"%\s*$", text[:pair.end("first")]):
            sep = pair.group("sep")
            if sep != "and" or re.search(r"(?i)between\s+$", text[:pair.start("first")]):
                first = number(pair.group("first"))
                found.append((pair.start("first"), Pct(first, _qualifier(text[:pair.start("first")]),
                                                        _quote(text, pair.start("first"), m.end()))))
                before = text[:pair.start("first")]
        found.append((start, Pct(value, _qualifier(text[:m.start()]) if not pair else _qualifier(before),
                                 _quote(text, start, m.end()))))
    for m in _SPELLED.finditer(text):
        v = _spelled_value(m.group("words"))
        if v is not None:
            found.append((m.start(), Pct(v, _qualifier(text[:m.start()]), _quote(text, m.start(), m.end()))))
    found.sort(key=lambda x: x[0])
    return [p for _, p in found]


@dataclass
class Decl:
    mode: str          # "paren" | "bare"
    counts: bool       # paren mode: a bare-number cell is a count


def declaration(text: str) -> Decl | None:
    t = _PRINTED.sub(" ", text)
    if _COUNT_DECL.search(t) or _N_COMMA_PCT.search(t):
        return Decl("paren", True)
    if _PAREN_DECL.search(t):
        return Decl("paren", False)
    if _BARE_DECL.search(t):
        return Decl("bare", False)
    return None


_ROW_FORM = re.compile(r"(?i)[(\[]\s*%|,\s*%\s*$|\bper\s?cent\b|\bpercent(?:age)?s?\b")


def row_declaration(label: str) -> Decl | None:
    """A row label declares only in an explicit form: `n (%)`, `(n, %)`, `(%)`, `(% DM)`,
    `Male, %`, or the word percent/percentage (not a unit such as "18 mg %")."""
    t = _PRINTED.sub(" ", label)
    d = declaration(t)
    if d is None:
        return None
    if d.mode == "paren" or _ROW_FORM.search(t):
        return d if d.mode == "paren" else Decl("paren", False) if re.search(r"[(\[]\s*%", t) else d
    return None


def _table_level(texts: list[str]) -> Decl | None:
    for t in texts:
        t2 = _PRINTED.sub(" ", t)
        if _COUNT_DECL.search(t2) or re.search(r"(?i)\b(?:n|number|frequency|count)\s*\(\s*(?:percentage|percent|proportion)s?\s*\)", t2):
            return Decl("paren", True)
    return None


def declared(cell: str, d: Decl, shape_only: bool = False) -> list[float]:
    """Numbers of `cell` that the declaration `d` makes percentages."""
    if not cell or "%" in cell:
        return []
    if d.mode == "paren":
        out = [number(m.group("pct")) for m in _NPAREN.finditer(cell + " ")]
        if out or shape_only:
            return out
        m = _BARE_NUM.match(cell)
        if m and not d.counts:
            v = number(m.group("num"))
            return [-v if m.group("sign") else v]
        return []
    m = _FIRST.match(cell)
    if not m:
        return []
    v = number(m.group("num"))
    out = [-v if m.group("sign") else v]
    if m.group("second"):
        out.append(number(m.group("second")))
    return out


def _other(text: str) -> bool:
    """The text names a statistic that is not a percentage (mean, SD, p value, HR …)."""
    t = _PRINTED.sub(" ", text)
    return bool(_OTHER_STAT.search(t) or _RATIO.search(t)) and declaration(t) is None


def in_table(t: TableData) -> list[Pct]:
    out: list[Pct] = [*in_text(t.caption)] if t.caption else []
    if t.header_rows is not None:
        res = resolve(t.header_rows, t.body_rows or [])
        for h in res.header:
            out.extend(in_text(h))
        for col in res.covering:
            for h in col[1:]:
                out.extend(in_text(h))
        table_decl = _table_level([t.caption, *t.footnotes])
        col_decl = [next((d for d in map(declaration, col) if d), None) for col in res.covering]
        col_other = [any(_other(h) for h in col) and d is None for col, d in zip(res.covering, col_decl)]
        group_decl = None
        # a declared value above 100 shows the column is not one of percentages: the whole
        # column's declared values are dropped (a retention index under a "%" group head)
        bad_cols = set()
        pending: list[tuple[int, Pct]] = []
        staged: list[tuple[int, list]] = []

        def flush(row):
            staged.append((len(out), list(pending)))
            for c, p in pending:
                if c >= 0 and abs(p.value) > 100:  # c: the column whose header declared it
                    bad_cols.add(c)
            pending.clear()
        for row in res.rows:
            label = row[0] if row else ""
            row_decl = row_declaration(label) if label else None
            values_empty = not any(v for c, v in enumerate(row) if c > 0 and not col_other[c])
            if label and values_empty:
                group_decl = row_decl          # a group head: declares (or clears) for the rows below
            rd = row_decl or group_decl
            row_other = _other(label)
            for c, cell in enumerate(row):
                pending.extend((-1, p) for p in in_text(cell))
                if c == 0 or not cell or col_other[c] or (row_other and not row_decl):
                    continue
                d, shape_only = col_decl[c] or rd, False
                if d is None and table_decl:
                    d, shape_only = table_decl, True
                if d is not None:
                    head = res.header[c] or label
                    src = c if d is col_decl[c] else -2
                    for v in declared(cell, d, shape_only):
                        pending.append((src, Pct(v, None, f"{head}: {cell}"[:90])))
            flush(row)
        for at, items in reversed(staged):
            out[at:at] = [p for c, p in items
                          if c == -1 or (c not in bad_cols and abs(p.value) <= 100)]
    for f in t.footnotes:
        out.extend(in_text(f))
    return out


def percentages(units) -> list[Pct]:
    out: list[Pct] = []
    for u in units:
        out.extend(in_table(u) if isinstance(u, TableData) else in_text(u))
    return out

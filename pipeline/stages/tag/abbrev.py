"""Schwartz & Hearst abbreviation definitions over plain text.

scispaCy's detector works on tokens and skips short forms whose tokens include a
one-character piece ("αPD-1", "GemCis-ICI", "PLX-Lip" tokenize around their hyphens);
this character-level version of the same algorithm finds those. Greek letters match the
Latin initial of their spelled or prefix form (α: alpha / anti).
"""
from __future__ import annotations

import re

_GREEK = str.maketrans({"α": "a", "β": "b", "γ": "g", "δ": "d", "κ": "k", "μ": "m", "λ": "l", "θ": "t", "ω": "o"})
_PAREN = re.compile(r"\(([^()]{1,120})\)")
_SHORT = re.compile(r"^(?=.*[A-Zα-ω])[A-Za-z0-9α-ω][\w\-+/α-ω.]{0,14}$")


_MARKS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉")  # "I²", "CO₂": the index is no initial


def _best_long_form(short: str, long: str) -> str | None:
    s = short.translate(_GREEK).translate(_MARKS).lower()
    lf = long.lower()
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum()
                                            and not _digraph_initial(lf, li))):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    start = max(long.rfind(" ", 0, li + 1), long.rfind("(", 0, li + 1)) + 1
    return long[start:].strip()


def _digraph_initial(lf: str, li: int) -> bool:
    """The "e" of a word-initial British "oe"/"ae" ("oesophageal" -> E of ESCC, "haem-" aside)."""
    return lf[li] == "e" and li >= 1 and lf[li - 1] in "oa" and (li == 1 or not lf[li - 2].isalnum())


def initial_matches(short: str, long: str) -> bool:
    """The long form starts with the short form's first letter (or with "oe"/"ae" for an E)."""
    a, b = short.translate(_GREEK)[:1].lower(), long[:2].lower()
    return b[:1] == a or (a == "e" and b in ("oe", "ae"))


def _acceptable(short: str, long: str | None) -> bool:
    if not long or len(long) <= len(short) or not initial_matches(short, long):
        return False
    return " " in long or "-" in long or len(long) >= len(short) + 4


def definitions(text: str) -> list[tuple[str, str, int, int]]:
    """(short, long, short_start, short_end) for each definition in `text`."""
    out = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        inner_first = re.split(r"[;,]\s", inner)[0].strip()
        before_text = text[: m.start()]
        num = re.match(r"^(\S+)\s+([0-9]{1,2})$", inner_first)
        if num and re.search(r"\s" + num.group(2) + r"\s*$", before_text):
            # "tumor regression grade 1 (TRG 1)": the short form TRG for "tumor regression grade"
            inner_first = num.group(1)
            before_text = re.sub(r"\s*" + num.group(2) + r"\s*$", "", before_text)
        if _SHORT.match(inner_first) and len(inner_first) >= 2:
            words = before_text.split()
            n = min(len(inner_first) + 5, 2 * len(inner_first))
            window = " ".join(words[-n:]) if words else ""
            long = _best_long_form(inner_first, window)
            if _acceptable(inner_first, long):
                s = m.start(1) + m.group(1).index(inner_first)
                out.append((inner_first, long, s, s + len(inner_first)))
        elif len(inner.split()) >= 2:
            before = re.search(r"(\S+)\s*$", text[: m.start()])
            if before and _SHORT.match(before.group(1)) and sum(c.isupper() for c in before.group(1)) >= 2:
                short = before.group(1)
                long = _best_long_form(short, inner)
                if long and long == inner.strip():
                    out.append((short, long, before.start(1), before.end(1)))
    return out


_STOP = {"and", "of", "the", "for", "in", "on", "or", "with", "to", "at", "by", "a", "an"}


def extend_left(text: str, short: str, long: str, before: int) -> str:
    """Widen a long form that ends before `before` in `text` to the words the short form still needs:
    - a long form that starts with a function word ("and New Zealand Intensive Care Research Centre"
      for ANZIC-RC) starts at the word before it with the same initial ("Australian and New Zealand …");
    - a capitalized word right before it whose initial is a letter of the short form no word initial
      covers ("Extended" for GOSE: "Extended Glasgow Outcome Scale");
    - an opening parenthesis the long form closes ("(serious) adverse events")."""
    at = text.rfind(long, 0, before + 1)
    if at < 0:
        return long
    start = at
    words = long.split()
    letters = [c.lower() for c in short.translate(_GREEK) if c.isalpha()]
    base = max(0, start - 80)
    prev = [base + p.start() for p in re.finditer(r"\S+", text[base:start])]
    if words and words[0].lower() in _STOP and letters and words[0][0].lower() == letters[0]:
        for ps in reversed(prev[-3:]):
            w = re.sub(r"\W+$", "", text[ps:start].split()[0])
            if w.lower() in _STOP:
                continue
            if w[:1].lower() == letters[0]:
                start = ps
            break
    else:
        initials = [w[0].lower() for w in re.findall(r"[A-Za-z][\w'-]*", long)]
        missing = list(letters)
        for i in initials:
            if i in missing:
                missing.remove(i)
        if missing and prev:
            w = text[prev[-1]:start].strip()
            if re.fullmatch(r"[A-Z][a-z]+", w) and w[0].lower() in missing and w.lower() not in _STOP:
                start = prev[-1]
    out = text[start:at + len(long)]
    if out.count(")") > out.count("(") and text[:start].rstrip().endswith("("):
        start = text.rfind("(", 0, start)
        out = text[start:at + len(long)]
    return re.sub(r"\s+", " ", out).strip()

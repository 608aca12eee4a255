"""Numbers as printed: decimals (also the middle-dot decimal point), spelled numbers, qualifiers."""
from __future__ import annotations

import re

# a decimal number; "·" (U+00B7) and "⋅" (U+22C5) are decimal points in some house styles.
# Only ASCII digits: superscripts (², ⁺) are never numbers here.
NUM = r"[0-9]+(?:[.·⋅][0-9]+)?"
# a number not glued to a word, another number or a decimal point before it
NUM_START = r"(?<![A-Za-z0-9.·⋅,_/])"
# the percent sign as printed: "%", "95 %", "per cent", "percent"
PCT = r"(?:[ \u00a0\u2009\u202f]?%|[ \u00a0]?(?:per[ \u00a0]?cent|percent)\b)"
DASH = r"[-–—‐‑−]"

_QUALIFIERS = [
    "approximately", "approx.", "approx", "about", "around", "roughly", "nearly", "almost",
    "more than", "less than", "fewer than", "greater than", "higher than", "lower than",
    "up to", "at least", "at most", "over", "under", "below", "above", "exceeding", "as high as",
    "as low as", "as much as", "as many as", "median", "mean", "an average of", "on average",
    "~", "≈", "∼", "≥", "≤", ">", "<", "⩾", "⩽", "≳", "≲",
]
_Q_WORDS = sorted((q for q in _QUALIFIERS if q[0].isalpha()), key=len, reverse=True)
_Q_SYMBOLS = [q for q in _QUALIFIERS if not q[0].isalpha()]
_Q_WORD_RE = re.compile(r"(?i)(?<![A-Za-z])(" + "|".join(re.escape(q) for q in _Q_WORDS) + r")[ \u00a0]+$")
_Q_SYM_RE = re.compile("(" + "|".join(re.escape(q) for q in _Q_SYMBOLS) + r")[ \u00a0]?$")


def parse_number(s: str) -> float:
    return float(s.replace("·", ".").replace("⋅", "."))


def qualifier_before(text: str, pos: int) -> tuple[str | None, int]:
    """The qualifier printed right before `pos` ("~", "over", "up to" ...), and where it starts."""
    head = text[max(0, pos - 30):pos]
    base = pos - len(head)
    m = _Q_SYM_RE.search(head)
    if m:
        return m.group(1), base + m.start(1)
    m = _Q_WORD_RE.search(head)
    if m:
        return m.group(1), base + m.start(1)
    return None, pos


_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
SPELLED = (r"(?:(?:" + "|".join(_TENS) + r")(?:[ \u00a0-]+(?:" + "|".join(k for k in _UNITS if 0 < _UNITS[k] < 10)
           + r"))?|(?:one[ \u00a0]+)?hundred|" + "|".join(_UNITS) + r")")
SPELLED_PCT_RE = re.compile(r"(?i)(?<![A-Za-z])(" + SPELLED + r")" + PCT)


def spelled_value(words: str) -> float:
    total = 0
    for w in re.split(r"[\s\u00a0-]+", words.lower()):
        if w in _TENS:
            total += _TENS[w]
        elif w in _UNITS:
            total += _UNITS[w]
        elif w == "hundred":
            total = max(total, 1) * 100
    return float(total)


def in_url(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside a URL or a DOI token."""
    a = start
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = end
    while b < len(text) and not text[b].isspace():
        b += 1
    token = text[a:b]
    return "://" in token or "www." in token or "doi.org" in token or token.lower().startswith("doi:")

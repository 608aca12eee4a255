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


def _best_long_form(short: str, long: str) -> str | None:
    s = short.translate(_GREEK).lower()
    lf = long.lower()
    si, li = len(s) - 1, len(lf) - 1
    while si >= 0:
        c = s[si]
        if not c.isalnum():
            si -= 1
            continue
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        si -= 1
    start = max(long.rfind(" ", 0, li + 1), long.rfind("(", 0, li + 1)) + 1
    return long[start:].strip()


def _acceptable(short: str, long: str | None) -> bool:
    if not long or len(long) <= len(short) or long[0].lower() != short.translate(_GREEK)[0].lower():
        return False
    return " " in long or "-" in long or len(long) >= len(short) + 4


def definitions(text: str) -> list[tuple[str, str, int, int]]:
    """(short, long, short_start, short_end) for each definition in `text`."""
    out = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        inner_first = re.split(r"[;,]\s", inner)[0].strip()
        if _SHORT.match(inner_first) and len(inner_first) >= 2:
            words = text[: m.start()].split()
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

"""Normalized text as the gold format `review-gold/1` defines it (steps 1-4), and small helpers.

Used by the evaluator for every text comparison; extractors may reuse it to compare what
they read with what the gold file says.

1. characters whose Unicode decomposition is ``<super>`` are removed;
2. typographic quotes -> ``'`` / ``"``; dashes -> ``-``; soft hyphen and zero-width characters removed;
3. Unicode NFKC, then casefold;
4. white-space runs -> one space, trimmed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize_text", "normalize_short", "remove_superscripts", "map_punctuation",
    "strip_numbering", "strip_trailing_punct", "strip_leading_separator",
    "section_key", "label_key", "caption_key", "tokens", "token_f1", "intervention_key",
    "NUMBERING_RE",
]

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032`\u00b4"        # ‘ ’ ‚ ‛ ′ ` ´
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"               # “ ” „ ‟ ″
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"  # ‐ ‑ ‒ – — ― − ﹘ ﹣ －
_REMOVED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"                # soft hyphen, zero-width chars, BOM

_PUNCT_TABLE = {ord(c): "'" for c in _SINGLE_QUOTES}
_PUNCT_TABLE.update({ord(c): '"' for c in _DOUBLE_QUOTES})
_PUNCT_TABLE.update({ord(c): "-" for c in _DASHES})
_PUNCT_TABLE.update({ord(c): None for c in _REMOVED})

_WS = re.compile(r"\s+")

NUMBERING_RE = re.compile(r"^(\d+(\.\d+)*\.?|[IVXLC]+[.)]|\d+\))\s+")
"""Leading section numbering, as the format gives it (applied before casefolding)."""

# Trailing punctuation stripped from section titles, table labels and captions (after step 2,
# so every dash is already '-'). Closing brackets, quotes, '%' and footnote symbols are kept.
_TRAILING = ".,:;!?\u2026-"
_LEADING_SEPARATORS = ".:|"


@lru_cache(maxsize=None)
def _is_super(ch: str) -> bool:
    return unicodedata.decomposition(ch).startswith("<super>")


def remove_superscripts(text: str) -> str:
    """Step 1: drop characters whose decomposition is <super> (ᵃ ¹ ² ⁺ …)."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _is_super(ch))


def map_punctuation(text: str) -> str:
    """Step 2: quotes and dashes to ASCII, soft hyphen and zero-width characters removed."""
    return text.translate(_PUNCT_TABLE)


def normalize_text(text: str | None) -> str:
    """Steps 1-4 of the format: the form every text comparison is made on. None -> ''."""
    if not text:
        return ""
    text = map_punctuation(remove_superscripts(text))
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WS.sub(" ", text).strip()


def normalize_short(text: str | None) -> str:
    """Abbreviation short forms: steps 2 and 3 without casefolding (`CI` != `ci`)."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", map_punctuation(text))


def _precase(text: str) -> str:
    """Steps 1, 2, NFKC and white space, but case kept (for the numbering regex)."""
    text = unicodedata.normalize("NFKC", map_punctuation(remove_superscripts(text)))
    return _WS.sub(" ", text).strip()


def strip_numbering(text: str) -> str:
    """Remove leading numbering: `1.`, `2.3`, `2.3.1.`, `IV.`, `II)`, `3)` followed by white space."""
    return NUMBERING_RE.sub("", text, count=1)


def strip_trailing_punct(text: str) -> str:
    return text.rstrip(_TRAILING + " ").rstrip()


def strip_leading_separator(text: str) -> str:
    return text.lstrip(_LEADING_SEPARATORS + " ").lstrip()


def section_key(title: str | None) -> str:
    """Match key of a section: numbering stripped, normalized, trailing punctuation stripped."""
    text = strip_numbering(_precase(title or ""))
    return strip_trailing_punct(normalize_text(text))


def label_key(label: str | None) -> str:
    """Match key of a table: normalized label, trailing punctuation stripped (`Table 1.` -> `table 1`)."""
    return strip_trailing_punct(normalize_text(label))


def caption_key(caption: str | None) -> str:
    """Caption as compared: normalized, a leading separator (`.`, `:`, `|`) and trailing punctuation ignored."""
    return strip_trailing_punct(strip_leading_separator(normalize_text(caption)))


_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str | None) -> list[str]:
    """Letter/digit runs of the normalized text."""
    return _TOKEN.findall(normalize_text(text))


def token_f1(a: str | None, b: str | None) -> float:
    """F1 = 2|A∩B| / (|A|+|B|) over token multisets of the normalized texts (1.0 when both have none)."""
    from collections import Counter

    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    total = sum(ta.values()) + sum(tb.values())
    if total == 0:
        return 1.0
    return 2 * sum((ta & tb).values()) / total


_ANTI = re.compile(r"(?<![^\W\d_])anti[- ]|α-")


def intervention_key(text: str | None) -> str:
    """Normalized intervention with `anti-`, `anti ` and `α-` written as `α` (anti-PD-1 == α-PD-1 == αPD-1)."""
    return _ANTI.sub("α", normalize_text(text))

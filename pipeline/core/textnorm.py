"""Character-level clean-up of PDF text: ligatures, odd spaces, private-use glyphs, superscripts.

NFKC is deliberately not applied wholesale: it would flatten printed superscripts
(CD8⁺, I²) into plain text and fuse them with the numbers beside them.
"""
from __future__ import annotations

import re
import unicodedata

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_HYPHENS = {"\u2010": "-", "\u2011": "-"}
_TABLE = str.maketrans({**_LIGATURES, **_HYPHENS} | {chr(k): v for k, v in _SPACES.items()} | {chr(k): v for k, v in _DROP.items()})
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_PRIVATE = re.compile("[\ue000-\uf8ff]")

_SUPERSCRIPTS = str.maketrans({
    "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    "+": "⁺", "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "n": "ⁿ", "i": "ⁱ",
    "a": "ᵃ", "b": "ᵇ", "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "f": "ᶠ", "g": "ᵍ", "h": "ʰ", "j": "ʲ", "k": "ᵏ",
    "l": "ˡ", "m": "ᵐ", "o": "ᵒ", "p": "ᵖ", "r": "ʳ", "s": "ˢ", "t": "ᵗ", "u": "ᵘ", "v": "ᵛ", "w": "ʷ",
    "x": "ˣ", "y": "ʸ", "z": "ᶻ", "*": "*", "†": "†", "‡": "‡", "§": "§",
})
_SUPERSCRIPTABLE = set("0123456789+-−=()nia bcdefghjklmoprstuvwxyz*†‡§".replace(" ", ""))


def clean(text: str) -> str:
    """Normalize one span's text: NFC, ligatures expanded, odd spaces and invisible marks fixed."""
    if _CONTROL.search(text):
        text = _CONTROL.sub("\ufffd", text)  # glyphs without a Unicode mapping come out as control codes
    if text.isascii():
        return text  # every other character the table maps or the pattern finds is non-ASCII; NFC keeps ASCII
    if _LIGATURE_GAP.search(text):
        text = _LIGATURE_GAP.sub(_close_ligature_gap, text)
    if _MATH_ALNUM.search(text):
        text = _MATH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    if "\ufffd" in text or _PRIVATE.search(text):
        text = _PRIVATE.sub("\ufffd", text)  # keep a visible trace of unmappable glyphs
    return text


# Mathematical italic/bold letters and digits (math fonts set variables as 𝑛, 𝑝, 𝑁): plain letters
_MATH_ALNUM = re.compile("[\U0001D400-\U0001D7FF]")

# Math symbol fonts whose glyphs carry Latin-1 codes: a span of one such glyph alone is the
# operator it draws ("n ¼ 6" is "n = 6"); inside a word the letter is left alone
_SYMBOL_GLYPHS = {"¼": "=", "þ": "+", "À": "\u2212", "Â": "\u00d7", "Æ": "\u00b1", "ð": "(", "Þ": ")"}


def lone_symbol(text: str) -> str:
    """A span's text with a lone symbol-font glyph replaced by the operator it prints."""
    t = text.strip()
    if len(t) == 1 and t in _SYMBOL_GLYPHS:
        return text.replace(t, _SYMBOL_GLYPHS[t])
    return text


_LIGATURE_GAP = re.compile(r"(\w*[ﬀﬁﬂﬃﬄ]) ([a-z]+)")


def _close_ligature_gap(m: re.Match) -> str:
    """Some typesetters put a space after a ligature glyph ("eﬀ ective", "verifi ed"): close it
    when the joined form is a word and one of the pieces is not ("staﬀ members" stays)."""
    from pipeline.core.hyphenation import zipf

    left, right = m.group(1).translate(_TABLE), m.group(2)
    zj, zl, zr = zipf((left + right).lower()), zipf(left.lower()), zipf(right)
    if zj >= 2.5 and (zl < 2.5 or zr < 2.5 or zj >= max(zl, zr) + 1.0):
        return m.group(1) + right
    return m.group(0)


def to_superscript(text: str) -> str | None:
    """Unicode superscript form of `text`, or None when a character has none (e.g. '[' or ',')."""
    t = text.strip()
    if not t or any(c not in _SUPERSCRIPTABLE for c in t):
        return None
    return t.translate(_SUPERSCRIPTS)


def collapse_spaces(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()

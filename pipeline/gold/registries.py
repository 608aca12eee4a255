"""Registry identifiers: every distinct one the article's text mentions, canonical form.

Read from all printed text of the article (front matter, abstract, body, back matter and
the reference list: the format counts every identifier the document mentions) with the
loose `find` patterns of the project's one registry table (schemas.registries), which also
builds the canonical form. Where patterns of two families overlap, the earliest and then
longest match wins (table order breaks ties, so an EU CT number is not read as EudraCT).
Items carry `id` and `registry` only: phase, year, condition and interventions are not
in the XML's markup and are left out (absent = not scored). Order: first mention.
"""
from __future__ import annotations

import re

from schemas.registries import REGISTRIES

_SEPARATORS = re.compile(r"[\s\-]+")


def find_ids(text: str) -> list[tuple[str, str]]:
    """(canonical id, registry name) for each distinct identifier, in order of first mention."""
    hits = []
    for order, reg in enumerate(REGISTRIES):
        for m in reg.compiled_find.finditer(text):
            groups = {k: _SEPARATORS.sub("", v) for k, v in m.groupdict().items() if v}
            try:
                ident = reg.form(groups)
            except KeyError:
                continue
            if reg.compiled.fullmatch(ident):
                hits.append((m.start(), -(m.end() - m.start()), order, m.end(), ident, reg.registry))
    hits.sort()
    out, seen, taken_until = [], set(), -1
    for start, _neg, _order, end, ident, registry in hits:
        if start < taken_until:
            continue
        taken_until = end
        if ident.upper() not in seen:
            seen.add(ident.upper())
            out.append((ident, registry))
    return out

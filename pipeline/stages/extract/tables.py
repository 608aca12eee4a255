"""Table helpers for extract: which column holds what (by header words), rows with their continuations."""
from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.document import Table

_ROLES = (
    ("identifier", re.compile(r"(?i)\b(?:identifiers?|registr\w*|trial (?:id|no|number)|NCT|ID)\b")),
    ("interventions", re.compile(r"(?i)\b(?:treatments?|interventions?|regimens?|therap(?:y|ies)|drugs?|agents?|"
                                 r"arms?|combinations?)\b")),
    ("condition", re.compile(r"(?i)\b(?:tumou?r(?: types?)?|conditions?|diseases?|cancers?|indications?|"
                             r"populations?|diagnos[ie]s|malignanc(?:y|ies)|settings?)\b")),
    ("phase", re.compile(r"(?i)\bphases?\b|^\s*design\s*$")),
    ("year", re.compile(r"(?i)\byears?\b(?!\s*(?:old|of age))")),
)


@dataclass
class Columns:
    identifier: int | None = None
    interventions: int | None = None
    condition: int | None = None
    phase: int | None = None
    year: int | None = None


def columns(table: Table) -> Columns:
    """Column roles read off the header words; the first column that matches a role gets it."""
    cols = Columns()
    for i, h in enumerate(table.header):
        for role, pat in _ROLES:
            if getattr(cols, role) is None and pat.search(h or ""):
                setattr(cols, role, i)
                if role not in ("phase", "year"):
                    break  # "Phase, year" holds both
    return cols


def row_owner(table: Table, cols: Columns | None = None) -> list[int]:
    """For each data row, the row it belongs to: itself, or for a continuation row the row above's owner.

    A row is a continuation when the table says so, or, in a table with an identifier column,
    when its identifier and treatment cells are both empty while another cell is not.
    """
    owner: list[int] = []
    for r in range(len(table.rows)):
        cont = r < len(table.continuation) and table.continuation[r]
        if not cont and cols is not None and cols.identifier is not None and r > 0:
            keys = [c for c in (cols.identifier, cols.interventions) if c is not None]
            cont = all(not cell(table, r, c).strip() for c in keys) and any(x.strip() for x in table.rows[r])
        owner.append(owner[r - 1] if cont and r > 0 else r)
    return owner


def cell(table: Table, row: int, col: int | None) -> str:
    if col is None or row < 0 or row >= len(table.rows) or col >= len(table.rows[row]):
        return ""
    return table.rows[row][col]

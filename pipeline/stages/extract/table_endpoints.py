"""Endpoints a table states by its layout rather than in a cell's own words.

- The row label names the endpoint and the other columns are the arms or groups:
  `2-year PFS rate | 71.0% | 55.2%` gives PFS 71.0 % against 55.2 %, timepoint 2-year (with two
  value columns the second is the comparator; with more, each value is a record of its own).
- The column header names it and the rows are trials or arms: `Median PFS, months` over `10.6`
  gives PFS 10.6 months, qualifier median.

- The caption names it and the cells are its values only (`Median overall survival by study`
  over a grid of numbers): with two rows of values (the arms) each column gives a record, the
  second row its comparator; with two value columns each row does; else each value is a record.

The unit comes from the cell ("71.0%"), else from the label or header ("months", "(%)"). Columns
of p-values, hazard or odds ratios and confidence intervals never hold an endpoint's value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.stages.extract.endpoints import (
    UNIT,
    EndpointMatch,
    Vocabulary,
    endpoint_mentions,
    landmark_of,
    unit_name,
)
from pipeline.stages.extract.numbers import NUM, parse_number

_NOT_VALUES = re.compile(r"(?i)(?:^|\W)(?:p(?:[ -]?values?)?|hr|or|rr|ci|hazard|odds|ratio|difference|range|iqr|sd)(?:\W|$)"
                         r"|^\s*(?:n|no\.?|number)\s*$")
_UNIT_IN = re.compile(r"(?i)(?<![A-Za-z])(" + UNIT + r")(?![A-Za-z])")
_CELL_VALUE = re.compile(r"^\s*(?P<q>[<>≤≥~]|approximately\s+)?(?P<v>" + NUM + r")\s*(?P<u>%|" + UNIT + r"(?![A-Za-z]))?")


@dataclass
class TableEndpoint:
    column: int
    match: EndpointMatch


def _unit(text: str) -> str | None:
    m = _UNIT_IN.search(text)
    return unit_name(m.group(1)) if m else None


def _value(cell: str) -> tuple[float, str | None, int, int] | None:
    m = _CELL_VALUE.match(cell)
    if not m:
        return None
    return parse_number(m.group("v")), (unit_name(m.group("u")) if m.group("u") else None), m.start("v"), m.end()


def _single_term(text: str, voc: Vocabulary):
    found = endpoint_mentions(text, voc)
    return found[0] if len(found) == 1 and len(text) <= 80 else None


def row_label_endpoints(label: str, cells: list[str], header: list[str], voc: Vocabulary) -> list[TableEndpoint]:
    """Records of a row whose first cell names one endpoint and whose other cells hold its values."""
    mt = _single_term(label, voc)
    if mt is None:
        return []
    label_unit = _unit(label[mt.end:]) or _unit(label[:mt.start])
    valued = []
    for c in range(1, len(cells)):
        head = header[c] if c < len(header) else ""
        if _NOT_VALUES.search(head) or endpoint_mentions(cells[c], voc):
            continue
        v = _value(cells[c])
        if v is None:
            continue
        unit = v[1] or label_unit or _unit(head)
        if unit is None:
            continue
        valued.append((c, v, unit))
    if not valued:
        return []
    timepoint = landmark_of(label, mt)
    median = bool(re.search(r"(?i)\bmedian\b", label)) or mt.median
    qual = "median" if median and valued[0][2] != "%" else None
    if len(valued) == 2 and valued[0][2] == valued[1][2]:
        (c, v, unit), (_, v2, _) = valued
        return [TableEndpoint(c, EndpointMatch(mt.term.endpoint, mt.term.long_form, v[0], unit, v2[0], qual,
                                               v[2], v[3], timepoint if unit == "%" else None))]
    return [TableEndpoint(c, EndpointMatch(mt.term.endpoint, mt.term.long_form, v[0], unit, None, qual, v[2], v[3],
                                           timepoint if unit == "%" else None)) for c, v, unit in valued]


def header_endpoint(header: str, cell: str, voc: Vocabulary) -> EndpointMatch | None:
    """The value of a cell whose column header names one endpoint ("Median PFS, months", "ORR (%)")."""
    mt = _single_term(header, voc)
    if mt is None or _NOT_VALUES.search(header[mt.end:]) or endpoint_mentions(cell, voc):
        return None
    v = _value(cell)
    if v is None:
        return None
    unit = v[1] or _unit(header)
    if unit is None:
        return None
    median = bool(re.search(r"(?i)\bmedian\b", header)) or mt.median
    return EndpointMatch(mt.term.endpoint, mt.term.long_form, v[0], unit, None,
                         "median" if median and unit != "%" else None, v[2], v[3],
                         landmark_of(header, mt) if unit == "%" else None)


_CITES = re.compile(r"\bet al\b|\((?:19|20)[0-9]{2}[a-z]?\)|(?:19|20)[0-9]{2}[a-z]?$")  # a study's column
_YEAR = re.compile(r"^\s*(?:19[5-9][0-9]|20[0-9]{2})\s*$")
_EMPTY = re.compile(r"^\s*(?:[-–—−]|n/?a|nr|ns)?\s*$", re.I)
# an endpoint reported as a time: its median is given in months unless the table says otherwise
_TIME_TERM = re.compile(r"(?i)survival|time to|duration")


def caption_endpoints(caption: str, header: list[str], rows: list[list[str]], footnote: str | None,
                      voc: Vocabulary) -> dict[tuple[int, int], EndpointMatch]:
    """Records of a table whose caption names one endpoint and whose cells are only its values;
    keyed by (row, column) of the value's cell."""
    mt = _single_term(caption[:200], voc) if caption else None
    if mt is None or len(endpoint_mentions(caption, voc)) != 1:
        return {}
    if any(endpoint_mentions(h, voc) for h in header) or any(row and endpoint_mentions(row[0], voc) for row in rows):
        return {}
    cols = [c for c in range(1, max((len(r) for r in rows), default=0))
            if not _NOT_VALUES.search(header[c] if c < len(header) else "")]
    grid: dict[tuple[int, int], tuple] = {}
    for r, row in enumerate(rows):
        for c in cols:
            cell = row[c] if c < len(row) else ""
            if _EMPTY.match(cell):
                continue
            v = _value(cell)
            if v is None or _YEAR.match(cell) or v[3] < len(cell.rstrip("*†‡§ ")):
                return {}  # a cell that is not one value: not a table of this endpoint's values
            grid[(r, c)] = v
    if not grid:
        return {}
    unit = _unit(caption[mt.end:]) or next((u for h in header if (u := _unit(h))), None) or _unit(footnote or "")
    median = bool(re.search(r"(?i)\bmedian\b", caption)) or mt.median
    if unit is None and median and _TIME_TERM.search(mt.term.long_form or caption[mt.start:mt.end]):
        unit = "months"
    value_rows = sorted({r for r, _ in grid})
    value_cols = sorted({c for _, c in grid})
    pairs: list[tuple[tuple[int, int], tuple[int, int] | None]]
    cites = sum(bool(_CITES.search(header[c])) for c in value_cols if c < len(header))
    if len(value_rows) == 2 and (len(value_cols) > 2 or cites == len(value_cols)):
        a, b = value_rows
        pairs = [((a, c), (b, c) if (b, c) in grid else None) for c in value_cols if (a, c) in grid]
    elif len(value_cols) == 2:
        a, b = value_cols
        pairs = [((r, a), (r, b) if (r, b) in grid else None) for r in value_rows if (r, a) in grid]
    else:
        pairs = [(k, None) for k in sorted(grid)]
    out: dict[tuple[int, int], EndpointMatch] = {}
    for key, other in pairs:
        v = grid[key]
        u = v[1] or unit
        if u is None or (u == "%" and abs(v[0]) > 100):
            continue
        comp = grid[other][0] if other is not None and (grid[other][1] or unit) == u else None
        out[key] = EndpointMatch(mt.term.endpoint, mt.term.long_form, v[0], u, comp,
                                 "median" if median and u != "%" else None, v[2], v[3],
                                 landmark_of(caption, mt) if u == "%" else None)
    return out

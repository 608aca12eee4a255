"""Records from one table: trial rows and their attribute columns, endpoints and percentages of cells."""
from __future__ import annotations

import re
from collections import defaultdict

from pipeline.core.provenance import UnitIndex, cell_unit
from pipeline.stages.extract.endpoints import (
    Vocabulary,
    find_endpoints,
)
from pipeline.stages.extract.percentages import (
    find_percentages,
    header_declared,
    header_mode,
    header_stat,
    row_label_mode,
    table_mode,
)
from pipeline.stages.extract.prose import _endpoint_record, _pct_record
from pipeline.stages.extract.table_endpoints import caption_endpoints, header_endpoint, row_label_endpoints
from pipeline.stages.extract.registries import IdMatch, find_trial_ids
from pipeline.stages.extract.tables import cell, columns, row_owner
from pipeline.stages.extract.trials import (
    TrialCollector,
    clean_cell,
    phases_in,
    split_interventions,
    year_after,
)
from schemas.document import Table


def _table(table: Table, index: UnitIndex, voc: Vocabulary, trials: TrialCollector,
           endpoints: list, percentages: list) -> None:
    cols = columns(table)
    owner = row_owner(table, cols)
    whole = table_mode(table.caption, table.footnote)
    # identifiers per row group (a row with its continuation rows)
    group_ids: dict[int, list[IdMatch]] = defaultdict(list)
    cell_ids: dict[tuple[int, int], list[IdMatch]] = {}
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            found = find_trial_ids(text)
            if found:
                cell_ids[(r, c)] = found
                group_ids[owner[r]].extend(found)
    above = list(table.header_above) + [""] * (len(table.header) - len(table.header_above))
    col_modes = [header_mode(h) or (header_mode(a) if not header_stat(h) else None)
                 for h, a in zip(table.header, above)]
    bad_cols = _not_percent_columns(table, col_modes)
    by_caption = caption_endpoints(table.caption, table.header, table.rows, table.footnote, voc)

    # header cells: printed percentages only
    for c, text in enumerate(table.header):
        if text.strip():
            for p in find_percentages(text):
                percentages.append(_pct_record(p, [], index.provenance(cell_unit(table, -1, c), 0, len(text),
                                                                        p.start, p.end).model_dump()))
    for r, row in enumerate(table.rows):
        gid = group_ids.get(owner[r], [])
        trial_id = gid[0].id if gid else None
        label = row[0] if row else ""
        label_mode = row_label_mode(label) if len(row) > 1 else None
        by_layout = {te.column: te.match for te in row_label_endpoints(label, row, table.header, voc)} if len(row) > 1 else {}
        for c, text in enumerate(row):
            if not text.strip():
                continue
            unit = cell_unit(table, r, c)
            prov = lambda a, b: index.provenance(unit, 0, len(text), a, b).model_dump()  # noqa: E731
            for m in cell_ids.get((r, c), []):
                t = trials.add(m.id, m.registry, prov(m.start, m.end))
                _table_trial_attrs(t, table, cols, owner, r, text, m)
            eps = find_endpoints(text, voc)
            if not eps and c in by_layout:
                eps = [by_layout[c]]
            elif not eps and (r, c) in by_caption:
                eps = [by_caption[(r, c)]]
            elif not eps and c > 0 and c < len(table.header):
                got = header_endpoint(table.header[c], text, voc)
                eps = [got] if got is not None else []
            for ep in eps:
                endpoints.append(_endpoint_record(ep, trial_id, prov(ep.start, ep.end)))
            found = find_percentages(text)
            mode = (col_modes[c] if c < len(col_modes) and c not in bad_cols else None) or (
                label_mode if c > 0 else None) or (whole if c > 0 else None)
            if mode:
                taken = [(p.start, p.end) for p in found]
                for p in header_declared(text, mode, label if c > 0 else ""):
                    if not any(a <= p.start < b for a, b in taken):
                        found.append(p)
                found.sort(key=lambda p: p.start)
            for p in found:
                percentages.append(_pct_record(p, eps, prov(p.start, p.end)))


def _not_percent_columns(table: Table, col_modes: list[str | None]) -> set[int]:
    """Columns whose header declares percentages yet hold a declared value above 100: a "%" over
    them heads something else (an index or a count under a spanning "%" head), so none of them counts."""
    bad = set()
    for c, mode in enumerate(col_modes):
        if mode is None or c == 0:
            continue
        for row in table.rows:
            text = row[c] if c < len(row) else ""
            if text.strip() and any(abs(p.value) > 100 for p in header_declared(text, mode)):
                bad.add(c)
                break
    return bad


def _table_trial_attrs(t, table: Table, cols, owner: list[int], r: int, text: str, m: IdMatch) -> None:
    pri = TrialCollector.TABLE
    phases = phases_in(text)
    phase = phases[0][0] if phases else None
    phase_cell = cell(table, r, cols.phase) if cols.phase is not None else ""
    if phase is None and cols.phase is not None:
        ph = phases_in(phase_cell) or phases_in("phase " + re.split(r"[,;]", phase_cell.strip())[0])
        phase = ph[0][0] if ph else None
    if phase is None:  # a phase printed in another cell of the row ("Design": "Phase II, 2015")
        found = [p for x in table.rows[r] for p in phases_in(x)]
        phase = found[0][0] if found else None
    t.offer("phase", phase, pri)
    year = year_after(text, m.end)
    if year is None:
        ys = re.findall(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9]{2})(?![0-9])", text[:m.start] + " " + text[m.end:])
        year = int(ys[0]) if len(ys) == 1 else None
    for col in (cols.year, cols.phase):
        if year is None and col is not None:
            ys = re.findall(r"(?<![0-9])(?:19[5-9][0-9]|20[0-9]{2})(?![0-9])", cell(table, r, col))
            year = int(ys[0]) if ys else None
    t.offer("year", year, pri)
    rows = [i for i in range(len(table.rows)) if owner[i] == owner[r]]
    if cols.condition is not None:
        conds = [clean_cell(cell(table, i, cols.condition)) for i in rows]
        conds = [c for c in conds if c]
        t.offer("condition", "; ".join(dict.fromkeys(conds)) or None, pri)
    if cols.interventions is not None and cols.interventions != cols.identifier:
        items: list[str] = []
        for i in rows:
            for x in split_interventions(cell(table, i, cols.interventions)):
                if x not in items:
                    items.append(x)
        t.offer("interventions", items, pri)

"""Table grids with row and column spans resolved as printed (shared by JATS and BMC CALS).

Rules:
- cells are placed row by row, each in the first column not yet taken by a cell spanning
  down from a row above (HTML model); a CALS cell that names its column (`colname`,
  `namest`) starts there;
- body rows: a spanning cell's text is written once, in its first row and first column;
  every other position it covers is `""`. Rows that are empty in every column are not
  printed rows and are dropped; short rows are padded with `""` to the table's width;
- header: with several header rows, a column's header is its lowest non-empty header cell;
  a cell spanning several columns is the header of each column it spans in the row where
  it is the lowest non-empty cell (so a spanning group head over leaf cells is not a header,
  but a cell spanning two header rows is);
- `covering(c)` lists every header cell above column c (leaf first): a spanning head can
  declare a unit such as "n (%)" for all the columns below it (see percentages.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    col: int | None = None   # explicit start column (CALS), 0-based


@dataclass
class Grid:
    """Cells placed on a rows × cols grid: owner[r][c] is the index into `cells` or -1."""
    cells: list[Cell]
    origin: list[tuple[int, int]]
    owner: list[list[int]]
    ncols: int

    @property
    def nrows(self) -> int:
        return len(self.owner)

    def printed(self) -> list[list[str]]:
        out = []
        for r, row in enumerate(self.owner):
            line = []
            for c, k in enumerate(row):
                line.append(self.cells[k].text if k >= 0 and self.origin[k] == (r, c) else "")
            out.append(line)
        return out

    def text_at(self, r: int, c: int) -> str:
        k = self.owner[r][c]
        return self.cells[k].text if k >= 0 else ""

    def widen(self, ncols: int) -> None:
        for row in self.owner:
            row.extend([-1] * (ncols - len(row)))
        self.ncols = max(self.ncols, ncols)


def _span(v, default: int = 1) -> int:
    try:
        n = int(str(v).strip())
    except (TypeError, ValueError):
        return default
    return n if 1 <= n <= 1000 else default


def layout(rows: list[list[Cell]]) -> Grid:
    taken: dict[tuple[int, int], int] = {}
    cells: list[Cell] = []
    origin: list[tuple[int, int]] = []
    ncols = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if cell.col is not None and cell.col >= c:
                c = cell.col
            while (r, c) in taken:
                c += 1
            k = len(cells)
            cells.append(cell)
            origin.append((r, c))
            for dr in range(max(1, cell.rowspan)):
                if r + dr >= len(rows):
                    break
                for dc in range(max(1, cell.colspan)):
                    taken.setdefault((r + dr, c + dc), k)
            c += max(1, cell.colspan)
            ncols = max(ncols, c)
    owner = [[taken.get((r, c), -1) for c in range(ncols)] for r in range(len(rows))]
    return Grid(cells, origin, owner, ncols)


@dataclass
class ResolvedTable:
    header: list[str]
    rows: list[list[str]]
    covering: list[list[str]] = field(default_factory=list)  # per column, leaf first


def resolve(header_rows: list[list[Cell]], body_rows: list[list[Cell]]) -> ResolvedTable:
    head = layout(header_rows)
    body = layout(body_rows)
    ncols = max(head.ncols, body.ncols)
    head.widen(ncols)
    body.widen(ncols)
    header, covering = [], []
    for c in range(ncols):
        seen: list[int] = []
        for r in range(head.nrows - 1, -1, -1):
            k = head.owner[r][c]
            if k >= 0 and k not in seen and head.cells[k].text:
                seen.append(k)
        header.append(head.cells[seen[0]].text if seen else "")
        covering.append([head.cells[k].text for k in seen])
    rows = [row for row in body.printed() if any(x for x in row)]
    return ResolvedTable(header, rows, covering)

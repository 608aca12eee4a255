"""The reference list split into entries, one block and one `Reference` each.

The walk makes reference blocks line by line; here their lines (fragments) are read again as one
sequence and cut where an entry starts:

- numbered lists (`1.`, `[1]`, `1 `, `(1)`): a line that starts with the next number, or the number
  after it (one entry may be lost to a page break); counting keeps a page range or a volume that
  starts a wrapped line ("58. https://…") from starting an entry;
- unnumbered (author–year) lists: a line set further left than the lines after it (hanging indent),
  else a line set further right than the line before it (first-line indent).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.document import Fragment, Reference, TextBlock
from schemas.layout import Marker

_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})\.(?!\d)|(\d{1,3})(?=\s+[^\d\s]|\s*$))\s*")
_MIN_NUMBERED = 3  # fewer numbered starts than this: read the list as unnumbered


@dataclass
class _Line:
    block: int  # index of the source block in the document's block list
    frag: Fragment
    text: str
    markers: list[Marker]


def split_references(blocks: list[TextBlock]) -> tuple[list[TextBlock], list[Reference]]:
    """Blocks with every reference block replaced by one block per entry, and the entries."""
    lines = _lines(blocks)
    if not lines:
        return blocks, []
    starts = _numbered_starts(lines)
    # numbered when the list opens with its first number; else a stray "12." line is no numbering
    numbered = bool(starts) and starts[0] == 0 and (len(starts) >= _MIN_NUMBERED or len(starts) == _count_numbered(lines))
    if not numbered:
        starts = _indent_starts(lines)
    cuts = sorted({0, *starts})
    entries = [lines[a:b] for a, b in zip(cuts, cuts[1:] + [len(lines)])]
    first_block: dict[int, list[list[_Line]]] = {}
    for e in entries:
        first_block.setdefault(e[0].block, []).append(e)
    out: list[TextBlock] = []
    refs: list[Reference] = []
    for i, b in enumerate(blocks):
        if b.kind != "reference":
            out.append(b)
            continue
        for e in first_block.get(i, []):
            block, ref = _entry(e, b, numbered)
            out.append(block)
            refs.append(ref)
    return [blk.model_copy(update={"id": f"b{k + 1}"}) for k, blk in enumerate(out)], refs


def _lines(blocks: list[TextBlock]) -> list[_Line]:
    out = []
    for i, b in enumerate(blocks):
        if b.kind != "reference":
            continue
        for k, f in enumerate(b.fragments):
            end = b.fragments[k + 1].start if k + 1 < len(b.fragments) else len(b.text)
            ms = [Marker(text=m.text, offset=m.offset - f.start) for m in b.markers if f.start <= m.offset < end]
            out.append(_Line(block=i, frag=f, text=b.text[f.start:end], markers=ms))
    return out


def _number(text: str) -> int | None:
    m = _NUMBER.match(text)
    if not m:
        return None
    return int(next(g for g in m.groups() if g is not None))


def _numbered_starts(lines: list[_Line]) -> list[int]:
    starts: list[int] = []
    expect = None
    for k, ln in enumerate(lines):
        n = _number(ln.text)
        if n is None:
            continue
        if expect is None:
            if n <= 2:
                starts.append(k)
                expect = n + 1
        elif n in (expect, expect + 1):
            starts.append(k)
            expect = n + 1
    return starts


def _count_numbered(lines: list[_Line]) -> int:
    return sum(1 for ln in lines if _number(ln.text) is not None)


def _indent_starts(lines: list[_Line]) -> list[int]:
    """Hanging indent: per page and column, the lines at the left edge start entries when other lines
    sit indented beside them; without any indent, a line further right than the one before starts one."""
    starts = []
    groups: dict[tuple[int, int], list[int]] = {}
    for k, ln in enumerate(lines):
        groups.setdefault((ln.frag.page, round(ln.frag.bbox[0] / 60)), []).append(k)
    # columns: merge the x-buckets of a page whose lines share a left edge within 30 pt
    by_page: dict[int, list[int]] = {}
    for (page, _), ks in sorted(groups.items()):
        by_page.setdefault(page, []).extend(ks)
    for ks in by_page.values():
        for col in _columns(lines, sorted(ks)):
            left = min(lines[k].frag.bbox[0] for k in col)
            hang = [k for k in col if lines[k].frag.bbox[0] > left + 3]
            if hang and len(hang) < len(col):
                starts += [k for k in col if lines[k].frag.bbox[0] <= left + 1.5]
            else:
                starts += [k for j, k in enumerate(col) if j and lines[k].frag.bbox[0] > lines[col[j - 1]].frag.bbox[0] + 3]
    return sorted(starts)


def _columns(lines: list[_Line], ks: list[int]) -> list[list[int]]:
    cols: list[list[int]] = []
    for k in ks:
        x = lines[k].frag.bbox[0]
        for col in cols:
            if abs(min(lines[j].frag.bbox[0] for j in col) - x) < 30:
                col.append(k)
                break
        else:
            cols.append([k])
    return [sorted(c) for c in cols]


def _entry(lines: list[_Line], like: TextBlock, numbered: bool) -> tuple[TextBlock, Reference]:
    text, frags, markers = "", [], []
    for k, ln in enumerate(lines):
        if k and ln.block != lines[k - 1].block:
            text = text.rstrip() + " "  # a page or column break between two walk blocks
        start = len(text)
        text += ln.text  # within one block the slice keeps the separator the walk chose (space or none)
        frags.append(ln.frag.model_copy(update={"start": start, "end": len(text.rstrip())}))
        markers += [Marker(text=m.text, offset=start + m.offset) for m in ln.markers]
    text = text.rstrip()
    number = _number(text) if numbered else None
    body = _NUMBER.sub("", text, count=1).strip() if number is not None else text.strip()
    block = TextBlock(id=like.id, kind="reference", text=text, section=like.section, fragments=frags,
                      label=None, markers=markers)
    return block, Reference(number=number, text=body, page=frags[0].page)

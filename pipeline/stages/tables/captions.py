"""Table captions: `Table 1.` lines, their continuation lines, `(continued)` parts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.geometry import union
from pipeline.core.textnorm import clean, collapse_spaces
from pipeline.stages.tables.segments import TLine
from schemas.raw import Page

_CAPTION = re.compile(r"^\s*(Table|TABLE)\s+([0-9]+|[IVXL]+)([A-Z]?)(?![\w])\s*(.*)$")


_CONT = re.compile(r"^[\s.:|\u2013\u2014-]*\(?\s*(?:cont\.?|continued|contd\.?)\s*\)?\s*[.:]?\s*", re.I)


# "Continued Table 1", "(Cont.) Table 2": the continuation mark before the label
_CONT_PREFIX = re.compile(r"^\s*\(?\s*(?:continued|cont(?:inued|'d|d)?\.?)\s*\)?[\s.:]*(?=(?:Table|TABLE)\s)", re.I)


_ANY_CAPTION = re.compile(r"^\s*(Table|TABLE|Fig\.?|Figure|FIGURE|Scheme|Box)\s+[0-9IVX]+")


_SEP = re.compile(r"^[\s.:|\u2013\u2014-]+")


@dataclass
class Caption:
    page: int
    label: str
    key: str  # label normalised for merging
    text: str  # without the label
    cont: bool
    lines: list[TLine]
    size: float
    bold_label: bool

    @property
    def box(self):
        return union([ln.bbox for ln in self.lines])


def _may_have_caption(page: Page) -> bool:
    for b in page.blocks:
        for ln in b.lines:
            t = ln.spans[0].text.lstrip() if ln.spans else ""
            if t[:5] in ("Table", "TABLE") or (t[:4].lower() == "cont" and _CONT_PREFIX.match("".join(s.text for s in ln.spans))):
                return True
    return False


def _captions(page: Page, lines: list[TLine]) -> list[Caption]:
    out: list[Caption] = []
    seen: set[str] = set()
    first_in_block: dict[int, int] = {}
    for ln in lines:
        first_in_block.setdefault(ln.block, ln.idx)
    for ln in lines:
        pre = _CONT_PREFIX.match(ln.text)
        if not pre and not ln.text.lstrip().startswith(("Table", "TABLE")):
            continue
        row = [ln] + sorted((o for o in lines if o is not ln and abs(o.y0 - ln.y0) < 2.0 and o.bbox[0] >= ln.bbox[2] - 1
                             and o.bbox[0] - ln.bbox[2] < 4 * ln.size), key=lambda o: o.bbox[0])
        # keep only a contiguous run to the right
        run = [row[0]]
        for o in row[1:]:
            if o.bbox[0] - run[-1].bbox[2] < 4 * ln.size:
                run.append(o)
        text = clean(" ".join(o.text for o in run))
        if pre:
            text = text[pre.end():]
        m = _CAPTION.match(text)
        if not m:
            continue
        rest = m.group(4)
        cont = bool(pre) or (bool(_CONT.match(rest)) if rest else False)
        label_bold = ln.segs[0].bold if ln.segs else False
        first_span_bold = any(sp.bold for b in [page.blocks[ln.block]] for l2 in b.lines for sp in l2.spans[:1]
                              if sp.text.strip().startswith(("Table", "TABLE")) and abs(l2.bbox[1] - ln.y0) < 1)
        label_bold = label_bold or first_span_bold
        if rest and not cont:
            c = rest[0]
            if c in ".:|\u2013\u2014-":
                pass  # a separator after the label: a caption
            elif c.islower() or c in ",;)(":
                continue  # "Table 1 shows ...", "Table 2, ..."
            elif not (label_bold or first_in_block.get(ln.block) == ln.idx or _gap_after_label(run)):
                continue
        label = f"{m.group(1)} {m.group(2)}{m.group(3)}"
        key = f"table {m.group(2)}{m.group(3)}".lower()
        if (key, cont) in {(k, False) for k in seen} and not cont:
            continue
        seen.add(key)
        caption_text = rest
        if cont:
            caption_text = _CONT.sub("", rest, count=1)
        caption_text = _SEP.sub("", caption_text).strip()
        out.append(Caption(page.number, label, key, caption_text, cont, run, ln.size, label_bold))
    return out


def _gap_after_label(run: list[TLine]) -> bool:
    return len(run) > 1  # the label is a line of its own beside the caption text


def _extend_caption(cap: Caption, lines: list[TLine], hr, taken: set[int]) -> None:
    """Add the caption's further lines below its first."""
    ids = {ln.idx for ln in cap.lines}
    box = cap.box
    lh = max(4.0, box[3] - box[1])
    label_only = not cap.text
    if label_only and cap.cont:
        return  # "Continued Table 2" alone on its line: the table's lines follow, not caption text
    for _ in range(8):
        bottom = max(ln.y1 for ln in cap.lines)
        cands = [o for o in lines if o.idx not in ids and o.idx not in taken and o.y0 >= bottom - 1.0
                 and o.bbox[0] >= box[0] - 6 and o.bbox[0] <= box[0] + max(60.0, box[2] - box[0])]
        if not cands:
            break
        nxt = min(cands, key=lambda o: (o.y0, o.bbox[0]))
        same_row = [o for o in lines if o.idx != nxt.idx and abs(o.y0 - nxt.y0) < 1.5 and o.bbox[0] >= box[0] - 6]
        gap = nxt.y0 - bottom
        limit = (1.2 if label_only else 0.6) * lh
        ruled = any(bottom - 0.5 <= r[1] <= nxt.y0 + 0.5 and r[0] < nxt.bbox[2] and r[2] > nxt.bbox[0] for r in hr)
        if gap > limit or ruled or len(nxt.segs) > 1 or abs(nxt.size - cap.size) > 1.0 or _ANY_CAPTION.match(nxt.text):
            break
        if same_row and not label_only:
            break
        if label_only and same_row:
            # caption text beside other pieces on the same height: take the whole printed row
            row = sorted([nxt] + same_row, key=lambda o: o.bbox[0])
            if any(len(o.segs) > 1 for o in row):
                break
        cap.lines.append(nxt)
        ids.add(nxt.idx)
        cap.text = collapse_spaces(f"{cap.text} {clean(nxt.text)}") if cap.text else clean(nxt.text)
        label_only = False
        box = union([box, nxt.bbox])

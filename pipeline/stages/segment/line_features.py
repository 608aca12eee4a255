"""What the heading model sees of one line: its style relative to the document's body, its words,
its place on the page and its neighbours, and what the exact rules (headings.py) said of it.

Every feature is relative (to the body size, the column, the line height), so one model serves any
publisher's layout. The list FEATURES names the columns; `line_features` fills one row.
"""
from __future__ import annotations

import re
from collections import Counter

from pipeline.stages.segment.headings import _bold, _family, _is_caps, _near, _style
from pipeline.stages.segment.patterns import _BACK, _CAPTION, _KNOWN, _NUMBERING
from schemas.layout import TextLine

FEATURES = (
    "rule", "size_ratio", "size_delta", "bold", "italic", "caps", "other_family", "style_share",
    "style_lines", "numbered", "number_depth", "known_name", "back_name", "n_words", "n_chars",
    "ends_period", "ends_colon", "digit_share", "has_stat", "starts_upper", "inner_sentence",
    "gap_above", "gap_below", "indent", "width_share", "page_one", "y_rel", "prev_same_style",
    "next_same_style", "next_size_ratio", "prev_size_ratio", "caption_like", "state_front",
    "state_abstract", "state_references", "markers", "run_lines", "run_chars", "run_ends_period",
)
_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[^\W\d_]")
_INNER_SENTENCE = re.compile(r"[a-z0-9)\]]\.\s+[A-Z]")
_STAT = re.compile(r"[=%<>±]|\d,\s|\bp\s*[<=]")
_STATES = ("front", "abstract", "references")


class DocumentContext:
    """Per-document figures the features are relative to."""

    def __init__(self, lines: list[TextLine], body: float, body_family: str):
        self.body = body or 10.0
        self.body_family = body_family
        chars: Counter[tuple] = Counter()
        count: Counter[tuple] = Counter()
        for ln in lines:
            s = _style(ln)
            chars[s] += len(ln.text)
            count[s] += 1
        total = sum(chars.values()) or 1
        self.share = {s: c / total for s, c in chars.items()}
        self.count = count
        # the text column of each page region: where lines start and how wide they run
        self.left: dict[tuple[int, int], float] = {}
        self.right: dict[tuple[int, int], float] = {}
        for ln in lines:
            key = (ln.page, ln.column)
            self.left[key] = min(self.left.get(key, ln.bbox[0]), ln.bbox[0])
            self.right[key] = max(self.right.get(key, ln.bbox[2]), ln.bbox[2])
        self.bottom: dict[int, float] = {}
        for ln in lines:
            self.bottom[ln.page] = max(self.bottom.get(ln.page, 0.0), ln.bbox[3])


def _gap(a: TextLine | None, b: TextLine | None, lh: float) -> float:
    if a is None or b is None or a.page != b.page:
        return 3.0
    return max(-1.0, min(3.0, (b.bbox[1] - a.bbox[3]) / lh))


def line_features(lines: list[TextLine], i: int, ctx: DocumentContext, rule: bool, state: str) -> list[float]:
    ln = lines[i]
    prev = lines[i - 1] if i > 0 else None
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    text = ln.text.strip()
    style = _style(ln)
    lh = max(ln.size, 1.0)
    num = _NUMBERING.match(text)
    bare = _NUMBERING.sub("", text).strip(" .:")
    letters = len(_LETTER.findall(text)) or 1
    # the run of lines in this line's style that follow it closely: a heading set over two or three
    # lines fills the column like body text, but its run stays short
    run = [ln]
    while i + len(run) < len(lines) and len(run) < 6 and _style(lines[i + len(run)]) == style \
            and _near(run[-1], lines[i + len(run)]):
        run.append(lines[i + len(run)])
    run_text = " ".join(r.text for r in run).strip()
    key = (ln.page, ln.column)
    width = max(ctx.right.get(key, ln.bbox[2]) - ctx.left.get(key, ln.bbox[0]), 1.0)
    return [
        float(rule),
        ln.size / ctx.body,
        ln.size - ctx.body,
        float(_bold(ln)),
        float(ln.italic),
        float(_is_caps(text)),
        float(bool(ctx.body_family) and _family(ln.font) != ctx.body_family),
        ctx.share.get(style, 0.0),
        float(min(ctx.count.get(style, 0), 200)),
        float(bool(num)),
        float(num.group(1).rstrip(".").count(".") + 1 if num and num.group(1)[0].isdigit() else 0),
        float(bool(_KNOWN.match(bare))),
        float(bool(_BACK.match(bare))),
        float(min(len(text.split()), 60)),
        float(min(len(text), 300)),
        float(text.endswith(".")),
        float(text.endswith(":")),
        len(_DIGIT.findall(text)) / max(len(text), 1),
        float(bool(_STAT.search(text))),
        float(bool(text[:1].isupper() or text[:1].isdigit())),
        float(bool(_INNER_SENTENCE.search(text)) and letters > 20),
        _gap(prev, ln, lh),
        _gap(ln, nxt, lh),
        (ln.bbox[0] - ctx.left.get(key, ln.bbox[0])) / width,
        (ln.bbox[2] - ln.bbox[0]) / width,
        float(ln.page == 1),
        ln.bbox[1] / max(ctx.bottom.get(ln.page, ln.bbox[3]), 1.0),
        float(prev is not None and _style(prev) == style),
        float(nxt is not None and _style(nxt) == style),
        (nxt.size / ctx.body) if nxt is not None else 1.0,
        (prev.size / ctx.body) if prev is not None else 1.0,
        float(bool(_CAPTION.match(text))),
        float(state == "front"),
        float(state == "abstract"),
        float(state == "references"),
        float(len(ln.markers)),
        float(len(run)),
        float(min(len(run_text), 600)),
        float(run_text.endswith(".")),
    ]

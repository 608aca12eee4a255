"""Human-readable score reports and the atomic JSON writer."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.evaluate.bars import headline
from schemas.scores import (
    KINDS,
    AttributeScore,
    Average,
    CorpusScores,
    DocumentScores,
    KindScores,
)


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write JSON atomically: a temp file in the same folder, then os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _i(v: int | None) -> str:
    return "-" if v is None else str(v)


def _clip(text: Any, n: int = 160) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _attr_text(attrs: dict[str, AttributeScore]) -> str:
    return "  ".join(f"{name} {a.correct}/{a.total}" + (f" ({a.accuracy:.2f})" if a.accuracy is not None else "")
                     for name, a in attrs.items())


def summary_table(entries: dict[str, KindScores | Average], counts_shown: bool = True) -> list[str]:
    lines = [f"{'kind':<16}{'TP':>6}{'FP':>6}{'FN':>6}{'prec':>8}{'recall':>8}{'F1':>8}  attributes"]
    for kind in KINDS:
        e = entries.get(kind)
        if e is None or not e.scored:
            lines.append(f"{kind:<16}  not scored (absent from the gold file)")
            continue
        tp, fp, fn = (e.tp, e.fp, e.fn) if counts_shown else (None, None, None)
        note = ""
        if kind == "entities" and e.precision is None:
            note = "  (must-find list: recall only)"
        lines.append(f"{kind:<16}{_i(tp):>6}{_i(fp):>6}{_i(fn):>6}{_f(e.precision):>8}{_f(e.recall):>8}"
                     f"{_f(e.f1):>8}  {_attr_text(e.attributes)}{note}")
        for sub in ("cells", "relaxed"):
            c = getattr(e, sub, None)
            if c is not None:
                stp, sfp, sfn = (c.tp, c.fp, c.fn) if counts_shown else (None, None, None)
                lines.append(f"  {sub:<14}{_i(stp):>6}{_i(sfp):>6}{_i(sfn):>6}{_f(c.precision):>8}"
                             f"{_f(c.recall):>8}{_f(c.f1):>8}")
    return lines


def format_document(scores: DocumentScores, max_items: int | None = None) -> str:
    """A table per kind, then every miss, false positive and attribute mismatch."""
    lines = [f"gold: {scores.gold}", f"run:  {scores.run}"]
    lines += [f"warning: {w}" for w in scores.warnings]
    lines.append("")
    lines += summary_table(scores.kinds)
    for kind in KINDS:
        e = scores.kinds[kind]
        if not e.scored or not (e.misses or e.false_positives or e.mismatches):
            continue
        lines.append("")
        lines.append(f"== {kind}: {len(e.misses)} missed, {len(e.false_positives)} false positive(s), "
                     f"{len(e.mismatches)} attribute mismatch(es)")

        def limit(items):
            return items if max_items is None else items[:max_items]

        for m in limit(e.misses):
            extra = f'  quote: "{_clip(m.quote)}"' if m.quote else ""
            near = f"  (relaxed match: {m.near!r})" if m.near else ""
            lines.append(f"  MISS  {_clip(m.key, 100)}{near}{extra}")
        for p in limit(e.false_positives):
            where = f"  p.{p.page}" if p.page is not None else ""
            text = f': "{_clip(p.text)}"' if p.text else ""
            near = f"  (relaxed match: {p.near!r})" if p.near else ""
            lines.append(f"  FP    {_clip(p.key, 100)}{near}{where}{text}")
        for mm in limit(e.mismatches):
            where = f"  p.{mm.page}" if mm.page is not None else ""
            text = f': "{_clip(mm.text)}"' if mm.text else ""
            lines.append(f"  ATTR  {_clip(mm.key, 60)} {mm.attribute}: expected {mm.expected!r}, got {mm.got!r}"
                         f"{where}{text}")
        if max_items is not None:
            hidden = sum(max(0, len(x) - max_items) for x in (e.misses, e.false_positives, e.mismatches))
            if hidden:
                lines.append(f"  … {hidden} more (see --json)")
    return "\n".join(lines)


def format_corpus(scores: CorpusScores, details: bool = False) -> str:
    lines = [f"gold: {scores.gold_dir}", f"runs: {scores.outdir}", f"documents scored: {len(scores.documents)}"]
    if scores.missing_runs:
        lines.append(f"warning: no run folder for {len(scores.missing_runs)} gold file(s): "
                     + ", ".join(scores.missing_runs))
    if scores.unscored_runs:
        lines.append(f"note: {len(scores.unscored_runs)} run folder(s) without a gold file: "
                     + ", ".join(scores.unscored_runs))
    lines.append("")
    width = max([8] + [len(Path(d.run).name) for d in scores.documents]) + 2
    lines.append("F1 per document (recall where F1 is undefined, '.' = not scored)")
    lines.append(f"{'document':<{width}}" + "".join(f"{k[:9]:>11}" for k in KINDS))
    for d in scores.documents:
        cells = []
        for k in KINDS:
            e = d.kinds[k]
            if not e.scored:
                cells.append(f"{'.':>11}")
            else:
                fig, v = headline(e, k)
                cells.append(f"{_f(v) + ('r' if fig == 'recall' else ' '):>11}")
        lines.append(f"{Path(d.run).name:<{width}}" + "".join(cells))
    lines.append("")
    lines.append("micro average (counts pooled over documents)")
    lines += summary_table(scores.micro)
    lines.append("")
    lines.append("macro average (mean over documents)")
    lines += summary_table(scores.macro, counts_shown=False)
    if details:
        for d in scores.documents:
            lines.append("")
            lines.append("#" * 80)
            lines.append(format_document(d))
    return "\n".join(lines)

"""The corpus benchmark: many runs scored against layered gold, per split, with the worst documents
and a diff against an earlier report, so a change that helps one article and hurts five shows.

Gold is layered: for one document, the gold folders are read in order and a kind given by a later
file replaces the same kind of an earlier one (gold converted from publisher XML first, hand labels
after it). An alias lets a document take gold written under another stem (the same article kept
under two names) as its lowest layer.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluate.bars import headline
from pipeline.evaluate.corpus import averages
from pipeline.evaluate.load import (
    GOLD_SUFFIX,
    find_run_dirs,
    gold_stem,
    load_gold,
    load_run,
)
from pipeline.evaluate.scoring import score
from schemas.gold import GoldFile
from schemas.kinds import DOCUMENT_KINDS, GOLD_KINDS
from schemas.scores import Average, DocumentScores

HEADLINE_KINDS = ("sections", "tables", "cells", *GOLD_KINDS[2:], *DOCUMENT_KINDS)


@dataclass
class LayeredGold:
    stem: str
    gold: GoldFile
    sources: list[str] = field(default_factory=list)


def layer(golds: list[GoldFile]) -> GoldFile:
    """Later files win, kind by kind; a kind a file leaves out (None) keeps the earlier one."""
    merged: dict[str, Any] = {"format": "review-gold/1"}
    for g in golds:
        for name in type(g).model_fields:
            value = getattr(g, name)
            if value is not None:
                merged[name] = value
    return GoldFile.model_validate({k: (v.model_dump() if hasattr(v, "model_dump") else
                                        [x.model_dump() if hasattr(x, "model_dump") else x for x in v]
                                        if isinstance(v, list) else v) for k, v in merged.items()})


def collect_gold(gold_dirs: list[Path], aliases: dict[str, str] | None = None) -> dict[str, LayeredGold]:
    """stem -> layered gold over every gold folder (in order); aliases add another stem's gold first."""
    by_dir: list[dict[str, Path]] = [{gold_stem(p): p for p in sorted(d.glob("*" + GOLD_SUFFIX))} for d in gold_dirs]
    stems = sorted({s for files in by_dir for s in files})
    aliases = aliases or {}
    out: dict[str, LayeredGold] = {}
    for stem in stems:
        paths: list[Path] = []
        alias = aliases.get(stem)
        if alias:
            paths += [files[alias] for files in by_dir if alias in files]
        paths += [files[stem] for files in by_dir if stem in files]
        out[stem] = LayeredGold(stem, layer([load_gold(p) for p in paths]), [str(p) for p in paths])
    return out


def headline_f1(doc: DocumentScores, kind: str) -> float | None:
    if kind == "cells":
        t = doc.kinds["tables"]
        return t.cells.f1 if t.scored and t.cells is not None else None
    e = doc.kinds[kind]
    return headline(e, kind)[1] if e.scored else None


def _avg_figure(avg: Average, kind: str) -> float | None:
    if kind == "cells":
        t = avg
        return t.cells.f1 if t.cells is not None else None
    return headline(avg, kind)[1] if avg.scored else None


def benchmark(runs_dir: Path, golds: dict[str, LayeredGold], test: set[str]) -> dict[str, Any]:
    """Score every run that has gold; the report as plain JSON-able data."""
    runs = find_run_dirs(runs_dir)
    docs: dict[str, DocumentScores] = {}
    missing = []
    for stem, lg in golds.items():
        run_dir = runs.get(stem)
        if run_dir is None:
            missing.append(stem)
            continue
        docs[stem] = score(lg.gold, load_run(run_dir), gold_name=",".join(lg.sources), run_name=str(run_dir))
    report: dict[str, Any] = {"documents": {}, "splits": {}, "worst": {}, "missing_runs": missing}
    for stem, d in sorted(docs.items()):
        report["documents"][stem] = {"split": "test" if stem in test else "dev",
                                     **{k: headline_f1(d, k) for k in HEADLINE_KINDS}}
        levels = d.kinds["sections"].attributes.get("level") if d.kinds["sections"].scored else None
        report["documents"][stem]["section_levels"] = levels.accuracy if levels else None
    for split, members in (("all", list(docs)), ("dev", [s for s in docs if s not in test]),
                           ("test", [s for s in docs if s in test])):
        chosen = [docs[s] for s in members]
        if not chosen:
            continue
        micro, macro = averages(chosen)
        entry = {"documents": len(chosen), "micro": {}, "macro": {}}
        for k in HEADLINE_KINDS:
            base = "tables" if k == "cells" else k
            entry["micro"][k] = _avg_figure(micro[base], k)
            entry["macro"][k] = _avg_figure(macro[base], k)
        lv = micro["sections"].attributes.get("level")
        entry["micro"]["section_levels"] = lv.accuracy if lv else None
        cap = micro["tables"].attributes.get("caption")
        entry["micro"]["table_captions"] = cap.accuracy if cap else None
        report["splits"][split] = entry
    for k in HEADLINE_KINDS:
        scored = [(s, v[k]) for s, v in report["documents"].items() if v[k] is not None]
        report["worst"][k] = sorted(scored, key=lambda sv: (sv[1], sv[0]))[:10]
    return report


def diff(report: dict[str, Any], previous: dict[str, Any], tolerance: float = 0.005) -> list[str]:
    """Lines naming every split figure and every document figure that moved."""
    lines = []
    for split, entry in report["splits"].items():
        old = previous.get("splits", {}).get(split)
        if not old:
            continue
        for k, v in entry["micro"].items():
            o = old["micro"].get(k)
            if v is not None and o is not None and abs(v - o) > tolerance:
                lines.append(f"{split:<5} micro {k:<15} {o:.3f} -> {v:.3f} ({v - o:+.3f})")
    for stem, figs in report["documents"].items():
        old = previous.get("documents", {}).get(stem, {})
        for k, v in figs.items():
            o = old.get(k)
            if isinstance(v, float) and isinstance(o, float) and abs(v - o) > tolerance:
                lines.append(f"  {stem:<45} {k:<15} {o:.3f} -> {v:.3f} ({v - o:+.3f})")
    return lines


def format_report(report: dict[str, Any]) -> str:
    kinds = [*HEADLINE_KINDS, "section_levels"]
    out = []
    head = f"{'split':<6}{'docs':>5}" + "".join(f"{k[:10]:>11}" for k in kinds)
    out.append("micro averages (F1; entities: recall of must-find lists; section_levels: accuracy)")
    out.append(head)
    for split, e in report["splits"].items():
        out.append(f"{split:<6}{e['documents']:>5}" + "".join(
            f"{'.' if e['micro'].get(k) is None else format(e['micro'][k], '.3f'):>11}" for k in kinds))
    out.append("")
    out.append("worst documents per kind")
    for k, rows in report["worst"].items():
        if rows:
            out.append(f"  {k:<14}" + ", ".join(f"{s} {v:.2f}" for s, v in rows[:10]))
    if report["missing_runs"]:
        out.append(f"warning: no run for {len(report['missing_runs'])} gold file(s): {', '.join(report['missing_runs'])}")
    return "\n".join(out)


def load_report(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

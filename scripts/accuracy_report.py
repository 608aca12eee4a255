"""Score the committed outputs/ against every gold file and print (or write) a Markdown table.

    python scripts/accuracy_report.py                 # print
    python scripts/accuracy_report.py --write         # also docs/accuracy.md
    python scripts/accuracy_report.py --thresholds    # print a thresholds.json proposal (current scores, floored)
    python scripts/accuracy_report.py --raise-thresholds   # write it, if no bar would go down
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from pipeline.evaluate import evaluate_run, gold_stem
from schemas.kinds import GOLD_KINDS

ROOT = Path(__file__).resolve().parents[1]

KINDS = tuple(k for g in GOLD_KINDS for k in ((g, "cells") if g == "tables" else (g,)))  # cells: scored under tables


def _pairs() -> list[tuple[str, Path]]:
    gold = {gold_stem(p): p for p in sorted((ROOT / "fixtures" / "gold").glob("*.gold.json"))}
    thresholds = json.loads((ROOT / "fixtures" / "thresholds.json").read_text())
    for stem, entry in thresholds.items():
        if "gold" in entry:
            gold[stem] = ROOT / "fixtures" / "gold" / f"{entry['gold']}.gold.json"
    return sorted((s, g) for s, g in gold.items() if (ROOT / "outputs" / s).is_dir())


def _figure(scores, kind: str) -> float | None:
    k = scores.kinds["tables"] if kind == "cells" else scores.kinds[kind]
    if not k.scored:
        return None
    if kind == "cells":
        return k.cells.f1
    if kind == "entities":
        return k.recall
    return k.f1


def _raise_thresholds(proposal: dict) -> None:
    path = ROOT / "fixtures" / "thresholds.json"
    old = json.loads(path.read_text())
    drops = [f"{stem} {kind}: {old[stem][kind]} -> {bar}" for stem, entry in proposal.items()
             for kind, bar in entry.items()
             if kind != "gold" and isinstance(old.get(stem, {}).get(kind), (int, float)) and bar < old[stem][kind]]
    if drops:
        raise SystemExit("not written: a threshold is never lowered\n" + "\n".join(drops))
    path.write_text(json.dumps(proposal, indent=1))
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--thresholds", action="store_true")
    ap.add_argument("--raise-thresholds", action="store_true",
                    help="write the proposal to fixtures/thresholds.json; refuses when any bar would drop")
    args = ap.parse_args()
    rows, proposal = [], {}
    for stem, gold in _pairs():
        scores = evaluate_run(ROOT / "outputs" / stem, gold)
        figs = {k: _figure(scores, k) for k in KINDS}
        rows.append((stem, figs))
        entry = {"gold": gold_stem(gold)} if gold_stem(gold) != stem else {}
        for k, v in figs.items():
            if v is not None:
                entry["tables.cells" if k == "cells" else k] = math.floor(v * 100) / 100
        proposal[stem] = entry
    head = "| document | " + " | ".join(KINDS) + " |\n|---|" + "---|" * len(KINDS) + "\n"
    body = "".join(f"| {stem} | " + " | ".join("–" if v is None else f"{v:.3f}" for v in figs.values()) + " |\n"
                   for stem, figs in rows)
    table = head + body
    print(table)
    if args.thresholds:
        print(json.dumps(proposal, indent=1))
    if args.raise_thresholds:
        _raise_thresholds(proposal)
    if args.write:
        doc = ("# Accuracy on the fixtures\n\nF1 per kind (entities: recall on the must-find list; cells: table-cell F1),\n"
               "from `python scripts/accuracy_report.py --write` over the committed `outputs/`.\n"
               "`seed-review-2col` is scored against the seed review's gold file.\n\n" + table)
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "accuracy.md").write_text(doc)


if __name__ == "__main__":
    main()

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
        (ROOT / "docs" / "accuracy.md").write_text(doc + _corpus_section())


CORPUS_KINDS = ("sections", "section_levels", "tables", "table_captions", "cells", "trials", "endpoints",
                "percentages", "abbreviations", "entities", "document", "references")


def _corpus_table(title: str, runs: list[tuple[str, Path]]) -> str:
    reports = [(name, json.loads(path.read_text())) for name, path in runs if path.is_file()]
    if not reports:
        return ""
    out = [f"**{title}**", "", "| split | run | docs | " + " | ".join(CORPUS_KINDS) + " |",
           "|---|---|---|" + "---|" * len(CORPUS_KINDS)]
    for split in ("all", "dev", "test"):
        for name, rep in reports:
            e = rep["splits"].get(split)
            if e:
                out.append(f"| {split} | {name} | {e['documents']} | " + " | ".join(
                    "–" if e["micro"].get(k) is None else f"{e['micro'][k]:.3f}" for k in CORPUS_KINDS) + " |")
    return "\n".join(out) + "\n\n"


def _corpus_section() -> str:
    """The corpus benchmark tables, from the reports eval-corpus wrote (docs/corpus-*.json)."""
    d = ROOT / "docs"
    body = _corpus_table("Publisher-XML corpus: 52 pairs from ~25 publishers (gold: `gold from-jats`, plus hand "
                         "gold for three test articles)", [("session start", d / "corpus-jats-session-start.json"),
                                                           ("now", d / "corpus-jats.json")])
    body += _corpus_table("Real articles with hand gold: 8 (`../shared/corpus/real`; the XML gold underneath where "
                          "the article is also a pair)", [("session start", d / "corpus-real-session-start.json"),
                                                          ("now", d / "corpus-real.json")])
    if not body:
        return ""
    return ("\n## Corpus benchmark (articles the rules were not written for)\n\n"
            "Micro F1 per kind (entities: must-find recall; section_levels, table_captions: accuracy), `--no-ner`, "
            "from `review-extract eval-corpus ... --json docs/corpus-*.json`; `test` is the held-out split of "
            "`fixtures/corpus/split.json` (sha1 of the stem), which no rule or model is tuned on. The suite gates "
            "the corpus micro figures (`fixtures/corpus/thresholds.json`, tests/e2e/test_corpus_benchmark.py). "
            "How it was measured and what the models cost: docs/corpus-benchmark.md.\n\n" + body)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Convert every PDF + XML pair of the publisher-XML corpus into a review-gold/1 file.

    .venv/bin/python scripts/make_corpus_gold.py [--corpus ../shared/corpus/jats]
        [--out fixtures/corpus/gold] [--decisions FILE.tsv] [--only STEM ...]

Writes <out>/<stem>.gold.json for each <stem>.xml that has a <stem>.pdf beside it (the PDF
decides which section titles print on a line of their own; see docs/gold-from-jats.md),
then prints a summary table: stem, sections, tables, cells, percentages, trials.
Output is deterministic: a rerun writes byte-identical files. `--decisions` writes every
section decision (kept or dropped, and why) as TSV for review.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.gold import convert, write_gold  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "jats")
    p.add_argument("--out", type=Path, default=ROOT / "fixtures" / "corpus" / "gold")
    p.add_argument("--decisions", type=Path, default=None)
    p.add_argument("--only", nargs="*", default=None)
    args = p.parse_args(argv)
    pairs = [x for x in sorted(args.corpus.glob("*.xml")) if x.with_suffix(".pdf").is_file()
             and (not args.only or x.stem in args.only)]
    if not pairs:
        print(f"no XML + PDF pairs in {args.corpus}", file=sys.stderr)
        return 2
    rows, decisions = [], []
    for xml in pairs:
        conv = convert(xml, xml.with_suffix(".pdf"))
        g = conv.gold
        write_gold(g, args.out / f"{xml.stem}.gold.json")
        cells = sum(1 for t in g.tables or [] if t.rows for r in t.rows for v in r if v)
        rows.append((xml.stem, len(g.sections), "-" if g.tables is None else len(g.tables), cells,
                     "-" if g.percentages is None else len(g.percentages), len(g.trials)))
        for d in conv.decisions:
            decisions.append("\t".join([xml.stem, "keep" if d.keep else "drop", str(d.candidate.level),
                                        d.candidate.where, d.title, d.reason, str(d.page or "")]))
        for s in conv.skipped_tables:
            print(f"{xml.stem}: table without a label skipped ({s!r})", file=sys.stderr)
    if args.decisions:
        args.decisions.write_text("stem\tdecision\tlevel\twhere\ttitle\treason\tpage\n"
                                  + "\n".join(decisions) + "\n", encoding="utf-8")
    w = max(len(r[0]) for r in rows)
    print(f"{'stem':<{w}}  sections  tables  cells  percentages  trials")
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>8}  {r[2]:>6}  {r[3]:>5}  {r[4]:>11}  {r[5]:>6}")
    tot = [sum(r[i] for r in rows if isinstance(r[i], int)) for i in range(1, 6)]
    print(f"{'total (' + str(len(rows)) + ')':<{w}}  {tot[0]:>8}  {tot[1]:>6}  {tot[2]:>5}  {tot[3]:>11}  {tot[4]:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

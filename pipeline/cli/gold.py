"""`review-extract gold from-jats ARTICLE.xml [--pdf ARTICLE.pdf] [-o GOLD.json] [--explain]`.

A review-gold/1 file from publisher XML (JATS / PMC nXML, or BioMed Central's `art` DTD); the rules
are in pipeline/gold/ and docs/gold-from-jats.md. Without `--pdf`, a PDF beside the XML with the
same stem checks which headings are printed on a line of their own (`--no-pdf`: no check). Without
`-o` the gold is printed. `--explain` prints each section decision to stderr. Exit 0, or 2 on bad input.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.options import EXIT_OK, EXIT_USAGE


def register(sub) -> None:
    p = sub.add_parser("gold", help="make gold files (from-jats: from publisher XML)")
    gsub = p.add_subparsers(dest="gold_command", required=True)
    j = gsub.add_parser("from-jats", help="a review-gold/1 file from JATS or BMC art XML",
                        description="Write what the XML can know: sections with levels, tables cell by cell, "
                                    "percentages, registry ids.")
    j.add_argument("xml", type=Path, metavar="ARTICLE.xml")
    j.add_argument("--pdf", type=Path, default=None, help="the article's PDF (default: beside the XML)")
    j.add_argument("--no-pdf", action="store_true", help="do not check sections against a PDF")
    j.add_argument("-o", "--output", type=Path, default=None, metavar="GOLD.json", help="default: print")
    j.add_argument("--explain", action="store_true", help="print section decisions to stderr")
    j.set_defaults(func=cmd_from_jats)


def main_from_jats(argv: list[str] | None = None) -> int:
    """The command alone (tests and scripts)."""
    p = argparse.ArgumentParser(prog="review-extract")
    register(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(["gold", "from-jats", *(argv or [])])
    return args.func(args)


def cmd_from_jats(args: argparse.Namespace) -> int:
    from pipeline.gold import convert, gold_json, write_gold

    if not args.xml.is_file():
        print(f"error: {args.xml}: no such file", file=sys.stderr)
        return EXIT_USAGE
    pdf = None if args.no_pdf else (args.pdf or args.xml.with_suffix(".pdf"))
    if pdf is not None and not pdf.is_file():
        if args.pdf:
            print(f"error: {pdf}: no such file", file=sys.stderr)
            return EXIT_USAGE
        pdf = None
    try:
        conv = convert(args.xml, pdf)
    except Exception as e:  # noqa: BLE001 - unreadable XML: one line, never a traceback
        print(f"error: {args.xml}: cannot read as JATS or BMC XML: {' '.join(str(e).split())[:200]}", file=sys.stderr)
        return EXIT_USAGE
    if args.explain:
        for d in conv.decisions:
            page = f" p{d.page}" if d.page else ""
            print(f"{'keep' if d.keep else 'drop'}\tL{d.candidate.level}\t{d.candidate.where}\t{d.title}\t{d.reason}{page}",
                  file=sys.stderr)
    if args.output:
        write_gold(conv.gold, args.output)
    else:
        sys.stdout.write(gold_json(conv.gold))
    return EXIT_OK

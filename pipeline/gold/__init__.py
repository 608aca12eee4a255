"""Gold files (`review-gold/1`) from publisher XML: `review-extract gold from-jats`.

    from pipeline.gold import gold_from_xml, write_gold
    gold = gold_from_xml("article.xml", pdf_path="article.pdf")   # schemas.gold.GoldFile
    write_gold(gold, "article.gold.json")

The XML is JATS/NLM (PMC nXML) or BioMed Central's `art` DTD (told apart by the root
element). The gold holds only what the XML can know: `document`, `sections`, `tables`,
`percentages` and `trials` (id and registry only). Endpoints, entities, abbreviations and
trial attributes are left out (absent = not scored). With the PDF, section titles are
checked against print (printed.py); without it every titled section is kept.

This package depends on `schemas` only, never on the extractor it scores.
Rules: docs/gold-from-jats.md and each module's docstring.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from schemas.gold import GOLD_FORMAT, GoldFile

from .bmc_art import read_art
from .jats import read_jats
from .model import Article, TableData
from .percentages import percentages
from .printed import Decision, decide, pdf_lines, printed_table_labels
from .registries import find_ids
from .tables import resolve
from .text import local, parse_xml

__all__ = ["Conversion", "convert", "gold_from_xml", "write_gold", "read_article"]


@dataclass
class Conversion:
    gold: GoldFile
    decisions: list[Decision] = field(default_factory=list)
    skipped_tables: list[str] = field(default_factory=list)


def read_article(xml_path) -> Article:
    root = parse_xml(xml_path)
    return read_art(root) if local(root) == "art" else read_jats(root)


def _table_item(t: TableData) -> dict:
    item = {"label": t.label, "caption": t.caption}
    if t.header_rows is not None:
        res = resolve(t.header_rows, t.body_rows or [])
        item["header"], item["rows"] = res.header, res.rows
    return item


def convert(xml_path, pdf_path=None) -> Conversion:
    art = read_article(xml_path)
    lines = pdf_lines(pdf_path) if pdf_path else None
    decisions = decide(art.sections, lines)
    sections = [{"title": d.title, "level": d.candidate.level} for d in decisions if d.keep]
    tables = [_table_item(u) for u in art.units if isinstance(u, TableData)]
    pcts = [{"value": p.value, "qualifier": p.qualifier, "quote": p.quote}
            for p in percentages(art.units)]
    trials = [{"id": i, "registry": r} for i, r in find_ids(art.trial_text)]
    if lines is not None and _tables_missing(tables, lines):
        # the PDF prints tables the XML does not hold (supplied apart, or as images): neither their
        # cells nor their percentages can be known from the XML, so neither kind is scored
        tables, pcts = None, None
    name = Path(pdf_path).name if pdf_path else Path(xml_path).with_suffix(".pdf").name
    data = {
        "format": GOLD_FORMAT,
        "document": {"file": name, "title": art.title, "doi": art.doi},
        "sections": sections,
        "tables": tables,
        "trials": trials,
        "percentages": pcts,
    }
    return Conversion(GoldFile.model_validate(data), decisions, art.skipped_tables)


def _tables_missing(tables: list[dict], lines) -> bool:
    known = {" ".join(t["label"].lower().split()).rstrip(".") for t in tables}
    return bool(printed_table_labels(lines) - known)


def gold_from_xml(xml_path, pdf_path=None) -> GoldFile:
    """The `review-gold/1` gold of one article's XML (checked against its PDF when given)."""
    return convert(xml_path, pdf_path).gold


def _dump(v) -> str:
    return json.dumps(v, ensure_ascii=False)


def _table_json(t: dict) -> str:
    head = ", ".join(f"{_dump(k)}: {_dump(v)}" for k, v in t.items() if k != "rows")
    if "rows" not in t:
        return "  {" + head + "}"
    rows = ",\n".join("    " + _dump(r) for r in t["rows"])
    return "  {" + head + ', "rows": [\n' + rows + ("\n" if rows else "") + "  ]}"


def gold_json(gold: GoldFile) -> str:
    """Deterministic text, one item per line (one table row per line): keys in the model's
    order, only the keys that were set (so trial attributes stay absent, not null)."""
    data = gold.model_dump(exclude_unset=True)
    parts = []
    for k, v in data.items():
        if isinstance(v, list) and v:
            items = [_table_json(x) for x in v] if k == "tables" else ["  " + _dump(x) for x in v]
            parts.append(f" {_dump(k)}: [\n" + ",\n".join(items) + "\n ]")
        else:
            parts.append(f" {_dump(k)}: {_dump(v)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_gold(gold: GoldFile, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(gold_json(gold), encoding="utf-8")
    return path

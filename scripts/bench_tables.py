"""Table structure recognition against the tools a user would try instead, on the same PDFs and gold.

    python scripts/bench_tables.py --pdfs ../shared/corpus/jats --gold fixtures/corpus/gold \\
        --runs RUNS [--json OUT.json]

RUNS is a review-extract run folder of the same PDFs (`review-extract batch PDFS -o RUNS`). Each peer is
given what a user would crop by hand: the page and region where review-extract located the table's
caption and body (the first page of a table continued over pages), and the table's label, so the
comparison is of structure recognition alone. A peer's first row is its header. Cells are scored
with the project's evaluator (gold-format.md, tables: cells). Peers: pdfplumber (lines and text
strategies), PyMuPDF find_tables (lines and text), camelot (lattice and stream) where it is
installed. Seconds are per table page, the region's extraction only.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluate.load import gold_stem, load_gold  # noqa: E402
from pipeline.evaluate.tables import score_tables  # noqa: E402


def _clean(rows) -> list[list[str]]:
    return [[" ".join(str(c or "").split()) for c in r] for r in rows if any((c or "").strip() for c in r)]


def _as_table(label: str, rows: list[list[str]]) -> dict:
    rows = _clean(rows)
    return {"label": label, "caption": None, "header": rows[0] if rows else [], "rows": rows[1:]}


def pymupdf_tool(strategy: str):
    def run(pdf: str, page_no: int, bbox) -> list[list[str]]:
        import pymupdf

        with pymupdf.open(pdf) as doc:
            page = doc[page_no - 1]
            rect = pymupdf.Rect(bbox) * page.derotation_matrix if page.rotation else pymupdf.Rect(bbox)
            with contextlib.redirect_stdout(io.StringIO()):
                found = page.find_tables(clip=rect, strategy=strategy)
            best = max(found.tables, key=lambda t: t.row_count * t.col_count, default=None)
            return best.extract() if best is not None else []
    return run


def pdfplumber_tool(strategy: str):
    def run(pdf: str, page_no: int, bbox) -> list[list[str]]:
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            page = doc.pages[page_no - 1]
            x0, y0, x1, y1 = bbox
            box = (max(0, x0), max(0, y0), min(page.width, x1), min(page.height, y1))
            crop = page.crop(box)
            settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}
            return crop.extract_table(settings) or []
    return run


def camelot_tool(flavor: str):
    def run(pdf: str, page_no: int, bbox) -> list[list[str]]:
        import camelot

        with pdf_height(pdf, page_no) as h:
            x0, y0, x1, y1 = bbox
            area = f"{x0},{h - y0},{x1},{h - y1}"  # camelot: PDF space, origin bottom-left
        with contextlib.redirect_stderr(io.StringIO()):
            tables = camelot.read_pdf(pdf, pages=str(page_no), flavor=flavor, table_areas=[area])
        return tables[0].df.values.tolist() if tables.n else []
    return run


@contextlib.contextmanager
def pdf_height(pdf: str, page_no: int):
    import pymupdf

    with pymupdf.open(pdf) as doc:
        yield doc[page_no - 1].rect.height


def tools() -> dict:
    out = {"pymupdf-lines": pymupdf_tool("lines"), "pymupdf-text": pymupdf_tool("text")}
    try:
        import pdfplumber  # noqa: F401

        out["pdfplumber-lines"] = pdfplumber_tool("lines")
        out["pdfplumber-text"] = pdfplumber_tool("text")
    except ImportError:
        pass
    try:
        import camelot  # noqa: F401

        out["camelot-lattice"] = camelot_tool("lattice")
        out["camelot-stream"] = camelot_tool("stream")
    except ImportError:
        pass
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdfs", required=True)
    ap.add_argument("--gold", required=True, action="append")
    ap.add_argument("--runs", required=True)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    golds = {}
    for d in args.gold:
        for p in sorted(Path(d).glob("*.gold.json")):
            g = load_gold(p)
            if g.tables and any(t.has_cells for t in g.tables):
                golds[gold_stem(p)] = g
    peers = tools()
    totals = {name: {"tp": 0, "fp": 0, "fn": 0, "seconds": 0.0, "pages": 0, "wins": 0} for name in ["review-extract", *peers]}
    per_doc = {}
    for stem, gold in sorted(golds.items()):
        pdf, run_tables = Path(args.pdfs) / f"{stem}.pdf", Path(args.runs) / stem / "tables.json"
        if not pdf.is_file() or not run_tables.is_file():
            continue
        ours = json.loads(run_tables.read_text(encoding="utf-8"))
        entries = {"review-extract": ours}
        manifest = json.loads((Path(args.runs) / stem / "manifest.json").read_text(encoding="utf-8"))
        totals["review-extract"]["seconds"] += manifest.get("seconds", {}).get("tables", 0.0)
        totals["review-extract"]["pages"] += sum(len(t.get("pages") or [t["page"]]) for t in ours)
        for name, fn in peers.items():
            tabs = []
            for t in ours:
                if not t.get("bbox"):
                    continue
                t0 = time.perf_counter()
                try:
                    rows = fn(str(pdf), t["page"], t["bbox"])
                except Exception:  # noqa: BLE001 - a peer that fails on a table reads nothing of it
                    rows = []
                totals[name]["seconds"] += time.perf_counter() - t0
                totals[name]["pages"] += 1
                tabs.append(_as_table(t["label"], rows))
            entries[name] = tabs
        per_doc[stem] = {}
        for name, tabs in entries.items():
            ks = score_tables(gold.tables, tabs, [])
            c = ks.cells
            totals[name]["tp"] += c.tp
            totals[name]["fp"] += c.fp or 0
            totals[name]["fn"] += c.fn
            per_doc[stem][name] = round(c.f1 or 0.0, 3)
        best = max(per_doc[stem].values())
        for name, v in per_doc[stem].items():
            if v == best and best > 0:
                totals[name]["wins"] += 1
    report = {"documents": len(per_doc), "tools": {}, "per_document": per_doc}
    for name, t in totals.items():
        report["tools"][name] = {"cell_f1": round(_f1(t["tp"], t["fp"], t["fn"]), 4), "tp": t["tp"], "fp": t["fp"],
                                 "fn": t["fn"], "documents_won": t["wins"],
                                 "seconds_per_table_page": round(t["seconds"] / t["pages"], 4) if t["pages"] else None}
    print(f"{'tool':<18}{'cell F1':>9}{'docs won':>10}{'s/table page':>14}   ({len(per_doc)} documents)")
    for name, r in sorted(report["tools"].items(), key=lambda kv: -kv[1]["cell_f1"]):
        s = r["seconds_per_table_page"]
        print(f"{name:<18}{r['cell_f1']:>9.3f}{r['documents_won']:>10}{'' if s is None else format(s, '.3f'):>14}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

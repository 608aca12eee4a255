"""Human-readable views of each stage's output, for `review-extract inspect`."""
from __future__ import annotations

from typing import TextIO


def show(stage: str, out, w: TextIO) -> None:
    {"parse": _parse, "layout": _layout, "tables": _tables, "segment": _segment, "tag": _tag,
     "extract": _extract, "validate": _validate}[stage](out, w)


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _parse(raw, w):
    w.write(f"{raw.file}  sha256 {raw.sha256[:16]}…  {raw.page_count} pages\n")
    for k, v in raw.metadata.items():
        w.write(f"  {k}: {_short(v, 90)}\n")
    for p in raw.pages:
        lines = sum(len(b.lines) for b in p.blocks)
        spans = sum(len(ln.spans) for b in p.blocks for ln in b.lines)
        sup = sum(1 for b in p.blocks for ln in b.lines for s in ln.spans if s.superscript)
        w.write(f"page {p.number}: {p.width:.0f}x{p.height:.0f} rot {p.rotation}  text layer {'yes' if p.has_text_layer else 'NO'}  "
                f"{len(p.blocks)} blocks {lines} lines {spans} spans ({sup} superscript)  {len(p.rules)} rules "
                f"{p.image_count} images  {len(p.tables)} finder tables\n")
    for w_ in raw.warnings:
        w.write(f"warning: {w_}\n")


def _layout(doc, w):
    w.write(f"{doc.file}  body size {doc.body_size}\n")
    for p in doc.pages:
        w.write(f"\n== page {p.number}  {p.columns} column(s)  removed: {', '.join(map(repr, p.furniture)) or '-'}\n")
        for ln in p.lines:
            col = "full" if ln.column < 0 else f"c{ln.column}"
            mark = " ".join(m.text for m in ln.markers)
            w.write(f"  r{ln.region:<3} {col:<4} {ln.size:>5.1f}{'B' if ln.bold else ' '}{'I' if ln.italic else ' '} "
                    f"{ln.join[0]} {_short(ln.text, 100)}{'  ^' + mark if mark else ''}\n")


def _table(t, w):
    pages = ",".join(map(str, t.pages))
    w.write(f"{t.label} (p. {pages}, {t.method}): {_short(t.caption, 90)}\n")
    if t.header:
        w.write("  | " + " | ".join(t.header) + " |\n")
    for row, cont in zip(t.rows, t.continuation):
        w.write(("  +" if cont else "  |") + " " + " | ".join(row) + " |\n")
    if t.footnote:
        w.write(f"  note: {_short(t.footnote, 100)}\n")


def _tables(tables, w):
    if not tables:
        w.write("no tables found\n")
    for t in tables:
        _table(t, w)


def _segment(doc, w):
    f = doc.front
    w.write(f"title: {f.title}\nauthors: {', '.join(f.authors)}\ndoi: {f.doi}\ndates: {f.dates}\nkeywords: {', '.join(f.keywords)}\n")
    w.write("\nsections:\n")
    for h in doc.headings:
        w.write(f"  {'  ' * (h.level - 1)}{h.number + ' ' if h.number else ''}{h.title}  (p. {h.page})\n")
    w.write("\nblocks:\n")
    for b in doc.blocks:
        pages = sorted({fr.page for fr in b.fragments})
        w.write(f"  {b.id:<10} {b.kind:<11} p.{','.join(map(str, pages)):<5} {_short(b.text, 90)}\n")
    w.write(f"\n{len(doc.tables)} tables:\n")
    for t in doc.tables:
        _table(t, w)
    w.write(f"\n{len(doc.references)} references\n")


def _tag(doc, w):
    w.write(f"{len(doc.sentences)} sentences; NER model: {doc.ner_model}\n\nabbreviations:\n")
    for a in doc.abbreviations:
        w.write(f"  {a.short:<12} {a.long}\n")
    w.write("\nentities:\n")
    for e in doc.entities:
        w.write(f"  {e.label:<9} {e.text}{'  = ' + e.long_form if e.long_form else ''}  (p. {e.provenance.page})\n")


def _extract(c, w):
    for kind in ("trials", "endpoints", "percentages"):
        items = getattr(c, kind)
        w.write(f"\n{kind} ({len(items)}):\n")
        for it in items:
            prov = it.get("provenance") or {}
            if kind == "trials":
                desc = f"{it.get('id')}  phase {it.get('phase')} year {it.get('year')}  {it.get('condition')}  {it.get('interventions')}"
            elif kind == "endpoints":
                desc = (f"{it.get('endpoint')} {it.get('qualifier') or ''} {it.get('value')} {it.get('unit')}"
                        f"{' vs ' + str(it.get('comparator_value')) if it.get('comparator_value') is not None else ''}"
                        f"  trial {it.get('trial_id')}")
            else:
                desc = f"{it.get('qualifier') or ''}{it.get('value')}%  {it.get('quantifies') or ''}"
            w.write(f"  p.{prov.get('page')}  {desc}\n      « {_short(prov.get('text', ''), 100)} »\n")


def _validate(v, w):
    for kind in type(v.records).model_fields:
        w.write(f"{kind}: {len(getattr(v.records, kind))} valid\n")
    for i in v.issues:
        w.write(f"INVALID {i.kind}[{i.index}]: {i.reason}\n")


def draw_command(args, settings) -> int:
    """`inspect --stage STAGE --draw OUT_DIR`: the stage's boxes on every page, one PNG each, drawn in a
    bounded worker like the text view."""
    import sys

    from pipeline.batch.work import call_bounded
    from pipeline.errors import ReviewExtractError

    try:
        text = call_bounded(_draw, args.pdf, args.stage, args.draw, settings, settings=settings, path=args.pdf)
    except ReviewExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


def _draw(pdf: str, stage: str, outdir: str, settings) -> str:
    import time
    from pathlib import Path

    from pipeline.report.draw import draw_stage
    from pipeline.run import run_stages, time_limit

    with time_limit(settings.time_limit_s, Path(pdf).name):
        state, _ = run_stages(pdf, settings, until=stage)
    t0 = time.perf_counter()
    written = draw_stage(pdf, stage, state, outdir)
    return f"wrote {len(written)} page images ({stage} boxes) to {outdir} in {time.perf_counter() - t0:.1f} s\n"

"""The audit report of one run folder: summary, scores, a table per record kind with crops, page views."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.atomic import write_text
from pipeline.errors import InputError
from pipeline.evaluate import load_gold, load_run, read_manifest, summary_table
from pipeline.report import html as H
from pipeline.report.boxes import RECORD_CLASS, document_boxes, span_locator
from pipeline.report.judge import Judgement, judge
from pipeline.report.render import PALETTE, PageSource, crop_picture, data_uri, encode, page_picture
from schemas.kinds import GOLD_KINDS, MODELS

PAGE_SCALE = 1.0    # page views: ~600 px wide for A4, enough to see boxes and read headings
CROP_SCALE = 1.3    # crops: about print-size text on a screen
QUALITY = 55
# record fields not shown as columns (provenance has its own columns; tables their own view)
_HIDDEN = {"provenance", "other_mentions", "bbox", "path", "rows", "header", "continuation", "footnote"}


@dataclass
class ReportStats:
    path: Path
    bytes: int
    seconds: float
    pages: int
    crops: int
    records: int
    scores: dict[str, float | None] = field(default_factory=dict)


def find_pdf(run_dir: Path, manifest: dict, explicit: str | os.PathLike | None = None) -> Path:
    """The PDF a run was made from: --pdf, else the manifest's file name next to the run folder or inside it."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise InputError(f"{p}: PDF not found")
        return p
    name = Path(str(manifest.get("file") or "")).name
    if name:
        for cand in (run_dir.parent / name, run_dir / name):
            if cand.is_file():
                return cand
    raise InputError(f"{run_dir}: cannot find {name or 'the PDF'} next to the run folder; give it with --pdf")


def _read_document(run_dir: Path) -> dict:
    path = run_dir / "document.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: unreadable ({' '.join(str(e).split())[:100]})") from None
    return data if isinstance(data, dict) else {}


class _Cropper:
    """Crops of record spans, each located once in the PDF and encoded once."""

    def __init__(self, src: PageSource):
        self.src = src
        self.count = 0
        self._cache: dict[tuple, str] = {}
        self.spans = span_locator(src)

    def img(self, page: int, around, spans, alt: str) -> str:
        if not page or not 1 <= page <= self.src.page_count or (around is None and not spans):
            return ""
        key = (page, tuple(around or ()), tuple(tuple(s) for s in spans))
        if key not in self._cache:
            pic = crop_picture(self.src, page, tuple(around) if around else None, spans, CROP_SCALE)
            self._cache[key] = data_uri(encode(pic, "webp", QUALITY))
            self.count += 1
        return f'<img class="crop" alt="{H.e(alt)}" src="{self._cache[key]}">'


def _sentence(prov: dict, width: int = 260) -> str:
    text = prov.get("text") or ""
    s, e = prov.get("char_start") or 0, prov.get("char_end") or 0
    if not (0 <= s <= e <= len(text)):
        s = e = 0
    lo, hi = max(0, s - width // 2), min(len(text), e + width // 2)
    pre = ("…" if lo else "") + text[lo:s]
    post = text[e:hi] + ("…" if hi < len(text) else "")
    return f"{H.e(pre)}<mark>{H.e(text[s:e])}</mark>{H.e(post)}"


def _fmt(v) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def _columns(kind: str) -> list[str]:
    return [f for f in MODELS[kind].model_fields if f not in _HIDDEN]


def _kind_section(kind: str, items: list[dict], crop: _Cropper | None, j: Judgement | None) -> str:
    cols = _columns(kind)
    status = j.status.get(kind) if j else None
    notes = j.notes.get(kind) if j else None
    rows = []
    for i, rec in enumerate(items):
        prov = rec.get("provenance") or {}
        page = prov.get("page", rec.get("page"))
        around = prov.get("bbox") or rec.get("bbox")
        st = status[i] if status else "unjudged"
        cells = [H.td(i + 1, num=True), H.td(f'<span class="st {st}">{st.upper() if st != "unjudged" else "–"}</span>'
                                            + (f'<div class="note">{H.e("; ".join(notes[i]))}</div>' if notes and notes[i] else ""),
                                            raw=True, sort=st)]
        for c in cols:
            v = rec.get(c)
            cells.append(H.td(_fmt(v), num=isinstance(v, (int, float)) and not isinstance(v, bool)))
        section = prov.get("section") if prov else rec.get("path")
        cells.append(H.td(page, num=True))
        cells.append(H.td(" › ".join(section or [])))
        spans = crop.spans(prov) if crop and prov else []
        picture = crop.img(page, around, spans, f"{kind} {i + 1}") if crop else ""
        words = _sentence(prov) if prov else H.e(rec.get("caption") or "")
        cells.append(H.td(f'{picture}<div class="sent">{words}</div>', raw=True, cls="where"))
        rows.append((st, "", cells))
    for m in (j.misses.get(kind, []) if j else []):
        place = _place_miss(crop, m.quote) if crop else None
        cells = [H.td("", num=True, sort=10**9), H.td('<span class="st fn">MISS</span>', raw=True, sort="fn")]
        cells.append(H.td(m.key + (f" (near: {m.near})" if m.near else "")))
        cells += [H.td("") for _ in cols[1:]]
        cells.append(H.td(place[0] if place else "", num=True))
        cells.append(H.td(""))
        picture = crop.img(place[0], None, place[1], f"miss {m.key}") if place else ""
        quote = H.e(f"gold quote: {m.quote}" if m.quote else "(no quote in the gold file)")
        cells.append(H.td(f'{picture}<div class="sent">{quote}</div>', raw=True, cls="where"))
        rows.append(("fn", "", cells))
    headers = ["#", "status"] + cols + ["page", "section", "on the page / sentence or cell"]
    statuses = [s for s in ("tp", "fp", "fn", "unjudged") if any(r[0] == s for r in rows)]
    tid = f"t-{kind}"
    extra = ""
    if j and j.cell_fps.get(kind):
        extra = f'<p class="note">{j.cell_fps[kind]} table cell(s) not in the gold table (cell false positives).</p>'
    return (f'<h2 id="{kind}">{kind} ({len(items)})</h2>{extra}' + H.tools(tid, statuses, paged=len(rows) > 100)
            + H.table(tid, headers, rows, page_size=100 if len(rows) > 100 else 0))


def _place_miss(crop: _Cropper, quote: str | None):
    """Page and boxes of a gold quote, when the PDF prints it (its first words, searched page by page)."""
    if not quote:
        return None
    words = quote.split()
    for n in (len(words), 8, 4):
        needle = " ".join(words[:n])
        if len(needle) < 4:
            break
        for p in range(1, crop.src.page_count + 1):
            hit = crop.src.find_span(p, None, needle)
            if hit:
                return p, hit
    return None


def _summary(manifest: dict, records: dict[str, list[dict]], j: Judgement | None) -> str:
    out = ['<h2 id="summary">Summary</h2><div class="row"><table><tbody>']
    for k in ("file", "status", "pages", "version", "config_hash", "sha256"):
        cls = f' class="{H.e(manifest.get(k))}"' if k == "status" else ""
        out.append(f"<tr><th>{k}</th><td{cls}>{H.e(manifest.get(k))}</td></tr>")
    secs = manifest.get("seconds") or {}
    if secs:
        out.append("<tr><th>seconds</th><td>" + H.e(", ".join(f"{k} {v:.2f}" for k, v in secs.items())) + "</td></tr>")
    out.append("</tbody></table><table><thead><tr><th>kind</th><th>records</th></tr></thead><tbody>")
    for k in GOLD_KINDS:
        out.append(f'<tr><td><a href="#{k}">{k}</a></td><td class="num">{len(records.get(k, []))}</td></tr>')
    out.append("</tbody></table></div>")
    for w in manifest.get("warnings") or []:
        out.append(f'<p class="warn">warning: {H.e(w)}</p>')
    for err in manifest.get("errors") or []:
        out.append(f'<p class="err">error [{H.e(err.get("stage"))}] {H.e(err.get("error"))}: {H.e(err.get("message"))}</p>')
    if j:
        out.append('<h2 id="scores">Scores against the gold file</h2><pre>'
                   + H.e("\n".join(summary_table(j.scores.kinds))) + "</pre>")
        out += [f'<p class="warn">{H.e(w)}</p>' for w in j.scores.warnings]
    return "".join(out)


def _pages(crop: _Cropper, document: dict, records: dict[str, list[dict]]) -> str:
    src = crop.src
    boxes = document_boxes(document, records, src, crop.spans)
    numbers = [p["number"] for p in document.get("pages", [])] or list(range(1, src.page_count + 1))
    figs, seen = [], []
    for n in numbers:
        if not 1 <= n <= src.page_count:
            continue
        pic = page_picture(src, n, boxes.get(n, []), PAGE_SCALE, legend=False)
        seen += [c for c in pic.classes if c not in seen]
        figs.append(f'<figure id="page-{n}"><img alt="page {n}" src="{data_uri(encode(pic.image, "webp", QUALITY))}">'
                    f"<figcaption>page {n} · {len(boxes.get(n, []))} boxes</figcaption></figure>")
    legend = "".join(f'<span><i style="background:rgb{PALETTE[c]}"></i>{H.e(c)}</span>' for c in seen if c in PALETTE)
    return f'<h2 id="pages">Pages</h2><div class="legend">{legend}</div><div class="pages">{"".join(figs)}</div>'


def build_report(run_dir: str | os.PathLike, out: str | os.PathLike | None = None, gold: str | os.PathLike | None = None,
                 pdf: str | os.PathLike | None = None) -> ReportStats:
    """Write RUN_DIR's audit report (default: beside it, <RUN_DIR>.report.html); raises InputError/GoldFormatError on bad input."""
    t0 = time.perf_counter()
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError(f"{run_dir}: run folder not found")
    manifest = read_manifest(run_dir)
    if not manifest and not (run_dir / "document.json").is_file():
        raise InputError(f"{run_dir}: not a run folder (no manifest.json or document.json)")
    records = load_run(run_dir)
    document = _read_document(run_dir)
    j = judge(load_gold(gold), records) if gold else None
    rotations = {p["number"]: p.get("rotation", 0) for p in document.get("pages", [])}
    with PageSource(find_pdf(run_dir, manifest, pdf), rotations) as src:
        crop = _Cropper(src)
        body = [_nav(), _summary(manifest, records, j)]
        body += [_kind_section(k, records.get(k, []), crop, j) for k in GOLD_KINDS]
        body.append(_pages(crop, document, records))
        pages = src.page_count
    title = f"review-extract audit: {manifest.get('file') or run_dir.name}"
    sub = H.e(f"{manifest.get('status', '?')} · {manifest.get('pages', pages)} pages · "
              f"{sum(len(v) for v in records.values())} records" + (f" · gold {Path(gold).name}" if gold else ""))
    text = H.page(title, sub, "".join(body))
    out = Path(out) if out else default_report_path(run_dir)
    write_text(out, text)
    scores = {}
    if j:
        scores = {k: ks.headline()[1] for k, ks in j.scores.kinds.items() if ks.scored}
    return ReportStats(out, len(text.encode("utf-8")), time.perf_counter() - t0, pages, crop.count,
                       sum(len(v) for v in records.values()), scores)


def default_report_path(run_dir: str | os.PathLike) -> Path:
    """OUTDIR/<folder>.report.html, beside the run folder: a folder holding anything but its record
    files is not replaced by a rerun (pipeline.core.atomic.check_replaceable)."""
    run_dir = Path(run_dir).resolve()
    return run_dir.parent / f"{run_dir.name}.report.html"


def _nav() -> str:
    links = "".join(f'<a href="#{k}">{k}</a>' for k in ("summary",) + GOLD_KINDS + ("pages",))
    return f"<nav>{links}</nav>"


__all__ = ["RECORD_CLASS", "ReportStats", "build_report", "default_report_path", "find_pdf"]

"""Score an exported run against a gold file (`review-gold/1`), kind by kind.

`eval` reads only exported files (RUN_DIR/*.jsonl, tables.json, manifest.json) and gold files,
so it can score any run, old or new. Public functions:

- `load_gold(path) -> GoldFile` (raises `GoldFormatError` with a one-line message naming the field)
- `load_run(run_dir) -> dict[kind, list[dict]]` (missing record file = empty list)
- `score(gold, run, gold_name, run_name) -> DocumentScores` (pure; what the two below call)
- `evaluate_run(run_dir, gold_path) -> DocumentScores`
- `evaluate_many(outdir, gold_dir) -> CorpusScores` (x.pdf <-> x.gold.json <-> OUTDIR/x/)
- `check_bars(scores, bars) -> list[str]` (the "FAIL trials f1 0.93 < 0.95" lines)
- `format_document(scores)`, `format_corpus(scores)`: the human report
- `write_json(path, data)`: atomic write
"""
from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

from pydantic import ValidationError

from schemas.gold import GOLD_FORMAT, GoldFile
from schemas.scores import (
    KINDS, AttributeScore, Average, CorpusScores, Counts, DocumentScores, FalsePositive, KindScores,
    Mismatch, Miss,
)

from pipeline.errors import GoldFormatError, InputError
from pipeline.core.normalize import (
    caption_key, intervention_key, label_key, normalize_short, normalize_text, section_key, token_f1,
)

TOLERANCE = 1e-6
RUN_FILES = {
    "trials": "trials.jsonl", "endpoints": "endpoints.jsonl", "percentages": "percentages.jsonl",
    "abbreviations": "abbreviations.jsonl", "entities": "entities.jsonl", "sections": "sections.jsonl",
    "tables": "tables.json",
}
GOLD_SUFFIX = ".gold.json"


# --------------------------------------------------------------------------- loading

def _loc(loc: tuple) -> str:
    """("trials", 3, "id") -> "gold.trials[3].id"."""
    out = "gold"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _message(err: dict) -> str:
    if err["type"] == "missing":
        return "field required"
    if err["type"] == "literal_error" and err["loc"] == ("format",):
        return f"must be {GOLD_FORMAT!r}, got {err.get('input')!r}"
    msg = str(err["msg"])
    msg = re.sub(r"^(Value|Assertion) error, ", "", msg)
    return msg[:1].lower() + msg[1:]


def gold_error(exc: ValidationError, name: str = "gold") -> GoldFormatError:
    errors = exc.errors()
    first = errors[0]
    more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return GoldFormatError(f"{name}: {_loc(first['loc'])}: {_message(first)}{more}")


def parse_gold(data: Any, name: str = "gold") -> GoldFile:
    """Validate an already-parsed gold object."""
    if not isinstance(data, dict):
        raise GoldFormatError(f"{name}: gold: expected a JSON object, got {type(data).__name__}")
    try:
        return GoldFile.model_validate(data)
    except ValidationError as exc:
        raise gold_error(exc, name) from None


def load_gold(path: str | os.PathLike) -> GoldFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFormatError(f"{path}: gold file not found") from None
    except IsADirectoryError:
        raise GoldFormatError(f"{path}: is a directory, not a gold file") from None
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read gold file ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    return parse_gold(data, str(path))


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n}: invalid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise InputError(f"{path}: line {n}: expected a JSON object")
            out.append(rec)
    return out


def load_run(run_dir: str | os.PathLike) -> dict[str, list[dict]]:
    """The exported records of one run, as plain dicts; a missing file is an empty list."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError(f"{run_dir}: run folder not found")
    run: dict[str, list[dict]] = {}
    for kind, name in RUN_FILES.items():
        path = run_dir / name
        if kind == "tables":
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
                if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
                    raise InputError(f"{path}: expected a JSON list of table objects")
                run[kind] = data
            elif (run_dir / "tables.jsonl").is_file():
                run[kind] = _read_jsonl(run_dir / "tables.jsonl")
            else:
                run[kind] = []
        else:
            run[kind] = _read_jsonl(path) if path.is_file() else []
    return run


def read_manifest(run_dir: Path) -> dict:
    try:
        data = json.loads((Path(run_dir) / "manifest.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


# --------------------------------------------------------------------------- arithmetic

def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE + 1e-12 * max(abs(a), abs(b))


def counts(tp: int, fp: int | None, fn: int) -> Counts:
    """Precision 1 when nothing extracted, recall 1 when nothing to find, F1 0 when both 0.

    `fp=None` means only recall is defined: precision and F1 are None.
    """
    recall = tp / (tp + fn) if tp + fn else 1.0
    if fp is None:
        return Counts(tp=tp, fp=None, fn=fn, precision=None, recall=recall, f1=None)
    precision = tp / (tp + fp) if tp + fp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Counts(tp=tp, fp=fp, fn=fn, precision=precision, recall=recall, f1=f1)


def _fmt_num(v: Any) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer():
            return str(int(v))
        return f"{float(v):.6f}".rstrip("0").rstrip(".")
    return str(v)


def _as_float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _text_or_none(v: Any) -> str | None:
    """Normalized text of an attribute, None for null (and for text that normalizes to nothing)."""
    if v is None:
        return None
    t = normalize_text(str(v))
    return t or None


# --------------------------------------------------------------------------- matching

@dataclass
class Side:
    """One gold or run item in a multiset match: a key (text part + optional number) and its raw record."""

    text_key: Hashable
    value: float | None
    raw: Any
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Attribute:
    name: str
    equal: Callable[[Any, Any], bool]
    show: Callable[[Any], Any] = lambda v: v


def _clusters(gold: list[Side], run: list[Side]) -> Iterable[tuple[list[int], list[int]]]:
    """Groups of gold and run indices that may match: equal text keys, numbers chained within tolerance."""
    groups: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, s in enumerate(gold):
        groups[s.text_key][0].append(i)
    for j, s in enumerate(run):
        groups[s.text_key][1].append(j)
    for gs, rs in groups.values():
        if all(gold[i].value is None for i in gs) and all(run[j].value is None for j in rs):
            yield gs, rs
            continue
        items = sorted([(gold[i].value, 0, i) for i in gs] + [(run[j].value, 1, j) for j in rs],
                       key=lambda t: (math.inf if t[0] is None else t[0], t[1], t[2]))
        cur: tuple[list[int], list[int]] = ([], [])
        last = None
        for v, side, idx in items:
            if cur[0] or cur[1]:
                if v is None or last is None or not close(v, last):
                    yield cur
                    cur = ([], [])
            cur[side].append(idx)
            last = v
        if cur[0] or cur[1]:
            yield cur


def _assign(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment; pairs with weight <= 0 are not pairs."""
    n, m = len(weights), len(weights[0]) if weights else 0
    if n == 0 or m == 0:
        return []
    if n == 1 and m == 1:
        return [(0, 0)] if weights[0][0] > 0 else []
    from scipy.optimize import linear_sum_assignment
    import numpy as np

    w = np.asarray(weights, dtype=float)
    rows, cols = linear_sum_assignment(w, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols) if w[r, c] > 0]


_EDGE = 1e6
_ATTR = 10.0


def match_multiset(gold: list[Side], run: list[Side], attributes: list[Attribute]) -> list[tuple[int, int]]:
    """Pairs (gold index, run index): a maximum multiset matching on keys, and among gold and run
    items with equal keys the pairing where the most attributes agree (ties: document order)."""
    pairs: list[tuple[int, int]] = []
    for gs, rs in _clusters(gold, run):
        if not gs or not rs:
            continue
        n = max(len(gs), len(rs))
        weights = []
        for gi, i in enumerate(gs):
            row = []
            for rj, j in enumerate(rs):
                if gold[i].value is not None and not close(gold[i].value, run[j].value):
                    row.append(0.0)
                    continue
                agree = sum(1 for a in attributes if a.equal(gold[i].attrs.get(a.name), run[j].attrs.get(a.name)))
                order = (rj + abs(rj - gi)) / (2.0 * n * n + 1.0)
                row.append(_EDGE + _ATTR * agree - order)
            weights.append(row)
        pairs.extend((gs[a], rs[b]) for a, b in _assign(weights))
    return sorted(pairs)


# --------------------------------------------------------------------------- describing items

def _prov(rec: dict) -> tuple[int | None, str | None]:
    prov = rec.get("provenance") if isinstance(rec, dict) else None
    if isinstance(prov, dict):
        page = prov.get("page")
        return (page if isinstance(page, int) else None), prov.get("text")
    return None, None


def _run_item(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k not in ("provenance", "other_mentions", "bbox", "rows", "header",
                                                      "continuation", "path")}


def _gold_item(model) -> dict:
    return model.model_dump(exclude={"quote", "rows", "header"}, exclude_none=True)


def _false_positive(key: str, rec: dict, near: str | None = None) -> FalsePositive:
    page, text = _prov(rec)
    if page is None and isinstance(rec.get("page"), int):
        page = rec["page"]
    return FalsePositive(key=key, item=_run_item(rec), page=page, text=text, near=near)


def _score_multiset(gold: list[Side], run: list[Side], attributes: list[Attribute],
                    gold_key: Callable[[Any], str], run_key: Callable[[dict], str]) -> tuple[KindScores, list]:
    pairs = match_multiset(gold, run, attributes)
    matched_g = {i for i, _ in pairs}
    matched_r = {j for _, j in pairs}
    c = counts(len(pairs), len(run) - len(matched_r), len(gold) - len(matched_g))
    attr_scores = {}
    mismatches = []
    for a in attributes:
        correct = 0
        for i, j in pairs:
            g, r = gold[i].attrs.get(a.name), run[j].attrs.get(a.name)
            if a.equal(g, r):
                correct += 1
            else:
                page, text = _prov(run[j].raw)
                mismatches.append(Mismatch(
                    key=gold_key(gold[i].raw), attribute=a.name,
                    expected=_jsonable(getattr(gold[i].raw, a.name, None)),
                    got=_jsonable(run[j].raw.get(a.name)), page=page, text=text))
        attr_scores[a.name] = AttributeScore(correct=correct, total=len(pairs),
                                             accuracy=correct / len(pairs) if pairs else None)
    misses = [Miss(key=gold_key(s.raw), item=_gold_item(s.raw), quote=getattr(s.raw, "quote", None))
              for i, s in enumerate(gold) if i not in matched_g]
    fps = [_false_positive(run_key(s.raw), s.raw) for j, s in enumerate(run) if j not in matched_r]
    ks = KindScores(scored=True, **c.model_dump(), attributes=attr_scores, misses=misses,
                    false_positives=fps, mismatches=mismatches)
    return ks, pairs


def _jsonable(v: Any) -> Any:
    try:
        json.dumps(v)
        return v
    except (TypeError, ValueError):
        return str(v)


# --------------------------------------------------------------------------- attribute equality

def _eq_text(g: Any, r: Any) -> bool:
    return _text_or_none(g) == _text_or_none(r)


def _eq_number(g: Any, r: Any) -> bool:
    return close(_as_float(g), _as_float(r))


def _eq_int(g: Any, r: Any) -> bool:
    gf, rf = _as_float(g), _as_float(r)
    return gf == rf if gf is not None and rf is not None else gf is None and rf is None


def _eq_condition(g: Any, r: Any) -> bool:
    if _text_or_none(g) is None or _text_or_none(r) is None:
        return _text_or_none(g) is None and _text_or_none(r) is None
    return token_f1(str(g), str(r)) >= 0.5


def _intervention_set(v: Any) -> frozenset[str]:
    if v is None:
        return frozenset()
    if isinstance(v, str):
        v = [v]
    return frozenset(k for k in (intervention_key(str(x)) for x in v if x is not None) if k)


def _eq_interventions(g: Any, r: Any) -> bool:
    return _intervention_set(g) == _intervention_set(r)


def _eq_caption(g: Any, r: Any) -> bool:
    gk = caption_key(g) if g is not None else ""
    rk = caption_key(r) if r is not None else ""
    return gk == rk


# --------------------------------------------------------------------------- kinds

def _warn_missing(warnings: list[str], kind: str, field_name: str, n: int) -> None:
    if n:
        warnings.append(f"run {RUN_FILES[kind]}: {n} record{'s' if n > 1 else ''} without '{field_name}' ignored")


def score_sections(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("level", _eq_int)]
    gs = [Side(section_key(s.title), None, s, {"level": s.level}) for s in gold]
    rs = [Side(section_key(r.get("title")), None, r, {"level": r.get("level")}) for r in run if r.get("title")]
    _warn_missing(warnings, "sections", "title", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda g: g.title, lambda r: str(r.get("title")))
    for fp in ks.false_positives:
        fp.text = fp.text or " ".join(str(x) for x in (fp.item.get("number"), fp.item.get("title")) if x)
    return ks


def _cells(header: list | None, rows: list | None) -> Counter:
    out: Counter = Counter()
    header = list(header or [])
    for row in rows or []:
        if not isinstance(row, list):
            continue
        for col, cell in enumerate(row):
            text = normalize_text(str(cell)) if cell is not None else ""
            if not text:
                continue
            head = normalize_text(str(header[col])) if col < len(header) and header[col] is not None else ""
            out[(head, text)] += 1
    return out


def _cell_examples(header: list | None, rows: list | None, wanted: Counter) -> list[tuple[str, str, int]]:
    """(raw header, raw cell, row index) for the normalized cells in `wanted`, in table order."""
    left = Counter(wanted)
    out = []
    header = list(header or [])
    for r, row in enumerate(rows or []):
        if not isinstance(row, list):
            continue
        for col, cell in enumerate(row):
            text = normalize_text(str(cell)) if cell is not None else ""
            head = normalize_text(str(header[col])) if col < len(header) and header[col] is not None else ""
            if text and left[(head, text)] > 0:
                left[(head, text)] -= 1
                out.append((str(header[col]) if col < len(header) else "", str(cell), r))
    return out


def score_tables(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("caption", _eq_caption)]
    gs = [Side(label_key(t.label), None, t, {"caption": t.caption}) for t in gold]
    rs = [Side(label_key(r.get("label")), None, r, {"caption": r.get("caption")}) for r in run if r.get("label")]
    _warn_missing(warnings, "tables", "label", len(run) - len(rs))
    ks, pairs = _score_multiset(gs, rs, attrs, lambda g: g.label, lambda r: str(r.get("label")))
    for fp in ks.false_positives:
        fp.text = fp.text or fp.item.get("caption")

    tp = fp = fn = 0
    cell_misses: list[Miss] = []
    cell_fps: list[FalsePositive] = []
    matched_g = {i: j for i, j in pairs}
    matched_r = {j for _, j in pairs}
    for i, g in enumerate(gs):
        t = g.raw
        if not t.has_cells:
            continue  # presence and caption only; the run's cells for it are ignored
        gc = _cells(t.header, t.rows)
        if i in matched_g:
            r = rs[matched_g[i]].raw
            rc = _cells(r.get("header"), r.get("rows"))
        else:
            r, rc = None, Counter()
        both = gc & rc
        tp += sum(both.values())
        fn += sum((gc - rc).values())
        fp += sum((rc - gc).values())
        for head, cell, row in _cell_examples(t.header, t.rows, gc - rc):
            cell_misses.append(Miss(key=f"cell {t.label} [{head}] {cell}", item={"table": t.label, "header": head,
                                                                           "cell": cell, "row": row}))
        if r is not None:
            for head, cell, row in _cell_examples(r.get("header"), r.get("rows"), rc - gc):
                cell_fps.append(FalsePositive(key=f"cell {r.get('label')} [{head}] {cell}",
                                              item={"table": r.get("label"), "header": head, "cell": cell, "row": row},
                                              page=r.get("page"), text=cell))
    for j, s in enumerate(rs):
        if j in matched_r:
            continue
        r = s.raw
        rc = _cells(r.get("header"), r.get("rows"))
        fp += sum(rc.values())
        for head, cell, row in _cell_examples(r.get("header"), r.get("rows"), rc):
            cell_fps.append(FalsePositive(key=f"cell {r.get('label')} [{head}] {cell}",
                                          item={"table": r.get("label"), "header": head, "cell": cell, "row": row},
                                          page=r.get("page"), text=cell))
    ks.cells = counts(tp, fp, fn)
    ks.misses.extend(cell_misses)
    ks.false_positives.extend(cell_fps)
    return ks


def score_trials(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("phase", _eq_text), Attribute("year", _eq_int), Attribute("condition", _eq_condition),
             Attribute("interventions", _eq_interventions)]
    names = [a.name for a in attrs]
    gs = [Side(normalize_text(t.id), None, t, {n: getattr(t, n) for n in names}) for t in gold]
    rs = [Side(normalize_text(str(r.get("id"))), None, r, {n: r.get(n) for n in names}) for r in run if r.get("id")]
    _warn_missing(warnings, "trials", "id", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda g: g.id, lambda r: str(r.get("id")))
    return ks


def score_endpoints(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("comparator_value", _eq_number), Attribute("qualifier", _eq_text),
             Attribute("trial_id", _eq_text)]
    names = [a.name for a in attrs]
    gs = [Side((normalize_text(e.endpoint), normalize_text(e.unit)), e.value, e, {n: getattr(e, n) for n in names})
          for e in gold]
    rs = []
    for r in run:
        v = _as_float(r.get("value"))
        if v is None or not r.get("endpoint"):
            continue
        rs.append(Side((normalize_text(str(r.get("endpoint"))), normalize_text(str(r.get("unit") or ""))), v, r,
                       {n: r.get(n) for n in names}))
    _warn_missing(warnings, "endpoints", "endpoint/value", len(run) - len(rs))
    key = lambda e: f"{e.endpoint} {_fmt_num(e.value)} {e.unit}"  # noqa: E731
    rkey = lambda r: f"{r.get('endpoint')} {_fmt_num(r.get('value'))} {r.get('unit')}"  # noqa: E731
    ks, _ = _score_multiset(gs, rs, attrs, key, rkey)
    return ks


def score_percentages(gold, run: list[dict], warnings: list[str]) -> KindScores:
    gs = [Side((), p.value, p) for p in gold]
    rs = [Side((), v, r) for r in run if (v := _as_float(r.get("value"))) is not None]
    _warn_missing(warnings, "percentages", "value", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, [], lambda p: f"{_fmt_num(p.value)}%", lambda r: f"{_fmt_num(r.get('value'))}%")
    return ks


def score_abbreviations(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("long", _eq_text)]
    gs = [Side(normalize_short(a.short), None, a, {"long": a.long}) for a in gold]
    rs = [Side(normalize_short(str(r.get("short"))), None, r, {"long": r.get("long")}) for r in run if r.get("short")]
    _warn_missing(warnings, "abbreviations", "short", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda a: a.short, lambda r: str(r.get("short")))
    return ks


_WORD = r"(?<!\w){}(?!\w)"


def whole_word_in(a: str, b: str) -> bool:
    """`a` occurs in `b` as whole words (normalized texts)."""
    if not a or a not in b:
        return False
    return a == b or re.search(_WORD.format(re.escape(a)), b) is not None


def relaxed_match(a: str, b: str) -> bool:
    return whole_word_in(a, b) or whole_word_in(b, a)


def _label(v: Any) -> str:
    return str(v or "").strip().upper()


def _components(n: int, m: int, edges: list[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    parent = list(range(n + m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        a, b = find(i), find(n + j)
        if a != b:
            parent[a] = b
    comps: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, j in edges:
        root = find(i)
        if i not in comps[root][0]:
            comps[root][0].append(i)
        if j not in comps[root][1]:
            comps[root][1].append(j)
    return list(comps.values())


def _relaxed_pairs(gtexts: list[str], rtexts: list[str]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching under the relaxed rule; equal texts preferred among maximum ones."""
    edges = [(i, j) for i, g in enumerate(gtexts) for j, r in enumerate(rtexts) if relaxed_match(g, r)]
    pairs = []
    for gs, rs in _components(len(gtexts), len(rtexts), edges):
        if len(gs) == 1 and len(rs) == 1:
            pairs.append((gs[0], rs[0]))
            continue
        eset = set(edges)
        weights = [[(_EDGE + (1.0 if gtexts[i] == rtexts[j] else 0.0)) if (i, j) in eset else 0.0 for j in rs]
                   for i in gs]
        pairs.extend((gs[a], rs[b]) for a, b in _assign(weights))
    return pairs


def score_entities(gold, run: list[dict], complete: bool, warnings: list[str]) -> KindScores:
    def dedupe(items: Iterable[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
        seen, out = set(), []
        for text, label, raw in items:
            if not text or (text, label) in seen:
                continue
            seen.add((text, label))
            out.append((text, label, raw))
        return out

    gitems = dedupe((normalize_text(e.text), _label(e.label), e) for e in gold)
    ritems = dedupe((normalize_text(str(r.get("text") or "")), _label(r.get("label")), r) for r in run)
    _warn_missing(warnings, "entities", "text", sum(1 for r in run if not normalize_text(str(r.get("text") or ""))))

    strict_g, strict_r = set(), set()
    rindex = {(t, lab): j for j, (t, lab, _) in enumerate(ritems)}
    for i, (t, lab, _) in enumerate(gitems):
        j = rindex.get((t, lab))
        if j is not None:
            strict_g.add(i)
            strict_r.add(j)

    relaxed_g: dict[int, int] = {}
    by_label: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, (_, lab, _) in enumerate(gitems):
        by_label[lab][0].append(i)
    for j, (_, lab, _) in enumerate(ritems):
        by_label[lab][1].append(j)
    for gi, rj in by_label.values():
        if gi and rj:
            for a, b in _relaxed_pairs([gitems[i][0] for i in gi], [ritems[j][0] for j in rj]):
                relaxed_g[gi[a]] = rj[b]
    relaxed_r = {j: i for i, j in relaxed_g.items()}

    n_fp_strict = len(ritems) - len(strict_r) if complete else None
    n_fp_relaxed = len(ritems) - len(relaxed_r) if complete else None
    strict = counts(len(strict_g), n_fp_strict, len(gitems) - len(strict_g))
    relaxed = counts(len(relaxed_g), n_fp_relaxed, len(gitems) - len(relaxed_g))

    misses = []
    for i, (t, lab, g) in enumerate(gitems):
        if i in strict_g:
            continue
        near = ritems[relaxed_g[i]][2].get("text") if i in relaxed_g else None
        misses.append(Miss(key=f"{g.text} ({g.label})", item=_gold_item(g), near=near))
    fps = []
    if complete:
        for j, (t, lab, r) in enumerate(ritems):
            if j in strict_r:
                continue
            near = gitems[relaxed_r[j]][2].text if j in relaxed_r else None
            fps.append(_false_positive(f"{r.get('text')} ({r.get('label')})", r, near=near))
    return KindScores(scored=True, **strict.model_dump(), complete=complete, strict=strict, relaxed=relaxed,
                      misses=misses, false_positives=fps)


def score(gold: GoldFile, run: dict[str, list[dict]], gold_name: str = "", run_name: str = "") -> DocumentScores:
    """Score one run's records (plain dicts by kind) against a parsed gold file."""
    warnings: list[str] = []
    kinds: dict[str, KindScores] = {}
    scorers = {"sections": score_sections, "tables": score_tables, "trials": score_trials,
               "endpoints": score_endpoints, "percentages": score_percentages,
               "abbreviations": score_abbreviations}
    for kind in KINDS:
        items = getattr(gold, kind)
        if items is None:
            kinds[kind] = KindScores(scored=False)
        elif kind == "entities":
            kinds[kind] = score_entities(items, run.get(kind, []), bool(gold.entities_complete), warnings)
        else:
            kinds[kind] = scorers[kind](items, run.get(kind, []), warnings)
    return DocumentScores(gold=gold_name, run=run_name, kinds=kinds, warnings=warnings)


def evaluate_run(run_dir: str | os.PathLike, gold_path: str | os.PathLike) -> DocumentScores:
    gold = load_gold(gold_path)
    run = load_run(run_dir)
    scores = score(gold, run, str(gold_path), str(run_dir))
    manifest_file = read_manifest(Path(run_dir)).get("file")
    gold_file = gold.document.file if gold.document else None
    if manifest_file and gold_file and Path(str(manifest_file)).name != Path(gold_file).name:
        scores.warnings.insert(0, f"run is of {manifest_file!r} but the gold file describes {gold_file!r}")
    return scores


# --------------------------------------------------------------------------- corpus

def gold_stem(path: Path) -> str:
    name = path.name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else path.stem


def is_run_dir(path: Path) -> bool:
    return path.is_dir() and (
        (path / "manifest.json").is_file() or any((path / f).is_file() for f in RUN_FILES.values()))


def find_run_dirs(outdir: Path) -> dict[str, Path]:
    """Run folders by PDF stem: the folder's name, or the stem of its manifest's "file"."""
    found: dict[str, Path] = {}
    if not outdir.is_dir():
        return found
    dirs = sorted(p for p in outdir.iterdir() if not p.name.startswith(".") and is_run_dir(p))
    for d in dirs:
        found[d.name] = d
    for d in dirs:
        f = read_manifest(d).get("file")
        if isinstance(f, str) and f:
            found.setdefault(Path(f).stem, d)
    return found


def _pool(items: list[Counts]) -> Counts:
    """Micro: counts summed; precision/F1 over the documents where they are defined."""
    tp = sum(c.tp for c in items)
    fn = sum(c.fn for c in items)
    recall = counts(tp, 0, fn).recall
    defined = [c for c in items if c.fp is not None]
    if not defined:
        return Counts(tp=tp, fp=None, fn=fn, precision=None, recall=recall, f1=None)
    p = counts(sum(c.tp for c in defined), sum(c.fp for c in defined), sum(c.fn for c in defined))
    return Counts(tp=tp, fp=sum(c.fp for c in defined), fn=fn, precision=p.precision, recall=recall, f1=p.f1)


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def averages(documents: list[DocumentScores]) -> tuple[dict[str, Average], dict[str, Average]]:
    micro: dict[str, Average] = {}
    macro: dict[str, Average] = {}
    for kind in KINDS:
        scored = [d.kinds[kind] for d in documents if kind in d.kinds and d.kinds[kind].scored]
        if not scored:
            micro[kind] = Average(scored=False)
            macro[kind] = Average(scored=False)
            continue
        pooled = _pool([k.counts() for k in scored])
        attrs: dict[str, AttributeScore] = {}
        for k in scored:
            for name, a in k.attributes.items():
                acc = attrs.setdefault(name, AttributeScore())
                acc.correct += a.correct
                acc.total += a.total
        for a in attrs.values():
            a.accuracy = a.correct / a.total if a.total else None
        extra_micro: dict[str, Any] = {}
        extra_macro: dict[str, Any] = {}
        if kind == "tables":
            cells = [k.cells for k in scored if k.cells is not None]
            extra_micro["cells"] = _pool(cells)
            extra_macro["cells"] = _macro_counts(cells)
        if kind == "entities":
            rel = [k.relaxed for k in scored if k.relaxed is not None]
            extra_micro["relaxed"] = _pool(rel)
            extra_macro["relaxed"] = _macro_counts(rel)
        micro[kind] = Average(scored=True, documents=len(scored), tp=pooled.tp, fp=pooled.fp, fn=pooled.fn,
                              precision=pooled.precision, recall=pooled.recall, f1=pooled.f1, attributes=attrs,
                              **extra_micro)
        m = _macro_counts([k.counts() for k in scored])
        macro[kind] = Average(scored=True, documents=len(scored), precision=m.precision, recall=m.recall, f1=m.f1,
                              **extra_macro)
    return micro, macro


def _macro_counts(items: list[Counts]) -> Counts:
    """Macro: the mean of the documents' figures (precision/F1 over the documents where defined)."""
    recall = _mean([c.recall for c in items])
    return Counts(tp=sum(c.tp for c in items), fp=None if any(c.fp is None for c in items) else
                  sum(c.fp for c in items), fn=sum(c.fn for c in items),
                  precision=_mean([c.precision for c in items]), recall=1.0 if recall is None else recall,
                  f1=_mean([c.f1 for c in items]))


def evaluate_many(outdir: str | os.PathLike, gold_dir: str | os.PathLike) -> CorpusScores:
    """Score every OUTDIR/<stem>/ against GOLD_DIR/<stem>.gold.json; micro and macro averages per kind."""
    outdir, gold_dir = Path(outdir), Path(gold_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: gold folder not found")
    if not outdir.is_dir():
        raise InputError(f"{outdir}: output folder not found")
    golds = sorted(gold_dir.glob("*" + GOLD_SUFFIX))
    if not golds:
        raise InputError(f"{gold_dir}: no *{GOLD_SUFFIX} files")
    runs = find_run_dirs(outdir)
    documents, missing = [], []
    used: set[Path] = set()
    for g in golds:
        stem = gold_stem(g)
        run_dir = runs.get(stem)
        if run_dir is None:
            missing.append(stem)
            continue
        used.add(run_dir)
        documents.append(evaluate_run(run_dir, g))
    unscored = sorted({d.name for d in runs.values() if d not in used})
    micro, macro = averages(documents)
    return CorpusScores(gold_dir=str(gold_dir), outdir=str(outdir), documents=documents, micro=micro,
                        macro=macro, missing_runs=missing, unscored_runs=unscored)


# --------------------------------------------------------------------------- bars

def parse_bar(spec: str) -> tuple[str, float]:
    """`trials=0.95` -> ("trials", 0.95); kinds also `tables.cells` (or `cells`) and `entities.relaxed`."""
    if "=" not in spec:
        raise ValueError(f"expected KIND=F1, got {spec!r}")
    kind, _, value = spec.partition("=")
    kind = kind.strip().lower()
    if kind == "cells":
        kind = "tables.cells"
    base = kind.split(".")[0]
    if base not in KINDS or kind.count(".") > 1 or (
            "." in kind and kind not in ("tables.cells", "entities.relaxed", "entities.strict")):
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)}, tables.cells, entities.relaxed)")
    try:
        bar = float(value)
    except ValueError:
        raise ValueError(f"bar for {kind} must be a number, got {value!r}") from None
    if not 0.0 <= bar <= 1.0:
        raise ValueError(f"bar for {kind} must be between 0 and 1, got {value}")
    return kind, bar


def headline(entry: KindScores | Average, kind: str) -> tuple[str, float | None]:
    """The figure a bar is checked against: F1, or recall where F1 is undefined."""
    sub = kind.partition(".")[2]
    block = getattr(entry, sub) if sub in ("cells", "relaxed", "strict") else entry
    if block is None:
        return "f1", None
    if block.f1 is not None:
        return "f1", block.f1
    return "recall", block.recall


def check_bars(scores: DocumentScores | CorpusScores, bars: dict[str, float] | list[tuple[str, float]]) -> list[str]:
    """One "FAIL <kind> <figure> <got> < <bar>" line per kind below its bar (corpus: micro averages)."""
    entries = scores.micro if isinstance(scores, CorpusScores) else scores.kinds
    items = bars.items() if isinstance(bars, dict) else bars
    failures = []
    for kind, bar in items:
        if kind == "cells":
            kind = "tables.cells"
        entry = entries.get(kind.split(".")[0])
        if entry is None or not entry.scored:
            failures.append(f"FAIL {kind} not scored (the gold file has no {kind.split('.')[0]})")
            continue
        figure, got = headline(entry, kind)
        if got is None or got < bar - 1e-12:
            failures.append(f"FAIL {kind} {figure} {'n/a' if got is None else f'{got:.2f}'} < {bar:.2f}")
    return failures


# --------------------------------------------------------------------------- output

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

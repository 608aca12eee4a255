"""Pairing gold and run items: multiset matching with attributes, optimal assignment, counts."""
from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable

from pipeline.core.normalize import (
    normalize_text,
)
from pipeline.evaluate.load import RUN_FILES
from schemas.scores import (
    AttributeScore,
    Counts,
    FalsePositive,
    KindScores,
    Mismatch,
    Miss,
)

TOLERANCE = 1e-6


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
    import numpy as np
    from scipy.optimize import linear_sum_assignment

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
                agree = sum(1 for a in attributes if a.name in gold[i].attrs
                            and a.equal(gold[i].attrs[a.name], run[j].attrs.get(a.name)))
                order = (rj + abs(rj - gi)) / (2.0 * n * n + 1.0)
                row.append(_EDGE + _ATTR * agree - order)
            weights.append(row)
        pairs.extend((gs[a], rs[b]) for a, b in _assign(weights))
    return sorted(pairs)


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


def labeled(item: Any, names: list[str]) -> dict[str, Any]:
    """The attributes a gold item labels: a key absent from the gold file is not scored (null is)."""
    given = getattr(item, "model_fields_set", None)
    return {n: getattr(item, n) for n in names if given is None or n in given}


def _score_multiset(gold: list[Side], run: list[Side], attributes: list[Attribute],
                    gold_key: Callable[[Any], str], run_key: Callable[[dict], str]) -> tuple[KindScores, list]:
    pairs = match_multiset(gold, run, attributes)
    matched_g = {i for i, _ in pairs}
    matched_r = {j for _, j in pairs}
    c = counts(len(pairs), len(run) - len(matched_r), len(gold) - len(matched_g))
    attr_scores = {}
    mismatches = []
    for a in attributes:
        correct = total = 0
        for i, j in pairs:
            if a.name not in gold[i].attrs:
                continue  # not labeled in this gold item: not scored
            total += 1
            g, r = gold[i].attrs[a.name], run[j].attrs.get(a.name)
            if a.equal(g, r):
                correct += 1
            else:
                page, text = _prov(run[j].raw)
                mismatches.append(Mismatch(
                    key=gold_key(gold[i].raw), attribute=a.name,
                    expected=_jsonable(getattr(gold[i].raw, a.name, None)),
                    got=_jsonable(run[j].raw.get(a.name)), page=page, text=text))
        attr_scores[a.name] = AttributeScore(correct=correct, total=total,
                                             accuracy=correct / total if total else None)
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


def _eq_text(g: Any, r: Any) -> bool:
    return _text_or_none(g) == _text_or_none(r)


def _eq_number(g: Any, r: Any) -> bool:
    return close(_as_float(g), _as_float(r))


def _eq_int(g: Any, r: Any) -> bool:
    gf, rf = _as_float(g), _as_float(r)
    return gf == rf if gf is not None and rf is not None else gf is None and rf is None


def _warn_missing(warnings: list[str], kind: str, field_name: str, n: int) -> None:
    if n:
        warnings.append(f"run {RUN_FILES[kind]}: {n} record{'s' if n > 1 else ''} without '{field_name}' ignored")

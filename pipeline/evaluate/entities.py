"""Scoring entities: strict and relaxed (whole-word substring) one-to-one matching."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from pipeline.core.normalize import (
    normalize_text,
)
from pipeline.evaluate.match import (
    _EDGE,
    _assign,
    _false_positive,
    _gold_item,
    _warn_missing,
    counts,
)
from schemas.scores import (
    KindScores,
    Miss,
)

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

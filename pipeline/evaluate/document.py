"""Scoring the whole document: front-matter fields (`document`) and the reference list (`references`).

Both read the run's document.json (`front`, `references`), not a record file.

document: the gold's title, doi, journal and authors are attributes of one item. Title and journal
match on normalized text (token F1 >= 0.9: a dropped subtitle colon or dash is no error), the DOI
case-insensitively, authors by count. TP = fields right, FP = fields the run gives wrong, FN = fields
the run gets wrong or leaves empty; so precision is "of what it says, how much is right".

references: entries matched one to one, first by number where both sides have one and the texts
agree (token F1 >= 0.5), then the rest by best text similarity (>= 0.5). Attributes: `count`
(run count equals gold count), `text` (matched entries whose token F1 >= 0.9), `number`.
"""
from __future__ import annotations

from pipeline.core.normalize import normalize_text, token_f1
from pipeline.evaluate.match import counts
from schemas.scores import AttributeScore, FalsePositive, KindScores, Miss, Mismatch

_SAME_ENTRY = 0.5
_SAME_TEXT = 0.9


def _att(correct: int, total: int) -> AttributeScore:
    return AttributeScore(correct=correct, total=total, accuracy=correct / total if total else None)


def score_document(gold, front: dict | None) -> KindScores:
    front = front or {}
    checks = []  # (field, expected, got, right)
    if gold.title:
        got = front.get("title")
        checks.append(("title", gold.title, got, bool(got) and token_f1(gold.title, got) >= _SAME_TEXT))
    if gold.doi:
        got = front.get("doi")
        checks.append(("doi", gold.doi, got, bool(got) and str(got).strip().lower() == gold.doi.strip().lower()))
    if gold.journal:
        got = front.get("journal")
        checks.append(("journal", gold.journal, got, bool(got) and normalize_text(got) == normalize_text(gold.journal)))
    if gold.authors is not None:
        got = len(front.get("authors") or [])
        checks.append(("authors", len(gold.authors), got, got == len(gold.authors)))
    tp = sum(1 for *_, ok in checks if ok)
    fp = sum(1 for _, _, got, ok in checks if not ok and got not in (None, "", 0))
    fn = len(checks) - tp
    c = counts(tp, fp, fn)
    ks = KindScores(scored=True, tp=c.tp, fp=c.fp, fn=c.fn, precision=c.precision, recall=c.recall, f1=c.f1,
                    attributes={name: _att(int(ok), 1) for name, _, _, ok in checks})
    ks.mismatches = [Mismatch(key=name, attribute=name, expected=exp, got=got) for name, exp, got, ok in checks if not ok]
    return ks


def score_references(gold, run: list[dict]) -> KindScores:
    run = [r for r in run if isinstance(r, dict) and str(r.get("text") or "").strip()]
    pairs: list[tuple[int, int, float]] = []
    used_g: set[int] = set()
    used_r: set[int] = set()
    by_number: dict[int, int] = {}
    for j, r in enumerate(run):
        if isinstance(r.get("number"), int):
            by_number.setdefault(r["number"], j)
    for i, g in enumerate(gold):
        j = by_number.get(g.number) if g.number is not None else None
        if j is not None and j not in used_r:
            sim = token_f1(g.text, str(run[j]["text"]))
            if sim >= _SAME_ENTRY:
                pairs.append((i, j, sim))
                used_g.add(i)
                used_r.add(j)
    # the rest: best text similarity first (greedy over all candidate pairs)
    cands = sorted(((token_f1(g.text, str(r["text"])), i, j) for i, g in enumerate(gold) if i not in used_g
                    for j, r in enumerate(run) if j not in used_r), reverse=True)
    for sim, i, j in cands:
        if sim < _SAME_ENTRY:
            break
        if i in used_g or j in used_r:
            continue
        pairs.append((i, j, sim))
        used_g.add(i)
        used_r.add(j)
    c = counts(len(pairs), len(run) - len(pairs), len(gold) - len(pairs))
    numbered = [(i, j) for i, j, _ in pairs if gold[i].number is not None]
    attrs = {"count": _att(int(len(run) == len(gold)), 1),
             "text": _att(sum(1 for *_, sim in pairs if sim >= _SAME_TEXT), len(pairs)),
             "number": _att(sum(1 for i, j in numbered if run[j].get("number") == gold[i].number), len(numbered))}
    ks = KindScores(scored=True, tp=c.tp, fp=c.fp, fn=c.fn, precision=c.precision, recall=c.recall, f1=c.f1,
                    attributes=attrs)
    ks.misses = [Miss(key=_key(g.number, g.text), quote=g.text) for i, g in enumerate(gold) if i not in used_g]
    ks.false_positives = [FalsePositive(key=_key(r.get("number"), str(r["text"])), page=r.get("page"),
                                        text=str(r["text"])) for j, r in enumerate(run) if j not in used_r]
    ks.mismatches = [Mismatch(key=_key(gold[i].number, gold[i].text), attribute="text", expected=gold[i].text,
                              got=run[j]["text"], page=run[j].get("page")) for i, j, sim in pairs if sim < _SAME_TEXT]
    if len(run) != len(gold):
        ks.mismatches.insert(0, Mismatch(key="count", attribute="count", expected=len(gold), got=len(run)))
    return ks


def _key(number, text: str) -> str:
    lead = f"[{number}] " if number is not None else ""
    return lead + " ".join(text.split())[:70]

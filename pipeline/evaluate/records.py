"""Scoring the record kinds: sections, trials, endpoints, percentages, abbreviations."""
from __future__ import annotations

from typing import Any

from pipeline.core.normalize import (
    intervention_key,
    normalize_short,
    normalize_text,
    section_key,
    token_f1,
)
from pipeline.evaluate.match import (
    Attribute,
    Side,
    _as_float,
    _eq_int,
    _eq_number,
    _eq_text,
    _fmt_num,
    _score_multiset,
    _text_or_none,
    _warn_missing,
    labeled,
)
from schemas.scores import (
    KindScores,
)


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


def score_sections(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("level", _eq_int)]
    gs = [Side(section_key(s.title), None, s, labeled(s, ["level"])) for s in gold]
    rs = [Side(section_key(r.get("title")), None, r, {"level": r.get("level")}) for r in run if r.get("title")]
    _warn_missing(warnings, "sections", "title", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda g: g.title, lambda r: str(r.get("title")))
    for fp in ks.false_positives:
        fp.text = fp.text or " ".join(str(x) for x in (fp.item.get("number"), fp.item.get("title")) if x)
    return ks


def score_trials(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("phase", _eq_text), Attribute("year", _eq_int), Attribute("condition", _eq_condition),
             Attribute("interventions", _eq_interventions)]
    names = [a.name for a in attrs]
    gs = [Side(normalize_text(t.id), None, t, labeled(t, names)) for t in gold]
    rs = [Side(normalize_text(str(r.get("id"))), None, r, {n: r.get(n) for n in names}) for r in run if r.get("id")]
    _warn_missing(warnings, "trials", "id", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda g: g.id, lambda r: str(r.get("id")))
    return ks


def score_endpoints(gold, run: list[dict], warnings: list[str]) -> KindScores:
    attrs = [Attribute("comparator_value", _eq_number), Attribute("qualifier", _eq_text),
             Attribute("trial_id", _eq_text), Attribute("timepoint", _eq_text)]
    names = [a.name for a in attrs]
    gs = [Side((normalize_text(e.endpoint), normalize_text(e.unit)), e.value, e, labeled(e, names))
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
    gs = [Side(normalize_short(a.short), None, a, labeled(a, ["long"])) for a in gold]
    rs = [Side(normalize_short(str(r.get("short"))), None, r, {"long": r.get("long")}) for r in run if r.get("short")]
    _warn_missing(warnings, "abbreviations", "short", len(run) - len(rs))
    ks, _ = _score_multiset(gs, rs, attrs, lambda a: a.short, lambda r: str(r.get("short")))
    return ks

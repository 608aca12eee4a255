"""Clinical endpoints with stated values: "PFS: 10.6 months", "ORR (52% vs. 32%)",
"overall response rate of 63.6%", "median overall survival ... 25.6 months".

The endpoint table below is the one place endpoint names and their spelled-out forms live.
An article's own abbreviation whose long form names an outcome ("... survival", "... response
rate", "... control rate", "... remission") is an endpoint too. Hazard and odds ratios, CI
bounds, p-values and outcomes of animal experiments are not endpoints; planned values
("we expect the pCR rate to be 30%") are not stated results.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.stages.extract.matches import earliest_longest
from pipeline.stages.extract.numbers import (
    NUM,
    NUM_START,
    parse_number,
    qualifier_before,
)

# canonical abbreviation, spelled-out forms (regex, case-insensitive), ambiguous as a bare token
ENDPOINTS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("PFS", "progression-free survival", (r"progression[- ]free survival",), False),
    # "median survival (time) of 8 months": a median survival is the overall survival's median
    ("OS", "overall survival", (r"overall survival", r"(?<=median )survival(?: time)?(?! rates?)"), False),
    ("ORR", "objective response rate", (r"(?:objective|overall) response rates?", r"objective response"), False),
    ("DCR", "disease control rate", (r"disease control rates?",), False),
    ("DFS", "disease-free survival", (r"disease[- ]free survival",), False),
    ("EFS", "event-free survival", (r"event[- ]free survival",), False),
    ("RFS", "recurrence-free survival", (r"(?:recurrence|relapse)[- ]free survival",), False),
    ("TTP", "time to progression", (r"time to (?:tumou?r )?progression",), False),
    ("DOR", "duration of response", (r"duration of (?:the )?response",), False),
    ("CR", "complete response", (r"complete (?:response|remission)(?: rates?)?",), True),
    ("PR", "partial response", (r"partial (?:response|remission)(?: rates?)?",), True),
    # bare "PCR" is mostly the polymerase chain reaction: a value must follow it right away
    ("PCR", "pathological complete response", (r"pathologic(?:al)? complete response(?: rates?)?",), True),
    ("MPR", "major pathological response", (r"major pathologic(?:al)? response(?: rates?)?",), False),
    ("CBR", "clinical benefit rate", (r"clinical benefit rates?",), False),
)
# the other ways an abbreviation of the table is printed ("pCR", "DoR"), when the document does not define it
_PRINTED_AS = {"PCR": ("pCR",), "DOR": ("DoR",)}
_ENDPOINT_LONG = re.compile(
    r"(?i)(?:survival|response rates?|control rates?|benefit rates?|responses?|remissions?|"
    r"resection rates?|survival time|time to [\w -]+)$"
)

UNIT = r"(?:%|months?|mos?\.?|years?|yrs?|weeks?|wks?|days?)"
_UNIT_NAME = {"%": "%", "m": "months", "y": "years", "w": "weeks", "d": "days"}


def unit_name(u: str) -> str:
    return "%" if u.strip().startswith("%") else _UNIT_NAME[u.strip()[0].lower()]


# the value after a mention: "10.6 months", "up to 5 years", "24.0 months vs. 9.0 months",
# "15.56 vs. 4.39 months", "59.2% compared to 18.3%"
_VALUE = re.compile(
    NUM_START + r"(?P<v>" + NUM + r")[ \u00a0]*(?P<u1>" + UNIT + r"(?![A-Za-z]))?"
    r"(?:[ \u00a0]*(?:\([^()]{0,40}\)|\[[^\[\]]{0,40}\])?[ \u00a0]*,?[ \u00a0]*"
    # the arm named between the value and its comparator: "in the sintilimab group versus", "with X and"
    r"(?:(?P<arm>(?:in|with|for|among)(?:[ \u00a0]+[\w-]+){1,4}?)[ \u00a0]+)?"
    r"(?:vs\.?|versus|v\.|compared (?:with|to)|in comparison (?:with|to)|(?(arm)and|(?!)))"
    r"[ \u00a0]+(?:[A-Za-z][\w-]*[ \u00a0]+){0,3}?(?P<c>" + NUM + r")[ \u00a0]*(?P<u2>" + UNIT + r"(?![A-Za-z]))?)?"
)
_NOT_ENDPOINT_GAP = re.compile(
    r"\b(?:HR|OR|RR|aHR|aOR|CI)\b|(?i:\b(?:hazard ratios?|odds ratios?|risk ratios?|relative risk|confidence|"
    r"p[ \u00a0]*[=<>]|heterogeneity)\b)|I²|[;.!?](?:\s|$)"
)
_STATES = re.compile(r"(?i)(?:\b(?:was|were|is|are|of|reached|achieved|showed|at|from|between)|[:=(])[ \u00a0]*$")
# the other end of a range ("from 0.0% to 100.0%", "25–30%"): a value of its own
_RANGE_END = re.compile(r"^[ \u00a0]*(?:to|-|–|—|and)[ \u00a0]*(?P<v>" + NUM + r")[ \u00a0]*(?P<u>" + UNIT + r"(?![A-Za-z]))?")
# "..., 37% (95% CI: 21–56%), 50% (...) and 68% (...), respectively": one value per listed subject
_LISTED = re.compile(r"^[ \u00a0]*(?:\([^()]{0,60}\))?[ \u00a0]*(?:,|;|,?[ \u00a0]*and|,?[ \u00a0]*or)[ \u00a0]+"
                     r"(?P<v>" + NUM + r")[ \u00a0]*%")
_PLANNED = re.compile(r"(?i)\b(?:expect\w*|assum\w*|anticipat\w*|will|would|hypothes\w*|planned|power|"
                      r"sample size|target\w*|estimated to be)\b")
_PRECLINICAL = re.compile(
    r"(?i)\b(?:mice|mouse|murine|rats?|rodents?|tumou?r[- ]bearing|in vivo|xenografts?|orthotopic|"
    r"animals?|zebrafish|rabbits?|syngeneic|preclinical)\b"
)
_BACKWARD = re.compile(
    r"(?i)(?P<v>" + NUM + r")[ \u00a0]?%[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+|all[ \u00a0]+)?(?:[\w-]+[ \u00a0]+){0,2}?"
    r"(?:patients|participants|subjects|cases|people|individuals|tumou?rs)[ \u00a0]+(?P<mid>(?:[\w-]+[ \u00a0]+){0,2}?)"
    r"(?:show|shows|showed|shown|achieve|achieves|achieved|attain\w*|had|have|has|reach|reached|reaches|"
    r"experienc\w*|obtain\w*|develop\w*)[ \u00a0]+(?:an?[ \u00a0]+|the[ \u00a0]+)?(?:[\w-]+[ \u00a0]+){0,1}?$"
)


@dataclass
class Term:
    endpoint: str        # as it should be printed in the record
    long_form: str | None
    ambiguous: bool = False


@dataclass
class Vocabulary:
    """The endpoint names of one document: the table plus the document's own definitions."""

    tokens: dict[str, Term] = field(default_factory=dict)   # printed abbreviation -> term
    spelled: list[tuple[re.Pattern, Term]] = field(default_factory=list)
    token_re: re.Pattern | None = None


def build_vocabulary(abbreviations: list[tuple[str, str]] = (), rates: frozenset[str] = frozenset()) -> Vocabulary:
    """Endpoint vocabulary; `abbreviations` are the document's (short, long) definitions, `rates` the
    short forms it defines as the thing whose rate it reports ("the rate of X (XR)", see rate_defined)."""
    defined = {s: lng for s, lng in abbreviations}
    voc = Vocabulary()
    by_canon: dict[str, Term] = {}
    for canon, long_form, spelled, ambiguous in ENDPOINTS:
        # the document may print the abbreviation its own way (pCR, DoR) and define it
        printed = next((s for s in defined if s.upper() == canon), canon)
        lng = defined.get(printed)
        if lng is not None and not _ENDPOINT_LONG.search(lng.strip()) and not any(
            re.fullmatch(p, lng.strip(), re.I) for p in spelled
        ):
            continue  # the document uses these letters for something else (PR = progesterone receptor)
        term = Term(printed, lng or long_form, ambiguous and lng is None)
        by_canon[canon] = term
        voc.tokens[printed] = term
        if printed != canon:
            voc.tokens[canon] = term
        for alt in _PRINTED_AS.get(canon, ()):
            if alt not in defined and alt not in voc.tokens:
                voc.tokens[alt] = Term(alt if printed == canon else printed, term.long_form)
        for pat in spelled:
            voc.spelled.append((re.compile(r"(?i)(?<![\w-])" + pat + r"(?![\w-])"), term))
    for short, lng in abbreviations:
        if short in voc.tokens or short.upper() in by_canon:
            continue
        if not re.fullmatch(r"[A-Za-z]{0,2}[A-Z][A-Za-z0-9-]{0,6}", short) or not (
                short in rates or _ENDPOINT_LONG.search(lng.strip())):
            continue
        term = Term(short, lng)
        voc.tokens[short] = term
        voc.spelled.append((re.compile(r"(?i)(?<![\w-])" + re.escape(lng.strip()) + r"(?![\w-])"), term))
    names = sorted(voc.tokens, key=len, reverse=True)
    voc.token_re = re.compile(r"(?<![\w-])(?P<m>m)?(?P<t>" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return voc


def rate_defined(short: str, long: str, sentence: str) -> bool:
    """Whether a definition names an outcome by its rate: "a higher rate of <long> (<short>)"."""
    return bool(re.search(r"(?i)\brates?\s+of\s+(?:the\s+)?" + re.escape(long) + r"\s*\(\s*" + re.escape(short) + r"\b",
                          sentence))


@dataclass
class Mention:
    term: Term
    start: int
    end: int
    median: bool = False


@dataclass
class EndpointMatch:
    endpoint: str
    long_form: str | None
    value: float
    unit: str
    comparator_value: float | None
    qualifier: str | None
    start: int           # the stated result: from the mention to the end of the value
    end: int
    timepoint: str | None = None  # the landmark of a rate: "3-year", "6-month"


def _mentions(text: str, voc: Vocabulary) -> list[Mention]:
    found: list[Mention] = []
    for pat, term in voc.spelled:
        for m in pat.finditer(text):
            end = m.end()
            # "progression-free survival (PFS)": one mention
            p = re.match(r"[ \u00a0]*\([ \u00a0]*(\w+)[ \u00a0]*\)", text[end:])
            if p and voc.tokens.get(p.group(1)) is term:
                end += p.end()
            found.append(Mention(term, m.start(), end))
    if voc.token_re is not None:
        for m in voc.token_re.finditer(text):
            found.append(Mention(voc.tokens[m.group("t")], m.start(), m.end(), median=bool(m.group("m"))))
    out = earliest_longest(found)
    for mt in out:
        if re.search(r"(?i)\bmedian[ \u00a0]+$", text[max(0, mt.start - 8):mt.start]):
            mt.median = True
    return out


_UNIT_WORD = r"(?P<u>year|month|week|day)s?"
# "3-year OS", "1-, 3- and 5-year OS rates": landmarks printed before the endpoint
_TIME_BEFORE = re.compile(r"(?i)(?<![\w.])(?P<list>(?:\d{1,2}[-\u2010\u2011\u2013]?[ \u00a0]*,[ \u00a0]*)*"
                          r"(?:\d{1,2}[-\u2010\u2011\u2013]?[ \u00a0]*(?:and|or|&)[ \u00a0]*)?)"
                          r"(?P<n>\d{1,2})[-\u2010\u2011\u2013 \u00a0]" + _UNIT_WORD + r"[ \u00a0]*$")
# "OS (rate) at 5 years", "PFS after 12 months": a landmark printed after it, not a value
_TIME_AFTER = re.compile(r"(?i)^[ \u00a0]*(?:rates?[ \u00a0]+)?(?:at|after)[ \u00a0]+(?P<n>\d{1,2})[ \u00a0-]*" + _UNIT_WORD + r"\b")
_MORE_PCT = re.compile(r"^[ \u00a0]*(?:,|;|and|or|&)[ \u00a0]*(?:(?:and|or)[ \u00a0]+)?(?P<v>" + NUM + r")[ \u00a0]*%")


def _landmark(n: str, unit: str) -> str:
    return f"{int(n)}-{unit.lower()}"


def _timepoints_before(sent: str, mt: Mention) -> list[str]:
    m = _TIME_BEFORE.search(sent[max(0, mt.start - 40):mt.start])
    if not m:
        return []
    unit = m.group("u")
    listed = re.findall(r"\d{1,2}", m.group("list") or "")
    return [_landmark(n, unit) for n in (*listed, m.group("n"))]


def endpoint_mentions(text: str, voc: Vocabulary) -> list[Mention]:
    """Where `text` names an endpoint (abbreviation or spelled out), earliest and longest first."""
    return _mentions(text, voc)


def landmark_of(text: str, mt: Mention) -> str | None:
    """The landmark printed with a mention: "3-year OS" or "OS at 3 years"."""
    times = _timepoints_before(text, mt)
    if times:
        return times[0] if len(times) == 1 else None
    after = _TIME_AFTER.match(text[mt.end:])
    return _landmark(after.group("n"), after.group("u")) if after else None


def find_endpoints(text: str, voc: Vocabulary, start: int = 0, end: int | None = None) -> list[EndpointMatch]:
    """Endpoint values stated in the sentence text[start:end] (offsets are into `text`)."""
    end = len(text) if end is None else end
    sent = text[start:end]
    if _PRECLINICAL.search(sent):
        return []
    mentions = _mentions(sent, voc)
    out: list[EndpointMatch] = []
    for i, mt in enumerate(mentions):
        limit = mentions[i + 1].start if i + 1 < len(mentions) else len(sent)
        limit = min(limit, mt.end + 90)
        window = sent[mt.end:limit]
        times = _timepoints_before(sent, mt)
        after = _TIME_AFTER.match(window)
        if after:  # blank the landmark out (offsets kept): "at 5 years" is when, not what
            times = times or [_landmark(after.group("n"), after.group("u"))]
            window = " " * after.end() + window[after.end():]
        res = _forward(sent, window, mt)
        if res is None:
            res = _backward(sent, mt)
        if res is None:
            continue
        value, unit, comp, qual, a, b, vstart = res
        if mt.term.ambiguous and not _tight(sent, mt, vstart):
            continue
        if unit != "%":
            times = []  # a landmark belongs to a rate
        out.append(EndpointMatch(mt.term.endpoint, mt.term.long_form, value, unit, comp,
                                 qual, start + a, start + b, times[0] if times else None))
        rng = _RANGE_END.match(sent[b:limit]) if comp is None and b <= len(sent) else None
        if rng and (rng.group("u") is None or unit_name(rng.group("u")) == unit) and unit == "%" or (
                rng and rng.group("u") and unit_name(rng.group("u")) == unit):
            out.append(EndpointMatch(mt.term.endpoint, mt.term.long_form, parse_number(rng.group("v")), unit, None,
                                     qual, start + b + rng.start("v"), start + b + rng.end(), times[0] if times else None))
            continue
        if unit == "%" and comp is None and not times[1:] and re.search(r"(?i)\brespectively\b", sent[b:]):
            pos = b
            stop = mentions[i + 1].start if i + 1 < len(mentions) else len(sent)
            while (more := _LISTED.match(sent[pos:stop])) is not None:
                out.append(EndpointMatch(mt.term.endpoint, mt.term.long_form, parse_number(more.group("v")), "%", None,
                                         None, start + pos + more.start("v"), start + pos + more.end(), None))
                pos += more.end()
        # "1-, 3- and 5-year OS rates were 90%, 70% and 50%": one record per landmark
        pos = b
        for tp in times[1:]:
            more = _MORE_PCT.match(sent[pos:limit])
            if not more or comp is not None:
                break
            out.append(EndpointMatch(mt.term.endpoint, mt.term.long_form, parse_number(more.group("v")), "%", None,
                                     None, start + pos + more.start("v"), start + pos + more.end(), tp))
            pos += more.end()
    return out


def _tight(sent: str, mt: Mention, value_start: int) -> bool:
    """For ambiguous letters (CR, PR): the value follows right after ("CR: 20%", "CR rate of 20%")."""
    if value_start < mt.start:
        return False
    gap = sent[mt.end:value_start]
    return bool(re.fullmatch(r"(?i)[ \u00a0]*(?:rates?[ \u00a0]*)?(?::|=|\(|of|in|was|were|is)?[ \u00a0]*(?:of[ \u00a0]*)?", gap))


def _forward(sent: str, window: str, mt: Mention):
    m = None
    for cand in _VALUE.finditer(window):
        m = cand
        break
    if m is None:
        return None
    gap = window[:m.start()]
    # a long gap is fine when it closes on the verb or bracket that states the value ("the pooled ORR of
    # X for patients with Y was 56%", "ORR was higher for Y (71%")
    if (len(gap) > 60 and not (len(gap) <= 130 and _STATES.search(gap))) or re.search(r"[0-9]", gap) \
            or _NOT_ENDPOINT_GAP.search(gap):
        return None
    if _PLANNED.search(gap) or _PLANNED.search(sent[max(0, mt.start - 40):mt.start]):
        return None
    u = m.group("u1") or (m.group("u2") if m.group("c") else None)
    if not u and not m.group("c"):
        # "3–6 months": the range's end carries the unit of both
        rng = _RANGE_END.match(window[m.end():])
        u = rng.group("u") if rng else None
    if not u:
        return None
    if m.group("u1") and m.group("u2") and unit_name(m.group("u1")) != unit_name(m.group("u2")):
        return None
    after = window[m.end():m.end() + 16]
    if re.match(r"[ \u00a0]*(?:CI\b|confiden)", after):
        return None
    if re.search(r"(?i)\bby(?:[ \u00a0]+an?[ \u00a0]+(?:median|mean|average)[ \u00a0]+of)?[ \u00a0]*(?:about|approximately|around|nearly|~)?[ \u00a0]*$", gap):
        return None  # "prolonged DFS by a median of about 7 months": a difference, not a value
    if not m.group("c") and re.search(r"(?i)\b(?:by|of)[ \u00a0]+(?:from|between)[ \u00a0]*$", gap):
        return None  # a change "by from 5 to 10 months" is no stated value
    comp = parse_number(m.group("c")) if m.group("c") else None
    vstart = mt.end + m.start()
    qual, _ = qualifier_before(sent, vstart)
    if qual in ("median", "mean"):
        qual = qual if not mt.median else "median"
    if qual is None and mt.median:
        qual = "median"
    return parse_number(m.group("v")), unit_name(u), comp, qual, mt.start, mt.end + m.end(), vstart


def _backward(sent: str, mt: Mention):
    """"Approximately 15% of patients show a pathological complete response (pCR)"."""
    head = sent[max(0, mt.start - 120):mt.start]
    base = mt.start - len(head)
    m = _BACKWARD.search(head)
    if m is None or _PLANNED.search(m.group(0)) or re.search(r"(?i)\b(?:may|might|could|should)\b", m.group(0)):
        return None
    vstart = base + m.start("v")
    qual, qstart = qualifier_before(sent, vstart)
    return parse_number(m.group("v")), "%", None, qual, (qstart if qual else vstart), mt.end, vstart

"""Trial attributes beside an identifier (phase, year, condition, interventions) and the
collector that turns every mention into one Trial candidate per distinct identifier.

Attributes from a table row (columns found by their header words) win over those read
from running text; within one source the first mention that states an attribute wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ROMAN = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV", "I": "I", "II": "II", "III": "III", "IV": "IV"}
_PH = r"(?:IV|III|II|I|[0-4])"
PHASE_RE = re.compile(
    r"(?<![A-Za-z])(?:[Pp]hase|PHASE)[ \u00a0-]*(?P<a>" + _PH + r")[abcABC]?"
    r"(?:[ \u00a0]*(?:/|-|–|and|or)[ \u00a0]*(?:[Pp]hase[ \u00a0]*)?(?P<b>" + _PH + r")[abcABC]?)?(?![A-Za-z0-9])"
)
_ALLOWED = {"0", "I", "I/II", "II", "II/III", "III", "IV"}


def phases_in(text: str) -> list[tuple[str, int, int]]:
    """Phase statements in `text` as (Roman phase, start, end): "phase 3" -> III, "phase Ib/2" -> I/II."""
    out = []
    for m in PHASE_RE.finditer(text):
        a = _ROMAN[m.group("a")]
        b = _ROMAN[m.group("b")] if m.group("b") else None
        ph = a if b is None or b == a else f"{a}/{b}"
        if ph not in _ALLOWED:
            ph = a
        out.append((ph, m.start(), m.end()))
    return out


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR_AFTER = re.compile(
    r"^[\s.,;:()\[\]]*"
    r"(?:(?:[Pp]hase|PHASE)[ \u00a0-]*[IV0-4]+[abc]?(?:[ \u00a0]*/[ \u00a0]*[IV0-4]+[abc]?)?[\s,;]*)?"
    r"(?:(?:(?:first|prospectively|retrospectively)\s+)?(?:[Rr]egistered|[Rr]egistration(?:\s+date)?)(?:\s+on)?[\s:]*|on\s+)?"
    r"(?:(?:[0-9]{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"|" + _MONTH + r"(?:\s+[0-9]{1,2}(?:st|nd|rd|th)?)?),?\s+)?"
    r"(?P<y>(?:19[5-9][0-9]|20[0-9]{2}))(?![0-9])"
)


def year_after(text: str, end: int, limit: int | None = None) -> int | None:
    """The year printed right after an identifier ("Phase III, 2023", "(registered on 22 September 2009)")."""
    window = text[end:min(len(text), end + 60, limit if limit is not None else len(text))]
    m = _YEAR_AFTER.match(window)
    return int(m.group("y")) if m else None


def clean_cell(text: str) -> str:
    """A table cell as one line: line-end hyphens inside lower-case words joined, breaks as spaces."""
    t = re.sub(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])", "", text)
    return re.sub(r"\s+", " ", t).strip()


_SPLIT = re.compile(r"\s*(?:\+|\bplus\b|;|,|\band\b|\bcombined with\b|\bwith\b|\bfollowed by\b)\s*", re.I)


def split_interventions(text: str) -> list[str]:
    """"Zolbetuximab + mFOLFOX6" -> ["Zolbetuximab", "mFOLFOX6"]."""
    parts = [p.strip(" .()") for p in _SPLIT.split(clean_cell(text))]
    return [p for p in parts if p and re.search(r"[A-Za-z]", p)]


_GENERIC_HEAD = re.compile(
    r"(?i)(?:^|\s)(?:trials?|study|studies|registry|register|number|no\.?|identifier|cohort|project|"
    r"ClinicalTrials\.gov|ISRCTN|NCT|registration|gov|phase\s+\S+|groups?|arms?|"
    r"patients|participants|population|cohorts?)$"
)
_NP_STOP = {"of", "the", "a", "an", "and", "or", "with", "by", "in", "for", "to", "from", "that", "which",
            "as", "at", "on", "is", "are", "was", "were", "be", "been", "such", "involving", "including", "e.g.",
            "i.e.", "via", "using", "under", "into", "than", "its", "their", "these", "this", "those"}


def _np_before(text: str, end: int) -> str | None:
    """The noun phrase that ends at `end` (at most 5 words), stopping at function words and punctuation."""
    head = text[max(0, end - 120):end].rstrip()
    words: list[str] = []
    for tok in reversed(re.split(r"(\s+)", head)):
        if not tok or tok.isspace():
            continue
        if tok.lower() in _NP_STOP or re.search(r"[.,;:()\[\]]$", tok) or len(words) == 5:
            break
        words.insert(0, tok)
        if re.match(r"^[(\[]", tok):
            break
    np = " ".join(words).strip("([ ")
    return np or None


def interventions_in_text(text: str, start: int, end: int) -> list[str]:
    """Interventions a sentence names for the id at [start, end): "(BNT122, NCT03289963)" ->
    ["BNT122"]; "DC-derived exosome (NCT01159288)" -> ["DC-derived exosome"]. [] when unclear."""
    before = text[:start]
    # "(X, NCT...)" / "(X; NCT...)"
    m = re.search(r"\(([^()]{1,60}?)[,;]\s*$", before)
    if m:
        item = m.group(1).strip()
        if not re.search(r"(?i)\b(?:phase|trial|study|registered|NCT|ISRCTN|controls?|placebo)\b|^[0-9\s,.-]+$|"
                         r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)\b", item):
            return [item]  # not "(two intervention and one control; ID)"
    # "NP (NCT...)": the phrase right before the parenthesis, unless it names the trial itself
    m = re.search(r"\(\s*$", before)
    if not m:
        return []
    after = text[end:]
    close = re.match(r"\s*\)", after)
    if not close:
        return []
    rest = after[close.end():close.end() + 60]
    rest = re.split(r"[.;,]", rest, maxsplit=1)[0]
    if re.search(r"(?i)\b(?:trials?|study|studies|cohorts?)\b", rest):
        return []  # "Orange II (NCT00874224) and Orange II plus (NCT01441856) trials"
    np = _np_before(text, m.start())
    if not np or _GENERIC_HEAD.search(np) or not re.search(r"[A-Za-z]{2}", np):
        return []
    return [np]


_MODIFIERS = re.compile(r"(?i)^(?:(?:perioperative|neoadjuvant|adjuvant|metronomic|preoperative|postoperative|"
                        r"intravenous|subcutaneous|topical|systemic|low-dose|high-dose)\s+)+")
_APPOSITIVE = re.compile(
    r"^\)?\s*,\s*(?:which\s+is\s+)?an?\s+(?:[\w/-]+\s+){0,4}?(?:trial|study)\s+of\s+(?P<body>[^;.(),]+)"
    r"|^\)?\s+(?:tests|evaluates|investigates|assesses|examines)\s+(?P<body2>[^;.(),]+)"
)
_PREP = re.compile(r"\s+(?:before|after|in|for|among|during)\s+")


def described_after(text: str, end: int) -> tuple[list[str], str | None]:
    """Interventions and condition an apposition after the id states: "NTR4387, a trial of
    short-course radiotherapy before surgery in rectal cancer" -> (["short-course radiotherapy"], "rectal cancer")."""
    m = _APPOSITIVE.match(text[end:end + 200])
    if not m:
        return [], None
    body = (m.group("body") or m.group("body2")).strip()
    parts = _PREP.split(body)
    if len(parts) < 2:
        return [], None
    seps = _PREP.findall(body)
    last_in = max((i for i, sp in enumerate(seps) if sp.strip() in ("in", "for")), default=len(seps) - 1)
    condition = parts[last_in + 1].strip() or None
    interventions = [_MODIFIERS.sub("", x).strip() for x in split_interventions(parts[0])]
    return [x for x in interventions if x], condition


@dataclass
class TrialInfo:
    id: str
    registry: str
    mentions: list[dict[str, Any]] = field(default_factory=list)
    attrs: dict[str, tuple[int, Any]] = field(default_factory=dict)  # name -> (priority, value)

    def offer(self, name: str, value: Any, priority: int) -> None:
        """Keep the value of the highest priority; the first one offered among equals."""
        if value is None or value == []:
            return
        old = self.attrs.get(name)
        if old is None or priority > old[0]:
            self.attrs[name] = (priority, value)

    def record(self) -> dict[str, Any]:
        get = lambda k: self.attrs[k][1] if k in self.attrs else None  # noqa: E731
        return {
            "id": self.id,
            "registry": self.registry,
            "phase": get("phase"),
            "year": get("year"),
            "condition": get("condition"),
            "interventions": get("interventions") or [],
            "mentions": len(self.mentions),
            "provenance": self.mentions[0],
            "other_mentions": self.mentions[1:],
        }


class TrialCollector:
    """One TrialInfo per distinct id, in order of first mention."""

    TABLE, TEXT, DOCUMENT = 3, 2, 1

    def __init__(self) -> None:
        self.trials: dict[str, TrialInfo] = {}

    def add(self, id: str, registry: str, provenance: dict[str, Any]) -> TrialInfo:
        t = self.trials.setdefault(id, TrialInfo(id, registry))
        t.mentions.append(provenance)
        return t

    def records(self) -> list[dict[str, Any]]:
        return [t.record() for t in self.trials.values()]


# ---- the document's own trial: what its title (or a registry record's title) states ----

_DESIGN_WORDS = {
    "a", "an", "the", "and", "or", "of", "for", "to", "with", "in", "study", "studies", "protocol", "trial",
    "trials", "randomised", "randomized", "controlled", "phase", "open", "label", "open-label", "double", "blind",
    "double-blind", "single", "blinded", "multicentre", "multicenter", "multi", "centre", "center", "pilot",
    "feasibility", "cluster", "outcomes", "results", "lessons", "learnt", "learned", "design", "rationale",
    "statistical", "analysis", "plan", "prospective", "parallel", "group", "non", "inferiority", "superiority",
    "placebo", "placebo-controlled", "exploratory", "observational", "cohort", "update", "report", "final",
    "interim", "primary", "secondary", "analyses", "systematic", "review", "meta", "meta-analysis", "i", "ii",
    "iii", "iv", "1", "2", "3", "4",
}
_TRIAL_OF = re.compile(r"(?i)\b(?:trial|study|evaluation)\s+(?:of|for|evaluating|testing|comparing|on)\s+")
_EFFECT_OF = re.compile(r"(?i)^(?:the\s+)?(?:effects?|efficacy|effectiveness|safety|impact|tolerability|"
                        r"feasibility|comparison)(?:\s+and\s+(?:safety|tolerability|efficacy|feasibility))?\s+of\s+")
_CONNECT = re.compile(
    r"(?i)\s+(?:in|for|among|amongst|after|following|before|during|"
    r"(?:aiming|aimed|designed)\s+to\s+(?:promote|improve|increase|reduce|prevent|treat)|"
    r"to\s+(?:promote|improve|increase|reduce|prevent|treat))\s+")
_STUDY_NOUN = re.compile(r"(?i)\b(?:initiative|project|cohort|registry|register|study|trial|collection|"
                         r"programme|program|survey|database)$")
_VERSUS = re.compile(r"(?i)\s+(?:versus|vs\.?|compared\s+(?:with|to))\s+")
_NO_TREATMENT = re.compile(r"(?i)^(?:observation|active\s+surveillance|usual\s+care|standard\s+(?:of\s+)?care|"
                           r"no\s+(?:treatment|intervention)|watchful\s+waiting|wait[- ]and[- ]see|control)$")
_GENERIC_TAIL = re.compile(r"(?i)\s+(?:intervention|programme|program|strategy|approach|treatment|therapy)$")
_COND_LEAD = re.compile(r"(?i)^(?:the\s+treatment\s+of|treatment\s+of|(?:adult\s+)?(?:patients|people|"
                        r"participants|subjects)\s+with)\s+")


def _design_only(text: str) -> bool:
    words = re.findall(r"[\w-]+", text.lower())
    return not words or all(w in _DESIGN_WORDS for w in words)


def describe_title(title: str | None) -> tuple[list[str], str | None]:
    """Interventions and condition a trial's title states: "Erythropoietin in traumatic brain injury: study
    protocol for a randomised controlled trial" -> (["Erythropoietin"], "traumatic brain injury");
    "Adjuvant X versus observation after resection of Y (ACRONYM): a randomised, phase 3 trial" ->
    (["X"], "resection of Y"). ([], None) when the title does not read that way."""
    if not title:
        return [], None
    t = re.sub(r"\s*\([^()]*\)", "", clean_cell(title))
    t = re.sub(r"(?<=\w)- (?=\w)", "-", t)  # "cluster- randomised" (a line-end hyphen kept)
    for part in re.split(r"\s*[:;]\s+", t):
        part = part.strip(" .")
        if _design_only(part):
            continue
        trial_of = list(_TRIAL_OF.finditer(part))
        if trial_of:
            part = part[trial_of[-1].end():]
        # "Effect of X on Y in Z", "Efficacy and safety of X in Z": X is the intervention
        lead = _EFFECT_OF.match(part)
        if lead:
            part = part[lead.end():]
            part = re.sub(r"(?i)\s+on\s+[^,;]*?(?=\s+(?:in|for|among|after|before|during)\s+|$)", "", part, count=1)
        m = _CONNECT.search(part)
        head, cond = (part[:m.start()], part[m.end():]) if m else (part, None)
        if m is None and re.search(r"(?i)\s+on\s+", part):  # "a data collection initiative on colorectal cancer"
            h, c = re.split(r"(?i)\s+on\s+", part, maxsplit=1)
            if _STUDY_NOUN.search(h.strip()):
                head, cond = h, c
        if cond is not None:
            cond = _COND_LEAD.sub("", cond.strip(" .,")) or None
        head = head.strip()
        if _STUDY_NOUN.search(head) or _design_only(head):
            items: list[str] = []
        else:
            items = []
            for arm in _VERSUS.split(head):
                for x in split_interventions(arm):
                    x = _GENERIC_TAIL.sub("", re.sub(r"(?i)^(?:the|a|an)\s+", "", _MODIFIERS.sub("", x))).strip()
                    if x and not _NO_TREATMENT.match(x) and (not _design_only(x) or x.lower() == "placebo") \
                            and x not in items:
                        items.append(x)
        if items or cond:
            return items, cond
    return [], None


_PLACEBO = re.compile(r"(?i)\bplacebo[- ]controlled\b|\b(?:or|versus|vs\.?|compared\s+(?:with|to)|against)\s+"
                      r"(?:an?\s+|the\s+|matching\s+|matched\s+)?placebo\b")


def states_placebo(text: str) -> bool:
    """True when the text states a placebo comparator ("placebo-controlled", "X or placebo")."""
    return bool(_PLACEBO.search(text))


def record_title_after(text: str, end: int) -> str | None:
    """The title of a registry record cited as "ISRCTN Registry ISRCTN14422743. Title of the trial. http://…"."""
    if re.search(r"[/=?#]\w*$", text[max(0, end - 30):end].split()[-1] if text[:end].split() else ""):
        return None  # the id inside a URL ("clinicaltrials.gov/show/NCT02070146")
    m = re.match(r"\s*[.:]\s+(?P<t>[A-Z][^\n]{10,300}?)\.(?:\s|$)", text[end:])
    if not m or re.search(r"https?://|www\.|^(?:Accessed|Available|Retrieved|Cited|Last)\b", m.group("t")):
        return None
    return m.group("t")


_BEFORE_ID = re.compile(
    r"\b(?:an?|the)\s+(?:[\w/-]+\s+){0,4}?(?:trial|study)\s+of\s+(?P<body>[^;.(),]+?)\s+"
    r"(?:as|under|with\s+the\s+(?:number|identifier))\s*$")


def described_before(text: str, start: int) -> tuple[list[str], str | None]:
    """Interventions and condition a phrase right before the id states: "lists a trial of stereotactic
    radiotherapy before pancreatectomy as ACTRN…" -> (["stereotactic radiotherapy"], None). The condition
    only from "in"/"for" (what follows "before"/"after" there is a procedure, not a condition)."""
    m = _BEFORE_ID.search(text[max(0, start - 200):start])
    if not m:
        return [], None
    body = m.group("body").strip()
    parts = _PREP.split(body)
    seps = _PREP.findall(body)
    last_in = max((i for i, sp in enumerate(seps) if sp.strip() in ("in", "for")), default=None)
    condition = parts[last_in + 1].strip() or None if last_in is not None else None
    interventions = [_MODIFIERS.sub("", x).strip() for x in split_interventions(parts[0])]
    return [x for x in interventions if x], condition

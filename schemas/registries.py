"""THE registry table: one entry per trial-registry identifier family.

Code (pipeline/extract/registries.py, the Trial validator) and tests both read this table:
`pattern` is the canonical form (full match), `find` the loose pattern that finds it in
printed text (spaces, a line break or a line-end hyphen inside it, a space after the
prefix), `form` builds the canonical form from the named groups of `find` (separators
already removed), and `examples` are (as printed, canonical) pairs the tests check.

Canonical form: the registry's own spelling of its prefix (upper case, except the mixed-case
prefixes the registries print themselves: ChiCTR, jRCT, JapicCTI), no inner spaces, the
family's own separators (EudraCT `2011-005235-22`, CTRI `CTRI/2018/03/012345`).

PROSPERO (CRD + 11 digits) is a registry of systematic reviews, not trials; it is in the
table (``review=True``) because review articles print it exactly like a trial registration
and the gold format counts every registry identifier a document mentions.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# a break inside an identifier: a line break (with or without a line-end hyphen),
# a hyphen left by a line-end hyphenation join, or one space
BREAK = r"(?:-?[ \t]*\n[ \t]*|-|[ \t])"
# between a prefix and its number: nothing, spaces, one line break, or a hyphen/colon
PREFIX_SEP = r"(?:[ \t]*\n?[ \t]*|[ \t]*[-:][ \t]*)"
# a literal separator of the id itself ("-", "/", "."), maybe followed by a line break
def _lit(ch: str) -> str:
    return rf"[ \t]*{re.escape(ch)}[ \t]*\n?[ \t]*"


def D(n: int, m: int | None = None) -> str:
    """n (to m) digits, any two of which may be separated by a BREAK."""
    if m is None:
        return rf"[0-9](?:{BREAK}?[0-9]){{{n - 1}}}"
    return rf"[0-9](?:{BREAK}?[0-9]){{{n - 1},{m - 1}}}"


@dataclass(frozen=True)
class Registry:
    family: str                          # short key, e.g. "NCT"
    registry: str                        # registry name, e.g. "ClinicalTrials.gov"
    pattern: str                         # canonical form, full match, case-sensitive
    find: str                            # loose pattern over printed text, named groups
    form: Callable[[dict[str, str]], str]  # canonical form from the cleaned groups
    examples: tuple[tuple[str, str], ...]  # (as printed, canonical)
    lookalikes: tuple[str, ...] = ()     # printed strings that must not be found
    review: bool = False                 # a review registry (PROSPERO), not a trial registry
    compiled: re.Pattern = field(init=False, repr=False, compare=False)
    compiled_find: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))
        # ids never start inside a word or a number; an all-digit id (EudraCT, EU CT) also
        # never right after ".", "/" or "-" (DOIs, URLs, phone and grant numbers)
        before = r"(?<![A-Za-z0-9./-])" if self.pattern[:1].isdigit() else r"(?<![A-Za-z0-9])"
        object.__setattr__(self, "compiled_find", re.compile(before + self.find))


REGISTRIES: tuple[Registry, ...] = (
    Registry(
        "NCT", "ClinicalTrials.gov", r"NCT\d{8}",
        rf"(?:NCT|nct){PREFIX_SEP}(?P<n>{D(8)})(?![0-9])",
        lambda g: "NCT" + g["n"],
        (("NCT03504397", "NCT03504397"), ("NCT 03504397", "NCT03504397"),
         ("NCT0350-\n4397", "NCT03504397"), ("NCT0350\n4397", "NCT03504397"),
         ("(NCT02492568)", "NCT02492568"), ("clinicaltrials.gov/show/NCT02070146.", "NCT02070146")),
        ("NCT0350439", "NCT035043971", "FUNCT01234567", "NCT 0350 43 97"),
    ),
    Registry(
        "ISRCTN", "ISRCTN", r"ISRCTN\d{8}",
        rf"ISRCTN{PREFIX_SEP}(?P<n>{D(8)})(?![0-9])",
        lambda g: "ISRCTN" + g["n"],
        (("ISRCTN14422743", "ISRCTN14422743"), ("ISRCTN 14422743", "ISRCTN14422743"),
         ("ISRCTN9982-\n0519", "ISRCTN99820519")),
        ("ISRCTN Registry", "ISRCTN1442274"),
    ),
    Registry(
        # EU CT (CTIS) numbers before EudraCT: an EU CT number starts like an EudraCT one
        "EUCT", "EU Clinical Trials Information System (CTIS)", r"20\d\d-5\d{5}-\d\d-\d\d",
        rf"(?P<y>20{D(2)}){_lit('-')}(?P<a>5{D(5)}){_lit('-')}(?P<b>{D(2)}){_lit('-')}(?P<c>{D(2)})(?![0-9])",
        lambda g: f"{g['y']}-{g['a']}-{g['b']}-{g['c']}",
        (("2022-500123-45-00", "2022-500123-45-00"), ("EU CT 2023-504567-12-01", "2023-504567-12-01")),
        ("2022-100123-45-00x",),
    ),
    Registry(
        "EudraCT", "EudraCT", r"20\d\d-\d{6}-\d\d",
        rf"(?P<y>20{D(2)}){_lit('-')}(?P<a>{D(6)}){_lit('-')}(?P<b>{D(2)})(?![0-9]|-[0-9])",
        lambda g: f"{g['y']}-{g['a']}-{g['b']}",
        (("2011-005235-22", "2011-005235-22"), ("EudraCT 2011-005235-22", "2011-005235-22"),
         ("EudraCT no. 2011-00-\n5235-22", "2011-005235-22"), ("2011-005235-\n22", "2011-005235-22")),
        ("10.1186/s13063-015-0586-4", "doi:10.2011-005235-22", "+44 1223-456789-12", "1999-005235-22"),
    ),
    Registry(
        "ChiCTR", "Chinese Clinical Trial Registry", r"ChiCTR(?:-[A-Z]{3,4}-\d{8}|\d{10})",
        rf"(?:ChiCTR|CHICTR){PREFIX_SEP}(?:(?:-?(?P<kind>[A-Z]{{3,4}}){_lit('-')}(?P<on>{D(8)}))|(?P<n>{D(10)}))(?![0-9])",
        lambda g: f"ChiCTR-{g['kind']}-{g['on']}" if g.get("kind") else "ChiCTR" + g["n"],
        (("ChiCTR-TRC-12002345", "ChiCTR-TRC-12002345"), ("ChiCTR1800015268", "ChiCTR1800015268"),
         ("ChiCTR 2000029308", "ChiCTR2000029308"), ("ChiCTR-IOR-1600-\n8433", "ChiCTR-IOR-16008433")),
        ("ChiCTR-TRC-1200234",),
    ),
    Registry(
        "ACTRN", "Australian New Zealand Clinical Trials Registry", r"ACTRN\d{14}",
        rf"ACTRN{PREFIX_SEP}(?P<n>{D(14)})(?![0-9])",
        lambda g: "ACTRN" + g["n"],
        (("ACTRN12609000827235", "ACTRN12609000827235"), ("ACTRN 12609000827235", "ACTRN12609000827235"),
         ("ACTRN1260900-\n0827235", "ACTRN12609000827235")),
        ("ACTRN1260900082723",),
    ),
    Registry(
        "CTRI", "Clinical Trials Registry - India", r"CTRI/20\d\d/(?:\d{2}|\d{3})/\d{6}",
        rf"CTRI{_lit('/')}(?P<y>20{D(2)}){_lit('/')}(?P<m>[0-9]{{2,3}}){_lit('/')}(?P<n>{D(6)})(?![0-9])",
        lambda g: f"CTRI/{g['y']}/{g['m']}/{g['n']}",
        (("CTRI/2018/03/012345", "CTRI/2018/03/012345"), ("CTRI/2009/091/000123", "CTRI/2009/091/000123"),
         ("CTRI/2018/03/\n012345", "CTRI/2018/03/012345")),
        ("CTRI/18/03/012345",),
    ),
    Registry(
        "DRKS", "German Clinical Trials Register", r"DRKS\d{8}",
        rf"DRKS{PREFIX_SEP}(?P<n>{D(8)})(?![0-9])",
        lambda g: "DRKS" + g["n"],
        (("DRKS00012345", "DRKS00012345"), ("DRKS 00012345", "DRKS00012345")),
        ("DRKS0001234",),
    ),
    Registry(
        "jRCT", "Japan Registry of Clinical Trials", r"jRCT(?:[a-z]\d{9}|\d{10})",
        rf"(?:jRCT|JRCT){PREFIX_SEP}(?:(?P<l>[a-z])(?P<ln>{D(9)})|(?P<n>{D(10)}))(?![0-9])",
        lambda g: "jRCT" + (g["l"] + g["ln"] if g.get("l") else g["n"]),
        (("jRCTs031180123", "jRCTs031180123"), ("jRCT1031180123", "jRCT1031180123"),
         ("jRCT2031190001", "jRCT2031190001")),
        ("jRCT103118012",),
    ),
    Registry(
        "UMIN", "UMIN Clinical Trials Registry", r"UMIN\d{9}",
        rf"UMIN{PREFIX_SEP}(?P<n>{D(9)})(?![0-9])",
        lambda g: "UMIN" + g["n"],
        (("UMIN000012345", "UMIN000012345"), ("UMIN 000012345", "UMIN000012345")),
        ("UMIN00001234", "UMIN-CTR"),
    ),
    Registry(
        "JapicCTI", "JAPIC Clinical Trials Information", r"JapicCTI-\d{6}",
        rf"(?:JapicCTI|JAPICCTI){PREFIX_SEP}(?P<n>{D(6)})(?![0-9])",
        lambda g: "JapicCTI-" + g["n"],
        (("JapicCTI-121914", "JapicCTI-121914"), ("JapicCTI 121914", "JapicCTI-121914")),
        ("JapicCTI-12191",),
    ),
    Registry(
        "KCT", "Clinical Research Information Service (CRiS)", r"KCT\d{7}",
        rf"KCT{PREFIX_SEP}(?P<n>{D(7)})(?![0-9])",
        lambda g: "KCT" + g["n"],
        (("KCT0001234", "KCT0001234"), ("KCT 0001234", "KCT0001234")),
        ("KCT000123", "SKCT0001234"),
    ),
    Registry(
        # the Dutch CCMO / ToetsingOnline number, printed as "Netherlands Trials Register NL46051.041.13"
        "NL-CCMO", "Netherlands Trials Register", r"NL\d{5}\.\d{3}\.\d{2}",
        rf"NL{PREFIX_SEP}(?P<a>{D(5)})\.(?P<b>{D(3)})\.(?P<c>{D(2)})(?![0-9])",
        lambda g: f"NL{g['a']}.{g['b']}.{g['c']}",
        (("NL46051.041.13", "NL46051.041.13"), ("NL 46051.041.13", "NL46051.041.13")),
        ("NL46051.041.1", "ONL46051.041.13"),
    ),
    Registry(
        "NTR", "Netherlands Trial Register", r"NTR\d{1,5}|NL\d{4}",
        r"(?:NTR(?P<ntr>[0-9]{1,5})|NL(?P<nl>[0-9]{4}))(?![0-9.]|\.[0-9])",
        lambda g: f"NTR{g['ntr']}" if g.get("ntr") else f"NL{g['nl']}",
        (("NTR4387", "NTR4387"), ("NL7594", "NL7594"), ("(NTR123)", "NTR123")),
        ("INL7594", "NL12345", "inNL7594x", "NL46051.041.13"),
    ),
    Registry(
        "PACTR", "Pan African Clinical Trials Registry", r"PACTR\d{15}",
        rf"PACTR{PREFIX_SEP}(?P<n>{D(15)})(?![0-9])",
        lambda g: "PACTR" + g["n"],
        (("PACTR201509001187394", "PACTR201509001187394"),),
        ("PACTR20150900118739",),
    ),
    Registry(
        "IRCT", "Iranian Registry of Clinical Trials", r"IRCT\d{8,14}N\d{1,3}",
        rf"IRCT{PREFIX_SEP}(?P<n>[0-9]{{8,14}})N(?P<k>[0-9]{{1,3}})(?![0-9])",
        lambda g: f"IRCT{g['n']}N{g['k']}",
        (("IRCT2012071010230N1", "IRCT2012071010230N1"), ("IRCT20150531022498N21", "IRCT20150531022498N21")),
        ("IRCT2012N1",),
    ),
    Registry(
        "ReBEC", "Brazilian Clinical Trials Registry (ReBEC)", r"RBR-[0-9a-z]{6,8}",
        rf"RBR{_lit('-')}(?P<n>(?=[0-9a-z]*[0-9])[0-9a-z]{{6,8}})(?![0-9A-Za-z])",
        lambda g: "RBR-" + g["n"],
        (("RBR-5w6n3t", "RBR-5w6n3t"), ("RBR-10bjt4xw", "RBR-10bjt4xw")),
        ("RBR-abcdef", "RBR-5w6"),
    ),
    Registry(
        "TCTR", "Thai Clinical Trials Registry", r"TCTR\d{11}",
        rf"TCTR{PREFIX_SEP}(?P<n>{D(11)})(?![0-9])",
        lambda g: "TCTR" + g["n"],
        (("TCTR20180108001", "TCTR20180108001"),),
        ("TCTR2018010800",),
    ),
    Registry(
        "SLCTR", "Sri Lanka Clinical Trials Registry", r"SLCTR/20\d\d/\d{3}",
        rf"SLCTR{_lit('/')}(?P<y>20{D(2)}){_lit('/')}(?P<n>{D(3)})(?![0-9])",
        lambda g: f"SLCTR/{g['y']}/{g['n']}",
        (("SLCTR/2012/013", "SLCTR/2012/013"),),
        ("SLCTR/12/013",),
    ),
    Registry(
        "PROSPERO", "PROSPERO", r"CRD\d{11}",
        rf"CRD{PREFIX_SEP}(?P<n>{D(11)})(?![0-9])",
        lambda g: "CRD" + g["n"],
        (("CRD42018116433", "CRD42018116433"), ("CRD 42018116433", "CRD42018116433")),
        ("CRD4201811643", "CRDS42018116433"),
        review=True,
    ),
)

BY_FAMILY = {r.family: r for r in REGISTRIES}


def family_of(id: str) -> Registry | None:
    """The table entry whose canonical pattern `id` fully matches, else None."""
    for r in REGISTRIES:
        if r.compiled.fullmatch(id):
            return r
    return None


def is_canonical(id: str) -> bool:
    """True when `id` is written exactly in its registry's canonical form."""
    return family_of(id) is not None


def registry_of(id: str) -> str:
    """Registry name of a canonical identifier; ValueError when it is not canonical."""
    r = family_of(id)
    if r is None:
        raise ValueError(f"{id!r} is not a canonical registry identifier")
    return r.registry

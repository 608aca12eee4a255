"""Readers for the training corpora (PubTator and IOB2 TSV) and DocBin conversion."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

# corpus label -> our label; anything absent is dropped
LABEL_MAP = {
    "Chemical": "CHEMICAL", "CHEMICAL": "CHEMICAL", "Simple_chemical": "CHEMICAL",
    "Disease": "DISEASE", "DISEASE": "DISEASE", "Cancer": "DISEASE",
    "GENE": "GENE", "Gene": "GENE", "Gene_or_gene_product": "GENE",
    "Cell": "CELL", "CELL": "CELL",
}
LABELS = ("CHEMICAL", "DISEASE", "GENE", "CELL")


@dataclass
class Doc:
    id: str
    text: str
    ents: list[tuple[int, int, str]] = field(default_factory=list)  # corpus labels


def read_pubtator(path: str | Path) -> list[Doc]:
    """Title and abstract joined by one space (the PubTator offset convention)."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read PubTator file {path}: {e.__class__.__name__}") from None
    docs: list[Doc] = []
    cur: Doc | None = None
    for line in raw.splitlines():
        if not line.strip():
            if cur is not None:
                docs.append(cur)
                cur = None
            continue
        head = line[:40]
        if "|t|" in head:
            pid, _, t = line.split("|", 2)
            if cur is not None:
                docs.append(cur)
            cur = Doc(pid, t)
        elif "|a|" in head:
            pid, _, a = line.split("|", 2)
            if cur is None:
                cur = Doc(pid, a)
            else:
                cur.text += " " + a
        else:
            parts = line.split("\t")
            if cur is not None and len(parts) >= 5 and parts[1].isdigit() and parts[2].isdigit():
                cur.ents.append((int(parts[1]), int(parts[2]), parts[4]))
    if cur is not None:
        docs.append(cur)
    if not docs:
        raise InputError(f"no PubTator documents in {path}")
    return docs


def read_iob(path: str | Path, sents_per_doc: int = 10) -> list[Doc]:
    """token<TAB>IOB2 tag, blank line between sentences; tokens are joined by spaces."""
    docs: list[Doc] = []
    words: list[str] = []
    ents: list[tuple[int, int, str]] = []
    text_parts: list[str] = []
    offset = 0
    start = None
    label = None
    nsent = 0

    def close():
        nonlocal start, label
        if start is not None:
            ents.append((start, offset - 1 if text_parts else offset, label))
        start, label = None, None

    def flush():
        nonlocal words, ents, text_parts, offset, nsent
        if text_parts:
            docs.append(Doc(f"{Path(path).stem}-{len(docs)}", "".join(text_parts).rstrip(), ents))
        words, ents, text_parts, offset, nsent = [], [], [], 0, 0

    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read IOB file {path}: {e.__class__.__name__}") from None
    for line in raw.splitlines():
        if not line.strip():
            close()
            nsent += 1
            if nsent >= sents_per_doc:
                flush()
            continue
        tok, _, tag = line.partition("\t")
        tag = tag.strip()
        if tag.startswith("B-") or (tag.startswith("I-") and (start is None or label != tag[2:])):
            close()
            start, label = offset, tag[2:]
        elif tag == "O" or not tag:
            close()
        text_parts.append(tok + " ")
        offset += len(tok) + 1
    close()
    flush()
    if not docs:
        raise InputError(f"no sentences in IOB file {path}")
    return docs


def to_docbin(nlp, docs: list[Doc], label_map: dict[str, str], keep: set[str] | None = None):
    """Tokenize with nlp's tokenizer and set entities; returns (DocBin, n_ents, n_misaligned)."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    db = DocBin(store_user_data=False)
    n = bad = 0
    for d in docs:
        doc = nlp.make_doc(d.text)
        spans = []
        for s, e, lab in d.ents:
            lab2 = label_map.get(lab)
            if lab2 is None or (keep is not None and lab2 not in keep):
                continue
            n += 1
            sp = doc.char_span(s, e, label=lab2, alignment_mode="strict")
            if sp is None:
                sp = doc.char_span(s, e, label=lab2, alignment_mode="expand")
                bad += 1
            if sp is not None:
                spans.append(sp)
        doc.ents = filter_spans(spans)
        db.add(doc)
    return db, n, bad

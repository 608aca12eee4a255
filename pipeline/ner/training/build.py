"""Build the training data and the lexicon from the corpora in /work/shared/corpora.

Only ``review-extract ner train`` / ``build-lexicon`` use this; tests and runtime don't.
"""
from __future__ import annotations

import gzip
import os
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ner.lexicon import LEXICON_PATH
from pipeline.ner.tokenizer import blank_bio_nlp
from pipeline.ner.training.data import LABEL_MAP, read_iob, read_pubtator, to_docbin

DEFAULT_CORPORA = Path(os.environ.get("REVIEW_EXTRACT_CORPORA", "/work/shared/corpora"))


def _corpus(root: Path, rel: str) -> Path:
    p = root / rel
    if not p.exists():
        raise InputError(f"corpus file not found: {p}")
    return p


def _key(nlp, text: str) -> str:
    return " ".join(t.lower_ for t in nlp.make_doc(text) if not t.is_space)


def build_lexicon(root: Path = DEFAULT_CORPORA, out: Path = LEXICON_PATH) -> dict[str, int]:
    import bz2
    import pickle

    import drug_named_entity_recognition as dner
    from wordfreq import zipf_frequency

    nlp = blank_bio_nlp()
    votes: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)

    def add(text: str, label: str, src: str, weight: int = 1):
        text = text.strip()
        if len(text) < 2 or text.isdigit():
            return
        k = _key(nlp, text)
        if not k:
            return
        votes[k][label] += weight
        sources[k].add(src)

    # drug names (DrugBank, MeSH, MedlinePlus) shipped by drug-named-entity-recognition
    with bz2.open(Path(dner.__file__).parent / "drug_ner_dictionary.pkl.bz2", "rb") as f:
        d = pickle.load(f)
    for variant in d["drug_variant_to_canonical"]:
        if ", " in variant or len(variant) < 3 or any(c in variant for c in "&{}[]|'\""):
            continue  # inverted MeSH headings ("drugs, anticoagulant") never occur in text
        if " " not in variant and zipf_frequency(variant, "en") >= 4.3:
            continue  # common English words ("gold", "water")
        add(variant, "CHEMICAL", "drugs")
    for rel in ("NCBI-disease-IOB/train.tsv", "NCBI-disease-IOB/devel.tsv"):
        for doc in read_iob(_corpus(root, rel)):
            for s, e, lab in doc.ents:
                add(doc.text[s:e], "DISEASE", "ncbi")
    for rel in ("BioNLP13CG-IOB/train.tsv", "BioNLP13CG-IOB/devel.tsv"):
        for doc in read_iob(_corpus(root, rel)):
            for s, e, lab in doc.ents:
                if LABEL_MAP.get(lab):
                    add(doc.text[s:e], LABEL_MAP[lab], "bionlp")
    for rel in ("BC5CDR-PubTator/CDR_TrainingSet.PubTator.txt", "BC5CDR-PubTator/CDR_DevelopmentSet.PubTator.txt"):
        for doc in read_pubtator(_corpus(root, rel)):
            for s, e, lab in doc.ents:
                if LABEL_MAP.get(lab):
                    add(doc.text[s:e], LABEL_MAP[lab], "cdr")
    out.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    with gzip.GzipFile(out, "wb", mtime=0) as gz:  # mtime=0: byte-identical rebuilds
        for k in sorted(votes):
            label = votes[k].most_common(1)[0][0]
            counts[label] += 1
            gz.write(f"{k}\t{label}\t{','.join(sorted(sources[k]))}\n".encode("utf-8"))
    return dict(counts)


def build_corpora(outdir: Path, root: Path = DEFAULT_CORPORA, final: bool = False) -> dict[str, str]:
    """DocBins for the CHEMICAL/DISEASE model (BC5CDR) and the GENE/CELL model.

    final=False: train on train, early-stop on devel.  final=True: train on train+devel
    (the shipped model), still scored on devel for the log.
    """
    nlp = blank_bio_nlp()
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    cdr = {s: read_pubtator(_corpus(root, f"BC5CDR-PubTator/CDR_{s}.PubTator.txt"))
           for s in ("TrainingSet", "DevelopmentSet")}
    chem_train = cdr["TrainingSet"] + (cdr["DevelopmentSet"] if final else [])
    for name, docs in (("chemdis_train", chem_train), ("chemdis_dev", cdr["DevelopmentSet"])):
        db, n, bad = to_docbin(nlp, docs, LABEL_MAP, keep={"CHEMICAL", "DISEASE"})
        db.to_disk(outdir / f"{name}.spacy")
        paths[name] = str(outdir / f"{name}.spacy")
    # GENE/CELL: BioNLP13CG (genes and cells) ; BC2GM genes are added with CELL unknown
    bion = {s: read_iob(_corpus(root, f"BioNLP13CG-IOB/{s}.tsv")) for s in ("train", "devel")}
    gc_train = bion["train"] + (bion["devel"] if final else [])
    # BC2GM annotates genes only: keep its sentences that mention no cells, so that an
    # unannotated cell type is never taught as "O"
    bc2gm = [d for d in read_iob(_corpus(root, "BC2GM-IOB/train.tsv"), sents_per_doc=1)
             if "cell" not in d.text.lower()]
    gc_train = gc_train + bc2gm
    for name, docs in (("genecell_train", gc_train), ("genecell_dev", bion["devel"])):
        db, n, bad = to_docbin(nlp, docs, LABEL_MAP, keep={"GENE", "CELL"})
        db.to_disk(outdir / f"{name}.spacy")
        paths[name] = str(outdir / f"{name}.spacy")
    return paths


def build_raw_text(out: Path, root: Path = DEFAULT_CORPORA) -> Path:
    """Unlabelled text for tok2vec pretraining: the train+devel splits of every corpus
    (never a test split)."""
    import json

    texts = []
    for s in ("TrainingSet", "DevelopmentSet"):
        texts += [d.text for d in read_pubtator(_corpus(root, f"BC5CDR-PubTator/CDR_{s}.PubTator.txt"))]
    for c in ("NCBI-disease-IOB", "BioNLP13CG-IOB", "BC2GM-IOB"):
        for s in ("train", "devel"):
            texts += [d.text for d in read_iob(_corpus(root, f"{c}/{s}.tsv"), sents_per_doc=5)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}) + "\n")
    return out

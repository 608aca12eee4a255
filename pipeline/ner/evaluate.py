"""Strict entity-level scoring of a recognizer on a PubTator file, and its speed."""
from __future__ import annotations

import multiprocessing as mp
import time
from collections import Counter

from pipeline.ner.training.data import LABEL_MAP, read_pubtator  # noqa: F401


def score(gold: list[set], pred: list[set]) -> dict:
    """gold/pred: per document, sets of (start, end, label). Strict: offsets and label."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for x in p:
            (tp if x in g else fp)[x[2]] += 1
        for x in g:
            if x not in p:
                fn[x[2]] += 1

    def prf(t, f_p, f_n):
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2),
                "tp": t, "fp": f_p, "fn": f_n}

    labels = sorted(set(tp) | set(fn) | set(fp))
    per_type = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in labels}
    overall = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"overall": overall, "per_type": per_type}


_WORKER_REC = None


def _work(texts):
    t0 = time.perf_counter()
    _WORKER_REC(texts)
    return time.perf_counter() - t0


def words_per_second(rec, texts: list[str], processes: int) -> float:
    """Words (whitespace-separated) recognized per second of wall time, model already loaded."""
    global _WORKER_REC
    n_words = sum(len(t.split()) for t in texts)
    if processes <= 1:
        rec(texts[:4])  # warm-up
        t0 = time.perf_counter()
        rec(texts)
        return n_words / (time.perf_counter() - t0)
    _WORKER_REC = rec
    chunks = [texts[i::processes] for i in range(processes)]
    ctx = mp.get_context("fork")  # children share the loaded model
    with ctx.Pool(processes) as pool:
        pool.map(_work, [texts[:2]] * processes)  # warm-up
        t0 = time.perf_counter()
        pool.map(_work, chunks)
        dt = time.perf_counter() - t0
    return n_words / dt


def evaluate(rec, pubtator_path=None, speed: bool = True, speed_processes=(1, 2), iob_path=None) -> dict:
    """Score on a PubTator file, or on an IOB2 TSV file (tokens joined by spaces)."""
    if iob_path is not None:
        from pipeline.ner.training.data import read_iob

        docs = read_iob(iob_path)
    else:
        docs = read_pubtator(pubtator_path)
    texts = [d.text for d in docs]
    gold = [{(s, e, LABEL_MAP[l]) for s, e, l in d.ents if l in LABEL_MAP} for d in docs]
    gold_labels = {x[2] for g in gold for x in g}
    t0 = time.perf_counter()
    preds = rec(texts)
    elapsed = time.perf_counter() - t0
    # only the types the file annotates are scored (a CDR file has no GENE/CELL gold)
    pred = [{x for x in p if x[2] in gold_labels} for p in preds]
    res = score(gold, pred)
    res["model"] = getattr(rec, "name", "?")
    res["n_docs"] = len(docs)
    res["n_words"] = sum(len(t.split()) for t in texts)
    res["seconds"] = round(elapsed, 2)
    if speed:
        res["wps"] = {f"{n}_process{'es' if n > 1 else ''}": round(words_per_second(rec, texts, n))
                      for n in speed_processes}
    return res

"""`review-extract ner train|eval|build-lexicon`."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from pipeline.errors import ReviewExtractError

CONFIG_DIR = Path(__file__).resolve().parents[1] / "ner" / "config"


def register(subparsers) -> None:
    p = subparsers.add_parser("ner", help="train / evaluate the biomedical entity recognizer")
    sub = p.add_subparsers(dest="ner_command", metavar="{train,eval,build-lexicon}")
    sub.required = True

    t = sub.add_parser("train", help="retrain the bundled model from the committed spaCy configs")
    t.add_argument("--corpora", default=None, help="corpora dir (default /work/shared/corpora or $REVIEW_EXTRACT_CORPORA)")
    t.add_argument("--workdir", default="build/ner", help="scratch dir for DocBins and checkpoints")
    t.add_argument("--out", default=None, help="where the trained pipeline goes (default: the package's pipeline/ner/model)")
    t.add_argument("--seed", type=int, default=None, help="override the configs' seed (1234)")
    t.add_argument("--dev", action="store_true", help="train on train only, keep the best on devel (experiments)")
    t.add_argument("--max-steps", type=int, default=None, help="override the CHEMICAL/DISEASE model's steps")
    t.add_argument("--pretrain-epochs", type=int, default=0,
                   help="first pretrain the tok2vec (spacy pretrain, characters objective) on the corpora's text")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("eval", help="strict entity-level P/R/F1 on a PubTator file, and words/s")
    src = e.add_mutually_exclusive_group(required=True)
    src.add_argument("--pubtator", help="PubTator file (e.g. CDR_TestSet.PubTator.txt)")
    src.add_argument("--iob", help="IOB2 file, token<TAB>tag (e.g. BioNLP13CG-IOB/test.tsv)")
    e.add_argument("--json", dest="json_out", default=None, help="write the scores here as JSON")
    e.add_argument("--model", default="bundled", help="'bundled', 'lexicon', a spaCy package name or pipeline dir")
    e.add_argument("--no-speed", action="store_true", help="skip the words/s measurement")
    e.set_defaults(func=cmd_eval)

    b = sub.add_parser("build-lexicon", help="rebuild pipeline/ner/lexicon/lexicon.tsv.gz from the corpora")
    b.add_argument("--corpora", default=None)
    b.set_defaults(func=cmd_build_lexicon)


def _err(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def cmd_eval(args) -> int:
    from pipeline.ner import load_recognizer
    from pipeline.ner.evaluate import evaluate

    path = Path(args.pubtator or args.iob)
    if not path.is_file():
        return _err(f"no such file: {path}")
    try:
        rec = load_recognizer(args.model)
        if args.iob:
            res = evaluate(rec, iob_path=path, speed=not args.no_speed)
        else:
            res = evaluate(rec, path, speed=not args.no_speed)
    except ReviewExtractError as e:
        return _err(str(e))
    o = res["overall"]
    print(f"model {res['model']}  docs {res['n_docs']}  words {res['n_words']}")
    print(f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6}")
    for lab, s in res["per_type"].items():
        print(f"{lab:<10} {s['precision']:>6.2f} {s['recall']:>6.2f} {s['f1']:>6.2f}")
    print(f"{'overall':<10} {o['precision']:>6.2f} {o['recall']:>6.2f} {o['f1']:>6.2f}")
    if "wps" in res:
        print("words/s: " + ", ".join(f"{k} {v}" for k, v in res["wps"].items()))
    if args.json_out:
        try:
            Path(args.json_out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        except OSError as e:
            return _err(f"cannot write {args.json_out}: {e.strerror}")
    return 0


def cmd_build_lexicon(args) -> int:
    from pipeline.ner.training.build import DEFAULT_CORPORA, build_lexicon

    try:
        counts = build_lexicon(Path(args.corpora) if args.corpora else DEFAULT_CORPORA)
    except ReviewExtractError as e:
        return _err(str(e))
    print("lexicon entries: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


def cmd_train(args) -> int:
    """Lexicon -> DocBins -> (optional tok2vec pretraining) -> CHEMICAL/DISEASE model ->
    GENE/CELL head on its frozen tok2vec -> the shipped pipeline in pipeline/ner/model."""
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from pipeline.ner import MODEL_DIR
    from pipeline.ner.training.build import (
        DEFAULT_CORPORA,
        build_corpora,
        build_lexicon,
        build_raw_text,
    )

    root = Path(args.corpora) if args.corpora else DEFAULT_CORPORA
    work = Path(args.workdir)
    out = Path(args.out) if args.out else MODEL_DIR
    try:
        t0 = time.time()
        counts = build_lexicon(root)
        print(f"lexicon: {counts}", flush=True)
        paths = build_corpora(work / "corpus", root, final=not args.dev)
        raw = build_raw_text(work / "corpus" / "raw.jsonl", root) if args.pretrain_epochs else None
    except ReviewExtractError as e:
        return _err(str(e))
    print(f"corpora ready in {time.time() - t0:.0f}s", flush=True)

    from spacy.cli.train import train as spacy_train

    import pipeline.ner.components  # noqa: F401  (registers the stash component)
    import pipeline.ner.lexicon  # noqa: F401  (registers the feature component)
    import pipeline.ner.tokenizer  # noqa: F401  (registers the tokenizer callback)

    common = {}
    if args.seed is not None:
        common["system.seed"] = args.seed
    times = {}
    init_tok2vec = None
    if args.pretrain_epochs:
        from spacy.training.pretrain import pretrain
        from spacy.util import load_config

        t1 = time.time()
        cfg = load_config(CONFIG_DIR / "chemdis.cfg", interpolate=True, overrides={
            "paths.raw_text": str(raw), "pretraining.max_epochs": args.pretrain_epochs, **common})
        pt_dir = work / "pretrain"
        init_tok2vec = pt_dir / f"model{args.pretrain_epochs - 1}.bin"
        if init_tok2vec.exists():  # an earlier run of the same command got this far
            print(f"reusing {init_tok2vec}", flush=True)
        else:
            pt_dir.mkdir(parents=True, exist_ok=True)
            pretrain(cfg, pt_dir, use_gpu=-1, silent=False)
        times["pretrain"] = time.time() - t1
    t1 = time.time()
    over = {"paths.train": paths["chemdis_train"], "paths.dev": paths["chemdis_dev"], **common}
    if init_tok2vec is not None:
        over["paths.init_tok2vec"] = str(init_tok2vec)
    if args.max_steps is not None:
        over["training.max_steps"] = args.max_steps
    spacy_train(CONFIG_DIR / "chemdis.cfg", work / "chemdis", overrides=over)
    base = work / "chemdis" / ("model-best" if args.dev else "model-last")
    times["chemdis"] = time.time() - t1
    t1 = time.time()
    over = {"paths.train": paths["genecell_train"], "paths.dev": paths["genecell_dev"], **common}
    spacy_train(CONFIG_DIR / "genecell.cfg", work / "genecell", overrides=over)
    times["genecell"] = time.time() - t1
    # --dev keeps the best on devel; the shipped run (train+devel) keeps the last step
    gc = work / "genecell" / ("model-best" if args.dev else "model-last")
    merge_pipelines(base, gc, out)
    times["total"] = time.time() - t0
    print("wall time: " + ", ".join(f"{k} {v / 60:.1f} min" for k, v in times.items()) + f" -> {out}", flush=True)
    return 0


def merge_pipelines(chemdis_dir: Path, genecell_dir: Path, out: Path) -> None:
    """One shipped pipeline: lexfeat, tok2vec, ner (CHEMICAL/DISEASE), stash, ner_gc
    (GENE/CELL, with its own small inline tok2vec)."""
    import spacy

    import pipeline.ner.components  # noqa: F401
    import pipeline.ner.lexicon  # noqa: F401
    import pipeline.ner.tokenizer  # noqa: F401

    nlp = spacy.load(chemdis_dir)
    gc = spacy.load(genecell_dir)
    gc.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    nlp.add_pipe("review_extract_stash_ents", name="stash")
    nlp.add_pipe("ner", name="ner_gc", source=gc)
    for key in ("train", "dev", "init_tok2vec", "raw_text"):  # no build paths in the shipped config
        if key in nlp.config["paths"]:
            nlp.config["paths"][key] = None
    nlp.meta["name"] = "review_extract_ner"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = ("CHEMICAL/DISEASE (BC5CDR) + GENE/CELL (BioNLP13CG, BC2GM) recognizer "
                               "of review-extract; load with pipeline.ner.load_recognizer")
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)


def main(argv=None) -> int:  # standalone: python -m pipeline.cli.ner ner eval ...
    ap = argparse.ArgumentParser(prog="review-extract")
    register(ap.add_subparsers(dest="command"))
    args = ap.parse_args(argv)
    if not hasattr(args, "func"):
        ap.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())

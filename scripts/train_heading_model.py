"""Train the heading model (pipeline/stages/segment/model/) from PDF + publisher-XML pairs.

    python scripts/train_heading_model.py [--corpus ../shared/corpus/jats] [--gold fixtures/corpus/gold]

Labels come for free: every line the segment rules are asked about is labelled a heading when its
text (alone, or joined with the next one or two lines) is a section title of the article's gold
(fixtures/corpus/gold, converted from the XML with run-in heads left out), else not. A line whose text is a
known section name the gold lacks is left out (the XML cannot know headings the typesetter adds).
Only the dev split is used (fixtures/corpus/split.json names the test articles, which are never read here).
Fixed seed; the same inputs give the same model. Prints document-grouped cross-validation figures.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.normalize import section_key  # noqa: E402
from pipeline.settings import SegmentOptions, Settings  # noqa: E402
from pipeline.stages.layout import layout  # noqa: E402
from pipeline.stages.parse import parse  # noqa: E402
from pipeline.stages.segment.headings import _body_family, _heading_styles  # noqa: E402
from pipeline.stages.segment.heading_model import META_FILE, MODEL_DIR, MODEL_FILE  # noqa: E402
from pipeline.stages.segment.line_features import FEATURES, DocumentContext, line_features  # noqa: E402
from pipeline.stages.segment.patterns import _KNOWN, _NUMBERING  # noqa: E402
from pipeline.stages.segment.segmenter import _flow, _margin_regions, _Walk  # noqa: E402
from pipeline.stages.tables import find_tables  # noqa: E402
from schemas.gold import GoldFile  # noqa: E402

SEED = 20261202


def document_rows(pdf: Path, titles: set[str]) -> tuple[list[list[float]], list[int]]:
    settings = Settings(ner=False, segment=SegmentOptions(heading_model=False))
    raw = parse(pdf, settings)
    laid = layout(raw, settings)
    lines = _flow(laid, find_tables(raw, settings))
    body = laid.body_size
    family = _body_family(lines)
    walk = _Walk(list(lines), body, _heading_styles(lines, body), family, _margin_regions(laid, body))
    walk.run(None)
    ctx = DocumentContext(walk.lines, body, family)
    rows, labels = [], []
    for i in sorted(walk.seen):
        texts = [ln.text for ln in walk.lines[i:i + 3]]
        keys = {section_key(" ".join(texts[:k])) for k in (1, 2, 3) if k <= len(texts)}
        label = int(bool(keys & titles))
        if not label and _KNOWN.match(_NUMBERING.sub("", texts[0]).strip(" .:")):
            continue  # a section name the XML lacks may still be printed (headings the typesetter adds): no label
        rows.append(line_features(walk.lines, i, ctx, *walk.seen[i]))
        labels.append(label)
    return rows, labels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "jats"))
    ap.add_argument("--gold", default=str(ROOT / "fixtures" / "corpus" / "gold"))
    ap.add_argument("--split", default=str(ROOT / "fixtures" / "corpus" / "split.json"))
    ap.add_argument("--out", default=str(MODEL_DIR))
    args = ap.parse_args(argv)
    import joblib
    import numpy as np
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    test = set(json.loads(Path(args.split).read_text())["test"])
    t0 = time.perf_counter()
    X, y, groups, docs = [], [], [], []
    for gold_path in sorted(Path(args.gold).glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        pdf = Path(args.corpus) / f"{stem}.pdf"
        if stem in test or not pdf.is_file():
            continue
        gold = GoldFile.model_validate_json(gold_path.read_text(encoding="utf-8"))
        if not gold.sections:
            continue
        rows, labels = document_rows(pdf, {section_key(s.title) for s in gold.sections})
        X += rows
        y += labels
        groups += [len(docs)] * len(rows)
        docs.append(stem)
        print(f"{stem:34} lines {len(rows):5}  headings {sum(labels):3}", file=sys.stderr)
    if len(docs) < 5:
        print(f"error: {len(docs)} training documents found under {args.corpus} with gold in {args.gold}", file=sys.stderr)
        return 2
    X, y, groups = np.asarray(X, dtype=np.float64), np.asarray(y), np.asarray(groups)

    def model():
        return HistGradientBoostingClassifier(max_iter=300, learning_rate=0.08, max_leaf_nodes=31,
                                              l2_regularization=1.0, random_state=SEED)

    # document-grouped cross-validation: the rules alone, and the model gating them (a line the rules
    # call a heading stays one unless p < veto; one they reject becomes one when p >= promote)
    def f1(a, b, c):
        return 2 * a / (2 * a + b + c) if a else 0.0

    probs = np.zeros(len(y))
    for train, held in GroupKFold(n_splits=5).split(X, y, groups):
        probs[held] = model().fit(X[train], y[train]).predict_proba(X[held])[:, 1]
    truth = y == 1
    rule = X[:, FEATURES.index("rule")] >= 0.5
    grid = {}
    for veto in (0.1, 0.2, 0.3, 0.4, 0.5):
        for promote in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            pred = np.where(rule, probs >= veto, probs >= promote)
            grid[f"veto={veto} promote={promote}"] = round(f1(int((pred & truth).sum()), int((pred & ~truth).sum()),
                                                            int((~pred & truth).sum())), 4)
    best = max(grid, key=grid.get)
    cv = {"rules": round(f1(int((rule & truth).sum()), int((rule & ~truth).sum()), int((~rule & truth).sum())), 4),
          "model_alone_0.5": grid.get("veto=0.5 promote=0.5"), "best": best, "best_f1": grid[best], "grid": grid}
    final = model().fit(X, y)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(final, out / MODEL_FILE.name, compress=3)
    meta = {"features": list(FEATURES), "documents": docs, "lines": int(len(y)), "headings": int(y.sum()),
            "seed": SEED, "sklearn": sklearn.__version__, "cv_5fold_by_document": cv,
            "train_seconds": round(time.perf_counter() - t0, 1)}
    (out / META_FILE.name).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(cv, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

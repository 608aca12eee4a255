"""The shipped heading model: is a line a heading printed on a line of its own?

A gradient-boosted tree ensemble over line_features.FEATURES, trained from publisher-XML pairs
(scripts/train_heading_model.py; fixed seed, reproducible). The exact rules' verdict is one of its
features, so the model learns where the rules go wrong on layouts they were not written for. Without
the model file (or with `Settings(segment=SegmentOptions(heading_model=False))`) the rules decide alone.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

MODEL_DIR = Path(__file__).parent / "model"
MODEL_FILE = MODEL_DIR / "headings.joblib"
META_FILE = MODEL_DIR / "headings.json"


@lru_cache(maxsize=1)
def load_model():
    """The classifier, or None when the package was built without it."""
    if not MODEL_FILE.is_file():
        return None
    import joblib

    from pipeline.stages.segment.line_features import FEATURES

    meta = json.loads(META_FILE.read_text(encoding="utf-8"))
    if tuple(meta["features"]) != FEATURES:
        raise RuntimeError(f"{MODEL_FILE}: trained on other features; retrain (scripts/train_heading_model.py)")
    return joblib.load(MODEL_FILE)


def heading_probabilities(rows: list[list[float]]) -> list[float] | None:
    model = load_model()
    if model is None or not rows:
        return None
    import numpy as np

    return model.predict_proba(np.asarray(rows, dtype=np.float64))[:, 1].tolist()

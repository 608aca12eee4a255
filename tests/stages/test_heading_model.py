"""The shipped heading model: loads offline, matches the feature list it was trained on, and
separates headings from body text on a PDF the test builds."""
from __future__ import annotations

import json

from pdfgen import Text, make_pdf, paragraph

from pipeline.settings import SegmentOptions, Settings
from pipeline.stages.layout import layout
from pipeline.stages.parse import parse
from pipeline.stages.segment import segment
from pipeline.stages.segment.heading_model import META_FILE, heading_probabilities, load_model
from pipeline.stages.segment.line_features import FEATURES
from pipeline.stages.tables import find_tables

BODY = ("Patients were enrolled at twelve centres and followed for a median of two years; the primary "
        "outcome was assessed by investigators blinded to the allocation of treatment. ") * 4


def test_model_ships_with_its_training_record():
    meta = json.loads(META_FILE.read_text())
    assert tuple(meta["features"]) == FEATURES and meta["documents"] and meta["lines"] > 1000
    assert load_model() is not None
    assert meta["cv_5fold_by_document"]["best_f1"] > meta["cv_5fold_by_document"]["rules"]


def _doc(tmp_path, settings):
    items = [Text(60, 60, "Introduction", 12, bold=True)]
    para, y = paragraph(60, 80, BODY, 470, 10)
    items += para + [Text(60, y + 20, "Methods", 12, bold=True)]
    para, y = paragraph(60, y + 40, BODY, 470, 10)
    items += para + [Text(60, y + 20, "Statistical analysis", 10, bold=True)]
    para, _ = paragraph(60, y + 36, BODY, 470, 10)
    pdf = make_pdf(tmp_path / "h.pdf", [items + para])
    raw = parse(pdf, settings)
    return segment(layout(raw, settings), find_tables(raw, settings), settings)


def test_headings_with_and_without_the_model(tmp_path):
    on = _doc(tmp_path, Settings(ner=False))
    off = _doc(tmp_path, Settings(ner=False, segment=SegmentOptions(heading_model=False)))
    assert [(h.title, h.level) for h in off.headings] == [("Introduction", 1), ("Methods", 1),
                                                           ("Statistical analysis", 2)]
    # the model keeps the bold heads; an italic line in body size it may read as a run-in label
    assert [(h.title, h.level) for h in on.headings][:2] == [("Introduction", 1), ("Methods", 1)]
    assert not any(h.title.startswith("Patients were") for h in on.headings)


def test_probabilities_rank_a_heading_line_over_a_body_line():
    heading = [0.0] * len(FEATURES)
    body = [0.0] * len(FEATURES)
    for name, h, b in (("rule", 1, 0), ("size_ratio", 1.2, 1.0), ("bold", 1, 0), ("n_words", 2, 14),
                       ("n_chars", 12, 90), ("starts_upper", 1, 1), ("gap_above", 1.5, 0.2), ("gap_below", 0.6, 0.2),
                       ("width_share", 0.2, 1.0), ("style_share", 0.005, 0.8), ("style_lines", 4, 150),
                       ("known_name", 1, 0), ("run_lines", 1, 6), ("run_chars", 12, 500)):
        heading[FEATURES.index(name)] = h
        body[FEATURES.index(name)] = b
    p_head, p_body = heading_probabilities([heading, body])
    assert p_head > 0.5 > p_body

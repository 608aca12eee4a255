"""Seeing extractions on the page: the audit report (`review-extract report`, `run/batch --report`)
and the stage drawing debugger (`inspect --draw`). One renderer serves both:

- render.py  PyMuPDF page images in upright coordinates, boxes per class, legend, span crops
- boxes.py   what to draw, from a run folder or from one stage's output
- judge.py   records marked TP/FP (and misses) by the project's evaluator
- html.py    the self-contained HTML shell: inline CSS, sortable/filterable/paged tables
- audit.py   one run's report;  index.py, batch.py  the batch index;  draw.py  the debugger's PNGs
"""

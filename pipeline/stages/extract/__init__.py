"""Stage 6, extract: record candidates (plain dicts shaped like schemas.records) from the tagged document.

stage.py composes; units.py lists the text units; prose.py and table_records.py turn a block or a
table into records with the extractors registries.py, trials.py, endpoints.py, percentages.py.
"""
from pipeline.stages.extract.stage import extract
from pipeline.stages.extract.units import ordered_units

__all__ = ["extract", "ordered_units"]

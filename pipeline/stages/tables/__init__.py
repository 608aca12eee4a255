"""Stage 3, tables: captions locate tables (locate.py), text segments (segments.py), the grid reader (grid.py)."""
from pipeline.stages.tables.locate import find_tables

__all__ = ["find_tables"]

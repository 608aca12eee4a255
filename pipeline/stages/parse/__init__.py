"""Stage 1, parse: the only stage that reads the PDF (reader.py); PyMuPDF's table finder (table_finder.py)."""
from pipeline.stages.parse.reader import parse

__all__ = ["parse"]

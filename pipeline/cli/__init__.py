"""The command line: one module per command, each a thin layer over the library (as spaCy's cli/)."""
from pipeline.cli.main import main

__all__ = ["main"]

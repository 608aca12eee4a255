"""Stage 5, tag: sentences (sentences.py), abbreviations (abbrev.py), entities (tagger.py over pipeline.ner)."""
from pipeline.stages.tag.tagger import tag

__all__ = ["tag"]

"""Stage 4, segment: front matter, section tree, paragraphs, captions, references."""
from pipeline.stages.segment.segmenter import segment

__all__ = ["segment"]

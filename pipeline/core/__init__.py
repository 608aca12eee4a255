"""Helpers shared by the stages: geometry, text normalization, hyphenation, provenance, atomic writes."""

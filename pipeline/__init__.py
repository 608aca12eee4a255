"""review-extract: biomedical review PDFs to validated, provenance-carrying records."""
__version__ = "0.1.0"

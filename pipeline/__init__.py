"""review-extract: biomedical review PDFs to validated, provenance-carrying records.

    from pipeline import extract
    result = extract("review.pdf")          # an ExtractionResult (pydantic)
    result.records.trials[0].id             # 'NCT03504397'
"""
__version__ = "0.1.0"


def extract(path, settings=None, *, raise_errors: bool = False):
    from pipeline.run import extract as _extract

    return _extract(path, settings, raise_errors=raise_errors)


def extract_to(path, outdir, settings=None):
    from pipeline.api import extract_to as _extract_to

    return _extract_to(path, outdir, settings)


def __getattr__(name):
    if name == "Settings":
        from pipeline.settings import Settings

        return Settings
    raise AttributeError(name)

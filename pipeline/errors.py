"""The project's own error types: one line of message, never a traceback for the user."""
from __future__ import annotations


class ReviewExtractError(Exception):
    """Base of every error the pipeline raises on purpose for a bad input or environment."""

    code = "error"


class InputError(ReviewExtractError):
    code = "bad_input"


class NotAPDFError(InputError):
    code = "not_pdf"


class EmptyFileError(InputError):
    code = "empty_file"


class DamagedPDFError(InputError):
    code = "damaged_pdf"


class EncryptedPDFError(InputError):
    code = "encrypted"


class NoPagesError(InputError):
    code = "no_pages"


class LimitExceededError(ReviewExtractError):
    code = "limit_exceeded"


class StageTimeoutError(LimitExceededError):
    code = "timeout"


class OutputError(ReviewExtractError):
    code = "output_error"


class OCRUnavailableError(ReviewExtractError):
    code = "ocr_unavailable"


class GoldFormatError(ReviewExtractError):
    code = "bad_gold"


class WorkerCrashedError(ReviewExtractError):
    """A batch worker process died while on a file (segfault, out-of-memory kill)."""

    code = "worker_crashed"

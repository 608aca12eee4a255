"""Batch processing: many PDFs, executors (local pool, Dask), outcome log, corpus tables."""

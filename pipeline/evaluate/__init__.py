"""Scoring exported runs against gold files (`review-gold/1`)."""

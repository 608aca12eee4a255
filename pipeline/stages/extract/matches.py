"""Choosing among overlapping matches found by several patterns."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Match(Protocol):
    start: int
    end: int


M = TypeVar("M", bound=_Match)


def earliest_longest(found: Iterable[M]) -> list[M]:
    """In text order, without overlaps: the earliest match wins, then the longest."""
    out: list[M] = []
    for f in sorted(found, key=lambda x: (x.start, -(x.end - x.start))):
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out

"""Functions the bounded-worker tests run in a child process (importable there: no test imports)."""
from __future__ import annotations


def allocate_mb(mb: int) -> int:
    """Hold `mb` MiB at once; returns how many blocks it got."""
    blocks = [bytearray(1 << 20) for _ in range(mb)]
    return len(blocks)

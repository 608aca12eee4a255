"""Output folder names for `run` and `batch`: safe for any file name, unique in a run, stable across runs.

A folder is named after its PDF's stem, made safe: leading dots become `_` (a stem of `.`
or `..` would be OUTDIR itself or its parent; a hidden name would look like a staging
leftover), control characters become `_`, and a name longer than NAME_BYTES is cut and
given a hash. A name that is one of the batch's own entries (`corpus`, `batch.jsonl`, ...)
or looks like a staging leftover, or that two different inputs of the run share
(case-insensitively), gets `<stem>-<first 8 hex of sha256 of the resolved input path>`.
Of the inputs sharing a stem, the one that already owns the plain folder (its manifest
records the same bytes) keeps it; otherwise the first by resolved path takes it, so that a
file joining a later run never renames an existing folder. The chosen name is recorded in
the folder's manifest (`output`).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

NAME_BYTES = 200  # staging siblings add ~20 bytes; file names stop at 255
RESERVED = {"corpus", "batch.jsonl", "batch-summary.json", ".batch.lock"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f/\\]")


def path_hash(path: str | Path) -> str:
    try:
        key = str(Path(path).resolve())
    except (OSError, RuntimeError):  # a symlink loop
        key = str(Path(path).absolute())
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def safe_stem(file_name: str) -> str:
    """The folder-safe stem of a file name: never empty, never starting with a dot, at most NAME_BYTES."""
    name = file_name[:-4] if file_name.lower().endswith(".pdf") else Path(file_name).stem or file_name
    name = _CONTROL.sub("_", name)
    bare = name.lstrip(".")
    name = "_" * (len(name) - len(bare)) + bare
    name = name.rstrip(" ") or "_"
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) > NAME_BYTES:
        digest = hashlib.sha256(raw).hexdigest()[:8]
        name = raw[: NAME_BYTES - 9].decode("utf-8", "ignore") + "-" + digest
    return name.encode("utf-8", "replace").decode("utf-8") if _unencodable(name) else name


def _unencodable(name: str) -> bool:
    try:
        name.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def is_reserved(name: str) -> bool:
    low = name.lower()
    return low in RESERVED or low.endswith((".partial", ".tmp", ".lock")) or ".old-" in low


def _owner_sha(outdir: Path, name: str) -> str | None:
    """sha256 recorded by an existing output folder, "" if the name is taken by something else, None if free."""
    p = outdir / name
    if not p.exists() and not p.is_symlink():
        return None
    try:
        m = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
        return str(m.get("sha256") or "") if isinstance(m, dict) and not p.is_symlink() else ""
    except (OSError, ValueError):
        return ""


def assign_names(items: Iterable[tuple[Path, str | None]], outdir: str | Path) -> list[str]:
    """Folder names for (input path, sha256 of its bytes or None), in the given order.

    Inputs with the same stem and the same bytes share a folder (the caller treats them as one
    document); every other pair of inputs gets two different names."""
    items = list(items)
    outdir = Path(outdir)
    names: list[str] = [""] * len(items)
    groups: dict[str, list[int]] = {}
    for i, (path, _) in enumerate(items):
        groups.setdefault(safe_stem(path.name).casefold(), []).append(i)
    for idxs in groups.values():
        stem = safe_stem(items[idxs[0]][0].name)
        order = sorted(idxs, key=lambda i: (str(_resolved(items[i][0])), i))
        distinct = {_resolved(items[i][0]) for i in idxs}
        owner = _owner_sha(outdir, stem)
        take = None  # the input that takes the plain name
        if not is_reserved(stem):
            if owner:
                take = next((i for i in order if items[i][1] == owner), None)
            if take is None and owner is None:
                take = order[0]
            elif take is None and owner and len(distinct) == 1 and \
                    not (outdir / f"{stem}-{path_hash(items[order[0]][0])}").exists():
                take = order[0]  # one input rerun after an edit: its folder is updated
        first: dict[str, str] = {}  # same bytes under one stem: one document, one folder
        for i in sorted(order, key=lambda i: i != take):
            path, sha = items[i]
            if sha is not None and sha in first:
                names[i] = first[sha]
                continue
            names[i] = stem if i == take else f"{stem}-{path_hash(path)}"
            if sha is not None:
                first[sha] = names[i]
    seen: dict[str, str | None] = {}
    for i, (path, sha) in enumerate(items):  # a stem that happens to equal another's hashed name
        key = names[i].casefold()
        if key in seen and (sha is None or seen[key] != sha):
            names[i] = f"{names[i]}-{path_hash(path)}"
            key = names[i].casefold()
        seen[key] = sha
    return names


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()

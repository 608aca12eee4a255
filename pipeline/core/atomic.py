"""Atomic writes: a file or folder appears whole under its final name, or not at all."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputError


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


_OUTPUT_SUFFIXES = (".json", ".jsonl", ".csv", ".parquet")


def foreign_content(folder: Path, need_manifest: bool = True) -> str | None:
    """Why `folder` is not something review-extract wrote (None if it is): an output folder (or
    a staging leftover of one) is a real folder holding only regular record files, and, when
    complete, manifest.json."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return "it is not a folder"
    try:
        entries = list(os.scandir(folder))
    except OSError as e:
        raise OutputError(f"cannot read {folder}: {e.strerror or e}") from None
    if need_manifest and entries and not any(e.name == "manifest.json" for e in entries):
        return "it has no manifest.json"
    for e in entries:
        if not e.is_file(follow_symlinks=False) or not e.name.endswith(_OUTPUT_SUFFIXES):
            return f"it holds {e.name!r}, which review-extract did not write"
    return None


def check_replaceable(final: Path) -> None:
    """Raise OutputError unless `final` is free or an output folder this tool wrote (see
    foreign_content). Anything else (the output folder itself, a user's folder, a symlink, a
    folder holding a PDF) is never replaced."""
    final = Path(final)
    if final.name in ("", ".", "..") or final.name.startswith("."):
        raise OutputError(f"refusing to write output folder {final}: not a safe folder name")
    if not final.exists() and not final.is_symlink():
        return
    why = foreign_content(final)
    if why:
        raise OutputError(f"{final} exists and is not an output folder of review-extract ({why}); "
                          "left untouched, nothing written")


@contextmanager
def staged_dir(final: Path):
    """Yield a temporary sibling folder; on success it replaces `final` in one rename
    (only when `final` is free or an output folder: see check_replaceable)."""
    final = Path(final)
    check_replaceable(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
    except OSError as e:
        raise OutputError(f"cannot write to {final.parent}: {e.strerror or e}") from None
    try:
        yield tmp
        old = None
        check_replaceable(final)  # again: it may have changed while the files were written
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write {final}: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_dir(final: Path, files: dict[str, bytes], last: str | None = None) -> Path:
    """Write `files` into a staged sibling folder, synced, `last` (the manifest) written last,
    then put it in place of `final` in one rename. A kill at any point leaves either the old
    folder, or the new one whole, or no folder plus a `.<name>.*.partial` / `.<name>.old-*`
    leftover (never a half-written folder under the final name)."""
    final = Path(final)
    names = [n for n in files if n != last] + ([last] if last in files else [])
    with staged_dir(final) as tmp:
        for name in names:
            fd = os.open(tmp / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view = memoryview(files[name])
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(tmp)
    _fsync_dir(final.parent)
    return final


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

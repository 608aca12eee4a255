"""Reading gold files and exported runs: one-line errors, run folders, gold stems."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.errors import GoldFormatError, InputError
from schemas.gold import GOLD_FORMAT, GoldFile
from schemas.kinds import DOCUMENT_FILE, RECORD_FILES

RUN_FILES = RECORD_FILES


GOLD_SUFFIX = ".gold.json"


def _loc(loc: tuple) -> str:
    """("trials", 3, "id") -> "gold.trials[3].id"."""
    out = "gold"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _message(err: dict) -> str:
    if err["type"] == "missing":
        return "field required"
    if err["type"] == "literal_error" and err["loc"] == ("format",):
        return f"must be {GOLD_FORMAT!r}, got {err.get('input')!r}"
    msg = str(err["msg"])
    msg = re.sub(r"^(Value|Assertion) error, ", "", msg)
    return msg[:1].lower() + msg[1:]


def gold_error(exc: ValidationError, name: str = "gold") -> GoldFormatError:
    errors = exc.errors()
    first = errors[0]
    more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return GoldFormatError(f"{name}: {_loc(first['loc'])}: {_message(first)}{more}")


def parse_gold(data: Any, name: str = "gold") -> GoldFile:
    """Validate an already-parsed gold object."""
    if not isinstance(data, dict):
        raise GoldFormatError(f"{name}: gold: expected a JSON object, got {type(data).__name__}")
    try:
        return GoldFile.model_validate(data)
    except ValidationError as exc:
        raise gold_error(exc, name) from None
    except RecursionError:
        raise GoldFormatError(f"{name}: gold: nested too deeply to be a gold file") from None


def load_gold(path: str | os.PathLike) -> GoldFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldFormatError(f"{path}: gold file not found") from None
    except IsADirectoryError:
        raise GoldFormatError(f"{path}: is a directory, not a gold file") from None
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot read gold file ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise GoldFormatError(f"{path}: JSON nested too deeply to be a gold file") from None
    return parse_gold(data, str(path))


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n}: invalid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise InputError(f"{path}: line {n}: expected a JSON object")
            out.append(rec)
    return out


def load_run(run_dir: str | os.PathLike) -> dict[str, list[dict]]:
    """The exported records of one run, as plain dicts.

    A run folder needs its manifest.json; every file the manifest lists (`checksums`, written
    by export) must be there with the recorded sha256, so that an empty, incomplete or damaged
    run is a usage error naming what is wrong, never an F1 of 0. A record file that a
    manifest without checksums does not list counts as empty."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError(f"{run_dir}: run folder not found")
    check_run(run_dir)
    run: dict[str, list[dict]] = {}
    for kind, name in RUN_FILES.items():
        path = run_dir / name
        if kind == "tables":
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
                if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
                    raise InputError(f"{path}: expected a JSON list of table objects")
                run[kind] = data
            elif (run_dir / "tables.jsonl").is_file():
                run[kind] = _read_jsonl(run_dir / "tables.jsonl")
            else:
                run[kind] = []
        else:
            run[kind] = _read_jsonl(path) if path.is_file() else []
    run["document"], run["references"] = _read_document(run_dir / DOCUMENT_FILE)
    return run


def _read_document(path: Path) -> tuple[list[dict], list[dict]]:
    """The front matter (as a one-item list) and the reference entries of document.json."""
    if not path.is_file():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object")
    front = data.get("front") if isinstance(data.get("front"), dict) else None
    refs = data.get("references") if isinstance(data.get("references"), list) else []
    return ([front] if front else []), [r for r in refs if isinstance(r, dict)]


def check_run(run_dir: Path) -> None:
    """Raise InputError unless run_dir holds a manifest and every file it lists, intact."""
    import hashlib

    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        raise InputError(f"{run_dir}: not a complete run: manifest.json is missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable manifest ({type(exc).__name__})") from None
    if not isinstance(manifest, dict):
        raise InputError(f"{path}: expected a JSON object")
    sums = manifest.get("checksums") or {}
    missing = sorted(n for n in sums if not (Path(run_dir) / n).is_file())
    if missing:
        raise InputError(f"{run_dir}: not a complete run: missing {', '.join(missing)}")
    for name, want in sorted(sums.items()):
        if hashlib.sha256((Path(run_dir) / name).read_bytes()).hexdigest() != want:
            raise InputError(f"{run_dir}/{name}: damaged: its sha256 differs from the manifest's")


def read_manifest(run_dir: Path) -> dict:
    try:
        data = json.loads((Path(run_dir) / "manifest.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def gold_stem(path: Path) -> str:
    name = path.name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else path.stem


def is_run_dir(path: Path) -> bool:
    return path.is_dir() and (
        (path / "manifest.json").is_file() or any((path / f).is_file() for f in RUN_FILES.values()))


def find_run_dirs(outdir: Path) -> dict[str, Path]:
    """Run folders by PDF stem: the folder's name, or the stem of its manifest's "file"."""
    found: dict[str, Path] = {}
    if not outdir.is_dir():
        return found
    dirs = sorted(p for p in outdir.iterdir() if not p.name.startswith(".") and is_run_dir(p))
    for d in dirs:
        found[d.name] = d
    for d in dirs:
        f = read_manifest(d).get("file")
        if isinstance(f, str) and f:
            found.setdefault(Path(f).stem, d)
    return found

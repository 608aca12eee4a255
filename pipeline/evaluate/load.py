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
from schemas.kinds import RECORD_FILES

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
    """The exported records of one run, as plain dicts; a missing file is an empty list."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise InputError(f"{run_dir}: run folder not found")
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
    return run


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

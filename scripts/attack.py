"""Run the hostile set (issue 12) through the real CLI and print one row per case:
case, outcome, rc, seconds, peak MB (the largest peak RSS of the command and of every process
under it: its own from wait4, its workers' VmHWM read from /proc every 50 ms while they run).

    .venv/bin/python scripts/attack.py [--max-memory-mb 4096] [--no-dask] [--json FILE]

Each case builds its input in a fresh temporary folder (tests/support/badpdf.py), runs one
command with a 180 s guard, and is judged on: the exit code it must give, no traceback on
stderr, nothing outside the output folder changed (data loss), and peak RSS under the bound.
Exit code 0 when every case passes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT))
import badpdf  # noqa: E402

CLI = [sys.executable, "-m", "pipeline.cli"]  # this checkout's code, whatever is installed
GUARD_S = 180
SAMPLE_S = 0.05


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p == skip or skip in p.parents:
            continue
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            out[str(p.relative_to(root))] = "special"
        else:
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree_hwm_kb(root: int) -> float:
    """The largest VmHWM (peak RSS) of the processes under `root` (the fork server and its workers)."""
    kids = _children()
    best, todo = 0.0, list(kids.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        best = max(best, float(line.split()[1]))
        except (OSError, ValueError):
            pass
    return best


def run(cmd: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """(rc, seconds, peak MB, stderr); rc -9 when the guard killed it (a hang)."""
    t0 = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = b""
    peak_kb = 0.0
    while True:
        left = t0 + GUARD_S - time.monotonic()
        if left <= 0:
            p.kill()
            break
        peak_kb = max(peak_kb, _tree_hwm_kb(p.pid))
        ready, _, _ = select.select([p.stderr], [], [], min(left, SAMPLE_S))
        if ready:
            chunk = os.read(p.stderr.fileno(), 65536)
            if not chunk:
                break
            err += chunk
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.monotonic() - t0, max(ru.ru_maxrss, peak_kb) / 1024, err.decode("utf-8", "replace")


def cases(mem: int, dask: bool):
    """(case, files to build {relative path: bytes | 'fifo' | 'devzero' | 'dir'}, command, expected rc, output dir)."""
    seed = badpdf.SEED.read_bytes()
    txt = badpdf.text_pdf()
    m = ["--no-ner", "--max-memory-mb", str(mem)]
    gold = str(ROOT / "fixtures" / "gold" / "seed-review.gold.json")
    yield "name ..pdf, -o its own folder", {"t/..pdf": txt, "t/keep.txt": b"x"}, ["run", "t/..pdf", "-o", "t", *m], 0, "t/_"
    yield "name ...pdf", {"...pdf": txt}, ["run", "...pdf", "-o", "out", *m], 0, "out"
    yield "name .hidden.pdf", {".hidden.pdf": txt}, ["run", ".hidden.pdf", "-o", "out", *m], 0, "out"
    yield "name 255 bytes", {("a" * 251) + ".pdf": txt}, ["run", ("a" * 251) + ".pdf", "-o", "out", *m], 0, "out"
    yield "batch: corpus.pdf, batch.jsonl.pdf", {"in/corpus.pdf": txt, "in/batch.jsonl.pdf": txt, "in/x.partial.pdf": txt}, \
        ["batch", "in", "-o", "out", "--workers", "1", "--quiet", *m], 0, "out"
    yield "user folder named like the stem", {"x.pdf": txt, "out/x/notes.txt": b"mine"}, \
        ["run", "x.pdf", "-o", "out", *m], 0, "out/x-"
    yield "input inside its output folder", {"out/x/x.pdf": txt, "out/x/manifest.json": b"{}"}, \
        ["run", "out/x/x.pdf", "-o", "out", *m], 0, "out/x-"
    yield "same stem a/x.pdf b/x.pdf", {"a/x.pdf": txt, "b/x.pdf": badpdf.text_pdf(pages=2)}, \
        ["run", "a/x.pdf", "b/x.pdf", "-o", "out", *m], 0, "out"
    yield "drawing bomb 1 MB -> 512 MiB", {"draw.pdf": badpdf.drawing_bomb(512)}, ["run", "draw.pdf", "-o", "out", *m], 1, "out"
    yield "text bomb -> 256 MiB", {"text.pdf": badpdf.text_bomb(256)}, ["run", "text.pdf", "-o", "out", *m], 1, "out"
    yield "drawing bomb, batch", {"in/draw.pdf": badpdf.drawing_bomb(512), "in/ok.pdf": txt}, \
        ["batch", "in", "-o", "out", "--workers", "1", "--quiet", *m], 1, "out"
    yield "drawing bomb, inspect", {"draw.pdf": badpdf.drawing_bomb(512)}, ["inspect", "draw.pdf", "--stage", "parse", *m], 1, "none"
    yield "600k paths under a caption", {"paths.pdf": badpdf.drawing_bomb(8)}, ["run", "paths.pdf", "-o", "out", *m], 0, "out"  # read, vector art ignored with a warning
    yield "FIFO, run", {"f.pdf": "fifo"}, ["run", "f.pdf", "-o", "out", *m], 1, "out"
    yield "FIFO, inspect", {"f.pdf": "fifo"}, ["inspect", "f.pdf", "--stage", "parse", *m], 1, "none"
    yield "symlink to /dev/zero, run", {"z.pdf": "devzero"}, ["run", "z.pdf", "-o", "out", *m], 1, "out"
    yield "symlink to /dev/zero, batch", {"z.pdf": "devzero"}, ["batch", "z.pdf", "-o", "out", "--quiet", *m], 2, "out"
    yield "a folder, inspect", {"d.pdf": "dir"}, ["inspect", "d.pdf", "--stage", "parse", *m], 1, "none"
    yield "/Count 2^31", {"c.pdf": badpdf.page_count(b"2147483647")}, ["inspect", "c.pdf", "--stage", "parse", *m], 1, "none"
    yield "/Count -3", {"c.pdf": badpdf.page_count(b"-3")}, ["run", "c.pdf", "-o", "out", *m], 1, "out"
    yield "--max-pages 0", {"x.pdf": txt}, ["run", "x.pdf", "-o", "out", "--max-pages", "0"], 2, "out"
    yield "--time-limit -5", {"x.pdf": txt}, ["run", "x.pdf", "-o", "out", "--time-limit", "-5"], 2, "out"
    yield "time limit 0.05 s", {"x.pdf": seed}, ["run", "x.pdf", "-o", "out", "--time-limit", "0.05", *m], 1, "out"
    yield "time limit 0.05 s, inspect", {"x.pdf": seed}, \
        ["inspect", "x.pdf", "--stage", "tag", "--time-limit", "0.05", *m], 1, "none"
    yield "time limit 0.05 s, batch", {"in/x.pdf": seed}, \
        ["batch", "in", "-o", "out", "--workers", "1", "--time-limit", "0.05", "--quiet", *m], 1, "out"
    yield "--max-memory-mb 1", {"x.pdf": txt}, ["inspect", "x.pdf", "--stage", "parse", "--max-memory-mb", "1"], 2, "none"
    yield "bench on HTML", {"x.pdf": badpdf.html_error_page()}, ["bench", "x.pdf", "--no-alternatives", "--runs", "1", "--warmup", "0"], 1, "none"
    yield "bench on encrypted", {"x.pdf": badpdf.encrypted()}, ["bench", "x.pdf", "--no-alternatives", "--runs", "1", "--warmup", "0"], 1, "none"
    yield "bench on truncated", {"x.pdf": badpdf.truncated(keep=0.3)}, ["bench", "x.pdf", "--no-alternatives", "--runs", "1", "--warmup", "0"], 1, "none"
    yield "eval on an empty folder", {"run/.keep": b""}, ["eval", "run", gold], 2, "none"
    incomplete = json.dumps({"file": "x.pdf", "checksums": {"trials.jsonl": "0" * 64}}).encode()
    yield "eval on a run missing trials.jsonl", {"run/manifest.json": incomplete}, ["eval", "run", gold], 2, "none"
    yield "eval on deep gold JSON", {"run/.keep": b"", "g.gold.json": b"[" * 200000 + b"]" * 200000}, ["eval", "run", "g.gold.json"], 2, "none"
    for name, data, rc in (("HTML page", badpdf.html_error_page(), 1), ("PNG", badpdf.png_bytes(), 1),
                           ("empty", b"", 1), ("truncated", badpdf.truncated(keep=0.5), 1),
                           ("encrypted", badpdf.encrypted(), 1), ("no pages", badpdf.zero_pages(), 1),
                           ("damaged xref", badpdf.damaged_xref(), 0)):
        yield f"{name}, run", {"x.pdf": data}, ["run", "x.pdf", "-o", "out", *m], rc, "out"
    if dask:
        yield "dask, time limit 0.05 s", {"in/a.pdf": seed, "in/b.pdf": txt}, \
            ["batch", "in", "-o", "out", "--executor", "dask", "--workers", "1", "--time-limit", "0.05", "--quiet", *m], 1, "out"


def build(root: Path, files: dict) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if data == "fifo":
            os.mkfifo(p)
        elif data == "devzero":
            p.symlink_to("/dev/zero")
        elif data == "dir":
            p.mkdir()
        else:
            p.write_bytes(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-memory-mb", type=int, default=4096)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    rows = []
    print(f"{'case':<40} {'outcome':<10} {'rc':>3} {'seconds':>8} {'peak MB':>8}")
    for case, files, cmd, want_rc, out in cases(args.max_memory_mb, not args.no_dask):
        with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
            root = Path(tmp)
            build(root, files)
            outdir = root / out.split("/")[0] if out != "none" else root / "\0none"
            before = snapshot(root, outdir)
            if out.startswith("t/"):  # the output folder is the input's own folder: everything there must stay
                before = snapshot(root, root / "t" / "_")
            rc, secs, peak, err = run(CLI + cmd, root)
            after = snapshot(root, root / "t" / "_" if out.startswith("t/") else outdir)
            lost = before != after
            traceback = "Traceback" in err
            hang = rc == -9
            if out == "out/x-":  # the user's folder and the input must be untouched, the output named apart
                lost = lost or not any(p.name.startswith("x-") for p in (root / "out").iterdir())
                lost = lost or ((root / "out" / "x" / "notes.txt").exists() and
                                (root / "out" / "x" / "notes.txt").read_bytes() != b"mine")
            ok = rc == want_rc and not (lost or traceback or hang) and peak < args.max_memory_mb
            outcome = "pass" if ok else "hang" if hang else "traceback" if traceback else "DATA LOSS" if lost else f"rc!={want_rc}"
            last = [ln for ln in err.splitlines() if ln.strip()][-1:] or [""]
            rows.append({"case": case, "outcome": outcome, "rc": rc, "seconds": round(secs, 1), "peak_mb": round(peak),
                         "lost": lost, "hang": hang, "traceback": traceback, "message": last[0][:160]})
            print(f"{case:<40} {outcome:<10} {rc:>3} {secs:>8.1f} {peak:>8.0f}", flush=True)
    total = {"cases": len(rows), "pass": sum(r["outcome"] == "pass" for r in rows),
             "data_loss": sum(r["lost"] for r in rows), "hangs": sum(r["hang"] for r in rows),
             "tracebacks": sum(r["traceback"] for r in rows), "max_peak_mb": max(r["peak_mb"] for r in rows),
             "bound_mb": args.max_memory_mb}
    print("totals: " + ", ".join(f"{k} {v}" for k, v in total.items()))
    if args.json:
        Path(args.json).write_text(json.dumps({"totals": total, "cases": rows}, indent=1) + "\n")
    return 0 if total["pass"] == total["cases"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""The audit report in a real browser (headless Chromium over the DevTools protocol) and the
stage drawing debugger's PNGs."""
from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from pipeline.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SEED_RUN = ROOT / "outputs" / "seed-review"
SEED_PDF = ROOT / "fixtures" / "pdfs" / "seed-review.pdf"
SEED_GOLD = ROOT / "fixtures" / "gold" / "seed-review.gold.json"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _cli(*args: str) -> subprocess.CompletedProcess:
    """The command in a fresh process: `inspect` forks a bounded worker, and a fork taken after this
    test process has run the pipeline in-process (thread pools alive) can hang."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli.main", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


class Browser:
    """Just enough of the DevTools protocol: evaluate JS, collect console errors, screenshot."""

    def __init__(self, exe: str, profile: str):
        import websocket  # websocket-client

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                      f"--remote-debugging-port={port}", "--window-size=1440,900", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=1) as r:
                    pages = [t for t in json.load(r) if t.get("type") == "page"]
                if pages:
                    url = pages[0]["webSocketDebuggerUrl"]
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if url is None:
            self.close()
            raise RuntimeError("chromium did not open its DevTools port")
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method: str, timeout: float = 60) -> None:
        end = time.time() + timeout
        if any(e.get("method") == method for e in self.events):
            return
        while time.time() < end:
            msg = json.loads(self.ws.recv())
            self.events.append(msg)
            if msg.get("method") == method:
                return
        raise TimeoutError(method)

    def eval(self, expr: str):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"JS error: {r['exceptionDetails']}")
        return r["result"].get("value")

    def console_errors(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(json.dumps(p.get("args"))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "")[:300])
        return out

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    code = main(["report", str(SEED_RUN), "--gold", str(SEED_GOLD), "--pdf", str(SEED_PDF), "-o", str(out)])
    assert code == 0
    return out


def test_report_is_self_contained_and_small(seed_report):
    text = seed_report.read_text(encoding="utf-8")
    assert seed_report.stat().st_size < 5_000_000
    # nothing fetched from anywhere: no http(s) URLs in src/href, no external script or font
    assert "src=\"http" not in text and "href=\"http" not in text and "@font-face" not in text
    assert "<script src" not in text
    assert text.count("data:image/webp;base64,") >= 13  # at least the page views


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium with apt-get where it can)")
    pytest.importorskip("websocket", reason="websocket-client (test extra) is not installed")
    with tempfile.TemporaryDirectory(prefix="rx-chromium-") as profile:
        b = Browser(exe, profile)
        try:
            yield b
        finally:
            b.close()


def test_report_in_headless_chromium(seed_report, browser):
    b = browser
    b.send("Runtime.enable")
    b.send("Log.enable")
    b.send("Page.enable")
    b.send("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
    b.send("Page.navigate", url=seed_report.as_uri())
    b.wait_event("Page.loadEventFired")
    assert b.eval("document.readyState") == "complete"

    # the tables hold the records: one row per record in each kind's file
    for kind, name in (("trials", "trials.jsonl"), ("endpoints", "endpoints.jsonl"),
                       ("percentages", "percentages.jsonl"), ("entities", "entities.jsonl")):
        n = sum(1 for line in (SEED_RUN / name).read_text().splitlines() if line.strip())
        rows = b.eval(f"document.querySelectorAll('#t-{kind} tbody tr:not(.fn)').length")
        assert rows == n, kind
    ids = b.eval("Array.from(document.querySelectorAll('#t-trials tbody tr')).map(r => r.cells[2].textContent)")
    first = json.loads((SEED_RUN / "trials.jsonl").read_text().splitlines()[0])["id"]
    assert first in ids
    # the seed gold file: every trial a true positive, the abbreviation it lacks shown as a miss
    assert b.eval("document.querySelectorAll('#t-trials tr.tp').length") == len(ids)
    assert b.eval("document.querySelectorAll('#t-abbreviations tr.fn').length") >= 1

    # every image decoded
    imgs = b.eval("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(imgs) > 100
    assert all(done and w > 0 for done, w in imgs), [i for i in imgs if not i[1]][:5]

    # filtering: typing a registry id leaves only its row visible; clearing restores all
    shown_rows = "Array.from(document.querySelectorAll('#t-trials tbody tr')).filter(r => r.style.display !== 'none')"
    visible = f"{shown_rows}.length"
    b.eval(f"(() => {{const f = document.querySelector('input.rx-filter[data-for=\"t-trials\"]'); f.value = {json.dumps(first)};"
           "f.dispatchEvent(new Event('input')); })()")
    # its own row, plus any trial whose sentence also prints that id
    assert 1 <= b.eval(visible) < len(ids)
    assert first in b.eval(f"{shown_rows}.map(r => r.cells[2].textContent)")
    assert b.eval(f"{shown_rows}.every(r => r.textContent.includes({json.dumps(first)}))")
    b.eval("(() => {const f = document.querySelector('input.rx-filter[data-for=\"t-trials\"]'); f.value = '';"
           "f.dispatchEvent(new Event('input')); })()")
    assert b.eval(visible) == len(ids)
    # the status menu filters too: no false positive among the trials
    b.eval("(() => {const s = document.querySelector('select.rx-status[data-for=\"t-endpoints\"]');"
           "s.value = 'tp'; s.dispatchEvent(new Event('change')); })()")
    shown = "Array.from(document.querySelectorAll('#t-endpoints tbody tr')).filter(r => r.style.display !== 'none')"
    assert b.eval(f"{shown}.every(r => r.classList.contains('tp'))")
    # sorting by value: the first row's value is the smallest
    b.eval("document.querySelectorAll('#t-endpoints th')[4].click()")
    vals = b.eval(f"{shown}.map(r => parseFloat(r.cells[4].textContent))")
    assert vals == sorted(vals)

    b.eval("(() => { const s = document.querySelector('select.rx-status[data-for=\"t-endpoints\"]'); s.value = '';"
           "s.dispatchEvent(new Event('change')); document.getElementById('trials').scrollIntoView(); })()")
    shot = b.send("Page.captureScreenshot", format="png")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))
    assert Image.open(SCREENSHOT).size == (1440, 900)
    assert b.console_errors() == []


def test_draw_pngs_have_page_aspect_and_boxes(tmp_path):
    import pymupdf

    out = tmp_path / "draw"
    r = _cli("inspect", str(SEED_PDF), "--stage", "segment", "--no-ner", "--draw", str(out))
    assert r.returncode == 0, r.stderr
    pngs = sorted(out.glob("*.png"))
    doc = pymupdf.open(SEED_PDF)
    assert len(pngs) == doc.page_count
    for i, png in enumerate(pngs):
        img = Image.open(png)
        page = doc[i]
        assert abs(img.width / img.height - page.rect.width / page.rect.height) < 0.01, png.name
        pix = page.get_pixmap(matrix=pymupdf.Matrix(img.width / page.rect.width, img.width / page.rect.width))
        bare = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
        if bare.size != img.size:
            bare = bare.resize(img.size)
        diff = ImageChops.difference(img.convert("RGB"), bare).convert("L").point(lambda v: 255 if v > 60 else 0)
        assert diff.getbbox() is not None, f"{png.name}: nothing drawn"
        assert sum(diff.histogram()[255:]) > 500, png.name


def test_draw_turns_rotated_pages_upright(tmp_path):
    pdf = ROOT / "fixtures" / "pdfs" / "synthetic-lancet-trial.pdf"
    out = tmp_path / "draw"
    r = _cli("inspect", str(pdf), "--stage", "tables", "--draw", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads((ROOT / "outputs" / "synthetic-lancet-trial" / "document.json").read_text())
    for p in doc["pages"]:
        img = Image.open(out / f"page-{p['number']:03d}.png")
        assert abs(img.width / img.height - p["width"] / p["height"]) < 0.01


def test_report_errors_are_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope")]) != 0
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and err.count("\n") == 1
    run = tmp_path / "run"
    shutil.copytree(SEED_RUN, run)
    assert main(["report", str(run)]) != 0  # the PDF is not next to this copy
    assert "--pdf" in capsys.readouterr().err
    shutil.copy(SEED_PDF, tmp_path / "seed-review.pdf")  # ... now it is
    assert main(["report", str(run)]) == 0
    assert (tmp_path / "run.report.html").is_file()  # beside the folder, which a rerun may then replace


def test_batch_report_writes_one_per_file_and_an_index(tmp_path):
    pdfs = [ROOT / "fixtures" / "pdfs" / f"{s}.pdf" for s in ("synthetic-registry-review", "synthetic-efficacy-review")]
    out = tmp_path / "out"
    args = ["batch", *map(str, pdfs), "-o", str(out), "--workers", "0", "--no-ner", "--quiet", "--report",
            "--gold", str(ROOT / "fixtures" / "gold")]
    r = _cli(*args)
    assert r.returncode == 0, r.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    for p in pdfs:
        assert (out / f"{p.stem}.report.html").is_file()
        assert f'href="{p.stem}.report.html"' in index
    assert "F1 trials" in index and "1.000" in index
    r = _cli(*args[:-3], "--force", "--report")  # a rerun replaces the folders: the reports sit beside them
    assert r.returncode == 0, r.stderr


def test_batch_index_of_1000_files_is_paged_and_filterable(tmp_path, browser):
    from pipeline.report.index import IndexRow, write_index

    rows = [IndexRow(file=f"papers/p{i:04d}.pdf", status="failed" if i % 50 == 0 else "ok", pages=10,
                     counts={"trials": i % 7}, report=f"p{i:04d}.report.html") for i in range(1000)]
    path = write_index(rows, tmp_path / "index.html")
    assert path.stat().st_size < 1_000_000
    b = browser
    b.events.clear()
    b.send("Page.navigate", url=path.as_uri())
    b.wait_event("Page.loadEventFired")
    visible = "Array.from(document.querySelectorAll('#t-files tbody tr')).filter(r => r.style.display !== 'none')"
    assert b.eval(f"{visible}.length") == 100
    b.eval("document.querySelector('.pager[data-for=\"t-files\"] .next').click()")
    assert b.eval(f"{visible}[0].cells[0].textContent") == "papers/p0100.pdf"
    b.eval("(() => { const s = document.querySelector('select.rx-status[data-for=\"t-files\"]'); s.value = 'failed';"
           "s.dispatchEvent(new Event('change')); })()")
    assert b.eval(f"{visible}.length") == 20
    assert b.console_errors() == []

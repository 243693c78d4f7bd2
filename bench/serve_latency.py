#!/usr/bin/env python3
"""Measure the preview's edit-to-reload latency: from saving a record to the open tab showing the change.

    python bench/serve_latency.py [--questions N] [--edits K]

The shipped dossier is copied into a temporary folder; for N > 2, more question records are made by
copying the shipped ones under new numbers. `python build.py serve` runs on it in a subprocess on
127.0.0.1, Debian's Chromium (driven by Playwright) opens a question page, and the record is saved
K times; each time counts until the reloaded page (DOMContentLoaded) shows the new text.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RECORD, PAGE = "content/questions/16-qe-17941.md", "/questions/16-qe-17941/"
PHRASE = "numérique, sur la sécurité"


def make_project(folder: Path, questions: int) -> Path:
    """Copy the shipped dossier; add copies of its question records up to `questions` in all."""
    root = folder / "dossier"
    root.mkdir()
    shutil.copy(ROOT / "config.yaml", root)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    records = sorted((root / "content" / "questions").glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in records]
    for i in range(max(0, questions - len(records))):
        numero = 100_000 + i
        text = re.sub(r"^numero: \d+$", f"numero: {numero}", texts[i % len(texts)], count=1, flags=re.M)
        (root / "content" / "questions" / f"16-qe-{numero}.md").write_text(text, encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"serve exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=timeout):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing answered at {url} within {timeout:.0f} s")


def measure(page, record: Path, edits: int, timeout_ms: float) -> list[float]:
    """Save the record `edits` times; return the seconds each took to show in the page."""
    good = record.read_text(encoding="utf-8")
    latencies = []
    for n in range(edits):
        marker = f"(mesure {n})"
        with page.expect_event("domcontentloaded", timeout=timeout_ms):
            start = time.perf_counter()
            record.write_text(good.replace(PHRASE, f"{PHRASE} {marker}", 1), encoding="utf-8")
        shown = time.perf_counter()
        while marker not in (page.locator("main").text_content(timeout=timeout_ms) or ""):  # an older save's reload
            page.wait_for_event("domcontentloaded", timeout=timeout_ms)
            shown = time.perf_counter()
        latencies.append(shown - start)
        time.sleep(1.0)  # let the server settle before the next save
    return latencies


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--questions", type=int, default=2, help="question records in the dossier (default: 2)")
    options.add_argument("--edits", type=int, default=7, help="saves to measure (default: 7)")
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        root = make_project(Path(tmp), args.questions)
        port = free_port()
        proc = subprocess.Popen([sys.executable, "build.py", "serve", "-q", "--config", str(root / "config.yaml"),
                                 "--port", str(port)], cwd=ROOT)
        try:
            started = time.perf_counter()
            wait_until_serving(proc, f"http://127.0.0.1:{port}/", timeout=600)
            print(f"{args.questions} questions: first build and start in {time.perf_counter() - started:.1f} s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}{PAGE}")
                time.sleep(1.0)  # the reload socket connects after the page loads
                latencies = measure(page, root / RECORD, args.edits, timeout_ms=600_000)
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    ms = sorted(round(s * 1000) for s in latencies)
    print(f"{args.questions} questions, {args.edits} edits: median edit-to-reload {statistics.median(ms):.0f} ms "
          f"(min {ms[0]}, max {ms[-1]}; all: {', '.join(map(str, ms))})")


if __name__ == "__main__":
    main()

"""The workbench's latency: from a claim file saved to the memo's preview updated in the
browser (`briefgen serve`, /preview/BRIEF/AUDIENCE), as an analyst edits with the
preview open beside the editor.

    python bench/latency.py [--edits 100] [--claims 10000]

Each edit rewrites the text of a claim the memo shows, in its claims file, as an editor
saves it; the time is from just before the write to the moment the new text is in the
page the browser shows (Playwright driving Debian's chromium; where there is none, to
the moment the event stream has told of the change and the preview fetched then holds
the new text). It reports the median and the 90th percentile of the edits, on the
example workspace and on a generated store (bench/generate.py).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGETS = {"example": 0.5, "generated": 1.0}  # seconds, the median's target


def start(workspace: Path) -> tuple[subprocess.Popen[str], str]:
    """Start `briefgen serve` on `workspace`; return it and the address it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(workspace), "--port", "0"],
        cwd=workspace,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"open (http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("briefgen serve did not start")


def editor(path: Path, ident: str) -> Callable[[int], str]:
    """Return a function that saves `path` with claim `ident`'s text reworded (its text
    on one line after the id, as the store writes it), returning the new text."""
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {ident}")
    first = next(i for i in range(at + 1, len(lines)) if lines[i].lstrip().startswith("text:"))
    last = first + 1
    while last < len(lines) and lines[last].startswith("    "):  # a folded text's lines
        last += 1

    def edit(n: int) -> str:
        words = f"Edit {n} of this claim, as an analyst rewords it"
        new = lines[:first] + [f"  text: {words}.\n"] + lines[last:]
        path.write_text("".join(new), encoding="utf-8")
        return words

    return edit


def in_browser(address: str, preview: str, edit: Callable[[int], str], edits: int) -> list[float]:
    """Time each edit until the preview in chromium shows it."""
    from playwright.sync_api import sync_playwright

    base, token = address.split("/?token=")
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(bypass_csp=True)  # Playwright's waiting runs its own script
        page.goto(f"{base}{preview}?token={token}")
        for n in range(edits):
            started = time.perf_counter()
            words = edit(n)
            page.wait_for_function(
                "text => document.body && document.body.innerText.includes(text)",
                arg=words,
                timeout=30_000,
            )
            times.append(time.perf_counter() - started)
        browser.close()
    return times


def by_events(address: str, preview: str, edit: Callable[[int], str], edits: int) -> list[float]:
    """Time each edit until the event stream tells of it and the preview holds it."""
    parts = urlsplit(address)
    token = parts.query.split("=", 1)[1]
    times = []
    for n in range(edits):
        stream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        stream.request("GET", f"/events?token={token}")
        answer = stream.getresponse()
        answer.readline()  # the stream is open: the change is after it
        started = time.perf_counter()
        words = edit(n)
        while True:
            if answer.readline().startswith(b"event: change"):
                break
        while True:
            page = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            page.request("GET", f"{preview}?token={token}")
            if words in page.getresponse().read().decode("utf-8"):
                break
        times.append(time.perf_counter() - started)
        stream.close()
    return times


def measure(workspace: Path, preview: str, path: Path, ident: str, edits: int) -> list[float]:
    process, address = start(workspace)
    try:
        edit = editor(path, ident)
        browser = Path(CHROMIUM).exists() and _has_playwright()
        run = in_browser if browser else by_events
        run(address, preview, edit, 3)  # the first previews start pandoc and warm up
        return run(address, preview, edit, edits)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def how() -> str:
    """Return how the edits are seen: in chromium, or by the event stream and a fetch."""
    return "chromium" if Path(CHROMIUM).exists() and _has_playwright() else "event stream + fetch"


def run(edits: int, claims: int) -> list[tuple[str, list[float], float]]:
    """Time `edits` edits on the example workspace and on a store of `claims` claims;
    return each workspace's name, times and target."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefgen-latency-") as tmp:
        example = Path(tmp) / "briefs"
        shutil.copytree(HERE.parent / "briefs", example, ignore=shutil.ignore_patterns("out"))
        times = measure(
            example,
            "/preview/russia-iran-weekly/analyst",
            example / "store" / "claims" / "economy.yaml",
            "trade-2023",
            edits,
        )
        rows.append(("example workspace (56 claims)", times, TARGETS["example"]))
        store = generate(Path(tmp) / "generated", claims)
        times = measure(
            store,
            "/preview/brief-00/analyst",
            store / "store" / "claims" / "claims-0000.yaml",
            "claim-0",
            edits,
        )
        rows.append((f"{claims:,} claims", times, TARGETS["generated"]))
    return rows


def report(rows: list[tuple[str, list[float], float]], edits: int) -> None:
    """Print the median, 90th percentile and slowest edit of each workspace."""
    print(f"save -> preview updated in the browser ({how()}), {edits} edits each")
    print(f"{'workspace':32} {'median':>8} {'p90':>8} {'max':>8}  target")
    for name, times, target in rows:
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        verdict = "met" if median <= target else "missed"
        print(
            f"{name:32} {median:>7.2f}s {p90:>7.2f}s {max(times):>7.2f}s  "
            f"median at most {target} s: {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    report(run(args.edits, args.claims), args.edits)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The workbench as a user starts it: `briefgen serve` in a process of its own, on a free
port, over a copy of a workspace; and Debian's chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Server:
    """A running `briefgen serve` and the address it printed."""

    process: subprocess.Popen[str]
    address: str  # http://127.0.0.1:PORT/?token=…
    workspace: Path
    reader: threading.Thread  # reads what the server prints after its address
    printed: list[str]

    @property
    def base(self) -> str:
        return self.address.split("/?", 1)[0]

    @property
    def token(self) -> str:
        return self.address.split("token=", 1)[1]

    def url(self, path: str) -> str:
        """Return the address of `path` with the token."""
        joiner = "&" if "?" in path else "?"
        return f"{self.base}{path}{joiner}token={self.token}"

    def get(
        self, path: str, token: bool = True, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """Return the status and text of GET `path`."""
        request = urllib.request.Request(
            self.url(path) if token else self.base + path, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def post(self, path: str, body: dict, header: bool = True) -> tuple[int, dict | str]:
        """Return the status and answer of a JSON POST to `path`."""
        headers = {"content-type": "application/json"}
        if header:
            headers["x-briefgen-token"] = self.token
        request = urllib.request.Request(
            self.url(path), data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8")
            try:
                return exc.code, json.loads(text)
            except ValueError:
                return exc.code, text

    def version(self) -> int:
        return int(json.loads(self.get("/api/version")[1])["version"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()


def start(workspace: Path, cwd: Path | None = None) -> Server:
    """Start `briefgen serve` on `workspace` on a free port; return it once it listens."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(workspace), "--port", "0"],
        cwd=cwd or workspace.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        found = re.search(r"open (http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        if found:
            reader = threading.Thread(target=lambda: seen.extend(process.stdout or ()), daemon=True)
            reader.start()
            return Server(process, found.group(1), workspace, reader, seen)
    process.wait()
    raise AssertionError("briefgen serve did not start:\n" + "".join(seen))


@pytest.fixture
def serving() -> Iterator[list[Server]]:
    """Servers a test starts (with `start`), stopped after it."""
    servers: list[Server] = []
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def browser() -> Iterator[object]:
    """Debian's chromium, driven by Playwright (skipped where either is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()

"""Shared fixtures: the JavaScript reference, a real app server, and a real browser."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "reference"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str, how: str) -> None:
    """Skip for a missing tool on a developer's machine; in CI, fail instead."""
    message = f"{what} is not installed: {how}"
    if IN_CI:
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


def article_logs() -> dict[str, list[str]]:
    """The console output printed in the article, by experiment."""
    logs: dict[str, list[str]] = {}
    name = None
    for line in (REFERENCE / "article_logs.txt").read_text().splitlines():
        if line.startswith("["):
            name = line.strip("[]")
            logs[name] = []
        elif line.startswith("iteration") and name:
            logs[name].append(line)
    return logs


@pytest.fixture(scope="session")
def javascript() -> object:
    """Runs the article's programs in Node.js: ``javascript(list_of_settings)``."""
    node = shutil.which("node")
    if node is None:
        missing("Node.js", "apt-get install -y nodejs")

    def run(settings: list[dict]) -> list[dict]:
        done = subprocess.run(
            [node, str(REFERENCE / "article.js")],
            input=json.dumps(settings),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return json.loads(done.stdout)

    return run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.read() == b"ok":
                return
        time.sleep(0.25)
    raise RuntimeError(f"the server at {url} did not become healthy in {seconds} s")


@contextlib.contextmanager
def streamlit_server(python: str = sys.executable, script: Path = ROOT / "app.py") -> Iterator[str]:
    """``streamlit run`` on a free loopback port; stopped when the block ends."""
    port = free_port()
    command = [
        python,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
    ]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=script.parent, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_healthy(url, process)
            except RuntimeError as error:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"{error}; its output:\n{output}") from None
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        missing("Chromium", "apt-get update && apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright", "pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()

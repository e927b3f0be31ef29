"""Serving the app and driving Chromium: shared by the tests, the benchmark and the docs."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAWN = "[data-testid=stPlotlyChart] .main-svg"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
EVERY_CHART_DRAWN = (
    "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(chart => chart.querySelector('g.trace'))"
)


@dataclass(frozen=True)
class Server:
    """A running ``streamlit run``: where to reach it, and its process id."""

    url: str
    pid: int


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
def streamlit_server(
    python: str = sys.executable, script: Path = ROOT / "app.py", cwd: Path = ROOT
) -> Iterator[Server]:
    """``streamlit run`` on a free loopback port; stopped when the block ends.

    It runs in ``cwd``, whose ``.streamlit/config.toml`` it reads: by default the
    project's own, whichever script it serves.
    """
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
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_healthy(url, process)
            except RuntimeError as error:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"{error}; its output:\n{output}") from None
            yield Server(url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_drawn(page: object, charts: bool = True, timeout: float = 60_000) -> None:
    """Wait until the page's script is idle and, with ``charts``, every chart it sent
    has drawn its lines (a Playwright page; ``timeout`` in milliseconds)."""
    if charts:
        page.wait_for_selector(DRAWN, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    if charts:
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=timeout)


def wait_until(condition: Callable[[], bool], page: object, seconds: float = 60) -> None:
    """Poll ``condition`` while the page works, until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not change in time")
        page.wait_for_timeout(2)

"""The app run for real: ``streamlit run`` on a free loopback port, and headless Chromium
pointed at it. The tests, the benchmark and the screenshots in docs/ all drive it this way.

Playwright is a test dependency (``requirements-dev.txt``), so it is imported only by the
function that launches the browser: the app itself never needs it.
"""

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's package: a browser is never downloaded
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_AGENT = (  # a phone names itself "Mobile": the app then stacks the lesson's charts
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
PHONE = {  # what a phone's browser tells a page about itself
    "viewport": {"width": 390, "height": 844},
    "user_agent": PHONE_AGENT,
    "is_mobile": True,
    "has_touch": True,
}
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
    """Wait until the server at ``url`` answers its health check with ``ok``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,  # noqa: S310
        ):
            if answer.read() == b"ok":
                return
        time.sleep(0.25)
    raise RuntimeError(f"the server at {url} did not become healthy in {seconds} s")


@contextlib.contextmanager
def streamlit_server(
    python: str = sys.executable,
    script: Path = ROOT / "app.py",
    cwd: Path = ROOT,
    environment: dict[str, str] | None = None,
) -> Iterator[Server]:
    """``streamlit run`` on a free loopback port; stopped when the block ends.

    It runs in ``cwd``, whose ``.streamlit/config.toml`` it reads: by default the
    project's own, whichever script it serves. ``environment``, if given, replaces
    the process's environment.
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
        process = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=environment
        )
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


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium from ``/usr/bin/chromium``, driven by Playwright; closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_drawn(page: Any, charts: bool = True, timeout: float = 60_000) -> None:
    """Wait until the page's script is idle and, with ``charts``, every chart it sent
    has drawn its lines (a Playwright page; ``timeout`` in milliseconds)."""
    if charts:
        page.wait_for_selector(DRAWN, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    if charts:
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=timeout)


def wait_until(condition: Callable[[], bool], page: Any, seconds: float = 60) -> None:
    """Poll ``condition`` while the page works, until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not change in time")
        page.wait_for_timeout(2)


def settled(page: Any) -> None:
    """Idle, and done fading: Streamlit fades elements in, and a half-faded caption is a
    contrast failure that no reader ever sees."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("document.getAnimations().length === 0", timeout=60_000)

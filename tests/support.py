"""What the tests share: the app through AppTest, a real app server, and Chromium driving it
(the last two are shared by the benchmark and the docs too)."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

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


# ---------------------------------------------------------------- the app through AppTest
def open_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    """The app after its first run with the link ``query``; it must not have failed."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def show(app: AppTest, view: str) -> AppTest:
    """Open one of the dashboard's views (only the open one runs)."""
    app.session_state["view"] = view
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def charts(app: AppTest) -> dict[str, dict]:
    """Every Plotly chart on the page, by key, as the figure JSON sent to the browser."""
    return {element.key: json.loads(element.proto.spec) for element in app.get("plotly_chart")}


def numbers(array: list | dict) -> np.ndarray:
    """A Plotly data array, decoding numpy's base64 typed arrays."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.array([np.nan if value is None else value for value in array], dtype=float)


def link(app: AppTest) -> dict[str, str]:
    """The URL's parameters after the run, one value each."""
    return {
        key: value if isinstance(value, str) else value[-1]
        for key, value in app.query_params.items()
    }


def notices(app: AppTest) -> list[str]:
    """The notices about a link, as Markdown (other warnings are verdicts)."""
    return [box.value for box in app.warning if box.value.startswith("Part of the link")]


def unescaped(markdown: str) -> str:
    """Markdown whose punctuation was escaped to show it literally, as a reader sees it."""
    return re.sub(r"\\(.)", r"\1", markdown)


def page_text(app: AppTest) -> str:
    """Everything the page says in words and numbers, the sidebar and the help texts too."""
    parts = [element.value for element in [*app.markdown, *app.caption, *app.latex, *app.warning]]
    parts += [element.value for element in [*app.title, *app.header, *app.subheader]]
    parts += [box.value for box in [*app.success, *app.info, *app.error]]
    parts += [f"{metric.label} {metric.value} {metric.proto.help}" for metric in app.metric]
    return "\n".join(str(part) for part in parts)


# ---------------------------------------------------------------- accessibility
def settled(page: object) -> None:
    """Idle, and done fading: Streamlit fades elements in, and a half-faded caption is a
    contrast failure that no reader ever sees."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("document.getAnimations().length === 0", timeout=60_000)


def no_axe_violations(page: object) -> None:
    """axe-core (4, as bundled with axe-playwright-python) finds nothing on the page, of
    any impact, among its WCAG 2.1 A and AA rules and its best practices."""
    from axe_playwright_python.sync_playwright import Axe

    settled(page)
    found = Axe().run(page).response["violations"]
    described = [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + ", ".join(str(node["target"]) for node in rule["nodes"][:3])
        for rule in found
    ]
    assert described == []

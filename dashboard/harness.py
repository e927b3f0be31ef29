"""The app run for real: ``streamlit run`` on a free loopback port, headless Chromium
pointed at it, or many sessions on its websocket driven with Streamlit's own messages (a
class of phones, without a browser each). The tests, the benchmarks and the screenshots in
docs/ all drive it this way.

Playwright is a test dependency (``requirements-dev.txt``), so it is imported only by the
function that launches the browser: the app itself never needs it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

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


TITLE_CLASHES = """node => {
  const gd = node.querySelector('.js-plotly-plot');
  const rect = element => element.getBoundingClientRect();
  const named = element => ({text: element.textContent.trim(), box: rect(element)});
  const axisTitles = '[class^=g-x][class$=title] text, [class^=g-y][class$=title] text';
  const titles = [...gd.querySelectorAll(axisTitles)].map(named);
  (gd.layout.annotations || []).forEach((note, index) => {
    const drawn = gd.querySelector(`.annotation[data-index="${index}"] text`);
    if (drawn && note.textangle === -90) titles.push(named(drawn));  // a title beside a panel
  });
  const others = [...gd.querySelectorAll('.draglayer .nsewdrag')]
    .map(area => ({text: 'a panel', box: rect(area)}));
  const legend = gd.querySelector('.legend');
  if (legend) others.push({text: 'the legend', box: rect(legend)});
  const clash = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const found = [];
  titles.forEach((title, index) => {
    for (const other of [...titles.slice(index + 1), ...others])
      if (title.text && clash(title.box, other.box)) found.push(`${title.text} / ${other.text}`);
  });
  return found;
}"""
"""An axis title of a Plotly chart (a
``[data-testid=stPlotlyChart]`` node) that runs into another title, a panel or the legend, as
drawn: a list of the pairs, empty when none do."""

WIDGETS_MOUNTED = "!document.querySelector('[data-testid=stSkeleton]')"
"""No widget is still a placeholder: on a first visit Streamlit fetches the code of most
widgets after the script has finished, and draws a grey skeleton (which nothing can focus)
until it arrives."""


def wait_drawn(page: Any, charts: bool = True, timeout: float = 60_000) -> None:
    """Wait until the page's script is idle, its widgets are drawn and, with ``charts``,
    every chart it sent has drawn its lines (a Playwright page; ``timeout`` in ms)."""
    if charts:
        page.wait_for_selector(DRAWN, timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(WIDGETS_MOUNTED, timeout=timeout)
    if charts:
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=timeout)


def wait_until(condition: Callable[[], bool], page: Any, seconds: float = 60) -> None:
    """Poll ``condition`` while the page works, until it holds or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not change in time")
        page.wait_for_timeout(2)


REDRAWN = """() => {
  const lines = () => {
    const chart = document.querySelector("[data-testid=stPlotlyChart]");
    return chart ? [...chart.querySelectorAll("g.trace path.js-line")]
      .map(line => line.getAttribute("d")).join("") : "";
  };
  const before = lines();
  window.tinynetRedrawn = new Promise(done => {
    let pressed = null;
    document.addEventListener("keydown", () => { pressed = performance.now(); },
      {capture: true, once: true});
    const seen = new MutationObserver(() => {
      const now = lines();
      if (pressed === null || !now || now === before) return;
      seen.disconnect();
      requestAnimationFrame(() => done(performance.now() - pressed));
    });
    seen.observe(document.body, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["d"]});
  });
}"""


def redrawn_after(page: Any, box: Any, text: str) -> float:
    """Type ``text`` into the input ``box`` and press Enter: seconds from the key press until
    a line of the first chart on the page has changed and the browser is about to paint it,
    which is what a student waits for. Timed in the page itself (Streamlit draws a changed
    chart anew, as a new node): polling the page from outside loaded the page it timed."""
    box.fill(text)
    page.evaluate(REDRAWN)
    box.press("Enter")
    return page.evaluate("window.tinynetRedrawn") / 1000


def settled(page: Any) -> None:
    """Idle, and done fading: Streamlit fades elements in, and a half-faded caption is a
    contrast failure that no reader ever sees."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function(WIDGETS_MOUNTED, timeout=60_000)
    page.wait_for_function("document.getAnimations().length === 0", timeout=60_000)


# ---------------------------------------------------------------- sessions without a browser
def run_apart(work: Coroutine[Any, Any, Any]) -> Any:
    """Run ``work`` to its end on an event loop of its own, in a thread of its own: while a
    Playwright browser is open, it holds this thread's loop, and ``asyncio.run`` refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _closing(work)).result()


_OPENED: contextvars.ContextVar[list[Session]] = contextvars.ContextVar("opened")


async def _closing(work: Coroutine[Any, Any, Any]) -> Any:
    """``work``, then every session it opened closed, whether it ended well or failed: a
    failed check must not leave websockets open for a later test to trip over."""
    opened: list[Session] = []
    _OPENED.set(opened)
    try:
        return await work
    finally:
        for page in opened:
            await page.close()


CODE = re.compile(r"[23456789A-HJKMNP-Z]{6}")  # a join code, as the projector shows it
COUNT = re.compile(r"(\d+) of (\d+)")  # the projector's "Votes in" while voting is open
TIMEOUT = 600  # seconds: a step that takes longer than this has failed


@dataclass
class Session:
    """One browser tab's session on the app's websocket, driven with Streamlit's own
    messages: what the server last drew, and the fragments it reruns."""

    name: str
    socket: ClientConnection
    query: str
    buttons: dict[str, str] = field(default_factory=dict)  # label: widget id
    texts: list[str] = field(default_factory=list)  # markdown and alerts, as drawn
    metrics: dict[str, str] = field(default_factory=dict)
    charts: list[str] = field(default_factory=list)  # Plotly specs, read only where needed
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    news: asyncio.Event = field(default_factory=asyncio.Event)  # set on every message
    polls: dict[str, asyncio.Task] = field(default_factory=dict)  # fragment id: its timer
    fragment: str = ""  # the last fragment that asked to be rerun
    every: float = 1.0  # seconds: the interval it asked for
    timers: bool = True  # False: the benchmark reruns the fragment itself, timed
    listening: asyncio.Task | None = None

    async def rerun(self, button: str = "", fragment: str = "") -> None:
        """A rerun as the browser asks for it: a button's press, or a fragment's tick."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query
        if button:
            pressed = WidgetState(id=self.buttons[button], trigger_value=True)
            rerun.widget_states.widgets.append(pressed)
        if fragment:
            rerun.fragment_id, rerun.is_auto_rerun = fragment, True
        self.finished.clear()
        await self.socket.send(message.SerializeToString())

    async def press(self, button: str) -> None:
        await self.rerun(button=button)
        try:
            await asyncio.wait_for(self.finished.wait(), TIMEOUT)
        except TimeoutError:
            raise TimeoutError(f"{self.name} pressed {button!r}: {self.texts[-3:]}") from None

    def take(self, payload: bytes) -> None:
        """Read one ForwardMsg: note what it draws, and start or stop fragment timers."""
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self.drawn(message.delta.new_element)
        elif kind == "script_finished":
            self.finished.set()
        elif kind == "auto_rerun":
            self.fragment = message.auto_rerun.fragment_id
            self.every = message.auto_rerun.interval
            if self.timers and self.fragment not in self.polls:
                every = message.auto_rerun.interval
                self.polls[self.fragment] = asyncio.create_task(self.tick(self.fragment, every))
        elif kind == "stop_auto_rerun":
            for fragment in message.stop_auto_rerun.fragment_ids:
                if fragment in self.polls:
                    self.polls.pop(fragment).cancel()
        self.news.set()

    def drawn(self, element: object) -> None:
        kind = element.WhichOneof("type")
        if kind == "button":
            self.buttons[element.button.label] = element.button.id
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "alert":
            self.texts.append(element.alert.body)
        elif kind == "metric":
            self.metrics[element.metric.label] = element.metric.body
        elif kind == "plotly_chart":
            self.charts.append(element.plotly_chart.spec)

    async def tick(self, fragment: str, every: float) -> None:
        """A browser's timer for a fragment: a rerun every ``every`` seconds, as Streamlit's
        frontend sends them (it does not wait for the last one to finish)."""
        while True:
            await asyncio.sleep(every)
            await self.rerun(fragment=fragment)

    async def listen(self) -> None:
        async for payload in self.socket:
            self.take(payload)
        self.texts.append(f"(the server closed the websocket: {self.socket.close_reason!r})")
        self.news.set()

    async def until(self, condition: object) -> None:
        """Wait until ``condition()`` holds, looking again after each message received."""
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            self.news.clear()
            await asyncio.wait_for(self.news.wait(), max(0.0, deadline - time.monotonic()))

    def stop(self) -> None:
        for task in self.polls.values():
            task.cancel()
        self.polls.clear()

    async def close(self) -> None:
        """The tab closed: no more timers, the websocket shut, the listener done."""
        self.stop()
        await self.socket.close()
        if self.listening:
            await self.listening


async def open_session(url: str, name: str, query: str, address: str | None = None) -> Session:
    """A tab opened at ``url?query``, after its first run. With ``address``, the page comes
    from that network address, as a proxy on this machine would say (X-Forwarded-For)."""
    socket = await connect(
        f"{url.replace('http', 'ws', 1)}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        ping_interval=None,
        open_timeout=TIMEOUT,
        additional_headers={"X-Forwarded-For": address} if address else None,
    )
    page = Session(name, socket, query)
    opened = _OPENED.get(None)
    if opened is not None:
        opened.append(page)
    page.listening = asyncio.create_task(page.listen())
    await page.rerun()
    await asyncio.wait_for(page.finished.wait(), TIMEOUT)
    return page

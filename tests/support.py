"""What the tests share besides their fixtures: the app through AppTest, a browser tab that
records what went wrong on it, and axe-core's verdict on a page. Running the real app and a
browser is ``dashboard.harness``'s job."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from dashboard.harness import IDLE, PHONE_AGENT, ROOT, settled, wait_until

PHONE = {"width": 390, "height": 844}  # a phone's viewport: the tab says it is a phone


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
def no_axe_violations(page: object) -> None:
    """axe-core (4, as bundled with axe-playwright-python) finds nothing on the page, of
    any impact, among its WCAG 2.1 A and AA rules and its best practices."""
    from axe_playwright_python.sync_playwright import Axe

    settled(page)
    # The page's own script finishes its touches (what scrolls takes the focus) on the
    # next frame after a change: two frames, and it is done.
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    found = Axe().run(page).response["violations"]
    described = [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at "
        + ", ".join(str(node["target"]) for node in rule["nodes"][:3])
        for rule in found
    ]
    assert described == []


# ---------------------------------------------------------------- a browser tab
class BrowserTab:
    """One tab of a Playwright ``browser`` at ``url``, recording page errors, dialogs,
    console errors and every message it sends to the server."""

    def __init__(self, browser: object, url: str, viewport: dict, **options: object) -> None:
        if viewport == PHONE:
            options.update(user_agent=PHONE_AGENT, is_mobile=True, has_touch=True)
        self.context = browser.new_context(viewport=viewport, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.sent: list[object] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: self.problems.append(f"dialog: {dialog.message}"))
        self.page.on(
            "console",
            lambda message: (
                message.type == "error" and self.problems.append(f"console: {message.text}")
            ),
        )
        self.page.on(
            "websocket",
            lambda socket: socket.on("framesent", lambda frame: self.sent.append(frame)),
        )
        self.page.goto(url)

    def wait_for(self, condition: object, seconds: float = 30) -> None:
        wait_until(condition, self.page, seconds)
        self.page.wait_for_selector(IDLE, timeout=60_000)

    def box(self, locator: object) -> dict:
        found = locator.bounding_box()
        assert found, "not drawn"
        return found

    def assert_healthy(self) -> None:
        assert self.page.locator("[data-testid=stException]").count() == 0
        assert self.problems == []

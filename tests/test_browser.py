"""End to end in a real headless Chromium against `streamlit run app.py`."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from support import IDLE, wait_drawn, wait_until

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


class Visit:
    """One browser tab on the app, recording what went wrong on the page."""

    def __init__(self, browser: object, url: str, viewport: dict) -> None:
        self.context = browser.new_context(viewport=viewport)
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
        self.settle()

    def settle(self) -> None:
        wait_drawn(self.page)

    def charts(self) -> object:
        return self.page.locator("[data-testid=stPlotlyChart]:visible")

    def open_view(self, name: str) -> None:
        """Open a view: the app runs it, and the link names it once the run is done."""
        self.page.get_by_role("radiogroup", name="View").get_by_role("radio", name=name).click()
        self.wait_for(lambda: self.query().get("view", "Learning") == name)
        for index in range(self.charts().count()):
            self.charts().nth(index).locator(".main-svg").first.wait_for(timeout=60_000)

    def query(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(urlparse(self.page.url).query).items()}

    def type_into(self, label: str, text: str) -> None:
        box = self.page.get_by_label(label, exact=True)
        box.fill(text)
        box.press("Enter")

    def wait_for(self, condition: object, seconds: float = 30) -> None:
        wait_until(condition, self.page, seconds)
        self.page.wait_for_selector(IDLE, timeout=60_000)

    def line_path(self, chart: int = 0) -> str:
        line = self.charts().nth(chart).locator("g.trace.scatter path.js-line").first
        return line.get_attribute("d")

    def assert_healthy(self) -> None:
        assert self.page.locator("[data-testid=stException]").count() == 0
        assert self.problems == []


@pytest.fixture
def visit(browser, app_url) -> Iterator[object]:
    opened = []

    def open_page(query: dict[str, str] | None = None, viewport: dict = PROJECTOR) -> Visit:
        url = app_url + ("/?" + urlencode(query, doseq=True) if query else "/")
        opened.append(Visit(browser, url, viewport))
        return opened[-1]

    yield open_page
    for each in opened:
        each.context.close()


def test_the_page_draws_every_chart_without_errors(visit):
    page = visit()
    assert page.charts().count() == 1
    for name in ("Error curve", "Every alpha", "Compare methods"):
        page.open_view(name)
        for index in range(page.charts().count()):
            assert page.charts().nth(index).locator("g.trace.scatter").count() >= 1
    page.assert_healthy()


def test_a_changed_control_redraws_the_charts_and_the_link(visit):
    page = visit()
    before = page.line_path()
    page.type_into("Alpha (learning rate)", "0.05")
    page.wait_for(lambda: page.line_path() != before)
    assert page.query() == {"alpha": "0.05"}
    assert "converges" in page.page.get_by_text("This alpha").first.text_content()
    page.assert_healthy()


def test_playing_and_scrubbing_the_iterations_needs_no_server(visit):
    page = visit({"alpha": "0.03", "iterations": "8"})
    page.open_view("Error curve")
    chart = page.charts().first
    label = chart.locator(".slider-container .slider-label").first
    point = chart.locator("g.trace.scatter").nth(3).locator("path.point")
    start = point.get_attribute("transform")
    assert label.text_content() == "iteration 1"
    messages = len(page.sent)
    chart.locator(".updatemenu-button").first.click()  # ▶, played to the end: plotly.js
    # rejects the promise of an interrupted animation, which the page would report.
    page.wait_for(lambda: label.text_content() == "iteration 8")
    assert point.get_attribute("transform") != start
    rail = chart.locator(".slider-rail-touch-rect").first.bounding_box()
    page.page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)
    page.wait_for(lambda: label.text_content() == "iteration 1")
    page.wait_for(lambda: point.get_attribute("transform") == start, seconds=5)
    assert len(page.sent) == messages  # nothing went to the server
    page.assert_healthy()


def test_a_link_opens_its_set_up_and_follows_every_change(visit):
    page = visit({"method": "up_and_down", "step": "0.1", "iterations": "30"})
    assert page.page.get_by_label("Step size", exact=True).input_value() == "0.1"
    before = page.line_path()
    page.type_into("Initial weight", "1")
    page.wait_for(lambda: page.line_path() != before)
    assert page.query() == {
        "method": "up_and_down",
        "step": "0.1",
        "iterations": "30",
        "weight": "1.0",
    }
    again = visit(page.query())
    assert again.page.get_by_label("Initial weight", exact=True).input_value() == "1"
    assert again.line_path() == page.line_path()
    again.assert_healthy()


def test_a_hostile_link_is_shown_as_text_and_runs_nothing(visit):
    page = visit(
        {
            "alpha": "<script>window.hacked = 1</script>",
            "weight": "1e400",
            "zzz": "<img src=x onerror='window.hacked = 2'>",
            "hide": "**bold**",
            "target": "9" * 10_000,
            "data": ["2", "NaN", "-inf"],
        }
    )
    notice = page.page.locator("[data-testid=stAlert]").filter(
        has_text="Part of the link was ignored"
    )
    assert "<script>window.hacked = 1</script>" in notice.text_content()
    assert "**bold**" in notice.text_content()
    assert page.page.evaluate("window.hacked") is None
    assert notice.locator("img, strong, script").count() == 0
    assert "data was given 3 times" in notice.text_content()
    assert len(notice.text_content()) < 2_000
    assert page.page.get_by_label("Alpha (learning rate)", exact=True).input_value() == "0.1"
    assert page.page.get_by_label("Target (tomorrow's count)", exact=True).input_value() == "4"
    page.assert_healthy()


def test_presenter_mode_enlarges_the_page_and_hides_chosen_controls(visit):
    page = visit({"presenter": "true", "hide": "alpha,exact"})
    size = page.page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "22px"
    assert page.page.get_by_label("Alpha (learning rate)", exact=True).count() == 0
    assert page.page.get_by_label("Initial weight", exact=True).count() == 1
    legend = page.charts().first.locator(".legendtext").first
    assert (
        float(legend.evaluate("node => getComputedStyle(node).fontSize").removesuffix("px")) >= 20
    )
    page.assert_healthy()


def test_a_phone_sees_every_chart_within_its_width(visit):
    page = visit(viewport=PHONE)
    assert page.charts().count() == 1
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    box = page.charts().first.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 400
    page.assert_healthy()

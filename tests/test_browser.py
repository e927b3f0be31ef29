"""End to end in a real headless Chromium against `streamlit run app.py`."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

import tinynet
from dashboard.harness import TITLE_CLASHES, wait_drawn
from support import PHONE, BrowserTab

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
OLD_PROJECTOR = {"width": 1024, "height": 768}


LINE = (
    "node => { const gd = node.querySelector('.js-plotly-plot');"
    " const line = ((gd && gd._fullData) || []).find(trace => trace.name === 'error');"
    " const path = line && node.querySelector(`.trace${line.uid} path.js-line`);"
    " return path ? path.getAttribute('d') : ''; }"
)


class Visit(BrowserTab):
    """One browser tab on the app, recording what went wrong on the page."""

    def __init__(self, browser: object, url: str, viewport: dict) -> None:
        super().__init__(browser, url, viewport)
        self.settle()

    def settle(self) -> None:
        wait_drawn(self.page)

    def charts(self) -> object:
        return self.page.locator("[data-testid=stPlotlyChart]:visible")

    def open_view(self, name: str) -> None:
        """Open a view: the app runs it, and the link names it once the run is done."""
        self.page.get_by_role("radiogroup", name="View").get_by_role("radio", name=name).click()
        self.wait_for(lambda: self.query().get("view", "Lesson") == name)
        for index in range(self.charts().count()):
            self.charts().nth(index).locator(".main-svg").first.wait_for(timeout=60_000)

    def query(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(urlparse(self.page.url).query).items()}

    def type_into(self, label: str, text: str) -> None:
        box = self.page.get_by_label(label, exact=True)
        box.fill(text)
        box.press("Enter")

    def error_path(self, chart: int = 0) -> str:
        """The drawn path of the error per iteration (the lesson's second panel: the whole
        run, whatever iteration is shown), or '' while the chart is being drawn again."""
        return self.charts().nth(chart).evaluate(LINE)


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
    for name in ("Learning", "Error curve", "Every alpha", "Compare methods"):
        page.open_view(name)
        for index in range(page.charts().count()):
            assert page.charts().nth(index).locator("g.trace.scatter").count() >= 1
    page.assert_healthy()


def test_a_changed_control_redraws_the_charts_and_the_link(visit):
    page = visit()
    before = page.error_path()
    page.type_into("Alpha (learning rate)", "0.05")
    page.wait_for(lambda: page.error_path() not in ("", before))
    assert page.query() == {"alpha": "0.05"}
    assert "converges" in page.page.get_by_text("This alpha").first.text_content()
    page.assert_healthy()


MOVING = (
    "(node, last) => { const gd = node.querySelector('.js-plotly-plot');"
    " const trace = gd.data[gd.data.length - last];"
    " return [trace.x[0], trace.y[0]]; }"
)


def _drawn(page: Visit, last: int) -> list[float]:
    """Where the ``last``-th trace from the end stands, in its axes' units: 1 is the ring
    on the prediction, 2 the ring on the error, 5 the point on the error curve. (On the
    screen the point may stay put while the axes that follow it move.)"""
    return page.charts().first.evaluate(MOVING, last)


def test_playing_and_scrubbing_moves_all_three_charts_without_the_server(visit):
    page = visit({"alpha": "0.03", "iterations": "8"})
    label = page.page.locator(".tinynet-player .tinynet-at").first
    start = [_drawn(page, last) for last in (5, 2, 1)]
    assert label.text_content() == "1 of 8"
    messages = len(page.sent)
    page.page.get_by_role("button", name="▶ Play").click()
    page.wait_for(lambda: label.text_content() == "8 of 8")
    moved = [_drawn(page, last) for last in (5, 2, 1)]
    assert all(now != then for now, then in zip(moved, start, strict=True))
    page.wait_for(lambda: page.page.get_by_role("button", name="▶ Play").count() == 1)
    rail = page.page.locator(".tinynet-player input[type=range]").first.bounding_box()
    page.page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)  # the scrubber's start
    page.wait_for(lambda: label.text_content() == "1 of 8")
    page.wait_for(lambda: [_drawn(page, last) for last in (5, 2, 1)] == start)
    assert len(page.sent) == messages  # nothing went to the server
    page.assert_healthy()


def test_the_scrubber_fits_each_chart_and_starts_where_the_link_says(visit):
    page = visit({"alpha": "1", "at": "3"})
    scrubber = page.page.locator(".tinynet-player input[type=range]")
    page.wait_for(lambda: scrubber.get_attribute("aria-valuetext") == "3 of 20")
    assert scrubber.input_value() == "2" and scrubber.get_attribute("max") == "19"
    assert page.page.locator(".tinynet-player .tinynet-at").text_content() == "3 of 20"
    page.assert_healthy()


def test_a_link_opens_its_set_up_and_follows_every_change(visit):
    page = visit({"method": "up_and_down", "step": "0.1", "iterations": "30"})
    assert page.page.get_by_label("Step size", exact=True).input_value() == "0.1"
    before = page.error_path()
    page.type_into("Initial weight", "1")
    page.wait_for(lambda: page.error_path() not in ("", before))
    assert page.query() == {
        "method": "up_and_down",
        "step": "0.1",
        "iterations": "30",
        "weight": "1.0",
    }
    again = visit(page.query())
    assert again.page.get_by_label("Initial weight", exact=True).input_value() == "1"
    assert again.error_path() == page.error_path()
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
        has_text="Part of the link was not used"
    )
    assert "<script>window.hacked = 1</script>" in notice.text_content()
    assert "**bold**" in notice.text_content()
    assert page.page.evaluate("window.hacked") is None
    assert notice.locator("img, strong, script").count() == 0
    assert "data was given 3 times" not in notice.text_content()  # its last value is bad
    assert "data='-inf' is not a number" in notice.text_content()
    assert len(notice.text_content()) < 2_000
    assert page.page.get_by_label("Alpha (learning rate)", exact=True).input_value() == "0.1"
    assert page.page.get_by_label("Target (tomorrow's count)", exact=True).input_value() == "4"
    page.assert_healthy()


def test_presenter_mode_enlarges_the_page_and_hides_chosen_controls(visit):
    page = visit({"presenter": "true", "hide": "alpha,exact_derivative"})
    size = page.page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "22px"
    assert page.page.get_by_label("Alpha (learning rate)", exact=True).count() == 0
    assert page.page.get_by_label("Initial weight", exact=True).count() == 1
    page.assert_healthy()


def _px(locator: object, style: str) -> float:
    """A computed style of a drawn SVG element, in pixels."""
    return float(locator.evaluate(f"node => getComputedStyle(node).{style}").removesuffix("px"))


def test_the_projector_look_is_drawn_big_and_bold(visit):
    page = visit({"presenter": "true"}, viewport=OLD_PROJECTOR)
    chart = page.charts().first
    texts = chart.locator(".xtick text, .ytick text, .legendtext, .g-xtitle text, .g-ytitle text")
    assert texts.count() > 10
    assert min(_px(texts.nth(index), "fontSize") for index in range(texts.count())) >= 18
    lines = chart.locator("g.trace.scatter path.js-line")
    assert min(_px(lines.nth(index), "strokeWidth") for index in range(lines.count())) >= 3
    markers = chart.locator("g.trace.scatter path.point:not([d='M0,0Z'])")  # not the arrow's tail
    sizes = [markers.nth(index).bounding_box() for index in range(markers.count())]
    assert min(max(box["width"], box["height"]) for box in sizes if box) >= 9
    page.assert_healthy()


@pytest.mark.parametrize(
    ("viewport", "query"),
    [(PROJECTOR, {"presenter": "true"}), (OLD_PROJECTOR, {"presenter": "true"})],
    ids=["1280x720", "1024x768"],
)
def test_a_projector_shows_the_whole_lesson_and_its_verdict_on_the_first_screen(
    visit, viewport, query
):
    page = visit(query, viewport=viewport)
    verdict = page.box(page.page.locator("[data-testid=stAlert]").first)
    chart = page.box(page.charts().first)
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= viewport["height"]
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= viewport["width"]
    assert verdict["y"] >= 0 and verdict["y"] + verdict["height"] <= chart["y"]
    player = page.box(page.page.locator(".tinynet-player").first)  # its scrubber too
    assert chart["y"] + chart["height"] <= player["y"]
    assert player["y"] + player["height"] <= viewport["height"]
    assert page.charts().first.evaluate(TITLE_CLASHES) == []  # read from the back row
    page.assert_healthy()


def test_beside_the_sidebar_the_lesson_starts_high_and_is_wholly_visible(visit):
    page = visit()
    assert page.page.locator("[data-testid=stSidebar]").first.is_visible()
    chart = page.box(page.charts().first)
    assert chart["y"] <= 0.4 * PROJECTOR["height"]
    player = page.box(page.page.locator(".tinynet-player").first)
    assert chart["y"] + chart["height"] <= player["y"]
    assert player["y"] + player["height"] <= PROJECTOR["height"]
    page.assert_healthy()


@pytest.mark.parametrize("view", ["Learning", "Error curve", "Every alpha", "Compare methods"])
@pytest.mark.parametrize("presenter", [False, True], ids=["plain", "presenter"])
def test_every_other_chart_fits_the_first_screen_too(visit, view, presenter):
    page = visit({"view": view, "presenter": "true"} if presenter else {"view": view})
    chart = page.box(page.charts().first)
    assert chart["y"] + chart["height"] <= PROJECTOR["height"]
    assert page.charts().first.evaluate(TITLE_CLASHES) == []


def test_a_phone_sees_the_lesson_stacked_within_its_width(visit):
    page = visit(viewport=PHONE)
    assert page.charts().count() == 1
    width = page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    chart = page.box(page.charts().first)
    assert chart["y"] < PHONE["height"] and chart["width"] <= PHONE["width"]
    assert chart["height"] > PHONE["height"]  # three charts, one under the other
    assert page.charts().first.evaluate(TITLE_CLASHES) == []
    page.assert_healthy()


def test_the_chart_toolbar_never_covers_the_legend(visit):
    page = visit()
    chart = page.charts().first
    chart.hover()
    toolbar = page.box(chart.locator(".modebar").first)
    legend = page.box(chart.locator(".legend").first)
    apart = (
        toolbar["x"] >= legend["x"] + legend["width"]
        or toolbar["y"] >= legend["y"] + legend["height"]
        or legend["y"] >= toolbar["y"] + toolbar["height"]
    )
    assert apart, (toolbar, legend)


FRAMED = (
    "node => { const gd = node.querySelector('.js-plotly-plot'), full = gd._fullLayout;"
    " return {weights: full.xaxis.range, predictions: full.yaxis3.range,"
    " label: Number(document.querySelector('.tinynet-player input[type=range]').value)}; }"
)


def _inside(values: list[float], shown: list[float], share: float) -> bool:
    """Whether ``values`` lie within the range ``shown`` and spread over ``share`` of it."""
    low, high = sorted(shown)
    spread = max(values) - min(values)
    return low <= min(values) and max(values) <= high and spread >= share * (high - low)


def test_each_frame_of_the_explosion_frames_its_own_step(visit):
    """The article's experiment 2, stepped through with ▶: at every iteration the weight
    axis holds the current, the next and the best weight, spread over a good part of it,
    and the prediction axis the predictions so far and the target; none in a sliver."""
    run = tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=1)
    weights = [*run.weights.tolist(), run.final_weight]
    best = 4 / 3
    page = visit({"alpha": "1"})
    chart = page.charts().first
    messages = len(page.sent)
    for iteration in range(1, len(run.weights) + 1):
        if iteration > 1:
            page.page.get_by_role("button", name="Next iteration").click()
            frame = iteration - 1
            page.wait_for(lambda frame=frame: chart.evaluate(FRAMED)["label"] == frame)
        shown = chart.evaluate(FRAMED)
        points = [weights[iteration - 1], weights[iteration], best]
        assert _inside(points, shown["weights"], 0.4), (iteration, points, shown)
        so_far = [*run.predictions[:iteration].tolist(), 4.0]
        assert _inside(so_far, shown["predictions"], 0.6), (iteration, so_far, shown)
    assert len(page.sent) == messages  # every frame came from the browser, not the server
    page.page.get_by_text("Whole run on the axes").click()
    page.wait_for(lambda: page.query().get("whole_run") == "true")
    whole = chart.evaluate(FRAMED)
    assert _inside([min(weights), max(weights), best], whole["weights"], 0.4)
    page.assert_healthy()

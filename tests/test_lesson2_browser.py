"""Lesson 2 end to end in headless Chromium against `streamlit run app.py`: play and scrub
without the server, the keyboard, axe-core, a projector's and a phone's first screen, and
points uploaded or typed."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from dashboard.harness import TITLE_CLASHES, settled, wait_drawn
from support import PHONE, BrowserTab, no_axe_violations

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 720}
OLD_PROJECTOR = {"width": 1024, "height": 768}
CHARTLESS = {"Points", "Iteration log", "Quiz", "Code", "Teach", "Surface in 3-D"}  # 3-D: no SVG
PLACED = (
    "(node, name) => { const gd = node.querySelector('.js-plotly-plot');"
    " const trace = gd.data.find(each => each.name === name);"
    " return JSON.stringify([trace.x, trace.y]); }"
)
CONTOURS = (
    "node => { const gd = node.querySelector('.js-plotly-plot');"
    " const trace = gd._fullData.find(each => each.name === 'contours of the error');"
    " const path = node.querySelector(`.trace${trace.uid} path.js-line`);"
    " return path ? path.getAttribute('d').length : 0; }"
)


class Tab(BrowserTab):
    """One browser tab on lesson 2, recording page errors and messages to the server."""

    def chart(self) -> object:
        return self.page.locator("[data-testid=stPlotlyChart]").first

    def placed(self, name: str) -> list:
        return self.chart().evaluate(PLACED, name)

    def label(self) -> str:
        return self.page.locator(".tinynet-player .tinynet-at").first.text_content()


@pytest.fixture
def tab(browser, app_url) -> Iterator[object]:
    opened = []

    def open_tab(query: dict | None = None, viewport: dict = DESK, **options: object) -> Tab:
        query = {"lesson": "2", **(query or {})}
        opened.append(Tab(browser, f"{app_url}/?{urlencode(query)}", viewport, **options))
        wait_drawn(opened[-1].page, charts=query.get("line_view") not in CHARTLESS)
        return opened[-1]

    yield open_tab
    for each in opened:
        each.context.close()


def test_playing_and_scrubbing_moves_every_chart_without_the_server(tab):
    page = tab({"line_iterations": "8"})
    moving = ("point now", "steepest descent", "step taken", "line now", "residuals", "now")
    start = {name: page.placed(name) for name in moving}
    drawn = page.chart().evaluate(CONTOURS)
    assert page.label() == "1 of 8" and drawn > 100
    messages = len(page.sent)
    page.page.get_by_role("button", name="▶ Play").click()
    page.wait_for(lambda: page.label() == "8 of 8")
    moved = {name: page.placed(name) for name in moving}
    assert all(moved[name] != start[name] for name in moving)
    assert page.chart().evaluate(CONTOURS) == drawn  # the contours stay through every frame
    rail = page.page.locator(".tinynet-player input[type=range]").first.bounding_box()
    page.page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)
    page.wait_for(lambda: page.label() == "1 of 8")
    page.wait_for(lambda: {name: page.placed(name) for name in moving} == start)
    assert len(page.sent) == messages  # nothing went to the server
    page.assert_healthy()


def test_a_keyboard_alone_steps_and_plays_and_hears_each_iteration(tab):
    page = tab({"line_iterations": "6"})
    said = page.page.locator(".tinynet-said")
    for _ in range(200):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.dataset.move === '1'"):
            break
    page.page.keyboard.press("Enter")
    page.wait_for(lambda: page.label() == "2 of 6")
    assert said.text_content().startswith("Iteration 2 of 6: weight ")
    page.page.evaluate("document.activeElement.blur()")
    page.page.keyboard.press("End")
    page.wait_for(lambda: page.label() == "6 of 6")
    page.page.keyboard.press("ArrowLeft")
    page.wait_for(lambda: page.label() == "5 of 6")
    page.page.keyboard.press("Home")
    page.wait_for(lambda: page.label() == "1 of 6")
    page.assert_healthy()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"line_view": "Bridge to lesson 1"},
        {"line_view": "Points"},
        {"line_view": "Iteration log", "line_method": "mini-batch"},
        {"line_view": "Code"},
        {"line_view": "Quiz"},
        {"presenter": "true", "line_adam": "true"},
    ],
    ids=lambda query: "&".join(f"{key}={value}" for key, value in query.items()) or "lesson",
)
def test_no_axe_violation_on_lesson_2(tab, query):
    page = tab(query)
    no_axe_violations(page.page)
    page.assert_healthy()


def test_no_axe_violation_on_lesson_2_on_a_phone(tab):
    no_axe_violations(tab(viewport=PHONE).page)


def test_the_surface_in_3d_is_drawn_and_named(tab):
    page = tab({"line_view": "Surface in 3-D"})
    page.chart().locator(".gl-container canvas, canvas").first.wait_for(timeout=60_000)
    settled(page.page)
    name = page.chart().get_attribute("aria-label")
    assert name.startswith("Error surface over weight and bias, in 3-D")
    no_axe_violations(page.page)
    page.assert_healthy()


@pytest.mark.parametrize("viewport", [DESK, OLD_PROJECTOR], ids=["1280x720", "1024x768"])
def test_a_projector_shows_the_whole_lesson_and_its_verdict_on_the_first_screen(tab, viewport):
    page = tab({"presenter": "true"}, viewport)
    size = page.page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert size == "22px"
    verdict = page.box(page.page.locator("[data-testid=stAlert]").first)
    chart = page.box(page.chart())
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= viewport["height"]
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= viewport["width"]
    assert verdict["y"] >= 0 and verdict["y"] + verdict["height"] <= chart["y"]
    assert page.chart().evaluate(TITLE_CLASHES) == []  # read from the back row
    page.assert_healthy()


def test_a_phone_shows_a_chart_on_its_first_screen_within_its_width(tab):
    page = tab(viewport=PHONE)
    assert page.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chart = page.box(page.chart())
    assert chart["y"] < 0.75 * PHONE["height"] and chart["width"] <= PHONE["width"]
    height = page.chart().evaluate("n => n.querySelector('.js-plotly-plot').layout.height")
    assert height == 900  # stacked: the surface on top, the line and the errors under it
    assert page.chart().evaluate(TITLE_CLASHES) == []
    page.assert_healthy()


def test_an_uploaded_file_replaces_the_points_and_a_bad_one_gets_one_message(tab, tmp_path):
    page = tab({"line_view": "Points"})
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("x,y\n1,1\n2,3\n3,5\n4,8\n5,9\n")
    bad.write_text("x,y\n1,1\n2,three\n")
    uploader = page.page.locator("[data-testid=stFileUploaderDropzoneInput]")
    uploader.set_input_files(str(good))
    page.wait_for(lambda: page.page.get_by_text("5 points", exact=False).count() > 0)
    assert page.page.get_by_role("radio", name="Your own points").is_checked()
    uploader.set_input_files(str(bad))
    message = page.page.locator("[data-testid=stAlertContentError]")
    page.wait_for(lambda: message.count() == 1)
    assert message.first.text_content().startswith("Row 3 has 'three' as y, which is not a number.")
    assert page.page.get_by_text("5 points", exact=False).count() > 0  # the last good points
    no_axe_violations(page.page)
    page.assert_healthy()


def test_a_point_typed_into_the_table_is_used_at_once(tab):
    page = tab({"line_view": "Points"})
    grid = page.page.locator("[data-testid=stDataFrame]").first
    grid.wait_for()
    settled(page.page)
    box = page.box(grid)
    # The third row's y cell: rows are 35 pixels high under a 35-pixel header. Enter opens
    # its editor with its number chosen, typing replaces it, and Enter keeps it.
    page.page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + 35 * 3 + 17)
    page.page.keyboard.press("Enter")
    editor = page.page.locator("input.gdg-input")
    editor.wait_for()
    assert editor.input_value() == "4"
    editor.fill("5")
    editor.press("Enter")
    page.wait_for(lambda: page.page.get_by_text("(your own)", exact=False).count() > 0)
    assert page.page.get_by_role("radio", name="Your own points").is_checked()
    page.assert_healthy()

"""WCAG 2.1 AA in a real browser: axe-core on every page, a keyboard-only walk through the
lesson, charts that screen readers can name, motion on request only, and reflow."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from dashboard.harness import PHONE_AGENT, settled, wait_drawn, wait_until
from support import no_axe_violations

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
NO_CHARTS = {"Iteration log", "Quiz", "Code", "Teach"}


@pytest.fixture
def open_page(browser, app_url) -> Iterator[object]:
    contexts = []

    def opened(query: dict | None = None, viewport: dict = DESK, **options: object) -> object:
        if viewport == PHONE:
            options.update(user_agent=PHONE_AGENT, is_mobile=True, has_touch=True)
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{app_url}/?{urlencode(query or {})}")
        wait_drawn(page, charts=(query or {}).get("view") not in NO_CHARTS)
        return page

    yield opened
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"view": "Learning"},
        {"view": "Error curve"},
        {"view": "Error curve", "method": "up_and_down", "weight": "1.3333333333333333"},
        {"view": "Every alpha"},
        {"view": "Compare methods"},
        {"view": "Iteration log"},
        {"view": "Quiz"},
        {"view": "Code"},
        {"view": "Teach"},
        {"presenter": "true"},
        {"presenter": "true", "view": "Error curve"},
        {"method": "up_and_down", "data": "0"},
    ],
    ids=lambda query: "&".join(f"{key}={value}" for key, value in query.items()) or "lesson",
)
def test_no_axe_violation_on_any_view(open_page, query):
    no_axe_violations(open_page(query))


def test_no_axe_violation_on_a_phone(open_page):
    no_axe_violations(open_page(viewport=PHONE))


def test_no_axe_violation_after_a_quiz_answer_is_revealed(open_page):
    page = open_page({"view": "Quiz"})
    page.get_by_text("It blows up").click()
    settled(page)
    page.get_by_role("button", name="Reveal").click()
    page.get_by_text("Not quite: it hops around the answer", exact=False).wait_for()
    no_axe_violations(page)


@pytest.mark.parametrize("view", ["Lesson", "Learning", "Error curve", "Every alpha"])
def test_every_chart_has_a_name_that_says_what_it_shows(open_page, view):
    page = open_page({"view": view})
    chart = page.locator("[data-testid=stPlotlyChart]").first
    assert chart.get_attribute("role") == "figure"
    name = chart.get_attribute("aria-label")
    assert len(name) > 60 and "nan" not in name and "-0 " not in name
    if view == "Lesson":
        assert "Error per iteration, log scale: 6.25 at iteration 1" in name
        assert "down to exactly 0 from iteration 17" in name


def focus(
    page: object, selector: str, text: str = "", key: str = "Tab", presses: int = 150
) -> None:
    """Press Tab until an element at ``selector`` (saying ``text``) has the focus, and check
    that the focus is drawn: a keyboard must reach it, and its user must see where they are."""
    check = "([selector, text]) => document.activeElement.matches(selector)"
    check += " && document.activeElement.textContent.includes(text)"
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate(check, [selector, text]):
            outline = page.evaluate(
                "parseFloat(getComputedStyle(document.activeElement).outlineWidth)"
            )
            assert outline >= 2, f"no visible focus on {selector}"
            return
    raise AssertionError(f"{key} never reached {selector} {text}")


def test_a_keyboard_alone_plays_steps_pins_switches_views_and_reveals(open_page):
    page = open_page({"alpha": "0.03", "iterations": "6"})
    label = page.locator(".slider-label").first
    said = page.locator(".tinynet-said")
    focus(page, "[data-move='1']")
    page.keyboard.press("Enter")
    wait_until(lambda: label.text_content() == "iteration 2", page)
    assert said.text_content().startswith("Iteration 2 of 6: weight ")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # back on ◀
    wait_until(lambda: label.text_content() == "iteration 1", page)
    focus(page, "[data-move=play]")
    page.keyboard.press("Enter")
    wait_until(lambda: label.text_content() == "iteration 6", page)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowLeft")
    wait_until(lambda: label.text_content() == "iteration 5", page)
    page.keyboard.press("Home")
    wait_until(lambda: label.text_content() == "iteration 1", page)

    # The view selector is one tab stop: the arrow keys move along it, Enter chooses.
    focus(page, "[data-testid=stButtonGroup] button", "Lesson", key="Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Pin this run").wait_for()
    settled(page)
    focus(page, "button", "Pin this run")
    page.keyboard.press("Enter")
    wait_until(lambda: page.get_by_role("button", name="Clear pinned runs").is_enabled(), page)

    focus(page, "[data-testid=stButtonGroup] button", "Learning", key="Shift+Tab")
    for _ in range(5):  # Learning, Error curve, Every alpha, Compare methods, Iteration log
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Reveal").wait_for()
    settled(page)
    focus(page, "input[type=radio]")
    page.keyboard.press("ArrowDown")
    settled(page)
    focus(page, "button", "Reveal")
    page.keyboard.press("Enter")
    alerts = page.locator("[data-testid=stAlert]")
    answer = alerts.filter(has_text="rather than").or_(alerts.filter(has_text="Right:"))
    answer.first.wait_for(timeout=30_000)

    # The article's experiments are one tab stop too, in the sidebar.
    focus(page, "[data-testid=stButtonGroup] button", "1. Up and down", key="Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    alpha = page.get_by_label("Alpha (learning rate)", exact=True)
    wait_until(lambda: alpha.input_value() == "1", page)


def test_a_presenters_clicker_steps_with_page_up_and_down(open_page):
    page = open_page({"presenter": "true", "alpha": "0.03", "iterations": "6"})
    label = page.locator(".slider-label").first
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    wait_until(lambda: label.text_content() == "iteration 3", page)
    page.keyboard.press("PageUp")
    wait_until(lambda: label.text_content() == "iteration 2", page)


def test_a_student_who_asks_for_less_motion_gets_slower_steps_and_no_transitions(open_page):
    for motion, pace in (("reduce", "1500"), ("no-preference", "350")):
        page = open_page({"iterations": "4"}, reduced_motion=motion)
        page.get_by_role("button", name="▶ Play").click()
        player = page.locator(".tinynet-player")
        wait_until(lambda: player.get_attribute("data-pace") is not None, page)  # noqa: B023
        assert player.get_attribute("data-pace") == pace
        duration = page.locator(".tinynet-player button").first.evaluate(
            "node => getComputedStyle(node).transitionDuration"
        )
        still = all(float(part.strip().removesuffix("s")) < 0.001 for part in duration.split(","))
        assert still == (motion == "reduce"), duration


@pytest.mark.parametrize(
    ("viewport", "why"),
    [({"width": 320, "height": 640}, "320 px wide"), ({"width": 640, "height": 360}, "200 %")],
    ids=["320px", "zoom-200"],
)
def test_nothing_scrolls_sideways_at_320_pixels_or_twice_the_zoom(open_page, viewport, why):
    for view in ("Lesson", "Error curve", "Iteration log"):
        page = open_page({"view": view}, viewport=viewport)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (view, why, width)
        chart = page.locator("[data-testid=stPlotlyChart]")
        if chart.count():
            box = chart.first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_a_new_verdict_is_announced_as_a_status(open_page):
    page = open_page()
    verdict = page.locator("[data-testid=stAlertContainer]").first
    assert verdict.get_attribute("role") == "status"  # a live region: read out when it changes
    assert verdict.text_content().startswith("Converged.")
    box = page.get_by_label("Alpha (learning rate)", exact=True)
    box.fill("1")
    box.press("Enter")
    wait_until(lambda: verdict.text_content().startswith("Diverging."), page)
    assert verdict.get_attribute("role") == "alert"  # Streamlit's error box: read out at once

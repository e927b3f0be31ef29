"""WCAG 2.1 AA in a real browser: axe-core on every page, a keyboard-only walk through the
lesson, charts that screen readers can name, motion on request only, and reflow."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlencode

import numpy as np
import pytest
from PIL import Image

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
    label = page.locator(".tinynet-player .tinynet-at").first
    said = page.locator(".tinynet-said")
    focus(page, "[data-move='1']")
    page.keyboard.press("Enter")
    wait_until(lambda: label.text_content() == "2 of 6", page)
    assert said.text_content().startswith("Iteration 2 of 6: weight ")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # back on ◀
    wait_until(lambda: label.text_content() == "1 of 6", page)
    focus(page, "[data-move=play]")
    page.keyboard.press("Enter")
    wait_until(lambda: label.text_content() == "6 of 6", page)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowLeft")
    wait_until(lambda: label.text_content() == "5 of 6", page)
    page.keyboard.press("Home")
    wait_until(lambda: label.text_content() == "1 of 6", page)
    # The scrubber is a stop of its own: its arrow keys move it, and it says where it stands.
    scrubber = page.locator(".tinynet-player input[type=range]")
    focus(page, ".tinynet-player input[type=range]")
    page.keyboard.press("ArrowRight")
    wait_until(lambda: label.text_content() == "2 of 6", page)
    assert scrubber.get_attribute("aria-valuetext") == "2 of 6"
    wait_until(lambda: said.text_content().startswith("Iteration 2 of 6: weight "), page)

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
    label = page.locator(".tinynet-player .tinynet-at").first
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    wait_until(lambda: label.text_content() == "3 of 6", page)
    page.keyboard.press("PageUp")
    wait_until(lambda: label.text_content() == "2 of 6", page)


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


@pytest.mark.parametrize("view", ["Learning", "Error curve", "Iteration log", "Quiz", "Code"])
def test_no_axe_violation_on_any_view_on_a_phone(open_page, view):
    no_axe_violations(open_page({"view": view}, viewport=PHONE))


RINGED = """() => {
  // What shows the focus: the focused element itself, or, for a radio or a switch whose
  // input Streamlit clips to nothing, the nearest element round it that draws a ring.
  const shows = node => {  // drawn, ringed, and not clipped away: it is what shows there
    const box = node.getBoundingClientRect(), style = getComputedStyle(node);
    const there = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return box.width >= 8 && box.height >= 8 && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2 && there !== null && node.contains(there);
  };
  let node = document.activeElement;
  while (node && node !== document.body && !shows(node)) node = node.parentElement;
  if (!node || node === document.body) return null;
  const box = node.getBoundingClientRect(), style = getComputedStyle(node);
  return {x: box.x, y: box.y, width: box.width, height: box.height,
          offset: parseFloat(style.outlineOffset), ring: parseFloat(style.outlineWidth)};
}"""


def ring_pixels(page: object) -> float:
    """How much of a focus ring shows round what shows the focus: the pixels that turn the
    ring's blue (#0072B2, 5.2:1 against white) when it takes the focus and not before, as
    a share of the ring's whole length. What a keyboard user sees, pixel by pixel."""
    found = page.evaluate(RINGED)
    assert found, "nothing on the page shows the focus"
    room = found["offset"] + found["ring"]
    clip = {
        "x": max(found["x"] - room - 2, 0),
        "y": max(found["y"] - room - 2, 0),
        "width": found["width"] + 2 * room + 4,
        "height": found["height"] + 2 * room + 4,
    }

    def blue() -> np.ndarray:  # the ring's blue, also where antialiasing mixes it with white
        picture = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
        red, _, bluish = np.asarray(picture).astype(int).transpose(2, 0, 1)
        return bluish - red > 60

    focused = blue()
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(100)
    ring = int((focused & ~blue()).sum())
    length = 2 * (found["width"] + found["height"] + 4 * found["offset"])
    return ring / (length * found["ring"])


@pytest.mark.parametrize(
    ("query", "selector", "text"),
    [
        ({}, "input[type=radio]", ""),  # the method, in the sidebar
        ({}, "input[role=switch]", ""),  # the exact derivative
        ({"view": "Quiz"}, "input[type=radio]", ""),  # the quiz's answers
        ({}, "[data-testid=stButtonGroup] button", "Lesson"),  # the views
    ],
    ids=["radio", "switch", "quiz answer", "view selector"],
)
def test_the_focus_ring_shows_whole_round_what_has_the_focus(open_page, query, selector, text):
    page = open_page(query)
    focus_without_check(page, selector, text)
    settled(page)
    assert ring_pixels(page) > 0.7


def focus_without_check(page: object, selector: str, text: str = "", presses: int = 150) -> None:
    check = "([selector, text]) => document.activeElement.matches(selector)"
    check += " && document.activeElement.textContent.includes(text)"
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(check, [selector, text]):
            return
    raise AssertionError(f"Tab never reached {selector} {text}")


def test_the_main_area_is_not_a_tab_stop_of_its_own(open_page):
    page = open_page()
    for _ in range(60):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.testid") != "stMain"


def test_focus_stays_near_pin_and_clear_once_pressed(open_page):
    page = open_page({"view": "Learning"})
    focus_without_check(page, "button", "Pin this run")
    page.keyboard.press("Enter")
    clear = page.get_by_role("button", name="Clear pinned runs")
    wait_until(clear.is_enabled, page)
    settled(page)
    assert page.evaluate("document.activeElement.textContent").endswith("Pin this run")
    focus_without_check(page, "button", "Clear pinned runs")
    page.keyboard.press("Enter")
    wait_until(lambda: not clear.is_enabled(), page)
    settled(page)
    page.wait_for_timeout(300)  # the page moves the focus on its next frame
    has = page.evaluate("document.activeElement.textContent")
    assert has.endswith("Pin this run")  # the neighbour, not the page's body


def test_a_narrow_desktop_window_stacks_the_lessons_charts(open_page):
    """Stacking follows the page's width, not the browser's name for itself."""
    page = open_page(viewport={"width": 320, "height": 700})
    shape = "n => { const gd = n.querySelector('.js-plotly-plot'); return gd.layout?.height; }"
    chart = page.locator("[data-testid=stPlotlyChart]").first
    wait_until(lambda: chart.evaluate(shape) == 900, page)
    page.set_viewport_size(DESK)
    wait_until(lambda: 0 < (chart.evaluate(shape) or 0) < 900, page)


def test_escape_closes_a_charts_hover_label(open_page):
    page = open_page({"view": "Error curve"})
    point = page.locator("[data-testid=stPlotlyChart] .scatterlayer .trace .point").last
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator("[data-testid=stPlotlyChart] .hoverlayer .hovertext")
    label.first.wait_for()
    page.keyboard.press("Escape")
    wait_until(lambda: label.count() == 0, page)


def test_play_says_what_it_will_do_and_nothing_more(open_page):
    page = open_page({"iterations": "40"})
    play = page.locator(".tinynet-player [data-move=play]")
    assert play.get_attribute("aria-pressed") is None
    play.click()
    wait_until(lambda: play.text_content() == "❚❚ Pause", page)
    play.click()
    wait_until(lambda: play.text_content() == "▶ Play", page)


def test_the_share_link_can_be_reached_and_copied_by_keyboard(open_page):
    page = open_page({"view": "Teach"})
    focus_without_check(page, "input[aria-label='Link to this set-up']")
    assert ring_pixels(page) > 0.7


TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


def test_the_experiments_pills_keep_their_labels_with_wide_text_spacing(open_page):
    page = open_page()
    page.add_style_tag(content=TEXT_SPACING)
    settled(page)
    cut = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stButtonGroup]"
        " button')].filter(button => button.scrollHeight > button.clientHeight + 1"
        " || button.scrollWidth > button.clientWidth + 1).map(button => button.textContent)"
    )
    assert cut == []


def test_a_tables_toolbar_shows_while_the_keyboard_is_in_it(open_page):
    page = open_page({"view": "Iteration log"})
    focus_without_check(page, "[data-testid=stElementToolbar] button")
    opacity = page.evaluate(
        "parseFloat(getComputedStyle(document.activeElement"
        ".closest('[data-testid=stElementToolbar]')).opacity)"
    )
    assert opacity == 1


def test_the_table_button_hands_the_focus_to_the_view_it_opened(open_page):
    page = open_page()
    focus_without_check(page, "button", "Every number, as a table")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Download the log as CSV").wait_for()
    settled(page)
    page.wait_for_timeout(300)  # the page moves the focus on its next frame
    has = page.evaluate(
        "[document.activeElement.getAttribute('role'), document.activeElement.innerText]"
    )
    assert has == ["radio", "Iteration log"]  # the view selector, on the view now open


def test_the_quiz_keeps_the_focus_on_reveal(open_page):
    page = open_page({"view": "Quiz"})
    focus_without_check(page, "[data-testid=stMain] input[type=radio]")  # an answer
    page.keyboard.press("ArrowDown")
    settled(page)
    focus_without_check(page, "button", "Reveal")
    page.keyboard.press("Enter")
    page.locator("[data-testid=stAlert]").filter(has_text="rather than").or_(
        page.locator("[data-testid=stAlert]").filter(has_text="Right:")
    ).first.wait_for()
    settled(page)
    assert page.evaluate("document.activeElement.innerText").strip() == "Reveal"

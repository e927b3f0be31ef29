"""A whole class at once: 30 browser sessions with 30 different links against one server."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlencode

import pytest

import tinynet
from dashboard.harness import wait_drawn
from tinynet.number_words import numbers_apart

pytestmark = pytest.mark.browser

STUDENTS = 30


def _settings(student: int) -> dict[str, str]:
    """A different set-up for every student, half of them on each method."""
    if student % 2:
        return {
            "method": "up_and_down",
            "step": f"{0.01 * student:.2f}",
            "weight": str(student / 10),
        }
    return {
        "alpha": f"{0.004 * (student + 1):.3f}",
        "weight": str(-student / 10),
        "iterations": "30",
    }


def _final_weight(query: dict[str, str]) -> str:
    settings = {
        "method": "gradient_descent",
        "weight": 0.5,
        "data": 3.0,
        "target": 4.0,
        "iterations": 20,
    }
    for key, text in query.items():
        settings[key] = (
            text if key == "method" else int(text) if key == "iterations" else float(text)
        )
    # As the header prints it: with the digits that tell it from the best weight.
    final = tinynet.train(**settings).final_weight
    return numbers_apart(final, tinynet.best_weight(settings["data"], settings["target"]))[0]


def test_thirty_students_at_once_each_see_their_own_run(browser, app_url):
    queries = [_settings(student) for student in range(STUDENTS)]
    contexts = [browser.new_context(viewport={"width": 1280, "height": 720}) for _ in queries]
    try:
        pages = [context.new_page() for context in contexts]
        problems: list[str] = []
        for page in pages:
            page.on("pageerror", lambda error: problems.append(str(error)))
        for page, query in zip(
            pages, queries, strict=True
        ):  # all sessions open before any is drawn
            page.goto(f"{app_url}/?{urlencode(query)}", wait_until="commit")
        for page, query in zip(pages, queries, strict=True):
            page.bring_to_front()  # headless Chromium does not paint pages in the background
            wait_drawn(page, timeout=180_000)
            shown = page.locator("[data-testid=stMetricValue]").first.text_content()
            assert shown == _final_weight(query), query
            assert page.locator("[data-testid=stException]").count() == 0
        assert problems == []
        with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as answer:
            assert answer.read() == b"ok"
    finally:
        for context in contexts:
            context.close()

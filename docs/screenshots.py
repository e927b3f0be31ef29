"""Retake the README's screenshots: `python docs/screenshots.py` (needs Chromium and Playwright)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script: the project's own packages
from dashboard.harness import IDLE, PHONE, chromium, streamlit_server, wait_drawn  # noqa: E402


def to_chart(page: Page) -> None:
    """Scroll the first chart, its legend included, to just below the app's header."""
    page.locator("[data-testid=stPlotlyChart]").first.evaluate(
        """chart => {
            chart.scrollIntoView({block: 'start'});
            let box = chart.parentElement;
            while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
            if (box) box.scrollTop -= 80;
        }"""
    )


def pin_then_change(page: Page) -> None:
    """Pin the article's run, then try a smaller alpha beside it."""
    page.get_by_role("button", name="Pin this run").click()
    page.wait_for_selector(IDLE)
    box = page.get_by_label("Alpha (learning rate)", exact=True)
    box.fill("0.03")
    box.press("Enter")
    page.wait_for_timeout(500)
    page.wait_for_selector(IDLE)
    to_chart(page)


NO_CHARTS = {"Quiz", "Code", "Teach"}  # the views that draw no chart
SHOTS: list[tuple[str, str, tuple[int, int], Callable[[Page], None] | None]] = [
    # file name, link, viewport, what to do before the picture
    ("dashboard.png", "?alpha=0.03&at=3", (1280, 720), None),
    ("presenter.png", "?presenter=true&hide=method,exact_derivative", (1024, 768), None),
    ("phone.png", "?method=up_and_down", (390, 844), None),
    ("error-curve.png", "?alpha=0.03&at=2&view=Error+curve", (1280, 900), None),
    ("every-alpha.png", "?alpha=0.15&view=Every+alpha", (1280, 900), None),
    ("pinned.png", "?view=Learning", (1280, 900), pin_then_change),
    ("compare.png", "?view=Compare+methods", (1280, 900), to_chart),
    ("quiz.png", "?view=Quiz", (1280, 900), None),
    ("code.png", "?alpha=0.03&view=Code", (1280, 720), None),
]


def main() -> None:
    with streamlit_server() as server, chromium() as browser:
        for name, query, (width, height), action in SHOTS:
            options = {**PHONE} if width < 500 else {}
            options["viewport"] = {"width": width, "height": height}
            page = browser.new_page(**options)
            page.goto(server.url + "/" + query)
            # Not "are there charts on the page": Plotly's chart elements appear only once
            # its script has loaded, seconds after the app's script has finished.
            view = parse_qs(query.lstrip("?")).get("view", ["Lesson"])[0]
            wait_drawn(page, charts=view not in NO_CHARTS)
            if action:
                action(page)
            page.mouse.move(width - 5, height - 5)  # no hover label or chart toolbar
            page.wait_for_timeout(1500)
            page.screenshot(path=HERE / name)
            page.close()
            print("wrote", HERE / name)


if __name__ == "__main__":
    main()

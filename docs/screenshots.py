"""Retake the README's screenshots: `python docs/screenshots.py` (needs Chromium and Playwright)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import CHROMIUM, CHROMIUM_FLAGS, streamlit_server

HERE = Path(__file__).resolve().parent
SHOTS = [
    # file name, query, viewport, tab to open
    ("dashboard.png", "", (1280, 900), None),
    ("error-curve.png", "?alpha=0.03&at=2&view=Error+curve", (1280, 900), "Error curve"),
    ("every-alpha.png", "?alpha=0.15&view=Every+alpha", (1280, 900), "Every alpha"),
    ("presenter.png", "?presenter=true&hide=method,exact&alpha=1", (1280, 720), None),
    ("phone.png", "?method=up_and_down", (390, 844), None),
]


def main() -> None:
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, query, (width, height), tab in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(server.url + "/" + query)
            page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=60_000)
            page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
            if tab:  # opened by the link's view=, then scrolled to
                page.locator("[data-testid=stPlotlyChart]").first.scroll_into_view_if_needed()
            page.wait_for_timeout(1500)
            page.screenshot(path=HERE / name)
            page.close()
            print("wrote", HERE / name)
        browser.close()


if __name__ == "__main__":
    main()

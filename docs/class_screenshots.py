"""Retake the README's screenshots of class mode: `python docs/class_screenshots.py`.

A projector and one phone drive the real app; the rest of a class of 24 joins and votes
through the class store, as other phones would, so that the counts and charts look like a
lesson's. Needs Chromium and Playwright; writes class-projector.png, class-phone.png and
class-votes.png beside this file.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script: the project's own packages
from dashboard.class_store import ClassStore  # noqa: E402
from dashboard.harness import PHONE, chromium, streamlit_server, wait_drawn  # noqa: E402

CLASS = 24  # students, the phone among them
ROUNDS = (  # how the rest of the class votes, round by round: a class that talked it over
    {"converges": 9, "bounces": 4, "diverges": 7, "stalls": 3},
    {"converges": 4, "bounces": 2, "diverges": 16, "stalls": 1},
)


def settle(page: Page) -> None:
    wait_drawn(page, charts=False)
    page.mouse.move(page.viewport_size["width"] - 5, page.viewport_size["height"] - 5)
    page.wait_for_timeout(1500)


def class_votes(store: ClassStore, code: str, keys: list[str], number: int) -> None:
    """The rest of the class's votes in round ``number``, with bonus guesses around 8."""
    randomly = random.Random(number)  # noqa: S311 (the same pictures every time, no secret)
    choices = [choice for choice, count in ROUNDS[number - 1].items() for _ in range(count)]
    for key, choice in zip(keys, choices, strict=True):
        guess = round(randomly.gauss(8 if number == 2 else 5, 2.5), 1)
        store.vote(code, key, choice, guess if randomly.random() < 0.7 else None)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/classes.db"
        os.environ["TINYNET_DATABASE_URL"] = url  # the server inherits it
        with streamlit_server() as server, chromium() as browser:
            shoot(browser, server.url, ClassStore.connect(url))


def shoot(browser: object, address: str, store: ClassStore) -> None:
    projector = browser.new_page(viewport={"width": 1280, "height": 720})
    projector.goto(f"{address}/?view=Teach&presenter=true")
    wait_drawn(projector, charts=False)
    projector.get_by_role("button", name="Start a class").click()
    projector.wait_for_selector(".st-key-class_code")
    code = projector.locator(".st-key-class_code").inner_text().strip()
    keys = [store.join(code) for _ in range(CLASS - 1)]
    phone = browser.new_page(**PHONE)
    phone.goto(f"{address}/?join={code}")
    phone.locator("[data-testid=stAlert]").get_by_text("question will appear here").wait_for()
    projector.get_by_text(str(CLASS), exact=True).wait_for(timeout=30_000)
    settle(projector)
    projector.screenshot(path=HERE / "class-projector.png")

    projector.locator("label").filter(has_text="Gradient descent, no alpha").first.click()
    projector.get_by_text("Bonus: also ask for the weight").click()
    wait_drawn(projector, charts=False)
    projector.get_by_role("button", name="Open voting").click()
    phone.get_by_role("button", name="It blows up").wait_for(timeout=30_000)
    guess = phone.get_by_label("Bonus: the weight after the first update (optional)")
    guess.fill("-0.5")
    guess.press("Enter")
    wait_drawn(phone, charts=False)
    phone.get_by_role("button", name="It gets stuck short of the answer").click()
    phone.get_by_text("Your vote is in").wait_for()
    settle(phone)
    phone.screenshot(path=HERE / "class-phone.png")
    class_votes(store, code, keys, 1)

    projector.get_by_role("button", name="Close voting").click()
    projector.get_by_role("button", name="Vote again").click()
    phone.get_by_text("Round 2").wait_for(timeout=30_000)
    phone.get_by_role("button", name="It blows up").click()
    phone.get_by_text("Your vote is in").wait_for()
    class_votes(store, code, keys, 2)
    projector.get_by_role("button", name="Close voting").click()
    wait_drawn(projector)
    projector.locator("[data-testid=stPlotlyChart]").first.scroll_into_view_if_needed()
    settle(projector)
    projector.screenshot(path=HERE / "class-votes.png")
    for name in ("class-projector.png", "class-phone.png", "class-votes.png"):
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()

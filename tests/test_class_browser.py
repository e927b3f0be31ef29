"""Class mode in a real browser: one projector and three phones through a whole question, from
the join link to the reveal, over the app's own server and a class database of its own."""

from __future__ import annotations

import pytest

import tinynet
from dashboard.harness import PHONE, streamlit_server, wait_drawn
from dashboard.views import classes
from support import no_axe_violations
from tinynet.presets import PRESETS

pytestmark = pytest.mark.browser
TIMEOUT = 60_000  # milliseconds: a phone sees the class move on at its next check
QUESTION = next(preset for preset in PRESETS if preset.key == "without_alpha")
REASON = tinynet.verdict(tinynet.train(QUESTION.settings)).reason
GIVEAWAYS = [REASON, QUESTION.lesson, "Right:", "Not quite", "The answer"]


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYNET_DATABASE_URL", f"sqlite:///{tmp_path / 'classes.db'}")
    with streamlit_server() as running:
        yield running.url


def counted(projector, value: str) -> None:
    """Wait until the projector's live count (students joined, or votes in) reads ``value``."""
    projector.wait_for_function(
        "value => document.querySelector('.st-key-class_live [data-testid=stMetricValue]')"
        "?.innerText.trim() === value",
        arg=value,
        timeout=TIMEOUT,
    )


def text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def votes_chart(page) -> list[list[int]]:
    """The votes chart's bars as the browser drew them, round by round."""
    page.wait_for_selector(".stPlotlyChart .js-plotly-plot g.trace", timeout=TIMEOUT)
    return page.evaluate(
        "() => [...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')]"
        ".find(chart => chart.layout.xaxis.title.text === 'votes').data.map(trace => trace.x)"
    )


def keeps_the_answer(phone) -> None:
    said = text(phone)
    assert not [giveaway for giveaway in GIVEAWAYS if giveaway in said]
    assert not phone.locator("[data-testid=stPlotlyChart]").count()
    assert not phone.locator("[data-testid=stSidebar]").count()


def vote(phone, answer: str, keyboard: bool = False) -> None:
    """Tap an answer, or reach it with Tab and press Space, then wait for the page to say so."""
    button = phone.get_by_role("button", name=answer, exact=True)
    button.wait_for(timeout=TIMEOUT)
    if keyboard:
        for _ in range(30):
            phone.keyboard.press("Tab")
            if button.evaluate("node => node === document.activeElement"):
                break
        phone.keyboard.press("Space")
    else:
        button.click()
    phone.get_by_test_id("stMain").get_by_text("Your vote is in").wait_for(timeout=TIMEOUT)
    assert answer.lower() in text(phone)


def test_a_class_votes_twice_and_each_phone_sees_its_result(browser, server):
    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = projector_context.new_page()
    projector.goto(f"{server}/?view=Teach")
    wait_drawn(projector, charts=False)
    projector.get_by_role("button", name="Start a class").click()
    projector.wait_for_selector(".st-key-class_code", timeout=TIMEOUT)
    link = projector.locator("[data-testid=stCode]").first.inner_text().strip()
    code = projector.locator(".st-key-class_code").inner_text().strip()
    assert link == f"{server}/?join={code}"
    projector.get_by_role("img", name=f"QR code of the join link, {link}").wait_for(timeout=TIMEOUT)
    (key,) = [c["value"] for c in projector_context.cookies() if c["name"] == classes.TEACHER]
    no_axe_violations(projector)

    phones = []
    for _ in range(3):
        context = browser.new_context(**PHONE)
        phone = context.new_page()
        phone.goto(link)
        phone.locator("[data-testid=stAlert]").get_by_text("question will appear here").wait_for(
            timeout=TIMEOUT
        )
        keeps_the_answer(phone)
        phones.append(phone)
    no_axe_violations(phones[0])
    counted(projector, "3")  # live, without a reload

    main = projector.get_by_test_id("stMainBlockContainer")
    main.get_by_role("radio", name="Gradient descent, no alpha", exact=True).check(force=True)
    projector.get_by_text("Bonus: also ask for the weight").click()
    wait_drawn(projector, charts=False)
    projector.get_by_role("button", name="Open voting").click()

    for phone in phones:
        button = phone.get_by_role("button", name="It blows up", exact=True)
        button.wait_for(timeout=TIMEOUT)
        assert button.bounding_box()["height"] >= 48
        keeps_the_answer(phone)
    bonus = phones[0].get_by_label("Bonus: the weight after the first update (optional)")
    bonus.fill("8")
    bonus.press("Enter")
    wait_drawn(phones[0], charts=False)
    vote(phones[0], "It reaches the answer and stays there", keyboard=True)
    vote(phones[1], "It reaches the answer and stays there")
    vote(phones[2], "It blows up")
    for phone in phones:
        keeps_the_answer(phone)
    counted(projector, "3 of 3")
    no_axe_violations(projector)
    no_axe_violations(phones[0])

    projector.get_by_role("button", name="Close voting").click()
    assert votes_chart(projector) == [[2, 0, 1, 0]]
    no_axe_violations(projector)
    projector.get_by_role("button", name="Vote again").click()
    counted(projector, "0 of 3")
    for phone in phones:
        phone.get_by_test_id("stMain").get_by_text("Round 2:", exact=True).wait_for(timeout=TIMEOUT)
        keeps_the_answer(phone)
    vote(phones[0], "It blows up")
    vote(phones[1], "It reaches the answer and stays there")
    vote(phones[2], "It blows up")
    phones[2].reload()  # a reload keeps the seat and its vote: no second vote
    phones[2].get_by_test_id("stMain").get_by_text("Your vote is in").wait_for(timeout=TIMEOUT)
    counted(projector, "3 of 3")
    for phone in phones:
        keeps_the_answer(phone)

    projector.get_by_role("button", name="Close voting").click()
    assert votes_chart(projector) == [[2, 0, 1, 0], [1, 0, 2, 0]]
    projector.reload()  # the projector's tab finds its class again, by its cookie
    projector.get_by_role("button", name="Reveal").click(timeout=TIMEOUT)
    projector.get_by_text("The answer: it blows up.").wait_for(timeout=TIMEOUT)
    assert REASON in text(projector)

    results = ["Right: it blows up.", "Not quite: it blows up", "Right: it blows up."]
    for phone, result in zip(phones, results, strict=True):
        phone.get_by_test_id("stMain").get_by_text(result).wait_for(timeout=TIMEOUT)
        wait_drawn(phone)
        assert REASON in text(phone)
    assert "after the first update the weight is 8 (you said 8)" in text(phones[0])
    no_axe_violations(projector)
    no_axe_violations(phones[1])

    for page in (projector, *phones):
        assert key not in page.url and key not in page.content()
    projector_context.close()
    for phone in phones:
        phone.context.close()


def test_a_phone_without_a_good_code_gets_an_accessible_code_field(browser, server):
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(f"{server}/?join=%3Cscript%3E")
    phone.get_by_label("Class code").wait_for(timeout=TIMEOUT)
    assert phone.locator("[data-testid=stAlert]").count() == 1
    no_axe_violations(phone)
    context.close()


FOCUSED = (  # the focused button's words ('' when what has the focus is no button)
    "() => document.activeElement.tagName === 'BUTTON' ?"
    " document.activeElement.innerText.trim() : ''"
)


def pressed_by_keyboard(page, label: str, presses: int = 80) -> None:
    """Tab to the button ``label`` and press Enter: a keyboard, no pointer."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).endswith(label):
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"Tab never reached {label!r}")


def focus_lands_on(page, label: str) -> None:
    """Wait until the keyboard's focus is on the button ``label`` (never the page's body)."""
    page.wait_for_function(
        "label => document.activeElement.tagName === 'BUTTON'"
        " && document.activeElement.innerText.trim().endsWith(label)",
        arg=label,
        timeout=TIMEOUT,
    )


def announced(page, words: str) -> None:
    """Wait until the page's announcer, a live region there from the start, says ``words``."""
    page.wait_for_function(
        "words => document.querySelector('.tinynet-announcer[aria-live=polite]')"
        "?.textContent.includes(words)",
        arg=words,
        timeout=TIMEOUT,
    )


def test_a_keyboard_runs_a_class_and_votes_and_focus_follows_every_step(browser, server):
    projector = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(f"{server}/?view=Teach")
    wait_drawn(projector, charts=False)
    pressed_by_keyboard(projector, "Start a class")
    projector.wait_for_selector(".st-key-class_code", timeout=TIMEOUT)
    focus_lands_on(projector, "Open voting")
    live = projector.locator(".st-key-class_live")
    assert (live.get_attribute("role"), live.get_attribute("aria-live")) == ("status", "polite")
    code = projector.locator(".st-key-class_code").inner_text().strip()

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{server}/?join={code}")
    announced(phone, "Your teacher's question will appear here")
    counted(projector, "1")
    projector.keyboard.press("Enter")  # Open voting, where the focus already is
    focus_lands_on(projector, "Close voting")
    announced(phone, "vote now")
    answers = phone.locator(".st-key-class_answers button")
    answers.first.wait_for(timeout=TIMEOUT)
    for _ in range(40):
        phone.keyboard.press("Tab")
        if phone.evaluate(FOCUSED).endswith("It blows up"):
            break
    phone.keyboard.press("Space")
    announced(phone, "Your vote is in: it blows up")
    focus_lands_on(phone, "It blows up")
    chosen = phone.get_by_role("button", name="It blows up")
    assert chosen.get_attribute("aria-pressed") == "true"
    assert (
        phone.get_by_role("button", name="It reaches the answer and stays there").get_attribute(
            "aria-pressed"
        )
        == "false"
    )
    counted(projector, "1 of 1")

    projector.keyboard.press("Enter")  # Close voting
    focus_lands_on(projector, "Vote again")
    announced(phone, "Voting is closed")
    pressed_by_keyboard(projector, "Reveal")
    focus_lands_on(projector, "Next question")
    announced(phone, "Not quite: it hops around the answer for ever")  # the first question
    pressed_by_keyboard(projector, "End class")
    focus_lands_on(projector, "Keep the class")  # the way out that loses nothing
    projector.keyboard.press("Enter")
    focus_lands_on(projector, "Next question")
    pressed_by_keyboard(projector, "End class")
    focus_lands_on(projector, "Keep the class")
    projector.keyboard.press("Shift+Tab")  # back to "Yes, end the class"
    projector.keyboard.press("Enter")
    focus_lands_on(projector, "Start a class")

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
    phone.get_by_text("Your vote is in").wait_for(timeout=TIMEOUT)
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
        phone.get_by_text("question will appear here").wait_for(timeout=TIMEOUT)
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
        phone.get_by_text("Round 2").wait_for(timeout=TIMEOUT)
        keeps_the_answer(phone)
    vote(phones[0], "It blows up")
    vote(phones[1], "It reaches the answer and stays there")
    vote(phones[2], "It blows up")
    phones[2].reload()  # a reload keeps the seat and its vote: no second vote
    phones[2].get_by_text("Your vote is in").wait_for(timeout=TIMEOUT)
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
        phone.get_by_text(result).wait_for(timeout=TIMEOUT)
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

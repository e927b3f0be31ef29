"""Class mode through AppTest: the projector's page and the students' phones, question by
question, from the join code to the reveal."""

from __future__ import annotations

import json

import pytest

import tinynet
from class_support import (
    COOKIES,
    SITE,
    answer_words,
    ask,
    buttons,
    cookies,  # noqa: F401 (a fixture)
    database,  # noqa: F401 (a fixture)
    phone,
    press,
    ran,
    said,
    start,
    store,
    teacher,
    verdict_shown,
    vote,
)
from dashboard.views import classes
from tinynet.presets import PRESETS

PRESET = {preset.key: preset for preset in PRESETS}
pytestmark = pytest.mark.usefixtures("database", "cookies")


def charts(app) -> dict[str, dict]:
    return {chart.key: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def counts(app) -> list[list[int]]:
    """The bars of the votes chart, round by round, in the order of OUTCOMES."""
    return [trace["x"] for trace in charts(app)["class_votes"]["data"]]


def test_the_projector_shows_the_join_code_link_and_qr_code_and_who_joined():
    projector = teacher()
    assert buttons(projector) == ["Start a class"]
    code = start(projector)
    assert [element.value for element in projector.markdown if element.value == code]
    assert [block.value for block in projector.code] == [f"{SITE}/?join={code}"]
    (qr,) = projector.get("image")
    assert f"{SITE}/?join={code}" in qr.proto.imgs[0].alt
    assert [(m.label, m.value) for m in projector.metric] == [("Students joined", "0")]
    phone(code)
    phone(code)
    assert [(m.label, m.value) for m in ran(projector).metric] == [("Students joined", "2")]


def test_while_voting_the_projector_shows_how_many_voted_and_not_what():
    projector = teacher()
    code = start(projector)
    phones = [phone(code) for _ in range(3)]
    ask(projector)
    vote(ran(phones[0]), "diverges")
    vote(ran(phones[1]), "converges")
    ran(projector)
    assert [(m.label, m.value) for m in projector.metric] == [("Votes in", "2 of 3")]
    assert not charts(projector)
    for answer in tinynet.OUTCOMES:  # every answer is listed once, with no count beside it
        assert said(projector).count(answer_words(answer).capitalize()) == 1


def test_closing_shows_a_bar_per_answer_and_a_second_round_beside_the_first():
    projector = teacher()
    code = start(projector)
    phones = [phone(code) for _ in range(3)]
    ask(projector)
    for app, outcome in zip(phones, ["diverges", "converges", "diverges"], strict=True):
        vote(ran(app), outcome)
    press(projector, "class_close_voting")
    assert counts(projector) == [[1, 0, 2, 0]]  # OUTCOMES: converges, bounces, diverges, stalls
    press(projector, "class_vote_again")
    assert "class_vote_again" not in [button.key for button in projector.button]
    for app in phones:
        vote(ran(app), "diverges")
    press(projector, "class_close_voting")
    assert counts(projector) == [[1, 0, 2, 0], [0, 0, 3, 0]]
    names = [trace["name"] for trace in charts(projector)["class_votes"]["data"]]
    assert names == ["Round 1", "Round 2"]
    assert "class_vote_again" not in [button.key for button in projector.button]  # two at most


def test_a_student_may_change_their_vote_until_voting_closes():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    vote(ran(mine), "converges")
    vote(mine, "stalls")
    assert "Your vote is in:** it gets stuck short of the answer" in said(mine)
    press(projector, "class_close_voting")
    ran(mine)
    assert not [key for key in (button.key for button in mine.button) if "vote" in key]
    assert "Your vote: it gets stuck short of the answer" in said(mine)
    assert counts(projector) == [[0, 0, 0, 1]]


def test_the_reveal_tells_each_student_right_or_wrong_why_and_shows_the_run():
    projector = teacher()
    code = start(projector)
    right, wrong, silent = phone(code), phone(code), phone(code)
    ask(projector, "without_alpha")
    vote(ran(right), "diverges")
    vote(ran(wrong), "bounces")
    press(projector, "class_close_voting")
    press(projector, "class_reveal")
    run = tinynet.train(PRESET["without_alpha"].settings)
    reason = tinynet.verdict(run).reason
    assert [box.value for box in ran(right).success] == ["**Right: it blows up.**"]
    expected = "**Not quite: it blows up**, rather than it hops around the answer for ever."
    assert [box.value for box in ran(wrong).error] == [expected]
    assert "You did not vote on this question" in said(ran(silent))
    for app in (right, wrong, silent):
        assert reason in said(app)
        assert set(charts(app)) == {"lesson"}
    assert reason in said(projector)
    assert {"lesson", "class_votes"} <= set(charts(projector))


def test_the_bonus_guesses_make_a_histogram_and_the_reveal_marks_the_true_weight():
    projector = teacher()
    code = start(projector)
    phones = [phone(code) for _ in range(3)]
    ask(projector, "with_alpha", bonus=True)
    for app, guess in zip(phones, [1.25, 2.0, 1.25], strict=True):
        vote(ran(app), "converges", bonus=guess)
    assert "with the bonus 1.25" in said(phones[0])
    press(projector, "class_close_voting")
    histogram = charts(projector)["class_bonus"]
    assert sum(sum(trace["y"]) for trace in histogram["data"]) == 3
    assert not histogram["layout"]["shapes"]  # no true weight before the reveal
    press(projector, "class_reveal")
    truth = float(tinynet.train(PRESET["with_alpha"].settings).weights[1])
    (line,) = charts(projector)["class_bonus"]["layout"]["shapes"]
    assert line["x0"] == truth == 1.25
    assert "**Spot on:** after the first update the weight is 1.25" in said(ran(phones[0]))
    assert "**Not this time:**" in said(ran(phones[1]))


def test_a_round_two_phone_offers_the_students_own_bonus_guess_again():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector, "with_alpha", bonus=True)
    vote(ran(mine), "converges", bonus=1.5)
    press(projector, "class_close_voting")
    press(projector, "class_vote_again")
    ran(ran(mine))
    assert mine.number_input(key="class_guess").value == 1.5


def test_the_current_set_up_is_asked_as_the_sidebar_holds_it():
    projector = teacher(method="gradient_descent", alpha="0.7", iterations="30")
    code = start(projector)
    ask(projector, classes.SETUP)
    state = store().state(code)
    asked = classes.settings_of(state.question)
    assert (asked.alpha, asked.iterations) == (0.7, 30)
    assert "Gradient descent, with alpha 0.7" in said(ran(phone(code)))


def test_a_phone_never_shows_the_answer_before_the_reveal():
    """No verdict, no reason, no lesson, no chart and no sidebar, in every phase before it."""
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    preset = PRESET["without_alpha"]
    run = tinynet.train(preset.settings)
    secrets = [tinynet.verdict(run).reason, tinynet.verdict(run).headline, preset.lesson]
    secrets += ["Right", "Not quite", "The answer", "blows up."]

    def hides_it() -> None:
        text = said(ran(mine))
        assert not [secret for secret in secrets if secret in text]
        assert not charts(mine)
        assert not mine.sidebar.children
        assert not verdict_shown(mine)

    hides_it()
    ask(projector, "without_alpha")
    hides_it()
    vote(mine, "converges")  # a wrong answer: the right one must not show anywhere
    hides_it()
    press(projector, "class_close_voting")
    hides_it()
    press(projector, "class_vote_again")
    hides_it()
    press(projector, "class_close_voting")
    hides_it()
    press(projector, "class_reveal")
    assert "Not quite: it blows up" in said(ran(mine))


def test_the_projector_hides_the_verdict_until_the_reveal():
    projector = teacher()
    assert verdict_shown(projector)  # no class: the dashboard as ever
    start(projector)
    assert not verdict_shown(projector)  # the teacher is about to pick a question
    ask(projector, classes.SETUP)
    assert not verdict_shown(projector)
    for view in ("Lesson", "Learning", "Quiz"):  # on every view, while the question is open
        projector.session_state["view"] = view
        assert not verdict_shown(ran(projector))
    projector.session_state["view"] = "Teach"
    press(ran(projector), "class_close_voting")
    assert not verdict_shown(projector)
    press(projector, "class_reveal")
    assert verdict_shown(projector)


def test_the_reveal_loads_the_question_into_the_sidebar_and_its_verdict_into_the_header():
    projector = teacher()
    start(projector)
    ask(projector, "up_and_down")
    press(projector, "class_close_voting")
    press(projector, "class_reveal")
    assert projector.session_state["method"] == "up_and_down"
    headline = tinynet.verdict(tinynet.train(PRESET["up_and_down"].settings)).headline
    assert headline in said(projector)


def test_next_question_and_end_class():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    vote(ran(mine), "diverges")
    press(projector, "class_close_voting")
    press(projector, "class_next_question")
    assert "Open voting" in buttons(projector)
    assert "question will appear here" in said(ran(mine))
    ask(projector, "up_and_down")
    assert "Question 2: Up and down" in said(ran(mine))
    assert mine.number_input.len == 0  # no bonus asked
    press(projector, "class_end_class")
    press(projector, "class_yes_end_the_class")
    assert buttons(projector) == ["Start a class"]
    assert "This class is over." in said(ran(mine))
    assert "Join" in buttons(mine)


def test_a_reloaded_projector_finds_its_class_again():
    projector = teacher()
    code = start(projector)
    ask(projector)
    COOKIES[classes.TEACHER] = projector.session_state["class_running"].key
    again = teacher()
    assert again.session_state["class_running"].code == code
    assert "Close voting" in buttons(again)
    assert not verdict_shown(again)  # from the first run on


def test_a_reloaded_phone_keeps_its_seat_and_its_vote():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    vote(ran(mine), "diverges")
    COOKIES[classes.STUDENT] = mine.session_state["class_seat"].key
    reloaded = phone(code)
    assert "Your vote is in:** it blows up" in said(reloaded)
    vote(reloaded, "converges")
    state = store().state(code)
    assert (state.students, state.votes) == (1, 1)


def test_a_phone_without_a_code_in_its_link_asks_for_one():
    projector = teacher()
    code = start(projector)
    mine = phone("")
    assert mine.text_input(key="class_typed").label == "Class code"
    mine.text_input(key="class_typed").set_value(f"  {code.lower()} ")
    mine.button(key="FormSubmitter:class_join-Join").click()
    ran(mine)
    assert mine.query_params["join"] == code
    assert "question will appear here" in said(mine)
    assert (store().state(code).students) == 1

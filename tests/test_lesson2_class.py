"""Lesson 2's questions in the quiz and in class mode, through AppTest: what a set-up will do,
and which of four paths is SGD's; the answer kept from every page until the reveal."""

from __future__ import annotations

import json

import pytest
import streamlit as st

from class_support import (
    cookies,  # noqa: F401 (a fixture)
    database,  # noqa: F401 (a fixture)
    phone,
    press,
    ran,
    said,
    start,
    store,
    teacher,
)
from dashboard.views import line_class
from support import open_app
from tinynet.line import LINE_PRESETS, line_data, train_line
from tinynet.line_words import line_verdict, paths_answer

PRESET = {preset.key: preset for preset in LINE_PRESETS}
LETTERS = line_class.LETTERS


def charts(app) -> dict[str, dict]:
    return {chart.key: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def verdict_of(key: str):
    preset = PRESET[key]
    return line_verdict(train_line(line_data(preset.xs, preset.ys), preset.settings))


def lesson_two_teacher():
    return teacher(lesson="2", line_view="Teach")


def ask(app, source: str, bonus: bool = False):
    app.radio(key="class_line_source").set_value(source)
    app.toggle(key="class_bonus").set_value(bonus)
    ran(app)
    return press(app, "class_open_voting")


def verdict_shown(app) -> bool:
    """Whether the header's verdict, its numbers, the readout or the forecast are drawn."""
    headline = any(metric.label == "Final bias" for metric in app.metric)
    readout = any("Hessian" in caption.value for caption in app.sidebar.caption)
    return headline or readout


@pytest.mark.usefixtures("database", "cookies")
def test_a_class_votes_on_a_lesson_2_set_up_and_the_reveal_shows_its_run():
    projector = lesson_two_teacher()
    code = start(projector)
    right, wrong = phone(code), phone(code)
    ask(projector, "trap", bonus=True)
    assert not verdict_shown(projector)
    judged = verdict_of("trap")
    for app in (right, wrong):
        text = said(ran(app))
        assert "Stable alone, unstable together" in text and "What will the line do?" in text
        assert "Each step uses all 8 points; alpha 0.078." in text
        assert judged.reason not in text and not charts(app)
    press(right, "class_vote_diverges")
    press(ran(wrong), "class_vote_converges")
    press(projector, "class_close_voting")
    press(projector, "class_reveal")
    assert next(box.value for box in ran(right).success) == "**Right: it blows up.**"
    assert "**Not quite: it blows up**" in said(ran(wrong))
    for app in (right, wrong, projector):
        assert judged.reason in said(app)
        assert "line_lesson" in charts(app)
    assert projector.session_state["line_alpha"] == 0.078 and verdict_shown(projector)
    run = train_line(line_data(PRESET["trap"].xs, PRESET["trap"].ys), PRESET["trap"].settings)
    assert store().state(code).next_weight == run.weights[1]  # the bonus: the first update's


@pytest.mark.usefixtures("database", "cookies")
def test_which_path_is_sgds_shows_letters_until_the_reveal_and_then_how_each_steps():
    projector = lesson_two_teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector, line_class.PATHS)
    question = line_class.of(store().state(code).question)
    answer = LETTERS[question.order.index("stochastic")]
    ran(mine)
    assert "Which of these paths is SGD's?" in said(mine)
    paths = charts(mine)["class_paths"]
    names = [trace["name"] for trace in paths["data"] if trace.get("name", "").startswith("path")]
    assert names == [f"path {letter}" for letter in LETTERS]  # letters only: nothing told
    (element,) = mine.get("plotly_chart")
    assert "one point" not in element.proto.alt and "SGD" not in element.proto.alt
    assert [button.label for button in mine.button if button.key.startswith("class_vote")] == [
        f"Path {letter}" for letter in LETTERS
    ]
    press(mine, f"class_vote_{answer}")
    press(projector, "class_close_voting")
    press(projector, "class_reveal")
    text = said(ran(mine))
    assert f"**Right: path {answer} is SGD's.**" in text
    runs = [
        train_line(question.points.data(), line_class.PATH_RUNS[method])
        for method in question.order
    ]
    assert paths_answer(runs, list(LETTERS), question.order.index("stochastic")) in text
    revealed = [trace["name"] for trace in charts(mine)["class_paths"]["data"]]
    assert f"path {answer}: one point per step (SGD)" in revealed
    assert projector.session_state["line_method"] == "stochastic"  # SGD's run, on the projector


@pytest.mark.usefixtures("database", "cookies")
def test_own_points_go_into_a_question_by_value_up_to_a_hundred():
    projector = lesson_two_teacher()
    start(projector)
    projector.session_state["line_view"] = "Points"
    ran(projector)
    projector.file_uploader[0].set_value(("mine.csv", b"x,y\n1,1\n2,3\n3,4\n", "text/csv"))
    ran(projector)
    projector.session_state["line_view"] = "Teach"
    ask(ran(projector), line_class.SETUP)
    question = line_class.of(store().state(projector.session_state["class_running"].code).question)
    assert question.points.own.xs.tolist() == [1, 2, 3]
    assert "3 points of your own" in said(projector)


def test_the_quiz_keeps_its_answer_until_reveal_then_loads_the_run():
    st.cache_data.clear()
    app = open_app({"lesson": "2", "line_view": "Quiz"})
    app.selectbox(key="line_quiz_source").set_value("frozen_bias")
    ran(app)
    assert not verdict_shown(app) and not charts(app)
    app.radio(key="line_quiz_guess").set_value("stalls")
    press(ran(app), "line_quiz_reveal")
    judged = verdict_of("frozen_bias")
    assert app.success[-1].value.startswith("**Right: it gets stuck short of the answer.**")
    assert judged.reason in said(app)
    assert app.session_state["line_freeze_bias"] is True and verdict_shown(app)
    app.selectbox(key="line_quiz_source").set_value("momentum")
    assert not verdict_shown(ran(app))  # a new question: the answer hidden again


def test_the_quiz_asks_which_path_is_sgds():
    st.cache_data.clear()
    app = open_app({"lesson": "2", "line_view": "Quiz"})
    app.selectbox(key="line_quiz_source").set_value(line_class.PATHS)
    ran(app)
    assert app.radio(key="line_quiz_guess_paths").options == [
        f"Path {letter}" for letter in LETTERS
    ]
    names = [trace["name"] for trace in charts(app)["class_paths"]["data"]]
    assert not [name for name in names if ":" in name]  # letters only
    app.radio(key="line_quiz_guess_paths").set_value("A")
    press(ran(app), "line_quiz_reveal")
    text = said(app)
    assert "is SGD's" in text and ("**Right:" in text or "**Not quite:" in text)
    named = [trace.get("name", "") for trace in charts(app)["class_paths"]["data"]]
    assert "one point per step (SGD)" in " ".join(named)
    assert app.session_state["line_method"] == "stochastic"

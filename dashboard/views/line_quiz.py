"""Predict, then reveal: a question on one of lesson 2's experiments, or which path is SGD's."""

from __future__ import annotations

import random

import streamlit as st

from dashboard.link import Points
from dashboard.views import common, line_class
from tinynet.line import LineSettings

SOURCES = tuple(key for key in line_class.QUESTIONS if key != line_class.SETUP)


def keeps_answer() -> bool:
    """Whether a question is open: the chosen question's answer has not been revealed."""
    answer = st.session_state.get("line_quiz_answer")
    chosen = st.session_state.get("line_quiz_source", SOURCES[0])
    return answer is None or answer["source"] != chosen


def current(source: str, points: Points, settings: LineSettings) -> line_class.LineQuestion:
    """The question ``source``; the paths keep one order for the whole session."""
    if "line_quiz_order" not in st.session_state:
        st.session_state.line_quiz_order = random.SystemRandom().random()
    draw = random.Random(st.session_state.line_quiz_order)  # noqa: S311 (an order, no secret)
    setup = line_class.Setup(points, settings)
    return line_class.of(line_class.question(source, setup, draw))


def guess_key(question: line_class.LineQuestion) -> str:
    """One radio per kind of question: their choices differ."""
    return "line_quiz_guess_paths" if question.paths else "line_quiz_guess"


def reveal(question: line_class.LineQuestion) -> None:
    """Keep the student's guess, then load the question's run so that it is on screen."""
    st.session_state.line_quiz_answer = {
        "source": question.source,
        "guess": st.session_state[guess_key(question)],
    }
    line_class.load(question)


def answer(question: line_class.LineQuestion, guess: str | None) -> None:
    truth, _ = line_class.truth(question)
    right, said = line_class.graded_answer(question, guess, truth)
    lesson = line_class.PRESET_OF[question.source].lesson if not question.paths else ""
    (st.success if right else st.error)(f"{said} {lesson}".strip())
    st.caption(f"{line_class.reason(question)} The charts now show this run.")


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    """Pick a question, guess, then reveal the run."""
    st.markdown("**Predict, then reveal.** Pick a question, guess the answer, then run it.")
    choice = st.selectbox(
        "Question", SOURCES, format_func=line_class.QUESTIONS.get, key="line_quiz_source"
    )
    question = current(choice, points, settings)
    st.caption(line_class.described(question))
    if question.paths:
        line_class.paths_chart(question, page, revealed=not keeps_answer())
    key = guess_key(question)
    words = line_class.answers(question)
    st.radio(
        line_class.prompt(question),
        line_class.choices(question),
        format_func=words.get,
        index=None,
        key=key,
    )
    st.button(
        "Reveal",
        on_click=reveal,
        args=(question,),
        disabled=st.session_state[key] is None,
        type="primary",
        key="line_quiz_reveal",
    )
    if not keeps_answer():
        answer(question, st.session_state.line_quiz_answer["guess"])

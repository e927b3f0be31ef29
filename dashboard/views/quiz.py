"""Predict, then reveal: a question on one of the article's experiments."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.views import common
from dashboard.views.controls import load
from tinynet.analysis import OUTCOMES
from tinynet.explain import ANSWERS, bonus_graded, graded
from tinynet.number_words import number_text
from tinynet.presets import PRESET_OF, PRESETS, label
from tinynet.verdicts import verdict


def title(preset_key: str) -> str:
    return PRESET_OF[preset_key].title


def keeps_answer() -> bool:
    """Whether a question is open: the chosen experiment's answer has not been revealed."""
    answer = st.session_state.get("quiz_answer")
    chosen = st.session_state.get("quiz_preset", PRESETS[0].key)
    return answer is None or answer["preset"] != chosen


def reveal(preset_key: str) -> None:
    """Keep the student's guess, then load the experiment so that its run is on screen."""
    st.session_state.quiz_answer = {
        "preset": preset_key,
        "guess": st.session_state.quiz_guess,
        "weight": st.session_state.quiz_weight,
    }
    load(PRESET_OF[preset_key].settings)


def answer(revealed: dict[str, object]) -> None:
    preset = PRESET_OF[revealed["preset"]]
    run = common.train(preset.settings)
    right, said = graded(revealed["guess"], preset.outcome)
    (st.success if right else st.error)(f"{said} {preset.lesson}")
    st.caption(f"{verdict(run).reason} The charts now show this experiment.")
    if revealed["weight"] is not None:
        st.markdown(bonus_graded(revealed["weight"], float(run.weights[1])))


def show(settings: tinynet.Settings, page: common.Page) -> None:
    """Pick an experiment, guess what it will do, then run it."""
    st.markdown("**Predict, then reveal.** Pick an experiment, guess what it will do, then run it.")
    choice = st.selectbox("Experiment", tuple(PRESET_OF), format_func=title, key="quiz_preset")
    chosen = PRESET_OF[choice].settings
    st.caption(
        f"Starts at weight {number_text(chosen.weight)} with data {number_text(chosen.data)} "
        f"and target {number_text(chosen.target)}; {label(chosen)}; "
        f"{chosen.iterations} iterations."
    )
    st.radio(
        "What will the weight do?", OUTCOMES, format_func=ANSWERS.get, index=None, key="quiz_guess"
    )
    st.number_input(
        "Bonus: the weight after the first update (optional)",
        value=None,
        format="%g",
        key="quiz_weight",
    )
    st.button(
        "Reveal",
        on_click=reveal,
        args=(choice,),
        disabled=st.session_state.quiz_guess is None,
        type="primary",
    )
    if not keeps_answer():
        answer(st.session_state.quiz_answer)

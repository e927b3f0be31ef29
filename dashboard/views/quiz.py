"""Predict, then reveal: a question on one of the article's experiments."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.views import common
from dashboard.views.controls import load
from tinynet.analysis import OUTCOMES
from tinynet.explain import ANSWERS
from tinynet.number_words import number_text
from tinynet.presets import PRESETS, label
from tinynet.verdicts import verdict

PRESET_OF = {preset.key: preset for preset in PRESETS}


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
    truth = ANSWERS[preset.outcome].lower()
    if revealed["guess"] == preset.outcome:
        st.success(f"**Right: {truth}.** {preset.lesson}")
    else:
        guess = ANSWERS[revealed["guess"]].lower()
        st.error(f"**Not quite: {truth}**, rather than {guess}. {preset.lesson}")
    st.caption(f"{verdict(run).reason} The charts now show this experiment.")
    guess, actual = revealed["weight"], float(run.weights[1])
    if guess is not None:
        close = abs(guess - actual) <= 1e-6 * max(1.0, abs(actual))
        st.markdown(
            f"**{'Spot on' if close else 'Not this time'}:** after one update the weight is "
            f"{number_text(actual, 10)} (you said {number_text(guess, 10)})."
        )


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

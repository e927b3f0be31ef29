"""Lesson 2's sidebar: its experiments in one click, the points and every setting of the run,
and, before the run, the error's curvature and what it allows."""

from __future__ import annotations

import streamlit as st

from dashboard.link import FIELDS, LINE_CONTROLS, Points, preset_values
from dashboard.views import common, line_common
from dashboard.views.controls import COLOURS
from tinynet.line import LINE_PRESETS, LineSettings

PRESET_OF = {preset.key: preset for preset in LINE_PRESETS}
NAMES = {
    "line_data": {
        "patients": "Patients, 8 days",
        "city": "A city hospital, 8 days",
        "own": "Your own points",
    },
    "line_method": {
        "batch": "All the points (batch)",
        "mini-batch": "A mini-batch",
        "stochastic": "One point (stochastic)",
    },
}


def load(values: dict[str, object]) -> None:
    """Put an experiment's values into the controls (from a callback: before the widgets)."""
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state.line_at = 1


def load_preset() -> None:
    """Load the chosen experiment, then clear the choice so that it can be chosen again."""
    if st.session_state.line_preset:
        load(preset_values(PRESET_OF[st.session_state.line_preset]))
    st.session_state.line_preset = None


def applies(key: str) -> bool:
    """Whether a control applies to the other settings (the others are not drawn)."""
    method, adam = st.session_state.line_method, st.session_state.line_adam
    return {
        "line_batch": method == "mini-batch",
        "line_seed": method != "batch",
        "line_momentum": not adam,
        "line_beta1": adam,
        "line_beta2": adam,
    }.get(key, True)


def control(key: str) -> None:
    """The widget of one setting of a lesson-2 run."""
    field = FIELDS[key]
    if key in NAMES:
        st.radio(field.label, field.choices, format_func=NAMES[key].get, key=key, help=field.help)
    elif field.kind is bool:
        st.toggle(field.label, key=key, help=field.help)
    else:
        common.number_setting(key)


def said_before(points: Points, settings: LineSettings) -> None:
    """The error's curvature, the limits it sets on alpha and the forecast, before any run."""
    st.subheader("Before the run")
    for sentence in line_common.before_the_run(points, settings):
        st.caption(sentence)
    _, said = line_common.judged(points, settings)
    colour, icon = COLOURS[said.outcome]
    st.caption(f":{colour}-badge[{icon} This run {said.badge}] {said.sentence}")


def show(points: Points, settings: LineSettings, hidden: set[str], with_forecast: bool) -> None:
    """The experiments, then every setting that applies, with what the settings allow said
    after the ones it depends on (unless a question keeps the answer)."""
    st.header("Settings")
    st.pills(
        "Lesson 2's experiments, in one click",
        tuple(PRESET_OF),
        format_func=lambda key: PRESET_OF[key].title,
        key="line_preset",
        on_change=load_preset,
        help="Each loads a set of points and the settings that show one idea.",
    )
    for key in LINE_CONTROLS:
        if key not in hidden and applies(key):
            control(key)
        if key == "line_data" and points.name != st.session_state.line_data:
            st.caption("No points of your own yet: type or upload them in the Points view.")
        if key == "line_freeze_bias" and with_forecast:
            said_before(points, settings)
    if hidden:
        st.caption("Some controls are hidden for this lesson.")

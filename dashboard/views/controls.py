"""The sidebar: the article's experiments in one click, and every setting of the run."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.link import CONTROLS, FIELDS
from dashboard.views import common
from tinynet.explain import forecast
from tinynet.presets import PRESET_OF

COLOURS = {  # a forecast's badge, by outcome: colour and icon
    "converges": ("green", ":material/check_circle:"),
    "bounces": ("orange", ":material/sync:"),
    "diverges": ("red", ":material/warning:"),
    "stalls": ("gray", ":material/pause_circle:"),
}
METHOD_NAMES = {"up_and_down": "Up and down", "gradient_descent": "Gradient descent"}


def load(settings: tinynet.Settings) -> None:
    """Put ``settings`` into the controls (from a callback: it runs before the widgets)."""
    for key in CONTROLS:
        st.session_state[key] = getattr(settings, key)
    st.session_state.at = 1


def load_preset() -> None:
    """Load the chosen experiment, then clear the choice so that it can be chosen again."""
    if st.session_state.preset:
        load(PRESET_OF[st.session_state.preset].settings)
    st.session_state.preset = None


def applies(key: str, method: str) -> bool:
    """Whether a control applies to the method (the others are not drawn)."""
    if key == "step":
        return method == "up_and_down"
    return key not in {"alpha", "exact_derivative"} or method == "gradient_descent"


def control(key: str) -> None:
    """The widget of one setting of a run."""
    field = FIELDS[key]
    if key == "method":
        st.radio(field.label, field.choices, format_func=METHOD_NAMES.get, key=key, help=field.help)
    elif field.kind is bool:
        st.toggle(field.label, key=key, help=field.help)
    else:
        common.number_setting(key)


def say_forecast(settings: tinynet.Settings) -> None:
    """What the method will do with these settings, said before anything runs."""
    said = forecast(settings)
    if settings.method == "gradient_descent":
        colour, icon = COLOURS[said.outcome]
        st.caption(f":{colour}-badge[{icon} This alpha {said.badge}] {said.sentence}")
    else:
        st.caption(said.sentence)


def show(settings: tinynet.Settings, hidden: set[str], with_forecast: bool) -> None:
    """The experiments, then every setting that applies to the method, with the forecast
    after the method's own settings (unless a question keeps the answer)."""
    st.header("Settings")
    st.pills(
        "The article's experiments, in one click",
        tuple(PRESET_OF),
        format_func=lambda key: PRESET_OF[key].title,
        key="preset",
        on_change=load_preset,
        help="Each loads one experiment of the article, as it ran there.",
    )
    last_own = "exact_derivative" if settings.method == "gradient_descent" else "step"
    for key in CONTROLS:
        if key not in hidden and applies(key, settings.method):
            control(key)
        if key == last_own and with_forecast:
            say_forecast(settings)
    if hidden:
        st.caption("Some controls are hidden for this lesson.")

"""The landing view: the lesson's three charts together, moving as one."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard import charts
from dashboard.views import common
from tinynet import describe


@common.cached
def draw(settings: tinynet.Settings, at: int, page: common.Page, whole_run: bool = False) -> None:
    run = common.train(settings)
    figure = charts.lesson_figure(run, at, page.look, stacked=page.phone, follow=not whole_run)
    common.chart(figure, "lesson", describe.lesson(run, at))


def open_log() -> None:
    st.session_state.view = "Iteration log"
    st.session_state.view_focus = True  # the view selector takes the keyboard's focus


def show(settings: tinynet.Settings, page: common.Page) -> None:
    """The error curve with the tangent and the step, beside the error and the prediction
    per iteration; the slider under them moves all three."""
    run = common.train(settings)
    if not len(run.errors):
        st.info(common.NO_ITERATION)
        return
    at = min(st.session_state.at, len(run.errors))
    draw(settings, at, page, st.session_state.whole_run)
    where = ("Top", "Below") if page.phone else ("Left", "Right")
    st.caption(
        f"{where[0]}: the error for every weight, with the red-orange tangent at the current "
        f"weight and the dotted green arrow of the step to the next one. {where[1]}: the error "
        "and the prediction at each iteration, the current one ringed. ▶ plays the "
        "iterations; the slider, or the arrow keys, step through them."
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        common.whole_run_switch()
        st.button("Every number, as a table", icon=":material/table:", on_click=open_log)

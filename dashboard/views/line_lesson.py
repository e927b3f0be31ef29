"""Lesson 2's landing view: the error surface, the line over the points and the error per
iteration, moving as one under one slider."""

from __future__ import annotations

import streamlit as st

from dashboard import line_charts
from dashboard.link import Points
from dashboard.views import common, line_common
from tinynet.line import LineSettings
from tinynet.line_words import errors_text, predictions_text, surface_text


@common.cached
def draw(points: Points, settings: LineSettings, at: int, page: common.Page) -> None:
    run = line_common.train(points, settings)
    figure = line_charts.lesson_figure(run, at, page.look, stacked=page.phone)
    said = " ".join((surface_text(run, at), predictions_text(run, at), errors_text(run)))
    common.chart(figure, "line_lesson", said)


def open_log() -> None:
    st.session_state.line_view = "Iteration log"
    st.session_state.view_focus = True  # the view selector takes the keyboard's focus


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    """The three charts, the player under them, and what each part of them is."""
    run = line_common.train(points, settings)
    if not len(run.weights):
        st.info(common.NO_ITERATION)
        return
    draw(points, settings, line_common.at(run), page)
    where = ("Top", "Below") if page.phone else ("Left", "Right")
    st.caption(
        f"{where[0]}: the error for every weight and bias, its grey contours each half a "
        "decade higher above the least error; the blue path, the star at the best line, the "
        "red-orange arrow down the steepest slope (at right angles to the contours) and the "
        f"dotted green step actually taken. {where[1]}: the line over the points at this "
        "iteration with its residuals, and the error at each iteration. ▶ plays the "
        "iterations; the slider, or the arrow keys, step through them."
    )
    st.button("Every number, as a table", icon=":material/table:", on_click=open_log)

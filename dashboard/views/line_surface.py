"""The error surface in three dimensions, with the path and one iteration marked."""

from __future__ import annotations

import streamlit as st

from dashboard import line_charts
from dashboard.link import Points
from dashboard.views import common, line_common
from tinynet.line import LineSettings
from tinynet.line_words import surface_text


@common.cached
def draw(points: Points, settings: LineSettings, at: int, page: common.Page) -> None:
    run = line_common.train(points, settings)
    figure = line_charts.surface_3d_figure(run, at, page.look)
    common.chart(figure, "line_surface", surface_text(run, at, in_3d=True))


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    run = line_common.train(points, settings)
    count = len(run.weights)
    if not count:
        st.info(common.NO_ITERATION)
        return
    st.session_state.line_at = line_common.at(run)
    draw(points, settings, st.session_state.line_at, page)
    st.caption(
        "The error for every weight and bias as a surface, with the path down it and the "
        "green diamond at the best line. Drag to turn it; the contours on the Lesson view are "
        "this surface seen from above."
    )
    if count > 1:
        common.number_setting("line_at", max_value=count)

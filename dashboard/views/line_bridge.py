"""The bridge to lesson 1: the surface cut along the weight, with the bias held, is lesson
1's error curve, with its tangent."""

from __future__ import annotations

import streamlit as st

from dashboard import line_charts
from dashboard.link import Points
from dashboard.views import common, line_common
from tinynet.line import LineSettings
from tinynet.line_words import slice_text


@common.cached
def draw(points: Points, settings: LineSettings, at: int, page: common.Page) -> None:
    run = line_common.train(points, settings)
    figure = line_charts.bridge_figure(run, at, page.look, stacked=page.phone)
    common.chart(figure, "line_bridge", slice_text(run, at))


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    run = line_common.train(points, settings)
    if not len(run.weights):
        st.info(common.NO_ITERATION)
        return
    draw(points, settings, line_common.at(run), page)
    where = ("Top", "Below") if page.phone else ("Left", "Right")
    st.caption(
        f"{where[0]}: the error surface, cut along the dashed red-orange line, where the bias "
        f"is held at the current iteration's. {where[1]}: the error along that cut, a "
        "parabola: lesson 1's error curve, with the tangent at the current weight, the star "
        "at its lowest point and the dotted green step of the weight. While the bias moves "
        "too, each step lands on another cut. ▶ plays the iterations."
    )

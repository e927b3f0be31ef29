"""Every alpha at once: the same run for hundreds of learning rates."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard import charts
from dashboard.views import common
from tinynet import describe
from tinynet.analysis import stability
from tinynet.sweep import alpha_grid, sweep


@common.cached
def draw(settings: tinynet.Settings, page: common.Page) -> None:
    alphas = alpha_grid(settings.data, settings.alpha, settings.exact_derivative)
    fixed = {name: getattr(settings, name) for name in ("weight", "data", "target", "iterations")}
    result = sweep(alphas, **fixed, exact_derivative=settings.exact_derivative)
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    figure = charts.sweep_figure(result, settings.alpha, analysis, page.look)
    common.chart(figure, "sweep", describe.sweep(result, analysis))


def show(settings: tinynet.Settings, page: common.Page) -> None:
    if settings.data == 0:
        st.info("With data 0 the error does not depend on the weight, so no alpha moves it.")
        return
    draw(settings, page)
    st.caption(
        f"Each point is a whole gradient-descent run of {settings.iterations:,} iterations from "
        "this weight, data and target, with its own alpha (on a log scale). Top: the error at "
        "the last iteration. Bottom: how many iterations it took to bring the error under the "
        "tolerance. Small alphas crawl; alphas past the limit never converge, and all but those "
        "within rounding of it blow up; the sweet spot is between."
    )

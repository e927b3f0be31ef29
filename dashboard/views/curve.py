"""The error for every weight, the tangent where the run stands, and one iteration worked out."""

from __future__ import annotations

import math

import streamlit as st

import tinynet
from dashboard import charts
from dashboard.views import common
from tinynet import describe
from tinynet.explain import worked_step
from tinynet.number_words import number_text


@common.cached
def draw(settings: tinynet.Settings, at: int, page: common.Page, whole_run: bool = False) -> None:
    run = common.train(settings)
    figure = charts.error_curve_figure(run, at, page.look, follow=not whole_run)
    common.chart(figure, "curve", describe.curve(run, at))


def caption(settings: tinynet.Settings) -> str:
    if settings.data == 0:
        return (
            "With data 0 the prediction is always 0, so the error is the same for every weight: "
            "the curve is a flat line, its slope is 0 everywhere, and there is no best weight "
            "to aim for. The big dot is where the run stands."
        )
    return (
        "The grey parabola is the error for every possible weight; its lowest point, the star, "
        "is the answer, target ÷ data. Circles mark the weights the run visited, the big dot "
        "the one it stands on. The red-orange tangent touches the curve there with the true slope "
        "2·data·(prediction − target); the dotted green arrow is the step to the next weight. "
        "Press ▶ or drag the slider under the chart to move through the iterations."
    )


def show(settings: tinynet.Settings, page: common.Page) -> None:
    """The curve, the iteration to inspect, and that iteration's arithmetic."""
    run = common.train(settings)
    count = len(run.errors)
    if count == 0:
        st.info(common.NO_ITERATION)
        return
    st.session_state.at = min(st.session_state.at, count)
    at = st.session_state.at
    draw(settings, at, page, st.session_state.whole_run)
    common.whole_run_switch()
    st.caption(caption(settings))
    if count > 1:
        common.number_setting("at", max_value=count)
    st.header(f"Iteration {at}, worked out")
    st.latex(worked_step(run, at))
    if settings.method == "up_and_down":
        return
    rise = tinynet.slope(settings.data, float(run.weights[at - 1]), settings.target)
    tangent = number_text(rise) if math.isfinite(rise) else "too steep for a 64-bit float"
    double = number_text(2 * settings.alpha)
    if settings.exact_derivative:
        st.caption(
            f"The exact derivative is the tangent's own slope ({tangent}). With the article's "
            f"half gradient the same alpha moves half as far: alpha "
            f"{number_text(settings.alpha)} here does what alpha {double} does there."
        )
    else:
        st.caption(
            f"The tangent's slope here is {tangent}, twice the article's half gradient above. "
            f"Switch on the exact derivative and the same alpha moves twice as far, as if alpha "
            f"were {double} here."
        )

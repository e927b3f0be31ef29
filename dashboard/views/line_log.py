"""Every iteration of lesson 2's run: a table and the CSV."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.link import Points
from dashboard.views import common, line_common
from tinynet.line import HISTORY, LineSettings

NAMES = {  # each history's column, named in the singular
    "weights": "weight",
    "biases": "bias",
    "errors": "error",
    "batch_errors": "batch error",
    "weight_gradients": "weight gradient",
    "bias_gradients": "bias gradient",
    "weight_steps": "weight step",
    "bias_steps": "bias step",
}


@common.cached
def draw(points: Points, settings: LineSettings) -> None:
    """The history as a table, every number as JavaScript prints it (exact)."""
    run = line_common.train(points, settings)
    table: dict[str, object] = {"iteration": run.iterations}
    for name in HISTORY:
        if name == "batch_errors" and run.method == "batch":
            continue  # the same as the error
        table[NAMES[name]] = [tinynet.js_number(value) for value in getattr(run, name)]
    common.number_table(table, len(run.iterations))
    st.caption(
        "Each row is one iteration: the line it starts from, the error over all the points "
        "there (and over its mini-batch), the full data's gradient in the update's convention "
        "and the step actually taken."
    )


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    st.download_button(
        "Download the log as CSV",
        data=line_common.train(points, settings).to_csv,  # written only when asked for
        file_name=f"tinynet-line-{points.name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    draw(points, settings)

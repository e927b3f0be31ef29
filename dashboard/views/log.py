"""Every iteration's numbers: a table, the CSV and the article's console lines."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.views import common

EDGE = 500  # console lines kept from each end of a very long run; the CSV has every one


@common.cached
def draw(settings: tinynet.Settings) -> None:
    """The history as a table, every number as JavaScript prints it (exact, as in the
    console), and the console lines."""
    run = common.train(settings)
    table: dict[str, object] = {"iteration": run.iterations}
    for name in ("weights", "predictions", "errors", "updates"):
        table[name.removesuffix("s")] = [tinynet.js_number(number) for number in getattr(run, name)]
    common.number_table(table, len(run.iterations))
    st.caption(
        "The article prints its progress with JavaScript's console.log; these are the same lines, "
        "number for number, to lay beside it."
    )
    lines = run.log_lines()
    if len(lines) > 2 * EDGE:
        skipped = f"… {len(lines) - 2 * EDGE:,} more lines: the CSV has every iteration …"
        lines = [*lines[:EDGE], skipped, *lines[-EDGE:]]
    st.code("\n".join(lines), language=None)


def show(settings: tinynet.Settings, page: common.Page) -> None:
    st.download_button(
        "Download the log as CSV",
        data=common.train(settings).to_csv,  # written only when asked for
        file_name=f"tinynet-{settings.method}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    draw(settings)

"""The Python that reproduces lesson 2's current run."""

from __future__ import annotations

import streamlit as st

from dashboard.link import Points, line_code
from dashboard.views import common
from tinynet.line import LineSettings


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    st.markdown("These lines reproduce the current run with `tinynet`, in a notebook or a script:")
    st.code(line_code(points, settings), language="python")
    if points.name == "own":
        st.caption(
            "Your own points are written out in full up to 100 of them; more are read from "
            "points.csv, the file you uploaded."
        )
    st.caption("Run them from the project folder, or anywhere after `pip install .` in it.")

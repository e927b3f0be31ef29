"""The Python that reproduces the current run."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.link import python_code
from dashboard.views import common


def show(settings: tinynet.Settings, page: common.Page) -> None:
    st.markdown("These lines reproduce the current run with `tinynet`, in a notebook or a script:")
    st.code(python_code(settings), language="python")
    st.caption("Run them from the project folder, or anywhere after `pip install .` in it.")

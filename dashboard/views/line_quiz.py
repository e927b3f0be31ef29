"""Predict, then reveal: a question on one of lesson 2's experiments."""

from __future__ import annotations

import streamlit as st

from dashboard.link import Points
from dashboard.views import common
from tinynet.line import LineSettings


def keeps_answer() -> bool:
    """Whether a question is open: its answer has not been revealed."""
    return False


def show(points: Points, settings: LineSettings, page: common.Page) -> None:
    st.markdown("**Predict, then reveal.**")

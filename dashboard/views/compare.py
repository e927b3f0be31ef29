"""The article's three experiments on the same axes."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard import charts
from dashboard.views import common
from tinynet import describe
from tinynet.presets import PRESETS

CAPTION = (
    "The article's three experiments on the same axes: up and down creeps in and then hops "
    "around the answer, gradient descent without alpha explodes, and with alpha 0.1 it homes in "
    "within a few iterations."
)


@common.cached
def draw(page: common.Page) -> None:
    runs = [common.train(preset.settings) for preset in PRESETS]
    titles = [preset.title for preset in PRESETS]
    figure = charts.learning_figure(runs, titles, page.look, clip=True)
    common.chart(figure, "compare", describe.learning(runs, titles))


def show(settings: tinynet.Settings, page: common.Page) -> None:
    draw(page)
    st.caption(CAPTION)

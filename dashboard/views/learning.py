"""The error and the prediction per iteration, with runs pinned beside the current one."""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard import charts
from dashboard.link import settings_from
from dashboard.views import common
from tinynet import describe
from tinynet.explain import method_text
from tinynet.presets import labels

MAX_PINS = 6
CAPTION = (
    "Top: the error the network made at each iteration. Bottom: what it predicted, against the "
    "target it should hit; the current run's iteration is ringed, and ▶ plays the iterations. "
    "Pin a run to keep it on the chart while you change the settings."
)


@common.cached
def draw(
    runs: tuple[tinynet.Settings, ...], at: int, page: common.Page, whole_run: bool = False
) -> None:
    trained = [common.train(settings) for settings in runs]
    names = ["this run", *labels(list(runs[1:]))]
    figure = charts.learning_figure(
        trained, names, page.look, clip=len(runs) > 1, at=at, follow=not whole_run
    )
    common.chart(figure, "learning", describe.learning(trained, names))


def pin() -> None:
    current = settings_from(st.session_state)
    pins = [pinned for pinned in st.session_state.pins if pinned != current]
    st.session_state.pins = (*pins[-(MAX_PINS - 1) :], current)


def clear_pins() -> None:
    st.session_state.pins = ()


def show(settings: tinynet.Settings, page: common.Page) -> None:
    """The history charts, the pin buttons, and how the method learns."""
    pins = tuple(pinned for pinned in st.session_state.pins if pinned != settings)
    count = len(common.train(settings).errors)
    at = min(st.session_state.at, max(count, 1))
    draw((settings, *pins), at, page, st.session_state.whole_run)
    st.caption(CAPTION)
    with st.container(horizontal=True, vertical_alignment="center"):
        common.whole_run_switch()
        st.button("Pin this run", icon=":material/push_pin:", on_click=pin)
        st.button("Clear pinned runs", on_click=clear_pins, disabled=not st.session_state.pins)
    with st.expander("How this method learns", expanded=not page.phone):
        st.markdown(method_text(settings.method, settings.exact_derivative))

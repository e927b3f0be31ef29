"""What every view shares: the page's look, cached training and drawing, and charts."""

from __future__ import annotations

import contextlib
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import tinynet
from dashboard.charts import PLAIN, PRESENTER, Look
from dashboard.link import FIELDS, LESSONS, Points

NO_ITERATION = "The very first error overflowed, so there is no iteration to show."
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
BOXES = {  # a verdict's box, by what the run does and whether it got there
    ("converges", True): st.success,
    ("converges", False): st.info,
    ("bounces", True): st.info,
    ("bounces", False): st.info,
    ("stalls", True): st.warning,
    ("stalls", False): st.warning,
    ("diverges", True): st.error,
    ("diverges", False): st.error,
}


@dataclass(frozen=True)
class Page:
    """How the page is being looked at: on a projector, on a phone, or neither."""

    presenter: bool = False
    phone: bool = False

    @property
    def look(self) -> Look:
        return PRESENTER if self.presenter else PLAIN


WIDTH = """
export default function ({ data, setStateValue }) {
  window.tinynetSetNarrow = setStateValue;  // the latest, for the listener made once
  if (window.tinynetNarrow === undefined) window.tinynetNarrow = data.assumed;
  const report = () => {  // only a change: the server's guess stands until it is wrong
    const main = document.querySelector("[data-testid=stMainBlockContainer]");
    const narrow = (main ? main.clientWidth : window.innerWidth) < 640;
    if (window.tinynetNarrow !== narrow) {
      window.tinynetNarrow = narrow;
      window.tinynetSetNarrow("narrow", narrow);
    }
  };
  report();
  if (!window.tinynetWatchesWidth) {
    window.tinynetWatchesWidth = true;
    window.addEventListener("resize", report);
  }
}
"""
"""Tells the server when the page's main column turns out narrower than 640 pixels, or no
longer is, than the server assumed: a server cannot measure a screen. A page whose width
the server guessed right reports nothing, and so costs no rerun."""


def is_phone() -> bool:
    """Whether the lesson's charts stack instead of sitting side by side: the page's own
    width, as it reports it; until it has, the browser's name for itself (phones call
    themselves "Mobile"). Call ``watch_width`` first, once per run."""
    narrow = (st.session_state.get("page_width") or {}).get("narrow")
    return _named_phone() if narrow is None else bool(narrow)


def _named_phone() -> bool:
    """Whether the browser calls itself a phone ("Mobile"): asked once per session, as a
    session does not change its browser (and reading the headers is not free)."""
    if "named_phone" not in st.session_state:
        st.session_state.named_phone = "Mobi" in st.context.headers.get("User-Agent", "")
    return st.session_state.named_phone


def watch_width() -> None:
    """Mount the element that reports the page's width (it takes no room)."""
    reporter = st.components.v2.component("tinynet_width", js=WIDTH)
    assumed = {"assumed": _named_phone()}
    reporter(data=assumed, key="page_width", on_narrow_change=lambda: None, height=0)


def focus_here(wanted: bool) -> contextlib.AbstractContextManager:
    """A container the page's script gives the keyboard's focus to once, when ``wanted``
    (after a step that took away the button that had it); else nothing at all."""
    return st.container(key="focus_here") if wanted else contextlib.nullcontext()


def address() -> str:
    """Where this page was opened, without its query and its last slash: the links that
    the Teach view shares and the join link of class mode both start with it."""
    return (st.context.url or "").split("?")[0].rstrip("/")


def cached(function: Callable[..., Any]) -> Callable[..., Any]:
    """``st.cache_data`` for the app's own frozen values, hashed by their repr.

    Hashing a dataclass field by field costs Streamlit about 0.3 ms; its repr holds
    every field exactly (``-0.0`` too) and hashes in a few microseconds. Drawing
    functions cached this way replay their finished elements on a later visit.
    """
    return st.cache_data(
        max_entries=128,
        hash_funcs={
            tinynet.Settings: repr,
            tinynet.LineSettings: repr,
            Points: repr,  # names own points by their fingerprint, not by every value
            Look: repr,
            Page: repr,
        },
        show_spinner=False,  # a drawing takes milliseconds: a spinner would only flicker
    )(function)


@cached
def train(settings: tinynet.Settings) -> tinynet.Run:
    """The run of ``settings``, trained once for every session that asks for it."""
    return tinynet.train(settings)


class Spec(go.Figure):
    """A figure spec of ``dashboard.charts``, handed to Streamlit as it is.

    Streamlit turns a dict into a validated ``go.Figure``, and a ``go.Figure`` into a
    deep copy of its dict; for the lesson's figure and its frames either cost several
    times the rest of a rerun with new settings. The specs are checked against
    Plotly's schema by the tests, so the app sends them unchanged.
    """

    def __new__(cls, spec: dict) -> Spec:
        # Not Plotly's own constructor: it copies the whole theme template into the figure.
        figure = object.__new__(cls)
        object.__setattr__(figure, "_spec", spec)
        return figure

    def __init__(self, spec: dict) -> None:
        """Nothing more to set up: Streamlit asks only for ``to_dict``."""

    def to_dict(self) -> dict:
        return self._spec


def chart(spec: dict, key: str, alt: str) -> None:
    """A Plotly chart the width of its column; ``alt`` names it for screen readers. An
    animated one gets its player right under it."""
    st.plotly_chart(Spec(spec), width="stretch", key=key, config=CHART_CONFIG, alt=alt)
    if spec.get("frames"):
        st.html(PLAYER)


def headline_row(verdict: Any, numbers: list[tuple[str, str, str]]) -> None:
    """The verdict in its coloured box, and beside it each number as (name, as shown, the
    help that says it exactly)."""
    said, numbered = st.columns(2, vertical_alignment="center")
    with said:
        box = BOXES[verdict.outcome, verdict.settled]
        box(f"**{verdict.headline}.** {verdict.reason}")
    with numbered, st.container(horizontal=True, gap="small"):
        for name, shown, help_text in numbers:
            st.metric(name, shown, help=help_text)


def number_table(table: dict[str, object], rows: int) -> None:
    """An iteration log's table: one column per quantity, ``rows`` high up to a scroll, the
    iteration numbers without thousands separators."""
    st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * rows, 420),
        column_config={"iteration": st.column_config.NumberColumn(format="plain")},
    )


def escape_markdown(text: str) -> str:
    """``text`` shown literally: every ASCII punctuation mark escaped for Markdown."""
    return "".join(f"\\{char}" if char in string.punctuation else char for char in text)


def lesson_choice() -> None:
    """The lesson selector, at the top of the sidebar: the link carries its choice as
    ``lesson``. (Its widget has a key of its own: lesson 1's chart is keyed "lesson".)"""
    field = FIELDS["lesson"]
    st.session_state.lesson_choice = st.session_state.lesson
    st.segmented_control(
        field.label,
        tuple(LESSONS),
        format_func=LESSONS.get,
        key="lesson_choice",
        required=True,
        help=field.help,
        width="stretch",
        on_change=_choose_lesson,
    )


def _choose_lesson() -> None:
    st.session_state.lesson = st.session_state.lesson_choice


def number_setting(key: str, **options: object) -> None:
    """The number input of one of ``FIELDS``, within its range, saying what its field says."""
    field = FIELDS[key]
    options = {"min_value": field.low, "max_value": field.high, **options}
    if field.kind is float:  # plain numbers, as typed: 0.05, not 0.05000
        options.setdefault("format", "%g")
    st.number_input(field.label, step=field.step, key=key, help=field.help, **options)


def whole_run_switch() -> None:
    """The switch between axes that follow the iteration shown and axes that hold it all."""
    field = FIELDS["whole_run"]
    st.toggle(field.label, key=field.key, help=field.help)


PLAYER = """
<div class="tinynet-player" role="group" aria-label="Play and step the iterations">
  <button type="button" data-move="-1" aria-label="Previous iteration">◀</button>
  <button type="button" data-move="play">▶ Play</button>
  <button type="button" data-move="1" aria-label="Next iteration">▶</button>
  <label class="tinynet-scrub">Iteration
    <input type="range" min="0" max="0" step="1" value="0">
  </label>
  <span class="tinynet-at" aria-hidden="true"></span>
  <span class="tinynet-said" role="status" aria-live="polite"></span>
</div>
"""
"""Buttons and a scrubber that step and play an animated chart's frames in the browser,
without a rerun: a mouse, a finger, a keyboard, a screen reader or a presenter's clicker.
``page.html`` holds what they do, and fits the scrubber to each chart it draws (its frames,
and ``layout.meta.frame``, the one it starts at): the HTML itself is never built from a
value."""


STYLE = f"<style>{(Path(__file__).parent.parent / 'style.css').read_text()}</style>"
"""The app's one stylesheet: the lesson on the first screen, contrast, visible focus,
presenter mode and class mode. Read once: ``st.html`` given a file's path reads it again on
every run, and a class opening the link at once pays for that thirty times over."""

PAGE = (Path(__file__).parent.parent / "page.html").read_text()
"""The page's own style and script, loaded once: the player's buttons and keys, and
keyboard access to anything that scrolls sideways."""

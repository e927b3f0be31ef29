"""What lesson 2's views share: cached training, judging and drawing keyed by plain values
(the points' name and fingerprint, the settings), and the headline."""

from __future__ import annotations

import dataclasses

import streamlit as st

from dashboard.link import Points
from dashboard.views import common
from tinynet.explain import Forecast
from tinynet.line import LineRun, LineSettings, train_line
from tinynet.line_words import hessian_text, line_forecast, line_verdict, readout
from tinynet.number_words import exact_words, number_text
from tinynet.verdicts import Verdict


@common.cached
def train(points: Points, settings: LineSettings) -> LineRun:
    """The run of ``settings`` on ``points``, trained once for every session that asks."""
    return train_line(points.data(), settings)


@common.cached
def judged(points: Points, settings: LineSettings) -> tuple[Verdict, Forecast]:
    """The verdict on the run and the forecast before it. Both ask where the run ends, which
    takes a long run (most of a second with Adam): asked together of the same points, they
    share it, and the answer is cached for every later rerun and session."""
    data = points.data()  # the same object as tinynet's cache of endings knows, not a copy
    run = dataclasses.replace(train(points, settings), data=data)
    return line_verdict(run), line_forecast(data, settings)


@common.cached
def before_the_run(points: Points, settings: LineSettings) -> list[str]:
    """The error's Hessian and the stability readout, before any run."""
    data = points.data()
    return [hessian_text(data, settings), *readout(data, settings)]


def at(run: LineRun) -> int:
    """The iteration to inspect, within the run (the link may ask for one past its end)."""
    return min(st.session_state.line_at, max(len(run.weights), 1))


def headline(points: Points, settings: LineSettings, run: LineRun) -> None:
    """The verdict and the headline numbers in one row, each number exact in its help."""
    judgement, _ = judged(points, settings)
    count = len(run.errors)
    updates = "1 update" if count == 1 else f"{count:,} updates"
    numbers = [
        ("Final weight", run.final_weight, f"The weight after {updates}."),
        ("Final bias", run.final_bias, f"The bias after {updates}."),
    ]
    if count:
        numbers.append(("Error", run.errors[-1], f"Logged at iteration {count:,}."))
    numbers.append(("Least error", run.data.least_error, "The error of the best line."))
    common.headline_row(
        judgement,
        [
            (name, number_text(value), f"{when} {exact_words(value)}")
            for name, value, when in numbers
        ],
    )

"""The class's figures show the votes cast: every bar and guess counted once, the rounds side by
side, the right answer and the true weight marked only when given, and valid Plotly specs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard import class_charts
from dashboard.charts import PRESENTER

LABELS = ("It reaches the answer and stays there", "It hops", "It blows up", "It gets stuck")


def test_the_figures_import_neither_streamlit_nor_plotly():
    check = (
        "import sys, dashboard.class_charts;"
        "assert 'plotly' not in sys.modules and 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


def checked(spec: dict) -> go.Figure:
    """The spec as Plotly's figure object: building it checks it against Plotly's schema."""
    return go.Figure(spec)


def test_a_bar_per_answer_and_round_with_each_rounds_share():
    figure = checked(class_charts.votes_figure(LABELS, [[1, 0, 3, 0], [0, 0, 4, 0]]))
    assert [trace.name for trace in figure.data] == ["Round 1", "Round 2"]
    assert [list(trace.x) for trace in figure.data] == [[1, 0, 3, 0], [0, 0, 4, 0]]
    assert list(figure.data[0].text) == ["1 (25%)", "0 (0%)", "3 (75%)", "0 (0%)"]
    assert figure.layout.barmode == "group"
    assert figure.data[0].marker.pattern.shape != figure.data[1].marker.pattern.shape
    assert not any("✓" in name for name in figure.data[0].y)


def test_the_right_answer_is_marked_only_once_revealed():
    figure = checked(class_charts.votes_figure(LABELS, [[1, 0, 3, 0]], right=2, look=PRESENTER))
    marked = [name for name in figure.data[0].y if "✓" in name]
    assert marked == ["<b>✓ It blows up</b>"]
    assert figure.layout.font.size == PRESENTER.font


def test_no_votes_yet_still_draws_a_chart():
    figure = checked(class_charts.votes_figure(LABELS, [[0, 0, 0, 0]]))
    assert list(figure.data[0].text) == ["0"] * 4
    assert figure.layout.xaxis.range == (0, 1.3)


def test_long_labels_wrap_and_keep_every_word():
    figure = checked(class_charts.votes_figure(LABELS, [[0, 0, 0, 0]]))
    assert figure.data[0].y[0].replace("<br>", " ") == LABELS[0]
    assert max(len(line) for line in figure.data[0].y[0].split("<br>")) <= 18


def _counted(figure: go.Figure) -> int:
    return sum(int(sum(trace.y)) for trace in figure.data)


def test_every_bonus_guess_is_counted_once_in_its_round():
    rounds = [[1.0, 1.25, 1.25, 2.0], [1.25, 1.25]]
    figure = checked(class_charts.bonus_figure(rounds))
    assert [int(sum(trace.y)) for trace in figure.data] == [4, 2]
    assert not figure.layout.shapes and not figure.layout.annotations


def test_a_joke_guess_cannot_squash_the_others_into_one_bar():
    rng = np.random.default_rng(7)
    guesses = [*rng.normal(1.3, 0.2, 39).tolist(), 1e15]
    figure = checked(class_charts.bonus_figure([guesses]))
    assert sum(count > 0 for count in figure.data[0].y) >= 4
    assert _counted(figure) == 39
    (note,) = figure.layout.annotations
    assert note.text == "1 guess lies beyond this range"


def test_the_true_weight_is_a_line_within_the_chart_once_revealed():
    figure = checked(class_charts.bonus_figure([[1.0, 1.1, 1.2]], truth=8.0))
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 8.0
    centres = np.array(figure.data[0].x)
    assert centres.min() < 8.0 < centres.max() + (centres[1] - centres[0])
    assert "true weight: 8" in [note.text for note in figure.layout.annotations]


@pytest.mark.parametrize("guesses", [[5.0], [2.0, 2.0, 2.0], [-1e15, 1e15]])
def test_any_set_of_finite_guesses_draws(guesses):
    figure = checked(class_charts.bonus_figure([guesses, []]))
    assert _counted(figure) == len(guesses)
    assert all(np.isfinite(figure.data[0].x))


def test_the_figures_in_words():
    words = class_charts.votes_words(LABELS, [[1, 0, 3, 0], [0, 0, 4, 0]], right=2)
    assert words == (
        "Votes per answer; round 1, 4 votes: It reaches the answer and stays there: 1, It hops: "
        "0, It blows up: 3, It gets stuck: 0; round 2, 4 votes: It reaches the answer and stays "
        "there: 0, It hops: 0, It blows up: 4, It gets stuck: 0. The right answer: It blows up."
    )
    words = class_charts.bonus_words([[1.0, 2.0, 9.0], []], truth=1.25)
    assert words == (
        "Bonus guesses of the weight after the first update; round 1: 3 from 1 to 9, median 2; "
        "round 2: none. The true weight: 1.25."
    )

"""The figures show what the runs hold: log axes, zeros, tangents that touch, frames."""

import subprocess
import sys

import numpy as np
import pytest

import tinynet
from tinynet import figures
from tinynet.analysis import stability
from tinynet.sweep import alpha_grid, sweep

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}


def _trace(figure, name_start):
    return next(trace for trace in figure.data if trace.name.startswith(name_start))


def test_the_maths_imports_neither_streamlit_nor_plotly():
    check = (
        "import sys, tinynet, tinynet.analysis, tinynet.sweep, tinynet.sharing, tinynet.explain;"
        "assert 'plotly' not in sys.modules and 'streamlit' not in sys.modules;"
        "import tinynet.figures; assert 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


def test_thinning_keeps_every_point_that_fits_and_the_extremes_of_the_rest():
    assert np.array_equal(figures.thin(50), np.arange(50))
    values = np.sin(np.arange(100_000) / 300.0)
    values[31_337] = 9.0
    keep = figures.thin(len(values), values)
    assert len(keep) <= figures.MAX_POINTS + 1
    assert {0, 99_999, 31_337, int(values.argmin())} <= set(keep.tolist())


def _half(figure, name_start, axis="y"):
    """A trace of the learning figure, from its error ("y") or prediction ("y2") half."""
    return next(
        trace
        for trace in figure.data
        if trace.name.startswith(name_start) and (trace.yaxis or "y") == axis
    )


def test_error_half_uses_a_log_axis_and_marks_exact_zeros():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    figure = figures.learning_figure([run], ["this run"])
    assert figure.layout.yaxis.type == "log" and figure.layout.yaxis2.type != "log"
    line = _half(figure, "this run")
    assert np.isnan(line.y[16:]).all() and np.array_equal(line.y[:16], run.errors[:16])
    zeros = _half(figure, "this run: exactly 0")
    assert list(zeros.x) == list(range(17, 21))
    assert np.all(zeros.y < run.errors[:16].min())
    (note,) = figure.layout.annotations
    assert note.text == "▼ error exactly 0: a log axis cannot show it" and note.yref == "y domain"


def test_error_half_stays_linear_when_the_error_barely_changes():
    run = tinynet.train("gradient_descent", **{**ARTICLE, "iterations": 3}, alpha=0.001)
    figure = figures.learning_figure([run], ["this run"])
    assert figure.layout.yaxis.type != "log"
    assert not figure.layout.annotations


def test_both_halves_share_one_iteration_axis_and_one_legend_entry_per_run():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    figure = figures.learning_figure([run], ["this run"])
    assert np.array_equal(_half(figure, "this run", "y2").y, run.predictions)
    assert figure.layout.xaxis.anchor == "y2"
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1]
    shown = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert shown.count("this run") == 1 and "target 4" in shown


def test_pinned_runs_are_drawn_dotted_beside_the_current_one():
    runs = [tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 0.05)]
    figure = figures.learning_figure(runs, ["this run", "alpha 0.05"])
    for axis in ("y", "y2"):
        assert _half(figure, "this run", axis).line.dash == "solid"
        assert _half(figure, "alpha 0.05", axis).line.dash == "dot"
    assert list(_half(figure, "target", "y2").y) == [4.0, 4.0]


def test_long_runs_are_thinned_for_the_eye_only():
    run = tinynet.train("up_and_down", **{**ARTICLE, "iterations": 10_000}, step=0.0001)
    figure = figures.learning_figure([run], ["run"])
    for axis in ("y", "y2"):
        line = _half(figure, "run", axis)
        assert len(line.x) <= figures.MAX_POINTS + 1
        assert line.x[0] == 1 and line.x[-1] == 10_000


def test_clipped_comparison_keeps_exploding_runs_off_the_chart_and_says_so():
    runs = [tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 1.0)]
    figure = figures.learning_figure(runs, ["calm", "wild"], clip=True)
    low, high = figure.layout.yaxis2.range
    assert low < 1.5 and 4 < high < 10
    assert np.nanmax(np.abs(_half(figure, "wild", "y2").y)) <= high
    (note,) = [note for note in figure.layout.annotations if note.yref == "y2 domain"]
    assert "wild leaves the chart (reaches 3.6e+17)" in note.text


@pytest.mark.parametrize("at", [1, 2, 7, 20])
def test_the_tangent_touches_the_curve_and_the_arrow_reaches_the_next_weight(at):
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.03)
    figure = figures.error_curve_figure(run, at)
    weight, error = run.weights[at - 1], run.errors[at - 1]
    point = _trace(figure, f"iteration {at}")
    assert (point.x[0], point.y[0]) == (weight, error)
    tangent = _trace(figure, "tangent")
    (x0, x1), (y0, y1) = tangent.x, tangent.y
    h = 1e-6
    curve = [tinynet.squared_error(3.0 * w, 4.0) for w in (weight - h, weight + h)]
    assert (y1 - y0) / (x1 - x0) == pytest.approx((curve[1] - curve[0]) / (2 * h), rel=1e-6)
    assert error == pytest.approx(y0 + (weight - x0) * (y1 - y0) / (x1 - x0))
    arrow = _trace(figure, "next step")
    following = run.weights[at] if at < 20 else run.final_weight
    assert list(arrow.x) == [weight, following]


def test_frames_play_every_iteration_of_a_short_run_from_the_chosen_one():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    figure = figures.error_curve_figure(run, 5)
    assert [frame.name for frame in figure.frames] == [str(i) for i in range(1, 21)]
    slider = figure.layout.sliders[0]
    assert slider.steps[slider.active].label == "5"
    frame = figure.frames[11]
    assert frame.data[0].x[0] == run.weights[11]
    moving = [figure.data.index(_trace(figure, name)) for name in ("iteration", "tangent", "next")]
    assert list(frame.traces) == moving
    assert figure.layout.updatemenus[0].buttons[0].method == "animate"


def test_long_runs_get_a_bounded_number_of_frames_including_the_chosen_one():
    run = tinynet.train("up_and_down", **{**ARTICLE, "iterations": 5000})
    figure = figures.error_curve_figure(run, 4321)
    names = [frame.name for frame in figure.frames]
    assert len(names) <= figures.MAX_FRAMES + 2 and "4321" in names and "5000" in names


def test_the_curve_shows_the_visited_weights_and_the_best_one():
    run = tinynet.train("up_and_down", **ARTICLE)
    figure = figures.error_curve_figure(run, 1)
    low, high = figure.layout.xaxis.range
    assert low < run.weights.min() and high > 4 / 3
    assert _trace(figure, "best 1.333").x[0] == 4 / 3


def test_a_run_with_no_iterations_still_draws_its_curve():
    run = tinynet.train("up_and_down", weight=1e200, data=1e200, target=0.0, iterations=3)
    figure = figures.error_curve_figure(run, 1)
    assert not figure.frames and _trace(figure, "error(weight)")


def test_the_sweep_shades_each_regime_and_marks_the_chosen_alpha():
    result = sweep(alpha_grid(3.0, 0.1), weight=0.5, data=3.0, target=4.0, iterations=20)
    figure = figures.sweep_figure(result, 0.1, stability(3.0, 0.1))
    bands = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert [(band.x0, band.x1) for band in bands][1:] == [
        (1 / 9, 2 / 9),
        (2 / 9, result.alphas.max()),
    ]
    assert [trace.name for trace in figure.data][-3:] == ["converges", "zig-zags in", "diverges"]
    assert any(shape.x0 == 0.1 and shape.line.dash == "dash" for shape in figure.layout.shapes)
    assert _trace(figure, "error exactly 0").y.max() < np.nanmin(_trace(figure, "error at").y)
    assert figure.layout.xaxis.type == "log"

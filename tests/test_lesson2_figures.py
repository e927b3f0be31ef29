"""Lesson 2's figures show what the runs hold, checked against gold: the contours are the
surface's level sets, the arrow is minus the gradient by finite differences, each frame puts
the point, the line and the slice where the run was, and every spec passes Plotly's schema."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import line_charts
from dashboard.charts import PLAIN, PRESENTER
from tinynet.line import (
    LINE_PRESETS,
    best_line,
    error_surface,
    fit_line,
    line_data,
    line_error,
    line_gradient,
    train_line,
)
from tinynet.line_words import hessian_text, moment_text, slice_text, surface_text

FIGURES = (line_charts.lesson_figure, line_charts.bridge_figure, line_charts.surface_3d_figure)


def preset_run(key: str, **changes: object):
    preset = next(each for each in LINE_PRESETS if each.key == key)
    return train_line(line_data(preset.xs, preset.ys), replace(preset.settings, **changes))


def trace(spec: dict, name: str) -> dict:
    return next(each for each in spec["data"] if each.get("name") == name)


def placed(spec: dict, frame: dict) -> dict:
    """What a frame sets, by the name of the trace it moves."""
    names = [spec["data"][index].get("name") for index in frame["traces"]]
    return dict(zip(names, frame["data"], strict=True))


def encoded(spec: dict) -> str:
    """The spec as the app sends it; a NaN or an infinity would not survive JSON."""
    text = plotly.io.to_json(spec, validate=False)
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the spec"))
    return text


@pytest.mark.parametrize("preset", LINE_PRESETS, ids=lambda preset: preset.key)
@pytest.mark.parametrize("figure", FIGURES, ids=lambda figure: figure.__name__)
def test_every_figure_of_every_experiment_passes_plotlys_schema(figure, preset):
    run = preset_run(preset.key)
    for look in (PLAIN, PRESENTER):
        go.Figure(figure(run, 5, look))
    if figure is not line_charts.surface_3d_figure:
        go.Figure(figure(run, 5, PLAIN, stacked=True))
    encoded(figure(run, 5))


def test_the_contours_are_the_surfaces_level_sets_every_half_decade():
    """Each ring keeps one height above the least error, to within what rounding its points
    to a millionth of the chart's width moves them; the heights go down by √10 a ring."""
    run = preset_run("batch")
    spec = line_charts.lesson_figure(run, 1)
    rings = trace(spec, "contours of the error")
    xs, ys = (np.array(rings[axis], dtype=float) for axis in ("x", "y"))
    area = line_charts.window(run)
    moved = 1e-6 * (area.weights[1] - area.weights[0])  # at most, by rounding
    start, levels = 0, []
    for end in np.flatnonzero(np.isnan(xs)):
        weights, biases = xs[start:end], ys[start:end]
        heights = error_surface(run.data, weights, biases) - run.data.least_error
        slopes = [
            np.hypot(*line_gradient(run.data, w, b, True))
            for w, b in zip(weights, biases, strict=True)
        ]
        level = float(np.median(heights))
        assert np.all(np.abs(heights - level) <= 2 * moved * np.array(slopes) + 1e-15)
        levels.append(level)
        start = end + 1
    ratios = np.array(levels[:-1]) / np.array(levels[1:])
    assert ratios == pytest.approx(math.sqrt(10), rel=1e-3)


def test_the_arrow_points_down_the_steepest_slope_and_the_step_is_the_one_taken():
    run = preset_run("momentum")  # momentum: the step and the slope part ways
    spec = line_charts.lesson_figure(run, 1)
    for frame in spec["frames"][:12:3]:
        iteration = int(frame["name"])
        moved = placed(spec, frame)
        (weight,), (bias,) = moved["point now"]["x"], moved["point now"]["y"]
        where = (run.weights[iteration - 1], run.biases[iteration - 1])
        assert (weight, bias) == pytest.approx(where, abs=2e-6)  # to a millionth of the window
        arrow = np.array(moved["steepest descent"]["x"]), np.array(moved["steepest descent"]["y"])
        way = np.array([arrow[0][1] - arrow[0][0], arrow[1][1] - arrow[1][0]])
        tiny = 1e-6
        slope = np.array(
            [
                (
                    line_error(run.data, weight + tiny, bias)
                    - line_error(run.data, weight - tiny, bias)
                ),
                (
                    line_error(run.data, weight, bias + tiny)
                    - line_error(run.data, weight, bias - tiny)
                ),
            ]
        ) / (2 * tiny)
        cosine = -way @ slope / np.linalg.norm(way) / np.linalg.norm(slope)
        assert cosine == pytest.approx(1, abs=1e-4)  # minus the gradient, by finite differences
        step = moved["step taken"]
        taken = (step["x"][1] - step["x"][0], step["y"][1] - step["y"][0])
        expected = (run.weight_steps[iteration - 1], run.bias_steps[iteration - 1])
        assert taken == pytest.approx(expected, rel=1e-5, abs=1e-6)


def test_on_one_scale_the_arrow_meets_the_contour_at_right_angles():
    run = preset_run("batch")
    spec = line_charts.lesson_figure(run, 1)
    assert spec["layout"]["yaxis"]["scaleanchor"] == "x"  # one scale: angles are true angles
    frame = spec["frames"][3]
    data, index = run.data, int(frame["name"]) - 1
    weight, bias = run.weights[index], run.biases[index]
    # The contour through the point runs along H·δ rotated by a right angle (δ from the best).
    offset = np.array([weight - data.best_weight, bias - data.best_bias])
    half = np.array([[data.spread + data.mean_x**2, data.mean_x], [data.mean_x, 1.0]])
    normal = half @ offset
    along = np.array([-normal[1], normal[0]])
    moved = placed(spec, frame)
    arrow = moved["steepest descent"]
    way = np.array([arrow["x"][1] - arrow["x"][0], arrow["y"][1] - arrow["y"][0]])
    assert way @ along / np.linalg.norm(way) / np.linalg.norm(along) == pytest.approx(0, abs=1e-4)


def test_each_frame_draws_the_line_and_its_residuals_at_that_iteration():
    run = preset_run("stochastic")
    spec = line_charts.lesson_figure(run, 1)
    ends = trace(spec, "line now")["x"]
    residual_x = trace(spec, "residuals")["x"]
    assert residual_x[:2] == [run.data.xs[0]] * 2 and residual_x[2] is None
    for frame in spec["frames"]:
        index = int(frame["name"]) - 1
        moved = placed(spec, frame)
        weight, bias = run.weights[index], run.biases[index]
        assert moved["line now"]["y"] == pytest.approx([weight * x + bias for x in ends], rel=1e-6)
        residuals = moved["residuals"]["y"]
        assert residuals[0::3] == pytest.approx(run.data.ys.tolist())
        assert residuals[1::3] == pytest.approx((run.data.xs * weight + bias).tolist(), rel=1e-6)
        assert moved["now"] == {"x": [index + 1], "y": [run.errors[index]]}  # the ring


def test_the_player_says_each_frame_in_tinynets_words():
    run = preset_run("batch")
    for figure in (line_charts.lesson_figure, line_charts.bridge_figure):
        spec = figure(run, 1)
        for frame in spec["frames"][:5]:
            said = next(
                part for part in frame["data"] if part.get("text") and part.get("customdata")
            )
            assert said["text"] == [moment_text(run, int(frame["name"]) - 1)]


def test_a_frame_for_each_early_iteration_then_evenly_spaced_and_the_one_asked_for():
    run = preset_run("batch", iterations=1000)
    spec = line_charts.lesson_figure(run, 333)
    names = [int(frame["name"]) for frame in spec["frames"]]
    assert len(names) <= line_charts.FRAMES + 1 and {1, 333, 1000} <= set(names)
    assert names[: line_charts.FRAMES // 2] == list(range(1, line_charts.FRAMES // 2 + 1))
    gaps = np.diff(names[line_charts.FRAMES // 2 :])
    assert gaps.max() - gaps.min() <= 1 + 333 % 67  # evenly spaced, but for the one asked for
    short = preset_run("batch", iterations=line_charts.FRAMES)
    assert len(line_charts.lesson_figure(short, 1)["frames"]) == line_charts.FRAMES
    assert spec["layout"]["meta"]["frame"] == names.index(333)


def test_the_bridge_is_the_exact_slice_along_the_weight_in_every_frame():
    """Every frame's window maps the parabola drawn once on hidden axes (v = u²) onto the error
    along the weight with that iteration's bias, and the tangent has the slice's slope."""
    run = preset_run("momentum")
    spec = line_charts.bridge_figure(run, 1)
    hidden_x = spec["layout"]["xaxis3"]["range"]
    hidden_y = spec["layout"]["yaxis3"]["range"]
    for frame in spec["frames"][::7]:
        index = int(frame["name"]) - 1
        bias = run.biases[index]
        (x0, x1), (y0, y1) = frame["layout"]["xaxis2"]["range"], frame["layout"]["yaxis2"]["range"]
        u = np.linspace(-1, 1, 9)
        weights = x0 + (u - hidden_x[0]) / (hidden_x[1] - hidden_x[0]) * (x1 - x0)
        drawn = y0 + (u * u - hidden_y[0]) / (hidden_y[1] - hidden_y[0]) * (y1 - y0)
        truth = error_surface(run.data, weights, bias)
        assert drawn == pytest.approx(truth, rel=1e-9, abs=1e-12 * max(1, truth.max()))
        lowest = best_line(run.data, bias=bias)
        assert (x0 + x1) / 2 == pytest.approx(lowest.weight, rel=1e-9)
        moved = placed(spec, frame)
        tangent = moved["tangent"]
        slope = (tangent["y"][1] - tangent["y"][0]) / (tangent["x"][1] - tangent["x"][0])
        tiny = 1e-6 * max(1, abs(run.weights[index]))
        weight = run.weights[index]
        rise = (
            line_error(run.data, weight + tiny, bias) - line_error(run.data, weight - tiny, bias)
        ) / (2 * tiny)
        assert slope == pytest.approx(rise, rel=1e-5)
        assert moved["the slice"]["y"] == pytest.approx([bias, bias])


def test_the_bridge_in_words_names_the_slices_lowest_point_and_its_slope():
    run = preset_run("batch")
    said = slice_text(run, 4)
    lowest = best_line(run.data, bias=run.biases[3])
    assert f"the bias held at {run.biases[3]:.4g}" in said
    assert f"lowest at weight {lowest.weight:.4g}" in said
    assert "so the next point lies on another slice" in said
    frozen = slice_text(preset_run("frozen_bias"), 4)
    assert frozen.endswith(".") and "another slice" not in frozen


def test_a_run_that_blows_up_leaves_the_surface_and_says_so():
    run = preset_run("too_big", iterations=2000)
    assert run.diverged
    spec = line_charts.lesson_figure(run, 1)
    notes = " ".join(note["text"] for note in spec["layout"]["annotations"])
    assert "The path leaves the chart" in notes
    area = line_charts.window(run)
    assert area.left > 0 and math.isfinite(area.weights[1] - area.weights[0])
    encoded(spec)  # nothing infinite reaches the browser
    encoded(line_charts.bridge_figure(run, len(run.weights)))


def test_weight_and_bias_on_very_different_scales_get_their_own_and_a_note():
    xs = np.array([10_000.0, 10_001.0, 10_002.0, 10_003.0])  # best: weight 0.001, bias 1,000
    run = fit_line(xs, 1000 + 0.001 * xs, weight=0, bias=0, alpha=1e-9, iterations=50)
    area = line_charts.window(run)
    assert not area.equal
    spec = line_charts.lesson_figure(run, 1)
    assert "scaleanchor" not in spec["layout"]["yaxis"]
    assert any("different scales" in note["text"] for note in spec["layout"]["annotations"])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.integers(-200, 200).map(lambda value: value / 4), min_size=2, max_size=12, unique=True
    ),
    st.floats(0.0, 0.2),
    st.integers(1, 300),
    st.sampled_from([None, 1, 3]),
)
def test_any_run_gives_a_finite_valid_spec(xs, alpha, iterations, batch):
    ys = [0.5 * x - 1 for x in xs]
    run = fit_line(
        xs, ys, weight=1.0, bias=-2.0, alpha=alpha, iterations=iterations, batch_size=batch
    )
    for figure in FIGURES:
        encoded(figure(run, iterations // 2 + 1))


def test_a_thousand_iterations_on_100000_points_stay_under_150_kb():
    generator = np.random.default_rng(0)
    xs = generator.normal(5, 2, 100_000)
    ys = 1.3 * xs + 0.5 + generator.normal(0, 1, 100_000)
    run = fit_line(xs, ys, weight=0, bias=0, alpha=0.01, iterations=1000, batch_size=8)
    for figure in FIGURES:
        assert len(encoded(figure(run, 500))) <= 150_000, figure.__name__
    spec = line_charts.lesson_figure(run, 1)
    (points,) = [each for each in spec["data"] if "of the 100,000" in each.get("name", "")]
    assert len(points["x"]) <= line_charts.SHOWN_POINTS + 1
    assert min(points["y"]) == pytest.approx(ys.min()) and max(points["y"]) == pytest.approx(
        ys.max()
    )
    assert "residuals" not in [each.get("name") for each in spec["data"]]
    for key in ("batch", "momentum", "adam"):
        assert (
            len(encoded(line_charts.lesson_figure(preset_run(key, iterations=1000), 1))) <= 150_000
        )


def test_the_3d_surface_is_the_error_over_its_grid():
    run = preset_run("uncentred")
    spec = line_charts.surface_3d_figure(run, 3)
    surface = trace(spec, "error")
    weights, biases = np.array(surface["x"]), np.array(surface["y"])
    assert np.array(surface["z"]) == pytest.approx(
        error_surface(run.data, weights[None, :], biases[:, None])
    )
    assert surface_text(run, 3, in_3d=True).startswith("Error surface over weight and bias, in 3-D")


def test_the_hessian_in_words_is_twice_the_means_of_the_sums():
    xs = np.array([1.0, 2.0, 4.0, 7.0])
    data = line_data(xs, xs * 2)
    said = hessian_text(data, LINE_PRESETS[0].settings)
    assert said.endswith(
        f"is [[{2 * np.mean(xs**2):g}, {2 * xs.mean():g}], [{2 * xs.mean():g}, 2]]."
    )


@given(st.integers(0, 199))
def test_the_players_sentence_says_the_iteration_the_line_and_its_error(index):
    run = preset_run("trap")
    said = moment_text(run, index)
    assert said.startswith(f"Iteration {index + 1} of 200: weight ")
    assert "-0 " not in said and "nan" not in said
    error = float(said.rsplit("error ", 1)[1])
    assert error == pytest.approx(run.errors[index], rel=1e-3)

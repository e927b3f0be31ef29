"""The figures show what the runs hold: log axes, zeros, tangents that touch, frames that
move all three charts of the lesson together, and a look that reads on a projector."""

import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

import tinynet
from dashboard import charts
from tinynet.analysis import stability
from tinynet.number_words import number_text
from tinynet.sweep import alpha_grid, sweep

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}


def checked_learning_figure(*args, **kwargs) -> go.Figure:
    return checked(charts.learning_figure(*args, **kwargs))


def checked_error_curve_figure(*args, **kwargs) -> go.Figure:
    return checked(charts.error_curve_figure(*args, **kwargs))


def checked_sweep_figure(*args, **kwargs) -> go.Figure:
    return checked(charts.sweep_figure(*args, **kwargs))


def checked(spec: dict) -> go.Figure:
    """The spec as Plotly's figure object: building it checks every property against
    Plotly's schema (the app sends the specs unchecked, for speed)."""
    return go.Figure(spec)


def _trace(figure, name_start):
    return next(trace for trace in figure.data if trace.name.startswith(name_start))


def _placed(frame) -> dict:
    """What a frame sets, by the index of the trace it moves."""
    return dict(zip(frame.traces, frame.data, strict=True))


def test_the_package_imports_neither_streamlit_nor_plotly():
    check = (
        "import sys, tinynet, tinynet.analysis, tinynet.long_run, tinynet.verdicts, tinynet.sweep,"
        " dashboard.link, tinynet.explain,"
        " dashboard.charts, tinynet.describe, dashboard.class_store;"
        "assert 'plotly' not in sys.modules and 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


def test_thinning_keeps_every_point_that_fits_and_the_extremes_of_the_rest():
    assert np.array_equal(charts.thin(50), np.arange(50))
    values = np.sin(np.arange(100_000) / 300.0)
    values[31_337] = 9.0
    keep = charts.thin(len(values), values)
    assert len(keep) <= charts.MAX_POINTS + 1
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
    figure = checked_learning_figure([run], ["this run"])
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
    figure = checked_learning_figure([run], ["this run"])
    assert figure.layout.yaxis.type != "log"
    assert not figure.layout.annotations


def test_both_halves_share_one_iteration_axis_and_one_legend_entry_per_run():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    figure = checked_learning_figure([run], ["this run"])
    assert np.array_equal(_half(figure, "this run", "y2").y, run.predictions)
    assert figure.layout.xaxis.anchor == "y2"
    assert figure.layout.yaxis.domain[0] > figure.layout.yaxis2.domain[1]
    shown = [trace.name for trace in figure.data if trace.showlegend is not False]
    assert shown.count("this run") == 1 and "target 4" in shown


def test_pinned_runs_are_drawn_dotted_beside_the_current_one():
    runs = [tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 0.05)]
    figure = checked_learning_figure(runs, ["this run", "alpha 0.05"])
    for axis in ("y", "y2"):
        assert _half(figure, "this run", axis).line.dash == "solid"
        assert _half(figure, "alpha 0.05", axis).line.dash == "dot"
    assert list(_half(figure, "target", "y2").y) == [4.0, 4.0]


def test_long_runs_are_thinned_for_the_eye_only():
    run = tinynet.train("up_and_down", **{**ARTICLE, "iterations": 10_000}, step=0.0001)
    figure = checked_learning_figure([run], ["run"])
    for axis in ("y", "y2"):
        line = _half(figure, "run", axis)
        assert len(line.x) <= charts.MAX_POINTS + 1
        assert line.x[0] == 1 and line.x[-1] == 10_000


def test_clipped_comparison_keeps_exploding_runs_off_the_chart_and_says_so():
    runs = [tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 1.0)]
    figure = checked_learning_figure(runs, ["calm", "wild"], clip=True)
    low, high = figure.layout.yaxis2.range
    assert low < 1.5 and 4 < high < 10
    assert np.nanmax(np.abs(_half(figure, "wild", "y2").y)) <= high
    (note,) = [note for note in figure.layout.annotations if note.yref == "y2 domain"]
    assert "wild leaves the chart (reaches 3.6e17)" in note.text


@pytest.mark.parametrize("at", [1, 2, 7, 20])
def test_the_tangent_touches_the_curve_and_the_arrow_reaches_the_next_weight(at):
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.03)
    figure = checked_error_curve_figure(run, at)
    weight, error = run.weights[at - 1], run.errors[at - 1]
    point = _trace(figure, "now")
    assert (point.x[0], point.y[0]) == (weight, error) and point.customdata[0] == at
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
    figure = checked_error_curve_figure(run, 5)
    assert [frame.name for frame in figure.frames] == [str(i) for i in range(1, 21)]
    assert figure.frames[figure.layout.meta["frame"]].name == "5"
    assert not figure.layout.sliders  # the app's player scrubs: Plotly's slider is slow to draw
    frame = figure.frames[11]
    moving = [figure.data.index(_trace(figure, name)) for name in ("now", "tangent", "next")]
    assert _placed(frame)[moving[0]].x[0] == run.weights[11]
    curve = figure.data.index(_trace(figure, "error(weight)"))  # named, and left as it is
    assert list(frame.traces) == [curve, *moving] and _placed(frame)[curve].x is None


def test_long_runs_get_a_bounded_number_of_frames_including_the_chosen_one():
    run = tinynet.train("up_and_down", **{**ARTICLE, "iterations": 5000})
    figure = checked_error_curve_figure(run, 4321)
    names = [frame.name for frame in figure.frames]
    assert len(names) <= charts.MAX_FRAMES + 2 and "4321" in names and "5000" in names


def test_the_curve_shows_the_visited_weights_and_the_best_one():
    run = tinynet.train("up_and_down", **ARTICLE)
    figure = checked_error_curve_figure(run, 1)
    low, high = figure.layout.xaxis.range
    assert low < run.weights.min() and high > 4 / 3
    assert _trace(figure, "best 1.333").x[0] == 4 / 3


def test_a_run_with_no_iterations_still_draws_its_curve():
    run = tinynet.train("up_and_down", weight=1e200, data=1e200, target=0.0, iterations=3)
    figure = checked_error_curve_figure(run, 1)
    assert not figure.frames and _trace(figure, "error(weight)")


def test_the_sweep_shades_each_regime_and_marks_the_chosen_alpha():
    result = sweep(alpha_grid(3.0, 0.1), weight=0.5, data=3.0, target=4.0, iterations=20)
    figure = checked_sweep_figure(result, 0.1, stability(3.0, 0.1))
    bands = [trace for trace in figure.data if trace.fill == "toself"]
    upper = [band for band in bands if band.yaxis == "y"]
    assert [(band.x[0], band.x[1]) for band in upper][1:] == [
        (1 / 9, 2 / 9),
        (2 / 9, result.alphas.max()),
    ]
    assert [band.name for band in upper] == ["converges", "zig-zags in", "diverges"]
    assert all(band.showlegend for band in upper) and len(bands) == 2 * len(upper)
    hatchings = {band.fillpattern.shape or "" for band in upper}
    assert len(hatchings) == 3  # each band its own hatching, not only its own colour
    for band in bands:  # each fills its panel from edge to edge
        axis = figure.layout.yaxis if band.yaxis == "y" else figure.layout.yaxis2
        assert [np.log10(min(band.y)), np.log10(max(band.y))] == pytest.approx(axis.range)
    assert any(shape.x0 == 0.1 and shape.line.dash == "dash" for shape in figure.layout.shapes)
    assert _trace(figure, "error exactly 0").y.max() < np.nanmin(_trace(figure, "error at").y)
    assert figure.layout.xaxis.type == "log"


def _lesson(at: int = 1, alpha: float = 0.1) -> tuple[tinynet.Run, go.Figure]:
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=alpha)
    return run, checked(charts.lesson_figure(run, at))


def _on(figure: go.Figure, x_axis: str, y_axis: str) -> list:
    return [trace for trace in figure.data if (trace.xaxis, trace.yaxis) == (x_axis, y_axis)]


def test_the_lesson_puts_the_curve_beside_the_histories_and_stacks_them_on_a_phone():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    wide = checked(charts.lesson_figure(run, 1))
    assert wide.layout.xaxis.domain[1] < wide.layout.xaxis2.domain[0]  # side by side
    assert wide.layout.yaxis2.domain[0] > wide.layout.yaxis3.domain[1]  # error above prediction
    phone = checked(charts.lesson_figure(run, 1, stacked=True))
    assert phone.layout.xaxis.domain == phone.layout.xaxis2.domain == (0, 1)
    assert phone.layout.yaxis.domain[0] > phone.layout.yaxis2.domain[1]  # the curve on top
    for figure in (wide, phone):
        (errors,) = [trace for trace in figure.data if trace.name == "error"]
        assert (errors.xaxis, errors.yaxis) == ("x2", "y2")
        assert np.array_equal(errors.y[:16], run.errors[:16])
        predictions = _trace(figure, "prediction")  # the iterations so far, in each frame
        assert np.array_equal(predictions.y, run.predictions[:1])
        last = _placed(figure.frames[-1])[figure.data.index(predictions)]
        assert np.array_equal(last.y, run.predictions)
        assert figure.layout.yaxis2.type == "log" and figure.layout.xaxis2.matches == "x3"


@pytest.mark.parametrize("at", [1, 4, 20])
def test_every_frame_moves_the_tangent_and_rings_the_same_iteration_on_both_histories(at):
    run, figure = _lesson(at, alpha=0.03)
    rings = [figure.data.index(trace) for trace in figure.data if trace.name == "now"]
    assert len(rings) == 3  # the point on the curve, and a ring on each history
    for frame in figure.frames:
        iteration = int(frame.name)
        placed = _placed(frame)
        point, tangent, arrow = (placed[rings[0] + step] for step in range(3))
        error_ring, prediction_ring = placed[rings[1]], placed[rings[2]]
        assert point.x[0] == run.weights[iteration - 1]
        assert error_ring.x[0] == prediction_ring.x[0] == iteration
        assert error_ring.y[0] == run.errors[iteration - 1]
        assert prediction_ring.y[0] == run.predictions[iteration - 1]
        assert arrow.x[1] == (run.weights[iteration] if iteration < 20 else run.final_weight)
        slope = (tangent.y[1] - tangent.y[0]) / (tangent.x[1] - tangent.x[0])
        assert tangent.text == f"iteration {iteration}: slope {number_text(slope)}"
    assert figure.frames[figure.layout.meta["frame"]].name == str(at)
    shown = [figure.data[index] for index in rings]
    assert shown[1].x[0] == at and shown[2].y[0] == run.predictions[at - 1]


def test_frames_carry_positions_only_and_the_styles_once():
    _, figure = _lesson()
    spec = charts.lesson_figure(tinynet.train("gradient_descent", **ARTICLE, alpha=0.1), 1)
    for frame in spec["frames"]:
        for moving in frame["data"]:
            assert set(moving) <= {"x", "y", "customdata", "text"}
    assert figure.layout.updatemenus == ()  # the app's own buttons play it, with a keyboard


def test_an_exact_zero_is_ringed_where_the_log_axis_marks_it():
    run, figure = _lesson(20, alpha=0.1)
    zeros = _trace(figure, "error: exactly 0")
    rings = [figure.data.index(trace) for trace in figure.data if trace.name == "now"]
    ring = _placed(next(frame for frame in figure.frames if frame.name == "20"))[rings[1]]
    assert run.errors[19] == 0 and ring.y[0] == zeros.y[0] > 0


def test_a_run_with_no_iterations_draws_its_lesson_without_frames():
    run = tinynet.train("up_and_down", weight=1e200, data=1e200, target=0.0, iterations=3)
    figure = checked(charts.lesson_figure(run, 1))
    assert not figure.frames and _trace(figure, "error(weight)")


def test_data_zero_draws_a_flat_curve_with_no_best_weight():
    run = tinynet.train("gradient_descent", **{**ARTICLE, "data": 0.0}, alpha=0.1)
    figure = checked(charts.lesson_figure(run, 1))
    curve = _trace(figure, "error(weight)")
    assert np.all(np.asarray(curve.y) == 16.0)
    assert not [trace for trace in figure.data if trace.name.startswith("best")]


def _sizes(spec: object, key: str) -> list[float]:
    """Every number under ``key`` anywhere in a spec (a font's size, a line's width...)."""
    found = []
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name == key and isinstance(value, int | float):
                found.append(value)
            elif name == key and isinstance(value, list):
                found += [size for size in value if size]  # an arrow's tail has size 0
            else:
                found += _sizes(value, key)
    elif isinstance(spec, list):
        for value in spec:
            found += _sizes(value, key)
    return found


def _every_figure(look: charts.Look) -> list[dict]:
    runs = [tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 0.05)]
    result = sweep(alpha_grid(3.0, 0.1), weight=0.5, data=3.0, target=4.0, iterations=20)
    return [
        charts.lesson_figure(runs[0], 3, look),
        charts.lesson_figure(runs[0], 3, look, stacked=True),
        charts.learning_figure(runs, ["this run", "pinned"], look),
        charts.error_curve_figure(runs[0], 3, look),
        charts.sweep_figure(result, 0.1, stability(3.0, 0.1), look),
    ]


def test_the_projector_look_has_big_type_thick_lines_and_big_markers():
    for spec in _every_figure(charts.PRESENTER):
        traces = spec["data"] + [moving for frame in spec["frames"] for moving in frame["data"]]
        traces = [trace for trace in traces if trace.get("fill") != "toself"]  # areas: no line
        assert min(_sizes(spec["layout"], "size")) >= 18  # tick, legend, axis and note text
        assert min(_sizes(traces, "width")) >= 3  # every line, and every marker's outline
        markers = [trace["marker"] for trace in spec["data"] if "marker" in trace]
        assert min(_sizes(markers, "size")) >= 9


def _contrast(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG's contrast ratio of two colours written #RRGGBB."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_line_and_marker_stands_three_to_one_against_white_and_text_four_and_a_half():
    for spec in _every_figure(charts.PLAIN):
        for trace in spec["data"]:
            for part in ("line", "marker"):
                colour = trace.get(part, {}).get("color")
                if isinstance(colour, str) and colour.startswith("#") and colour != "white":
                    assert _contrast(colour) >= 3, (trace["name"], part, colour)
        fonts = [font for font in _fonts(spec["layout"]) if "color" in font]
        assert fonts and all(_contrast(font["color"]) >= 4.5 for font in fonts)
    assert _contrast("#56B4E9") < 3 and _contrast("#E69F00") < 3  # why two are darkened


def _fonts(spec: object) -> list[dict]:
    if isinstance(spec, dict):
        own = [spec["font"]] if isinstance(spec.get("font"), dict) else []
        return own + [font for value in spec.values() for font in _fonts(value)]
    if isinstance(spec, list):
        return [font for value in spec for font in _fonts(value)]
    return []


def test_pinned_runs_differ_by_dash_and_marker_not_by_colour_alone():
    runs = [
        tinynet.train("gradient_descent", **ARTICLE, alpha=alpha) for alpha in (0.1, 0.05, 0.02)
    ]
    figure = checked_learning_figure(runs, ["this run", "a", "b"])
    lines = [_half(figure, name) for name in ("this run", "a", "b")]
    assert len({line.line.dash for line in lines}) == 3
    assert len({line.marker.symbol for line in lines}) == 3

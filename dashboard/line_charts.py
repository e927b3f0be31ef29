"""Plotly figures of lesson 2's runs: plain functions from a run to a spec, no Streamlit.

The lesson's figure holds the design's three charts, moving together under one slider: the
error surface over (weight, bias) with the path, the steepest-descent arrow and the step
taken; the error per iteration; and the line over the points at each iteration. The bridge
holds the slice of the surface along the weight (lesson 1's error curve) beside the surface.
Every surface comes from the data's sums, so it costs the same for 8 points or 100,000.
The frames move only the parts that change, as lesson 1's do (``charts.animate``).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace

import numpy as np

from dashboard.charts import (
    BLACK,
    BLUE,
    DASHES,
    GREEN,
    GREY,
    ORANGE,
    PALETTE,
    PLAIN,
    PURPLE,
    STACKED,
    SYMBOLS,
    VERMILLION,
    WINDOW_ROOM,
    Look,
    animate,
    axis_style,
    base_layout,
    error_panel,
    figure_spec,
    fixed_margins,
    note,
    padded,
    quietly,
    ring_style,
    text_font,
    thin,
)
from tinynet.line import LineRun, LineSettings, error_surface, reach_gaps, reachable_line
from tinynet.line_words import moment_text
from tinynet.number_words import number_text

GRID_3D = 41  # rows and columns of the 3-D surface's grid
CONTOURS = 14  # half decades of height above the least error, one contour each
CONTOUR_POINTS = 73  # per contour: a segment every 5 degrees
MAX_RESIDUALS = 60  # points whose residuals are drawn; past this they would be a blur
SHOWN_POINTS = 2000  # points drawn at most; the extremes of each slice always among them
EQUAL_SCALES = 10.0  # spans within this factor share one scale, and the arrow meets the
# contours at right angles as it truly does; beyond it each axis gets its own scale
ARROW = 0.15  # the steepest-descent arrow's length, as a share of the surface's width
FAR = 100.0  # path points this many times higher above the least error than the start
# are left out of the surface's window: a run that blows up leaves the chart (a note says so)
FRAMES = 30  # frames at most: every one of the first 15 iterations, where a run changes most,
# then evenly spaced. More frames slow the page's first drawing.
DIGITS = 7  # significant digits of each mini-batch's error: far finer than a pixel


@dataclass(frozen=True)
class Window:
    """The stretch of (weight, bias) the surface shows, and whether on one scale."""

    weights: tuple[float, float]
    biases: tuple[float, float]
    equal: bool
    left: int  # iterations of the path outside the window


def _both_move(run: LineRun) -> LineSettings:
    return replace(run.settings, freeze_weight=False, freeze_bias=False)


def _heights(run: LineRun, weights: np.ndarray, biases: np.ndarray) -> np.ndarray:
    """How far the error at each (weight, bias) is above the least error, with nothing to
    cancel (``reach_gaps`` with both parameters moving)."""
    return reach_gaps(run.data, _both_move(run), np.asarray(weights), np.asarray(biases))


def window(run: LineRun) -> Window:
    """The path's start, the best line and every point of the path that stays within ``FAR``
    times the start's height above the least error, with room around them."""
    data = run.data
    weights = np.append(run.weights, run.final_weight)
    biases = np.append(run.biases, run.final_bias)
    heights = _heights(run, weights, biases)
    near = heights <= max(float(heights[0]), 1e-300) * FAR
    near[0] = True
    chosen_w, chosen_b = list(weights[near]), list(biases[near])
    if data.best_weight is not None:
        chosen_w.append(data.best_weight)
        chosen_b.append(data.best_bias)
    spans = []
    for values in (chosen_w, chosen_b):
        low, high = min(values), max(values)
        spans.append((low, high))
    widths = [high / 2 - low / 2 for low, high in spans]  # halved: they may be huge
    largest = max(widths)
    if largest == 0:
        largest = max(abs(value) for value in (*chosen_w, *chosen_b)) / 4 or 0.5
    equal = min(widths) * EQUAL_SCALES >= largest
    ranges = []
    for (low, high), width in zip(spans, widths, strict=True):
        middle = low / 2 + high / 2
        half = largest if equal else (width or largest / EQUAL_SCALES)
        ranges.append(padded(middle - half, middle + half, 0.12))
    left = int(len(weights) - 1 - near[:-1].sum()) if len(run.weights) else 0
    return Window(ranges[0], ranges[1], bool(equal), max(left, 0))


def frame_indices(count: int) -> np.ndarray:
    """The iterations (from 0) that get a frame: all of them up to ``FRAMES``, else each of
    the first ``FRAMES // 2`` and the rest evenly spaced to the last."""
    if count <= FRAMES:
        return np.arange(count)
    early = np.arange(FRAMES // 2)
    later = np.linspace(FRAMES // 2, count - 1, FRAMES - FRAMES // 2).round().astype(int)
    return np.union1d(early, later)


def _span(ends: object) -> float:
    low, high = ends
    return high / 2 - low / 2  # half of it: the whole may overflow, and a millionth is plenty


def _grid(area: Window, count: int) -> tuple[np.ndarray, np.ndarray]:
    share = np.linspace(0, 1, count)
    (w0, w1), (b0, b1) = area.weights, area.biases
    return w0 * (1 - share) + w1 * share, b0 * (1 - share) + b1 * share


def _brief(values: object) -> list:
    """Values to ``DIGITS`` significant digits, short to send (None stays a gap)."""
    return [None if value is None else float(f"{value:.{DIGITS}g}") for value in values]


def _rounded(values: object, span: float) -> list:
    """Positions rounded to a millionth of ``span``, the stretch their axis shows: far finer
    than a pixel at any zoom of the chart, and short to send (None stays a gap)."""
    span = abs(span)
    places = max(0, math.ceil(6 - math.log10(span))) if 0 < span < math.inf else None
    if places is None or places > 300:
        return [None if value is None else float(value) for value in values]
    return [None if value is None else round(float(value), places) for value in values]


def surface_traces(
    run: LineRun, area: Window, look: Look, axes: tuple[str, str], path: bool = True
) -> list[dict]:
    """The surface's contours, the run's path (unless not ``path``), the best line and, with
    a frozen parameter, the best line within reach; on the axes ``axes`` (x, y)."""
    x_axis, y_axis = axes
    on = {"xaxis": x_axis, "yaxis": y_axis}
    data = run.data
    traces = []
    rings = contours(run, area)
    if rings is not None:
        traces.append(
            {
                "type": "scatter",
                "x": rings[0],
                "y": rings[1],
                "mode": "lines",
                "name": "contours of the error",
                "line": {"color": GREY, "width": 1},
                "hoverinfo": "skip",
                "showlegend": False,  # the caption says what they are
                **on,
            }
        )
    if path and len(run.weights):
        keep = thin(len(run.weights), np.asarray(run.errors))
        traces.append(
            {
                "type": "scatter",
                "x": _rounded(run.weights[keep].tolist(), _span(area.weights)),
                "y": _rounded(run.biases[keep].tolist(), _span(area.biases)),
                "mode": "lines+markers" if len(keep) <= 60 else "lines",
                "name": "path",
                "line": {"color": BLUE, "width": look.line - 1},
                "marker": {"size": look.marker - 3, "color": BLUE},
                "customdata": run.iterations[keep],
                "hovertemplate": "iteration %{customdata}<br>weight %{x:.6g}<br>bias %{y:.6g}"
                "<extra></extra>",
                **on,
            }
        )
    if data.best_weight is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [data.best_weight],
                "y": [data.best_bias],
                "mode": "markers",
                "name": "best line",
                "legendgroup": "best line",
                "marker": {"color": GREEN, "size": look.marker + 8, "symbol": "star"},
                "hovertemplate": "best line<br>weight %{x:.6g}<br>bias %{y:.6g}<extra></extra>",
                **on,
            }
        )
    settings = run.settings
    if settings.freeze_weight != settings.freeze_bias:
        reach, _ = reachable_line(data, settings)
        if reach is not None:
            traces.append(
                {
                    "type": "scatter",
                    "x": [reach.weight],
                    "y": [reach.bias],
                    "mode": "markers",
                    "name": "best within reach",
                    "marker": {
                        "color": "white",
                        "size": look.marker + 6,
                        "symbol": "diamond",
                        "line": {"color": PURPLE, "width": look.line},
                    },
                    "hovertemplate": "best with one parameter frozen<br>weight %{x:.6g}"
                    "<br>bias %{y:.6g}<extra></extra>",
                    **on,
                }
            )
    return traces


def contours(run: LineRun, area: Window) -> tuple[list, list] | None:
    """The contours of the error in the window, every half decade of height above the least
    error, as one line broken by gaps; None when no single line is best (every x the same).

    The error is ``least_error + δᵀ·C·δ``, δ the offset from the best line and C half the
    Hessian, ``[[spread + x̄², x̄], [x̄, 1]]``: each contour is an ellipse, drawn exactly as
    ``δ = U⁻¹·u`` for u round a circle of radius √height, with C = Uᵀ·U (Cholesky).
    """
    data = run.data
    if data.best_weight is None:
        return None
    corners = np.array([(w, b) for w in area.weights for b in area.biases])
    highest = float(_heights(run, corners[:, 0], corners[:, 1]).max())
    if not 0 < highest < math.inf:
        return None
    square = data.spread + data.mean_x * data.mean_x
    p, q, r = math.sqrt(square), data.mean_x / math.sqrt(square), math.sqrt(data.spread / square)
    turn = np.linspace(0, 2 * math.pi, CONTOUR_POINTS)
    top = math.floor(2 * math.log10(highest))
    xs: list = []
    ys: list = []
    for level in range(top, top - CONTOURS, -1):
        radius = math.sqrt(10 ** (level / 2))
        u1, u2 = radius * np.cos(turn), radius * np.sin(turn)
        xs += [*_rounded(data.best_weight + (u1 - q / r * u2) / p, _span(area.weights)), None]
        ys += [*_rounded(data.best_bias + u2 / r, _span(area.biases)), None]
    return xs, ys


def surface_axes(layout: dict, area: Window, look: Look, axes: tuple[str, str]) -> None:
    """The surface's axes in ``layout`` (layout names): its window, on one scale when
    ``area.equal``, where the arrow meets the contours at right angles as it truly does."""
    x_axis, y_axis = axes
    layout[x_axis] = axis_style("weight", look, range=list(area.weights), autorange=False)
    layout[y_axis] = axis_style("bias", look, range=list(area.biases), autorange=False)
    layout[x_axis]["nticks"] = 6
    if area.equal:
        short = x_axis.replace("axis", "")
        layout[y_axis].update({"scaleanchor": short, "scaleratio": 1, "constrain": "domain"})
        layout[x_axis]["constrain"] = "domain"


def surface_notes(run: LineRun, area: Window, look: Look, axes: tuple[str, str]) -> list[dict]:
    """What the surface panel cannot show by itself: a path that leaves it, two scales."""
    said = []
    if area.left:
        said.append(f"the path leaves the chart ({area.left:,} iterations outside)")
    if not area.equal:
        said.append("weight and bias on different scales")
    if not said:
        return []
    x_axis, y_axis = axes
    corner = {"x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom"}
    text = "; ".join(said)
    return [
        note(
            text[0].upper() + text[1:],
            look,
            xref=f"{x_axis} domain",
            yref=f"{y_axis} domain",
            **corner,
        )
    ]


def _descents(run: LineRun, chosen: np.ndarray, area: Window) -> tuple[np.ndarray, np.ndarray]:
    """The steepest-descent arrows' ends at the iterations ``chosen``: from each point,
    against the full data's gradient, ``ARROW`` of the window long on the screen."""
    gradients = np.column_stack([run.weight_gradients[chosen], run.bias_gradients[chosen]])
    spans = np.array([area.weights[1] - area.weights[0], area.biases[1] - area.biases[0]])
    on_screen = np.hypot(*(gradients / spans).T)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(on_screen > 0, ARROW / on_screen, np.nan)
    ends = -gradients * scale[:, None]
    return run.weights[chosen] + ends[:, 0], run.biases[chosen] + ends[:, 1]


def surface_moments(run: LineRun, chosen: list[int], area: Window) -> list[list[dict]]:
    """Where the current point, the steepest-descent arrow and the step taken stand at each
    of the iterations ``chosen`` (counted from 0): positions only."""
    indices = np.asarray(chosen)
    weights, biases = run.weights[indices], run.biases[indices]
    arrow_w, arrow_b = _descents(run, indices, area)
    step_w = weights + run.weight_steps[indices]
    step_b = biases + run.bias_steps[indices]
    across, up = _span(area.weights), _span(area.biases)
    moments = []
    for place, index in enumerate(chosen):
        here = (float(weights[place]), float(biases[place]))
        arrow = (float(arrow_w[place]), float(arrow_b[place]))
        if not all(map(math.isfinite, arrow)):  # at the best line: no slope to follow
            arrow = (None, None)
        moments.append(
            [
                {
                    "x": _rounded(here[:1], across),
                    "y": _rounded(here[1:], up),
                    "customdata": [index + 1],
                    "text": [moment_text(run, index)],
                },
                {
                    "x": _rounded([here[0], arrow[0]], across),
                    "y": _rounded([here[1], arrow[1]], up),
                },
                {
                    "x": _rounded([here[0], float(step_w[place])], across),
                    "y": _rounded([here[1], float(step_b[place])], up),
                },
            ]
        )
    return moments


def _arrow(name: str, colour: str, look: Look, dash: str, axes: dict) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "line": {"color": colour, "width": look.line, "dash": dash},
        "marker": {
            "symbol": "arrow",
            "angleref": "previous",
            "size": [0, look.marker + 8],
            "color": colour,
        },
        "hoverinfo": "skip",
        **axes,
    }


def surface_moving(look: Look, axes: tuple[str, str]) -> list[dict]:
    """The style of the current point, the steepest-descent arrow and the step taken."""
    on = {"xaxis": axes[0], "yaxis": axes[1]}
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "point now",
            "marker": {
                "color": BLUE,
                "size": look.marker + 7,
                "line": {"color": BLACK, "width": look.line - 1},
            },
            "hovertemplate": "iteration %{customdata}<br>weight %{x:.6g}<br>bias %{y:.6g}"
            "<extra></extra>",
            "showlegend": False,
            **on,
        },
        _arrow("steepest descent", VERMILLION, look, "solid", on),
        _arrow("step taken", GREEN, look, "dot", on),
    ]


# The error and the line per iteration ---------------------------------------------------------


def _error_traces(run: LineRun, look: Look, axes: tuple[str, str]) -> tuple[list, dict, list]:
    """Lesson 1's error panel for the full data's error, with the least error as a dashed
    line and, when steps see only some points, each mini-batch's own error."""
    traces, panel_axis, notes = error_panel([run], ["error, all points"], look, axes)
    x_axis, y_axis = axes
    log = panel_axis.get("type") == "log"
    for trace in traces:
        trace.update({"xaxis": x_axis, "yaxis": y_axis})
        if trace["mode"] == "lines+markers":
            trace["mode"] = "lines"
    traces[0]["showlegend"] = run.method != "batch"  # the axis names it, unless there are two
    if run.method != "batch" and len(run.weights):
        keep = thin(len(run.batch_errors), np.asarray(run.batch_errors))
        shown = run.batch_errors[keep]
        if log:
            shown = np.where(shown > 0, shown, np.nan)
        shown = _brief([None if math.isnan(value) else value for value in shown.tolist()])
        traces.insert(
            0,
            {
                "type": "scatter",
                "x": run.iterations[keep],
                "y": shown,
                "mode": "lines",
                "name": "mini-batch's own error",
                "line": {"color": ORANGE, "width": 1},
                "opacity": 0.8,
                "hovertemplate": "iteration %{x}<br>its batch's error %{y:.6g}<extra></extra>",
                "xaxis": x_axis,
                "yaxis": y_axis,
            },
        )
    least = run.data.least_error
    if len(run.weights) and not (log and least <= 0):
        traces.append(
            {
                "type": "scatter",
                "x": [1, len(run.weights)],
                "y": [least, least],
                "mode": "lines",
                "name": f"least error {number_text(least)}",
                "line": {"color": GREY, "dash": "dash", "width": look.line - 1},
                "hovertemplate": "least error %{y:.6g}<extra></extra>",
                "xaxis": x_axis,
                "yaxis": y_axis,
            }
        )
    return traces, panel_axis, notes


def _shown_points(run: LineRun) -> np.ndarray:
    """Which points the chart draws: all of them up to ``SHOWN_POINTS``, else a spread of
    them that keeps the lowest and highest y of every slice."""
    return thin(run.data.count, np.asarray(run.data.ys), SHOWN_POINTS)


def _point_range(run: LineRun) -> tuple[list[float], list[float]]:
    data = run.data
    xs = padded(float(data.xs.min()), float(data.xs.max()), 0.05)
    ys = [float(data.ys.min()), float(data.ys.max())]
    if data.best_weight is not None:
        ends = data.best_weight * np.array(xs) + data.best_bias
        ys += [float(ends.min()), float(ends.max())]
    return list(xs), list(padded(min(ys), max(ys), 0.15))


def line_traces(run: LineRun, look: Look, axes: tuple[str, str]) -> list[dict]:
    """The points and the best line, still."""
    data = run.data
    on = {"xaxis": axes[0], "yaxis": axes[1]}
    keep = _shown_points(run)
    xs, ys = _point_range(run)
    name = "points" if len(keep) == data.count else f"{len(keep):,} of the {data.count:,} points"
    traces = [
        {
            "type": "scatter",
            "x": _rounded(data.xs[keep].tolist(), _span(xs)),
            "y": _rounded(data.ys[keep].tolist(), _span(ys)),
            "mode": "markers",
            "name": name,
            "showlegend": len(keep) < data.count,  # plain dots need no key, a sample does
            "marker": {"color": BLACK, "size": look.marker - (0 if data.count <= 100 else 4)},
            "hovertemplate": "x %{x:.6g}<br>y %{y:.6g}<extra></extra>",
            **on,
        }
    ]
    if data.best_weight is not None:
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": [data.best_weight * x + data.best_bias for x in xs],
                "mode": "lines",
                "name": "best line",
                "legendgroup": "best line",
                "showlegend": False,  # the star on the surface names it
                "line": {"color": GREEN, "dash": "dash", "width": look.line - 1},
                "hoverinfo": "skip",
                **on,
            }
        )
    return traces


def line_moving(run: LineRun, look: Look, axes: tuple[str, str]) -> list[dict]:
    """The style of the line at the current iteration and, for a few points, its residuals;
    their x never change, so they live here and frames carry only y."""
    data = run.data
    on = {"xaxis": axes[0], "yaxis": axes[1]}
    xs, _ = _point_range(run)
    styles = [
        {
            "type": "scatter",
            "x": xs,
            "mode": "lines",
            "name": "line now",
            "line": {"color": BLUE, "width": look.line},
            "hovertemplate": "x %{x:.6g}<br>prediction %{y:.6g}<extra></extra>",
            **on,
        }
    ]
    if data.count <= MAX_RESIDUALS:
        columns = [data.xs, data.xs, np.full(data.count, np.nan)]
        residual_x = np.column_stack(columns).ravel()
        styles.append(
            {
                "type": "scatter",
                "x": [None if math.isnan(x) else x for x in residual_x.tolist()],
                "mode": "lines",
                "name": "residuals",
                "line": {"color": VERMILLION, "width": look.line - 2 or 1},
                "hoverinfo": "skip",
                **on,
            }
        )
    return styles


def line_moments(run: LineRun, chosen: list[int]) -> list[list[dict]]:
    """The line's heights at the chart's two ends and, for a few points, each residual, at
    each of the iterations ``chosen``."""
    data = run.data
    xs, ys = _point_range(run)
    moments = []
    for index in chosen:
        weight, bias = float(run.weights[index]), float(run.biases[index])
        moment = [{"y": _rounded([weight * x + bias for x in xs], _span(ys))}]
        if data.count <= MAX_RESIDUALS:
            predictions = data.xs * weight + bias
            ends = []
            for y, prediction in zip(data.ys.tolist(), predictions.tolist(), strict=True):
                ends += [y, prediction, None]
            moment.append({"y": _rounded(ends, _span(ys))})
        moments.append(moment)
    return moments


# The figures ------------------------------------------------------------------------------


@quietly
def lesson_figure(run: LineRun, at: int, look: Look = PLAIN, stacked: bool = False) -> dict:
    """The error surface with the path, the steepest-descent arrow and the step taken at
    iteration ``at`` (left, or on top when ``stacked`` for a phone), beside the line over
    the points and the error per iteration. One slider moves all three in the browser."""
    area = window(run)
    surface = surface_traces(run, area, look, ("x", "y"))
    points = line_traces(run, look, ("x3", "y3"))
    errors, error_axis, notes = _error_traces(run, look, ("x2", "y2"))
    layout = base_layout("weight", "bias", look)
    surface_axes(layout, area, look, ("xaxis", "yaxis"))
    xs, ys = _point_range(run)
    # The points' x axis is named at its end, not under it: a title there would sit on the
    # error panel below, on a projector's short figure.
    layout["xaxis3"] = axis_style("", look, range=xs, autorange=False, anchor="y3")
    layout["yaxis3"] = axis_style("y", look, range=ys, autorange=False, anchor="x3")
    room = max(0.5, 0.02 * len(run.weights))
    layout["xaxis2"] = axis_style(
        "iteration", look, range=[1 - room, max(len(run.weights), 1) + room], anchor="y2"
    )
    layout["xaxis2"]["autorange"] = False
    layout["yaxis2"] = {**error_axis, "anchor": "x2"}
    if stacked:
        domains = {"x": [0, 1], "y": [0.5, 1], "x2": [0, 1], "y2": [0, 0.16], "y3": [0.24, 0.4]}
        layout["height"] = STACKED
        layout["legend"]["tracegroupgap"] = 0
    else:
        domains = {"x": [0, 0.46], "y": [0, 1], "x2": [0.58, 1], "y2": [0, 0.32], "y3": [0.62, 1]}
        layout["height"] = look.height
    domains["x3"] = domains["x2"]
    for name, domain in domains.items():
        layout[f"{name[0]}axis{name[1:]}"]["domain"] = domain
    x_name = note("x", look, xref="x3 domain", yref="y3 domain", x=1, y=0, xshift=6)
    x_name.update({"xanchor": "left", "yanchor": "middle", "font": text_font(look)})
    layout["annotations"] = [*notes, x_name, *surface_notes(run, area, look, ("x", "y"))]
    fixed_margins(layout, look)
    spec = figure_spec([*surface, *points, *errors], layout)
    if not len(run.weights):
        return spec
    log = error_axis.get("type") == "log"
    floor = float(run.errors[run.errors > 0].min()) / 10 if (run.errors > 0).any() else 1.0

    def moments(chosen: list[int]) -> list[list[dict]]:
        rings = run.errors[chosen]
        if log:
            rings = np.where(rings == 0, floor, rings)
        return [
            [*place, *line, {"x": [index + 1], "y": [float(error)]}]
            for place, line, index, error in zip(
                surface_moments(run, chosen, area),
                line_moments(run, chosen),
                chosen,
                rings.tolist(),
                strict=True,
            )
        ]

    styles = [
        *surface_moving(look, ("x", "y")),
        *line_moving(run, look, ("x3", "y3")),
        ring_style("x2", "y2", look),
    ]
    frames = frame_indices(len(run.weights))
    return animate(spec, len(run.weights), at, styles, moments, frames=frames)


# The bridge to lesson 1: the slice along the weight ---------------------------------------


@dataclass(frozen=True)
class Slices:
    """Per iteration, the slice of the surface along the weight with the bias held there: a
    parabola ``lowest + curvature·(weight − centre)²``, and the window each frame shows of it
    (``centre ± halves``, up to ``tops`` above ``lowest``)."""

    centres: np.ndarray
    lowest: np.ndarray
    halves: np.ndarray
    tops: np.ndarray
    curvature: float


def slices(run: LineRun) -> Slices:
    """Each iteration's slice and the window that holds its weight, the weight after its
    step and the slice's lowest point, as lesson 1's error curve frames each iteration."""
    data = run.data
    curvature = data.spread + data.mean_x * data.mean_x
    biases = np.asarray(run.biases)
    centres = (data.covariance + data.mean_x * (data.mean_y - biases)) / curvature
    lowest = error_surface(data, centres, biases)
    after = run.weights + run.weight_steps
    near = np.maximum(np.abs(run.weights - centres), np.abs(after - centres)) * WINDOW_ROOM
    # Not narrower than 7-digit ticks can label, nor so narrow that the error's rise across
    # the window is lost in its height (or falls below the normal doubles).
    wide = np.maximum(np.abs(centres), np.abs(run.weights)) * 2.0**-17
    visible = np.sqrt(np.maximum(lowest, 1e-300) * 1e-6 / curvature)
    halves = np.maximum.reduce([near, wide, visible, np.full_like(near, 1e-150)])
    halves = np.minimum(halves, math.sqrt(sys.float_info.max / 1e4 / curvature))
    return Slices(centres, lowest, halves, WINDOW_ROOM * curvature * halves**2, curvature)


def _slice_layouts(cuts: Slices, chosen: list[int]) -> list[dict]:
    return [
        {
            "xaxis2": {
                "range": [
                    float(cuts.centres[i] - cuts.halves[i]),
                    float(cuts.centres[i] + cuts.halves[i]),
                ]
            },
            "yaxis2": {
                "range": [
                    float(cuts.lowest[i] - 0.04 * cuts.tops[i]),
                    float(cuts.lowest[i] + cuts.tops[i]),
                ]
            },
        }
        for i in chosen
    ]


def _slice_moments(run: LineRun, cuts: Slices, area: Window, chosen: list[int]) -> list:
    """At each iteration ``chosen``: the slice's line across the surface, the current point
    on both panels, the tangent and the weight's step along the slice."""
    data, scale = run.data, 1.0 if run.settings.exact_derivative else 2.0
    moments = []
    for index in chosen:
        weight, bias = float(run.weights[index]), float(run.biases[index])
        error = float(run.errors[index])
        slope = float(run.weight_gradients[index]) * scale
        half = min(0.44 * cuts.halves[index], 0.468 * cuts.tops[index] / abs(slope or 1e-300))
        after = weight + float(run.weight_steps[index])
        landing = min(
            float(error_surface(data, after, bias)), cuts.lowest[index] + cuts.tops[index]
        )
        said = moment_text(run, index)
        moments.append(
            [
                {"y": [bias, bias]},
                {"x": [weight], "y": [bias]},
                {"x": [weight], "y": [error], "customdata": [index + 1], "text": [said]},
                {
                    "x": [weight - half, weight + half],
                    "y": [error - slope * half, error + slope * half],
                },
                {"x": [weight, after], "y": [error, landing]},
            ]
        )
    return moments


@quietly
def bridge_figure(run: LineRun, at: int, look: Look = PLAIN, stacked: bool = False) -> dict:
    """The surface with the slice through the current point along the weight (left, or on
    top when ``stacked``), beside that slice: lesson 1's error curve, with its tangent and
    the weight's step. The slice is drawn once, exactly, as ``v = u²`` on hidden axes; each
    frame sets the visible axes to its own window of it, as lesson 1's error curve does."""
    area = window(run)
    surface = surface_traces(run, area, look, ("x", "y"))
    layout = base_layout("weight", "bias", look)
    surface_axes(layout, area, look, ("xaxis", "yaxis"))
    u = np.linspace(-1, 1, 101)
    hidden = {"xaxis": "x3", "yaxis": "y3", "hoverinfo": "skip"}
    curve = [
        {
            "type": "scatter",
            "x": u,
            "y": u * u,
            "mode": "lines",
            "name": "error along the weight",
            "showlegend": False,  # the axis names it
            "line": {"color": GREY, "width": look.line - 1},
            **hidden,
        },
        {
            "type": "scatter",
            "x": [0],
            "y": [0],
            "mode": "markers",
            "name": "lowest on the slice",
            "marker": {"color": GREEN, "size": look.marker + 6, "symbol": "star"},
            **hidden,
        },
    ]
    size = layout["font"]["size"]
    layout["xaxis2"] = axis_style("weight", look, anchor="y2", nticks=5, tickformat=".7~g")
    layout["yaxis2"] = axis_style("", look, anchor="x2", nticks=5, tickformat=".4~g")
    for name in ("xaxis2", "yaxis2"):  # an overlaying axis would sync its ticks to the hidden one
        layout[name]["tickmode"] = "auto"
    for name in ("xaxis2", "yaxis2"):
        layout[name].update({"autorange": False, "automargin": False, "fixedrange": True})
    left, right = ([0, 1], [0, 1]) if stacked else ([0, 0.42], [0.6, 1])
    tall = {"y": [0.55, 1], "y2": [0, 0.4]} if stacked else {"y": [0, 1], "y2": [0, 1]}
    layout["xaxis"]["domain"], layout["yaxis"]["domain"] = left, tall["y"]
    layout["xaxis2"]["domain"], layout["yaxis2"]["domain"] = right, tall["y2"]
    layout["xaxis3"] = {"visible": False, "fixedrange": True, "range": [-1, 1], "domain": right}
    layout["yaxis3"] = {
        "visible": False,
        "fixedrange": True,
        "range": [-0.04 * WINDOW_ROOM, WINDOW_ROOM],
        "domain": tall["y2"],
    }
    layout["xaxis2"]["overlaying"] = "x3"
    layout["yaxis2"]["overlaying"] = "y3"
    layout["margin"]["l"] = max(layout["margin"]["l"], round(4.5 * size))
    layout["height"] = STACKED if stacked else look.height
    title = {
        "text": "error, bias held",
        "font": layout["xaxis2"]["title"]["font"],
        "showarrow": False,
        "xref": "x2 domain",
        "yref": "y2 domain",
        "x": 0,
        "y": 0.5,
        "xanchor": "right",
        "xshift": -round(4.2 * size),
        "textangle": -90,
    }
    layout["annotations"] = [title, *surface_notes(run, area, look, ("x", "y"))]
    fixed_margins(layout, look)
    spec = figure_spec([*curve, *surface], layout)
    if not len(run.weights):
        return spec
    cuts = slices(run)
    on_surface = {"xaxis": "x", "yaxis": "y"}
    on_slice = {"xaxis": "x2", "yaxis": "y2"}
    styles = [
        {
            "type": "scatter",
            "x": list(area.weights),
            "mode": "lines",
            "name": "the slice",
            "line": {"color": VERMILLION, "width": look.line - 1, "dash": "dash"},
            "hoverinfo": "skip",
            **on_surface,
        },
        {**surface_moving(look, ("x", "y"))[0], "hoverinfo": "skip"},
        {
            **surface_moving(look, ("x2", "y2"))[0],
            "hovertemplate": "iteration %{customdata}"
            "<br>weight %{x:.6g}<br>error %{y:.6g}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "tangent",
            "line": {"color": VERMILLION, "width": look.line + 1},
            "hoverinfo": "skip",
            **on_slice,
        },
        _arrow("the weight's step", GREEN, look, "dot", on_slice),
    ]
    return animate(
        spec,
        len(run.weights),
        at,
        styles,
        lambda chosen: _slice_moments(run, cuts, area, chosen),
        lambda chosen: _slice_layouts(cuts, chosen),
        (0, 1),
        frame_indices(len(run.weights)),
    )


# The surface in 3-D -------------------------------------------------------------------------


@quietly
def surface_3d_figure(run: LineRun, at: int, look: Look = PLAIN) -> dict:
    """The error over (weight, bias) as a surface in three dimensions, with the path, the
    point of iteration ``at`` and the best line. No frames: the scene turns under a pointer."""
    area = window(run)
    weights, biases = _grid(area, GRID_3D)
    errors = error_surface(run.data, weights[None, :], biases[:, None])
    title_font, tick_font = {"size": look.font}, {"size": look.font - 2}
    traces = [
        {
            "type": "surface",
            "x": weights,
            "y": biases,
            "z": errors,
            "colorscale": [[0, "#DCEAF5"], [1, "#FFFFFF"]],
            "showscale": False,
            "opacity": 0.85,
            "name": "error",
            "contours": {"z": {"show": True, "color": GREY, "width": 1}},
            "hovertemplate": "weight %{x:.4g}<br>bias %{y:.4g}<br>error %{z:.4g}<extra></extra>",
        }
    ]
    inside = (
        (run.weights >= area.weights[0])
        & (run.weights <= area.weights[1])
        & (run.biases >= area.biases[0])
        & (run.biases <= area.biases[1])
    )
    if len(run.weights):
        keep = thin(len(run.weights), np.asarray(run.errors))
        keep = keep[inside[keep]]
        traces.append(
            {
                "type": "scatter3d",
                "x": run.weights[keep],
                "y": run.biases[keep],
                "z": run.errors[keep],
                "mode": "lines+markers",
                "name": "path",
                "line": {"color": BLUE, "width": look.line + 2},
                "marker": {"size": look.marker - 5, "color": BLUE},
                "hovertemplate": "weight %{x:.6g}<br>bias %{y:.6g}<br>error %{z:.6g}"
                "<extra></extra>",
            }
        )
        index = min(max(at, 1), len(run.weights)) - 1
        traces.append(
            {
                "type": "scatter3d",
                "x": [run.weights[index]],
                "y": [run.biases[index]],
                "z": [run.errors[index]],
                "mode": "markers",
                "name": f"iteration {index + 1}",
                "marker": {"size": look.marker, "color": BLUE, "line": {"color": BLACK}},
                "hovertemplate": "weight %{x:.6g}<br>bias %{y:.6g}<br>error %{z:.6g}"
                "<extra></extra>",
            }
        )
    data = run.data
    if data.best_weight is not None:
        traces.append(
            {
                "type": "scatter3d",
                "x": [data.best_weight],
                "y": [data.best_bias],
                "z": [data.least_error],
                "mode": "markers",
                "name": "best line",
                "marker": {"size": look.marker, "color": GREEN, "symbol": "diamond"},
                "hovertemplate": "best line<br>weight %{x:.6g}<br>bias %{y:.6g}"
                "<br>error %{z:.6g}<extra></extra>",
            }
        )
    layout = base_layout("", "", look)
    del layout["xaxis"], layout["yaxis"]
    layout["scene"] = {
        **{
            name: {"title": {"text": title, "font": title_font}, "tickfont": tick_font, **more}
            for name, title, more in (
                ("xaxis", "weight", {"range": list(area.weights)}),
                ("yaxis", "bias", {"range": list(area.biases)}),
                ("zaxis", "error", {}),
            )
        },
        "aspectmode": "cube",
    }
    layout["height"] = look.height
    return figure_spec(traces, layout)


# Which of these paths is SGD's? --------------------------------------------------------------


def _joined(areas: list[Window]) -> Window:
    """One window that holds every path's, on one scale when all of theirs are."""
    weights = (min(area.weights[0] for area in areas), max(area.weights[1] for area in areas))
    biases = (min(area.biases[0] for area in areas), max(area.biases[1] for area in areas))
    equal = all(area.equal for area in areas)
    if equal:  # stretch the shorter side to the longer: one scale for both
        half = max(_span(weights), _span(biases))
        weights, biases = (
            (low / 2 + high / 2 - half, low / 2 + high / 2 + half)
            for low, high in (weights, biases)
        )
    return Window(weights, biases, equal, sum(area.left for area in areas))


@quietly
def paths_figure(runs: list[LineRun], names: list[str], look: Look = PLAIN) -> dict:
    """Several runs' paths over one error surface, each with a colour, a dash and a marker of
    its own (never told apart by colour alone), named ``names``: letters while a question is
    open, what they are once it is answered."""
    area = _joined([window(run) for run in runs])
    first = runs[0]
    traces = surface_traces(first, area, look, ("x", "y"), path=False)
    for number, (run, name) in enumerate(zip(runs, names, strict=True), start=1):
        traces.append(
            {
                "type": "scatter",
                "x": _rounded(np.append(run.weights, run.final_weight), _span(area.weights)),
                "y": _rounded(np.append(run.biases, run.final_bias), _span(area.biases)),
                "mode": "lines+markers",
                "name": name,
                "line": {
                    "color": PALETTE[number % len(PALETTE)],
                    "width": look.line - 1,
                    "dash": DASHES[number % len(DASHES)],
                },
                "marker": {
                    "symbol": SYMBOLS[number % len(SYMBOLS)],
                    "size": look.marker - 2,
                    "color": PALETTE[number % len(PALETTE)],
                },
                "hovertemplate": f"{name}<br>weight %{{x:.6g}}<br>bias %{{y:.6g}}<extra></extra>",
            }
        )
    layout = base_layout("weight", "bias", look)
    surface_axes(layout, area, look, ("xaxis", "yaxis"))
    layout["annotations"] = surface_notes(first, area, look, ("x", "y"))
    layout["height"] = look.height
    return figure_spec(traces, layout)

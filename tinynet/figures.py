"""Plotly figures of runs, the error curve and the alpha sweep: plain functions, no Streamlit."""

from __future__ import annotations

import functools
import itertools
import math
import sys
from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go

from tinynet.analysis import Stability
from tinynet.network import slope, squared_error
from tinynet.sweep import Sweep
from tinynet.training import Run

MAX_POINTS = 2000  # per line: past this the eye cannot tell more points apart
MAX_FRAMES = 200  # animation frames of the error curve
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#7F7F7F",
)
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY)
REGIME_BANDS = (("converges", "0,158,115"), ("zig-zags in", "230,159,0"), ("diverges", "213,94,0"))
"""The sweep's shaded regimes and their colours (red, green, blue)."""


def _quietly(figure: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Run a figure function without numpy's overflow warnings.

    Runs span the whole range of doubles, so display arithmetic (a padded range,
    a distance to the target) may overflow; each function turns such values into
    gaps or clips them, and the tests check that no infinity reaches the browser.
    """

    @functools.wraps(figure)
    def quiet(*args: object, **kwargs: object) -> go.Figure:
        with np.errstate(over="ignore", invalid="ignore"):
            return figure(*args, **kwargs)

    return quiet


def thin(count: int, values: np.ndarray | None = None, budget: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most about ``budget`` points that keep a line's shape.

    Every point when they fit; otherwise evenly spaced ones, and with ``values``
    also the lowest and highest point of each slice, so no spike disappears.
    """
    if count <= budget:
        return np.arange(count)
    edges = np.linspace(0, count, budget // 4 + 1).astype(int)
    picks = [edges[:-1], [count - 1]]
    if values is not None:
        for low, high in itertools.pairwise(edges):
            part = values[low:high]
            picks.append([low + int(part.argmin()), low + int(part.argmax())])
    return np.unique(np.concatenate(picks))


def _layout(x_title: str, y_title: str, font_size: int) -> dict:
    """The look every figure shares; the legend sits on top and makes its own room.

    Every text size is set outright: a theme's template would otherwise override
    the legend's and the axes' sizes, and presenter mode could not enlarge them.
    """
    font = {"size": font_size}
    return {
        "font": font,
        "xaxis": _axis(x_title, font_size),
        "yaxis": _axis(y_title, font_size),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": font},
        "hoverlabel": {"font": font},
        "hovermode": "closest",
    }


def _axis(title: str, font_size: int, **more: object) -> dict:
    font = {"size": font_size}
    return {"title": {"text": title, "font": font}, "tickfont": font, **more}


def _note(text: str, font_size: int, axis: str) -> dict:
    """A note in the bottom left corner of the panel of y axis ``axis``."""
    return {
        "text": text,
        "xref": "paper",
        "yref": f"{axis} domain",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": font_size - 2},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


def _line(x: np.ndarray, y: np.ndarray, label: str, number: int, quantity: str) -> dict:
    primary = number == 0
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if len(x) <= 60 else "lines",
        "name": label,
        "line": {
            "color": PALETTE[number % len(PALETTE)],
            "width": 3 if primary else 2,
            "dash": "solid" if primary else "dot",
        },
        "marker": {"size": 6},
        "hovertemplate": f"iteration %{{x}}<br>{quantity} %{{y:.6g}}<extra>{label}</extra>",
    }


def _padded(low: float, high: float, share: float) -> tuple[float, float]:
    """``[low, high]`` widened by ``share`` of its width on each side, within the doubles.

    Halves before subtracting, so that even the widest range does not overflow.
    """
    low, high = float(low), float(high)  # Python floats overflow to inf without a warning
    pad = (high / 2 - low / 2) * 2 * share or max(abs(low), 1.0) * 0.5
    return max(low - pad, -sys.float_info.max), min(high + pad, sys.float_info.max)


def _floor(positive: np.ndarray) -> float:
    """Where to mark exact zeros on a log axis: a decade below the smallest error."""
    smallest = float(positive.min()) if positive.size else 1.0
    return smallest / 10 if smallest > 1e-300 else smallest


def _spans_decades(values: np.ndarray) -> bool:
    positive = values[values > 0]
    return positive.size > 1 and positive.max() / 1e3 >= positive.min()


@_quietly
def learning_figure(
    runs: Sequence[Run], labels: Sequence[str], font_size: int = 14, clip: bool = False
) -> go.Figure:
    """The error (top) and the prediction (bottom) at each iteration, on one shared
    iteration axis, one line per run (the first is the current one).

    See ``_error_panel`` and ``_prediction_panel`` for what each half shows.
    """
    error_traces, error_axis, notes = _error_panel(runs, labels, font_size)
    prediction_traces, prediction_axis, more_notes = _prediction_panel(
        runs, labels, font_size, clip
    )
    for trace in prediction_traces:  # the legend names each run once, for both halves
        trace.update({"yaxis": "y2", "legendgroup": trace["name"]})
        trace["showlegend"] = trace["name"].startswith("target")
    for trace in error_traces:
        trace["legendgroup"] = trace["name"]
    layout = _layout("iteration", "", font_size)
    layout["xaxis"]["anchor"] = "y2"  # one iteration axis, under the lower half
    layout["yaxis"] = {**error_axis, "domain": [0.56, 1.0]}
    layout["yaxis2"] = {**prediction_axis, "domain": [0.0, 0.44]}
    layout["annotations"] = notes + more_notes
    layout["height"] = 620
    return go.Figure({"data": error_traces + prediction_traces, "layout": layout})


def _error_panel(runs: Sequence[Run], labels: Sequence[str], font_size: int) -> tuple:
    """The error at each iteration: traces, axis and notes.

    A log axis is used when the errors span three or more orders of magnitude.
    A log axis cannot show an error of exactly 0, so those iterations are
    marked on the bottom edge and named in a note instead of vanishing.
    """
    every = np.concatenate([run.errors for run in runs])
    log = _spans_decades(every)
    floor = _floor(every[every > 0])
    traces, marked = [], False
    for number, (run, label) in enumerate(zip(runs, labels, strict=True)):
        keep = thin(len(run.errors), run.errors)
        shown = run.errors[keep]
        if log:
            shown = np.where(shown > 0, shown, np.nan)
        traces.append(_line(run.iterations[keep], shown, label, number, "error"))
        zero = keep[run.errors[keep] == 0]
        if log and zero.size:
            marked = True
            traces.append(
                {
                    "type": "scatter",
                    "x": run.iterations[zero],
                    "y": np.full(zero.size, floor),
                    "mode": "markers",
                    "name": f"{label}: exactly 0",
                    "marker": {
                        "symbol": "triangle-down",
                        "size": 9,
                        "color": PALETTE[number % len(PALETTE)],
                    },
                    "hovertemplate": "iteration %{x}<br>error = 0 exactly<extra></extra>",
                }
            )
    axis = _axis("error (log scale)" if log else "error", font_size)
    if log:
        axis.update({"type": "log", "exponentformat": "power"})
    notes = (
        [_note("▼ error exactly 0: a log axis cannot show it", font_size, "y")] if marked else []
    )
    return traces, axis, notes


def _prediction_panel(
    runs: Sequence[Run], labels: Sequence[str], font_size: int, clip: bool
) -> tuple:
    """The prediction at each iteration, with the target as a line: traces, axis, notes.

    With ``clip``, runs whose prediction flies off to many times its first miss
    are allowed to leave the chart (a note says how far they go), so that the
    others stay readable on the same axes.
    """
    target = runs[0].settings.target
    wild = [clip and _flies_off(run.predictions, target) for run in runs]
    calm = [target] + [
        value for run, off in zip(runs, wild, strict=True) if not off for value in run.predictions
    ]
    low, high = _padded(min(calm), max(calm), 0.15)
    traces, notes = [], []
    for number, (run, label, off) in enumerate(zip(runs, labels, wild, strict=True)):
        keep = thin(len(run.predictions), run.predictions)
        shown = run.predictions[keep]
        if off:  # only its points inside the window: lines to far-off points would cross it
            shown = np.where((shown >= low) & (shown <= high), shown, np.nan)
            far = run.predictions[np.abs(run.predictions - target).argmax()]
            notes.append(f"{label} leaves the chart (reaches {far:.3g})")
        traces.append(_line(run.iterations[keep], shown, label, number, "prediction"))
    last = max(max(len(run.iterations) for run in runs), 1)
    traces.append(
        {
            "type": "scatter",
            "x": [1, last],
            "y": [target, target],
            "mode": "lines",
            "name": f"target {target:g}",
            "line": {"color": GREY, "dash": "dash", "width": 2},
            "hovertemplate": "target %{y:.6g}<extra></extra>",
        }
    )
    axis = _axis("prediction", font_size)
    if notes:
        axis.update({"range": [low, high], "autorange": False})
    return traces, axis, [_note("<br>".join(notes), font_size, "y2")] if notes else []


def _flies_off(predictions: np.ndarray, target: float) -> bool:
    """Whether a run's prediction ends up many times further off than it started."""
    if not len(predictions):
        return False
    misses = np.abs(predictions - target)
    return bool(misses.max() > 10 * max(misses[0], 1e-12))


@_quietly
def error_curve_figure(run: Run, at: int, font_size: int = 14) -> go.Figure:
    """The error as a function of the weight, the weights the run visited, and, at
    iteration ``at``, the tangent line and an arrow to the next weight.

    The tangent has the true slope ``2 * data * (prediction - target)``, so it
    touches the curve. Animation frames let the browser play or scrub through
    the iterations without asking the server.
    """
    settings = run.settings
    count = len(run.weights)
    best = settings.target / settings.data if settings.data else None
    visited = np.append(run.weights, run.final_weight)
    ends = [visited.min(), visited.max()] + (
        [best] if best is not None and np.isfinite(best) else []
    )
    low, high = _padded(min(ends), max(ends), 0.08)
    share = np.linspace(0, 1, 241)
    curve_x = low * (1 - share) + high * share  # never low + (high - low) * share: it overflows
    curve_y = squared_error(settings.data * curve_x, settings.target)
    curve_y = np.where(np.isfinite(curve_y), curve_y, np.nan)  # a gap where the error overflows
    top = float(np.nanmax(curve_y)) if np.isfinite(curve_y).any() else 1.0
    y_range = [-0.04 * top, min(1.08 * top, sys.float_info.max) or 1.0]

    keep = thin(count)
    traces = [
        {
            "type": "scatter",
            "x": curve_x,
            "y": curve_y,
            "mode": "lines",
            "name": "error(weight)",
            "line": {"color": GREY, "width": 2},
            "hovertemplate": "weight %{x:.6g}<br>error %{y:.6g}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": run.weights[keep],
            "y": run.errors[keep],
            "mode": "markers",
            "name": "visited",
            "marker": {"color": SKY, "size": 7, "opacity": 0.8},
            "customdata": run.iterations[keep],
            "hovertemplate": "iteration %{customdata}<br>weight %{x:.6g}<br>error %{y:.6g}"
            "<extra></extra>",
        },
    ]
    if best is not None and np.isfinite(best):
        traces.append(
            {
                "type": "scatter",
                "x": [best],
                "y": [0],
                "mode": "markers",
                "name": f"best {best:.4g}",
                "marker": {"color": GREEN, "size": 14, "symbol": "star"},
                "hovertemplate": "best weight %{x:.6g}<br>error 0<extra></extra>",
            }
        )
    layout = _layout("weight", "error", font_size)
    layout["xaxis"].update({"range": [low, high], "autorange": False})
    layout["yaxis"].update({"range": y_range, "autorange": False})
    if not count:
        return go.Figure({"data": traces, "layout": layout})

    at = min(max(at, 1), count)
    reach = ((high / 2 - low / 2) * 0.44, (y_range[1] / 2 - y_range[0] / 2) * 0.9, y_range[1])
    moving = [len(traces), len(traces) + 1, len(traces) + 2]
    shown = np.union1d(thin(count, budget=MAX_FRAMES), [at - 1])
    frames = [
        {"name": str(index + 1), "data": _moment(run, index, reach), "traces": moving}
        for index in shown.tolist()
    ]
    traces += _moment(run, at - 1, reach)
    layout["sliders"] = [_slider([frame["name"] for frame in frames], str(at), font_size)]
    layout["updatemenus"] = [_play_buttons(font_size)]
    return go.Figure({"data": traces, "layout": layout, "frames": frames})


def _moment(run: Run, index: int, reach: tuple[float, float, float]) -> list[dict]:
    """The current point, its tangent and the arrow to the next weight, at one iteration.

    ``reach`` bounds the tangent's visible stretch (across, up) and the arrow's height.
    """
    settings = run.settings
    weight, error = float(run.weights[index]), float(run.errors[index])
    rise = float(slope(settings.data, weight, settings.target))
    across, up, top = reach
    if math.isfinite(rise):  # a visible stretch of tangent, however steep
        half = min(across, up / abs(rise)) if rise else across
        tangent_x, tangent_y = (
            [weight - half, weight + half],
            [error - rise * half, error + rise * half],
        )
    else:  # steeper than a double can say: no line to draw
        tangent_x, tangent_y = [None, None], [None, None]
    following = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    next_error = min(float(squared_error(settings.data * following, settings.target)), top)
    return [
        {
            "type": "scatter",
            "x": [weight],
            "y": [error],
            "mode": "markers",
            "name": f"iteration {index + 1}",
            "marker": {"color": BLUE, "size": 15, "line": {"color": "white", "width": 2}},
            "hovertemplate": f"iteration {index + 1}<br>weight %{{x:.6g}}<br>error %{{y:.6g}}"
            "<extra></extra>",
        },
        {
            "type": "scatter",
            "x": tangent_x,
            "y": tangent_y,
            "mode": "lines",
            "name": f"tangent, slope {rise:.4g}"
            if tangent_x[0] is not None
            else "tangent too steep",
            "line": {"color": ORANGE, "width": 4},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "x": [weight, following],
            "y": [error, next_error],
            "mode": "lines+markers",
            "name": "next step",
            "line": {"color": GREEN, "width": 2, "dash": "dot"},
            "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 18], "color": GREEN},
            "hoverinfo": "skip",
        },
    ]


def _still(duration: int) -> dict:
    return {"frame": {"duration": duration, "redraw": False}, "transition": {"duration": 0}}


def _slider(names: list[str], active: str, font_size: int) -> dict:
    return {
        "active": names.index(active),
        "currentvalue": {"prefix": "iteration ", "font": {"size": font_size}},
        "pad": {"t": 30 + font_size},
        "x": 0.12,
        "len": 0.88,
        "steps": [
            {
                "label": name,
                "method": "animate",
                "args": [[name], {"mode": "immediate", **_still(0)}],
            }
            for name in names
        ],
    }


def _play_buttons(font_size: int) -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 30 + font_size + 25},
        "font": {"size": font_size},
        "buttons": [
            {
                "label": "▶",
                "method": "animate",
                "args": [None, {"fromcurrent": True, **_still(300)}],
            },
            {
                "label": "❚❚",
                "method": "animate",
                "args": [[None], {"mode": "immediate", **_still(0)}],
            },
        ],
    }


@_quietly
def sweep_figure(
    result: Sweep, alpha: float, analysis: Stability, font_size: int = 14
) -> go.Figure:
    """Final error and iterations to reach the tolerance against alpha (log axes),
    with the regimes shaded and the current alpha marked.

    An error of exactly 0 cannot sit on a log axis: those alphas get a marker on
    the bottom edge of the upper panel instead.
    """
    alphas, errors = result.alphas, result.final_errors
    floor = _floor(errors[errors > 0])
    zero = errors == 0
    traces = [
        {
            "type": "scatter",
            "x": alphas,
            "y": np.where(errors > 0, errors, np.nan),
            "mode": "lines",
            "name": f"error at iteration {result.iterations}",
            "line": {"color": BLUE, "width": 3},
            "hovertemplate": "alpha %{x:.4g}<br>error %{y:.3g}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": alphas,
            "y": np.where(result.reached_at > 0, result.reached_at, np.nan),
            "mode": "lines",
            "name": f"iterations until error ≤ {result.tolerance:g}",
            "line": {"color": PURPLE, "width": 3},
            "yaxis": "y2",
            "hovertemplate": "alpha %{x:.4g}<br>%{y} iterations<extra></extra>",
        },
    ]
    if zero.any():
        traces.append(
            {
                "type": "scatter",
                "x": alphas[zero],
                "y": np.full(int(zero.sum()), floor),
                "mode": "markers",
                "name": "error exactly 0",
                "marker": {"symbol": "triangle-down", "size": 7, "color": BLUE},
                "hovertemplate": "alpha %{x:.4g}<br>error = 0 exactly<extra></extra>",
            }
        )
    shapes, annotations = [], []
    if analysis.one_step_alpha is not None:
        bounds = [alphas.min(), analysis.one_step_alpha, analysis.max_stable_alpha, alphas.max()]
        for (label, colour), start, end in zip(REGIME_BANDS, bounds, bounds[1:], strict=False):
            if end > start:
                shapes.append(_band(float(start), float(end), colour))
                traces.append(_swatch(label, colour))
        for critical in (analysis.one_step_alpha, analysis.max_stable_alpha):
            shapes.append(_vertical(critical, GREY, "dot"))
    if alpha > 0:
        shapes.append(_vertical(alpha, "black", "dash"))
        annotations.append(_label(np.log10(alpha), 1.0, f"alpha {alpha:g}", font_size))
    layout = _layout("alpha (log scale)", "error", font_size)
    layout["xaxis"].update({"type": "log", "exponentformat": "power", "anchor": "y2"})
    layout["yaxis"].update({"type": "log", "domain": [0.42, 1.0], "exponentformat": "power"})
    layout["yaxis2"] = {
        **layout["yaxis"],
        "title": {"text": "iterations", "font": {"size": font_size}},
    }
    layout["yaxis2"].update({"domain": [0.0, 0.3], "exponentformat": "none"})
    layout["shapes"], layout["annotations"] = shapes, annotations
    layout["height"] = 560  # two panels under a legend that may wrap on a phone
    return go.Figure({"data": traces, "layout": layout})


def _swatch(label: str, colour: str) -> dict:
    """A legend entry for a shaded band: labels on the bands would collide on a phone."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": label,
        "marker": {"symbol": "square", "size": 14, "color": f"rgba({colour},0.45)"},
        "hoverinfo": "skip",
    }


def _band(start: float, end: float, colour: str) -> dict:
    return {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": start,
        "x1": end,
        "y0": 0,
        "y1": 1,
        "fillcolor": f"rgba({colour},0.14)",
        "line": {"width": 0},
        "layer": "below",
    }


def _vertical(value: float, colour: str, dash: str) -> dict:
    line = {"color": colour, "dash": dash, "width": 2}
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": value,
        "x1": value,
        "y0": 0,
        "y1": 1,
        "line": line,
    }


def _label(x: float, y: float, text: str, font_size: int) -> dict:
    """Text placed on the log alpha axis, where annotations take log10 of the position."""
    return {
        "x": x,
        "xref": "x",
        "y": y,
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "yanchor": "bottom",
        "font": {"size": font_size - 2},
    }

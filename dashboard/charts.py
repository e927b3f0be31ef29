"""Plotly figures of runs, the error curve and the alpha sweep: plain functions, no Streamlit.

Each function returns a figure as Plotly's own JSON structure (a dict of ``data``,
``layout`` and ``frames``): ``plotly.graph_objects.Figure(spec)`` makes it an object,
``plotly.io.show(spec)`` draws it. The tests check every spec against Plotly's schema.
"""

from __future__ import annotations

import functools
import itertools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tinynet import describe
from tinynet.analysis import Stability
from tinynet.describe import log_scale
from tinynet.network import best_weight, error_at, slope
from tinynet.number_words import number_text
from tinynet.sweep import Sweep
from tinynet.training import Run

MAX_POINTS = 2000  # per line: past this the eye cannot tell more points apart
TICKS = ".4~g"  # tick labels of at most about six characters, which fixed margins hold
MAX_FRAMES = 200  # animation frames of the error curve
PAST_LIMIT = 100  # iterations of a run whose frames carry its prediction line so far
STACKED = 900  # pixels high: a phone's figure of panels one under another, scrolled through
PLAYER_ROOM = 5  # font sizes of an animated figure's height left to the player's row under it
CURVE_POINTS = 101  # of the parabola: a segment under 10 pixels wide on a 1,000-pixel chart
# The Okabe–Ito palette, which colour-blind eyes tell apart. Its light orange and sky blue
# are darkened to stand 3:1 against white, as WCAG asks of lines and markers.
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, GREY, BLACK = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#B57B00",
    "#3A87C4",
    "#767676",
    "#000000",
)
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY)
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star-square")
TEXT = "#1F1F1F"  # axis, tick and legend text: far beyond 4.5:1 on white
REGIME_BANDS = (
    ("converges", "0,158,115", ""),
    ("zig-zags in", "230,159,0", "/"),
    ("diverges", "213,94,0", "x"),
)
"""The sweep's regimes: their colours (red, green, blue) and hatchings (none, lines, a
cross), so that each band reads in grey too."""


@dataclass(frozen=True)
class Look:
    """The sizes of a figure's text, lines and markers, in pixels."""

    font: int = 14
    line: int = 3
    marker: int = 8
    height: int = 470  # of a figure: with the page's header, it fits a 720-pixel-high screen


PLAIN = Look()
PRESENTER = Look(font=20, line=4, marker=11, height=420)
"""Presenter mode: type, lines and markers that read from the back of a lecture hall."""


def quietly(figure: Callable[..., dict]) -> Callable[..., dict]:
    """Run a figure function without numpy's overflow warnings.

    Runs span the whole range of doubles, so display arithmetic (a padded range,
    a distance to the target) may overflow; each function turns such values into
    gaps or clips them, and the tests check that no infinity reaches the browser.
    """

    @functools.wraps(figure)
    def quiet(*args: object, **kwargs: object) -> dict:
        with np.errstate(over="ignore", invalid="ignore"):
            return figure(*args, **kwargs)

    return quiet


def figure_spec(data: list[dict], layout: dict, frames: list[dict] | None = None) -> dict:
    """A figure spec. Building Plotly's objects instead (a ``go.Figure`` validates every
    property of every trace of every frame) would cost more than the rest of a rerun."""
    return {"data": data, "layout": layout, "frames": frames or []}


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


def text_font(look: Look, smaller: int = 0) -> dict:
    """Dark text ``smaller`` pixels under the look's size."""
    return {"size": look.font - smaller, "color": TEXT}


def base_layout(x_title: str, y_title: str, look: Look) -> dict:
    """The look every figure shares; the legend sits on top and makes its own room.

    Every text size is set outright: a theme's template would otherwise override
    the legend's and the axes' sizes, and presenter mode could not enlarge them.
    Plotly's toolbar stands upright in the right margin, where it covers nothing.
    """
    return {
        "font": text_font(look),
        "xaxis": axis_style(x_title, look),
        "yaxis": axis_style(y_title, look),
        "margin": {"l": 10, "r": 40, "t": 10, "b": 10},
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "font": text_font(look),
        },
        "hoverlabel": {"font": {"size": look.font}},
        "hovermode": "closest",
        "modebar": {"orientation": "v"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
    }


def axis_style(title: str, look: Look, **more: object) -> dict:
    """An axis titled ``title``, in the shared look, with ``more`` of its properties."""
    return {
        "title": {"text": title, "font": text_font(look)},
        "tickfont": text_font(look),
        "gridcolor": "#D9D9D9",
        "linecolor": GREY,
        "zerolinecolor": "#BDBDBD",
        "automargin": True,
        **more,
    }


def note(text: str, look: Look, **placement: object) -> dict:
    """A note over a chart in small type, on a veil of white; ``placement`` puts it."""
    return {
        "text": text,
        "align": "left",
        "showarrow": False,
        "font": text_font(look, 2),
        "bgcolor": "rgba(255,255,255,0.85)",
        **placement,
    }


def fixed_margins(layout: dict, look: Look) -> None:
    """Margins set once, wide enough for tick labels of at most about six characters (each
    axis's ``TICKS`` format) and the axis titles, and axes that never widen them. Plotly
    otherwise measures every label, widens a margin and draws the whole figure again, a
    few times over; on a page as full as the app's each measuring costs a reflow."""
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and axis.get("visible", True):
            axis["automargin"] = False
            if axis.get("type") != "log":
                axis.setdefault("tickformat", TICKS)
    size, margin = look.font, layout["margin"]
    margin.update(
        {"l": max(margin["l"], round(5.5 * size)), "b": max(margin["b"], round(3.4 * size))}
    )


def _corner_note(text: str, look: Look, axis: str, x_axis: str) -> dict:
    """A note in the bottom left corner of the panel of axes ``x_axis`` and ``axis``."""
    corner = {"x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom"}
    return note(text, look, xref=f"{x_axis} domain", yref=f"{axis} domain", **corner)


def _line(x: np.ndarray, y: np.ndarray, label: str, number: int, quantity: str, look: Look) -> dict:
    """One run's line: the current run solid and thicker; pinned runs each with a colour,
    a dash and a marker of their own, so that no run is told apart by colour alone."""
    primary = number == 0
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if len(x) <= 60 else "lines",
        "name": label,
        "line": {
            "color": PALETTE[number % len(PALETTE)],
            "width": look.line if primary else look.line - 1,
            "dash": DASHES[number % len(DASHES)],
        },
        "marker": {"size": look.marker - 2, "symbol": SYMBOLS[number % len(SYMBOLS)]},
        "hovertemplate": f"iteration %{{x}}<br>{quantity} %{{y:.6g}}<extra>{label}</extra>",
    }


def padded(low: float, high: float, share: float) -> tuple[float, float]:
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


@quietly
def learning_figure(
    runs: Sequence[Run],
    labels: Sequence[str],
    look: Look = PLAIN,
    clip: bool = False,
    at: int | None = None,
    follow: bool = True,
) -> dict:
    """The error (top) and the prediction (bottom) at each iteration, on one shared
    iteration axis, one line per run (the first is the current one).

    See ``error_panel`` and ``_prediction_panel`` for what each half shows. With ``at``,
    the current run's iteration ``at`` is ringed, and frames move the rings in the browser;
    with ``follow`` too, the prediction axis frames the predictions so far and the target.
    """
    error_traces, error_axis, notes = error_panel(runs, labels, look, ("x", "y"))
    prediction_traces, prediction_axis, more_notes = _prediction_panel(
        runs, labels, look, clip, ("x", "y2")
    )
    for trace in prediction_traces:  # the legend names each run once, for both halves
        trace.update({"yaxis": "y2", "legendgroup": trace["name"]})
        trace["showlegend"] = trace["name"].startswith("target")
    for trace in error_traces:
        trace["legendgroup"] = trace["name"]
    layout = base_layout("iteration", "", look)
    layout["xaxis"]["anchor"] = "y2"  # one iteration axis, under the lower half
    layout["yaxis"] = {**error_axis, "domain": [0.56, 1.0]}
    layout["yaxis2"] = {**prediction_axis, "domain": [0.0, 0.44]}
    layout["annotations"] = notes + more_notes
    layout["height"] = look.height
    run = runs[0]
    if at is None or not len(run.weights):
        return figure_spec(error_traces + prediction_traces, layout)
    longest = max(len(each.weights) for each in runs)
    room = max(0.5, 0.02 * longest)
    layout["xaxis"].update({"range": [1 - room, longest + room], "autorange": False})
    target = run.settings.target
    calm = [run] + [
        each for each in runs[1:] if not (clip and _flies_off(each.predictions, target))
    ]
    lows, highs = _so_far([each.predictions for each in calm], target, longest)
    past = follow and len(run.weights) <= PAST_LIMIT
    line = prediction_traces.pop(0) if past else None
    spec = figure_spec(error_traces + prediction_traces, layout)
    log = error_axis.get("type") == "log"
    every = np.concatenate([each.errors for each in runs])
    floor = _floor(every[every > 0])

    def moments(chosen: list[int]) -> list[list[dict]]:
        return _rings(run, chosen, floor if log else None, past)

    def layouts(chosen: list[int]) -> list[dict]:
        return [{"yaxis2": {"range": list(padded(lows[i], highs[i], 0.15))}} for i in chosen]

    if follow:
        layout["yaxis2"]["autorange"] = False
        title_beside(layout, "yaxis2", "x", "y2")
        fixed_margins(layout, look)
    styles = [ring_style("x", "y", look), ring_style("x", "y2", look)]
    if line:
        styles.insert(0, {key: value for key, value in line.items() if key not in ("x", "y")})
    return animate(spec, len(run.weights), at, styles, moments, layouts if follow else None)


def _so_far(histories: list[np.ndarray], target: float, length: int) -> tuple[np.ndarray, ...]:
    """The lowest and the highest of ``histories`` and ``target`` up to each iteration of
    ``length`` (a history that ended sooner keeps its last values)."""
    lows, highs = np.full(length, float(target)), np.full(length, float(target))
    for history in histories:
        if len(history):
            padded = np.concatenate([history, np.full(length - len(history), history[-1])])
            lows = np.minimum(lows, np.minimum.accumulate(padded))
            highs = np.maximum(highs, np.maximum.accumulate(padded))
    return lows, highs


def error_panel(
    runs: Sequence[Run], labels: Sequence[str], look: Look, axes: tuple[str, str]
) -> tuple:
    """The error at each iteration: traces, axis and notes, for the panel of ``axes`` (x, y).

    A log axis is used when the errors span three or more orders of magnitude.
    A log axis cannot show an error of exactly 0, so those iterations are
    marked on the bottom edge and named in a note instead of vanishing.
    """
    every = np.concatenate([run.errors for run in runs])
    log = log_scale(every)
    floor = _floor(every[every > 0])
    traces, marked = [], False
    for number, (run, label) in enumerate(zip(runs, labels, strict=True)):
        keep = thin(len(run.errors), run.errors)
        shown = run.errors[keep]
        if log:
            shown = np.where(shown > 0, shown, np.nan)
        traces.append(_line(run.iterations[keep], shown, label, number, "error", look))
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
                        "size": look.marker + 1,
                        "color": PALETTE[number % len(PALETTE)],
                    },
                    "hovertemplate": "iteration %{x}<br>error = 0 exactly<extra></extra>",
                }
            )
    title = "error (log)" if log else "error"  # fits a short panel on a projector
    panel_axis = axis_style(title, look)
    if log:
        panel_axis.update({"type": "log", "exponentformat": "power"})
    zeros = "▼ error exactly 0: a log axis cannot show it"
    notes = [_corner_note(zeros, look, axes[1], axes[0])] if marked else []
    return traces, panel_axis, notes


def _prediction_panel(
    runs: Sequence[Run], labels: Sequence[str], look: Look, clip: bool, axes: tuple[str, str]
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
    low, high = padded(min(calm), max(calm), 0.15)
    traces, notes = [], []
    for number, (run, label, off) in enumerate(zip(runs, labels, wild, strict=True)):
        keep = thin(len(run.predictions), run.predictions)
        shown = run.predictions[keep]
        if off:  # only its points inside the window: lines to far-off points would cross it
            shown = np.where((shown >= low) & (shown <= high), shown, np.nan)
            far = run.predictions[np.abs(run.predictions - target).argmax()]
            notes.append(f"{label} leaves the chart (reaches {number_text(far, 2)})")
        traces.append(_line(run.iterations[keep], shown, label, number, "prediction", look))
    last = max(max(len(run.iterations) for run in runs), 1)
    traces.append(
        {
            "type": "scatter",
            "x": [1, last],
            "y": [target, target],
            "mode": "lines",
            "name": f"target {number_text(target)}",
            "line": {"color": GREY, "dash": "dash", "width": look.line - 1},
            "hovertemplate": "target %{y:.6g}<extra></extra>",
        }
    )
    panel_axis = axis_style("prediction", look)
    if notes:
        panel_axis.update({"range": [low, high], "autorange": False})
    return (
        traces,
        panel_axis,
        [_corner_note("<br>".join(notes), look, axes[1], axes[0])] if notes else [],
    )


def _flies_off(predictions: np.ndarray, target: float) -> bool:
    """Whether a run's prediction ends up many times further off than it started."""
    if not len(predictions):
        return False
    misses = np.abs(predictions - target)
    return bool(misses.max() > 10 * max(misses[0], 1e-12))


@dataclass(frozen=True)
class _Curve:
    """The error curve's panel: its still traces, and the window each iteration is seen in.

    Where the run has a best weight, the parabola is drawn once, on hidden axes of its own
    under the visible ones, as ``v = u**2`` for ``u`` from -1 to 1: the window
    ``best ± half`` of the weights, whose error reaches ``(data * half)**2`` at its edges,
    shows exactly that shape, whatever ``half`` is. So every frame may frame its own window
    (the current weight, the next one and the best one) and the curve stays exact, where a
    sampled curve, zoomed in, would be a polyline. Without a best weight (data 0, or a best
    weight beyond the doubles), or where the window's error overflows, the curve is sampled
    once over the whole run, and every frame sees the whole run.
    """

    traces: list[dict]
    x_range: list[float]  # the whole run's window
    y_range: list[float]
    best: float | None = None  # None: the curve is sampled and no frame has its own window
    half: float = 0.0  # half the width of the whole run's window, around the best weight
    data: float = 0.0

    def windows(self, weights: np.ndarray, following: np.ndarray, follow: bool) -> _Windows:
        """The window of each iteration that stands at ``weights`` and steps to ``following``:
        with ``follow``, the smallest that holds both and the best weight (never wider than
        the whole run's, nor narrower than a readable share of it); else the whole run's."""
        count = len(weights)
        if self.best is None:
            width = self.x_range[1] / 2 - self.x_range[0] / 2  # halved first: it may overflow
            height = self.y_range[1] / 2 - self.y_range[0] / 2
            return _Windows(
                np.tile(self.x_range, (count, 1)),
                np.tile(self.y_range, (count, 1)),
                np.full(count, width * 0.44),
                np.full(count, height * 0.9),
                np.full(count, self.y_range[1]),
            )
        half = np.full(count, self.half)
        if follow:
            near = np.maximum(np.abs(weights - self.best), np.abs(following - self.best))
            # Not narrower than ticks of 7 digits can label (about where the error falls
            # below the tolerance that counts as the answer), nor so narrow that the error
            # at the window's edges, (data * half)**2, falls below the normal doubles.
            wide = np.maximum(abs(self.best), np.abs(weights)) * 2.0**-17
            least = np.maximum(wide, 1e-150 / abs(self.data))
            half = np.minimum(np.maximum(near * WINDOW_ROOM, least), self.half)
        top = WINDOW_ROOM * (self.data * half) ** 2
        x = np.column_stack([self.best - half, self.best + half])
        y = np.column_stack([-0.04 * top, top])
        return _Windows(x, y, half * 0.44, top * 0.468, top)


@dataclass(frozen=True)
class _Windows:
    """Per iteration: the curve panel's ranges, and the room its moving parts have inside
    them: how far the tangent may stretch either side of its point (``half_widths``) and
    rise or fall (``half_heights``), and the ``tops`` that cap the arrow."""

    x_ranges: np.ndarray
    y_ranges: np.ndarray
    half_widths: np.ndarray
    half_heights: np.ndarray
    tops: np.ndarray


WINDOW_ROOM = 1.12  # a window's room beyond the farthest of its points, as a factor


def _curve(run: Run, look: Look, hidden_axes: tuple[str, str]) -> _Curve:
    """The error for every weight, the weights the run visited and the best weight; the
    curve goes on ``hidden_axes`` (x, y) when it is drawn exactly.

    With data 0 the error is the same for every weight: a flat line with no best weight.
    """
    settings = run.settings
    best = best_weight(settings.data, settings.target)
    visited = np.append(run.weights, run.final_weight)
    keep = thin(len(run.weights))
    traces = [
        {
            "type": "scatter",
            "x": run.weights[keep],
            "y": run.errors[keep],
            "mode": "markers",
            "name": "visited",
            "marker": {
                "color": "white",
                "size": look.marker,
                "line": {"color": BLUE, "width": look.line - 1},
            },
            "customdata": run.iterations[keep],
            "hovertemplate": "iteration %{customdata}<br>weight %{x:.6g}<br>error %{y:.6g}"
            "<extra></extra>",
        },
    ]
    if best is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [best],
                "y": [0],
                "mode": "markers",
                "name": f"best {number_text(best)}",
                "marker": {"color": GREEN, "size": look.marker + 8, "symbol": "star"},
                "hovertemplate": "best weight %{x:.6g}<br>error 0<extra></extra>",
            }
        )
    line = {"color": GREY, "width": look.line - 1}
    if best is not None:
        farthest = float(np.abs(visited - best).max())
        half = farthest * WINDOW_ROOM or max(abs(best) / 4, 0.5)
        scaled = settings.data * half  # a product, not ** 2: Python's power raises on overflow
        top = WINDOW_ROOM * scaled * scaled
        if math.isfinite(best - half) and math.isfinite(best + half) and 0 < top < math.inf:
            u = np.linspace(-1, 1, CURVE_POINTS)
            x_axis, y_axis = hidden_axes
            curve = {"x": u, "y": u * u, "xaxis": x_axis, "yaxis": y_axis, "hoverinfo": "skip"}
            traces.insert(
                0,
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": "error(weight)",
                    "line": line,
                    **curve,
                },
            )
            x_range, y_range = [best - half, best + half], [-0.04 * top, top]
            return _Curve(traces, x_range, y_range, best, half, settings.data)
    ends = [visited.min(), visited.max()] + ([best] if best is not None else [])
    low, high = padded(min(ends), max(ends), 0.08)
    share = np.linspace(0, 1, CURVE_POINTS)
    curve_x = low * (1 - share) + high * share  # never low + (high - low) * share: it overflows
    curve_y = error_at(settings.data, curve_x, settings.target)
    curve_y = np.where(np.isfinite(curve_y), curve_y, np.nan)  # a gap where the error overflows
    top = float(np.nanmax(curve_y)) if np.isfinite(curve_y).any() else 1.0
    y_range = [-0.04 * top, min(1.08 * top, sys.float_info.max) or 1.0]
    sampled = {
        "type": "scatter",
        "x": curve_x,
        "y": curve_y,
        "mode": "lines",
        "name": "error(weight)",
        "line": line,
        "hovertemplate": "weight %{x:.6g}<br>error %{y:.6g}<extra></extra>",
    }
    return _Curve([sampled, *traces], [low, high], y_range)


def _window_layout(windows: _Windows, index: int, axes: tuple[str, str]) -> dict:
    """The ranges of the curve panel's axes (layout names) at the ``index``-th window."""
    x_axis, y_axis = axes
    return {
        x_axis: {"range": windows.x_ranges[index].tolist()},
        y_axis: {"range": windows.y_ranges[index].tolist()},
    }


def _moments(run: Run, indices: list[int], windows: _Windows) -> list[list[dict]]:
    """Where the current point, its tangent and the arrow to the next weight stand at each
    of the iterations ``indices`` (counted from 0): positions only, which ``_moving``
    styles once for all frames. Worked out for all of them at once, with numpy.

    The tangent has the true slope ``2 * data * (prediction - target)``, so it touches
    the curve; each iteration's window bounds its visible stretch and the arrow's height.
    """
    settings, chosen = run.settings, np.asarray(indices)
    weights, errors = run.weights[chosen], run.errors[chosen]
    rises = slope(settings.data, weights, settings.target)
    with np.errstate(divide="ignore"):  # a flat tangent (rise 0) gets the whole stretch
        halves = np.minimum(windows.half_widths[chosen], windows.half_heights[chosen] / abs(rises))
    following = np.append(run.weights, run.final_weight)[chosen + 1]
    tops = windows.tops[chosen]
    next_errors = np.minimum(error_at(settings.data, following, settings.target), tops)
    moments = []
    for index, weight, error, rise, half, after, next_error, said in zip(
        indices,
        weights.tolist(),
        errors.tolist(),
        rises.tolist(),
        halves.tolist(),
        following.tolist(),
        next_errors.tolist(),
        [describe.moment(run, index) for index in indices],
        strict=True,
    ):
        if math.isfinite(rise):  # a visible stretch of tangent, however steep
            tangent = {
                "x": [weight - half, weight + half],
                "y": [error - rise * half, error + rise * half],
                "text": f"iteration {index + 1}: slope {number_text(rise)}",
            }
        else:  # steeper than a double can say: no line to draw
            tangent = {"x": [None, None], "y": [None, None], "text": ""}
        moments.append(
            [
                {"x": [weight], "y": [error], "customdata": [index + 1], "text": [said]},
                tangent,
                {"x": [weight, after], "y": [error, next_error]},
            ]
        )
    return moments


def _moving(look: Look) -> list[dict]:
    """The style of the current point, its tangent and the arrow to the next weight."""
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "now",
            "marker": {
                "color": BLUE,
                "size": look.marker + 7,
                "line": {"color": BLACK, "width": look.line - 1},
            },
            "hovertemplate": "iteration %{customdata}<br>weight %{x:.6g}<br>error %{y:.6g}"
            "<extra></extra>",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "tangent",
            "line": {"color": VERMILLION, "width": look.line + 1},
            "hovertemplate": "tangent at %{text}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "next step",
            "line": {"color": GREEN, "width": look.line, "dash": "dot"},
            "marker": {
                "symbol": "arrow",
                "angleref": "previous",
                "size": [0, look.marker + 10],
                "color": GREEN,
            },
            "hoverinfo": "skip",
        },
    ]


def _rings(run: Run, chosen: list[int], floor: float | None, past: bool) -> list[list[dict]]:
    """Per iteration of ``chosen`` (counted from 0): the ring on its error and the ring on
    its prediction, after, with ``past``, the prediction line so far. On a log axis
    (``floor`` given) an exact 0 is ringed at the floor, where the ▼ marks it."""
    errors = run.errors[chosen]
    if floor is not None:
        errors = np.where(errors == 0, floor, errors)
    rings = zip(chosen, errors.tolist(), run.predictions[chosen].tolist(), strict=True)
    return [
        [
            *([{"x": run.iterations[: index + 1], "y": run.predictions[: index + 1]}] * past),
            {"x": [index + 1], "y": [error]},
            {"x": [index + 1], "y": [prediction]},
        ]
        for index, error, prediction in rings
    ]


def ring_style(x_axis: str, y_axis: str, look: Look) -> dict:
    """The style of the ring round the iteration being inspected on a history chart."""
    return {
        "type": "scatter",
        "xaxis": x_axis,
        "yaxis": y_axis,
        "mode": "markers",
        "name": "now",
        "marker": {
            "symbol": "circle-open",
            "size": look.marker + 9,
            "color": BLACK,
            "line": {"width": 3},
        },
        "hovertemplate": "iteration %{x}: %{y:.6g}<extra></extra>",
        "showlegend": False,
        "cliponaxis": False,  # a ring at the first or last iteration shows whole
    }


def animate(
    spec: dict,
    count: int,
    at: int,
    styles: list[dict],
    moments: Callable[[list[int]], list[list[dict]]],
    layouts: Callable[[list[int]], list[dict]] | None = None,
    kept: tuple[int, ...] = (),
    frames: Sequence[int] | None = None,
) -> dict:
    """``spec`` with its moving traces (``styles``, placed where ``moments`` says) at iteration
    ``at``, and the animation frames that move them in the browser (the app's player, a
    scrubber with buttons and keys, plays and steps them; ``layout.meta.frame`` is the index
    of the frame the figure starts at). With ``layouts``, each frame also sets
    the axes' ranges it gives, and ``spec`` starts at those of iteration ``at``. Frames
    name the still traces ``kept`` too, unchanged: Plotly otherwise drops the traces of
    hidden axes under others when a frame leaves every range as it was.

    At most about ``MAX_FRAMES`` frames, or the iterations ``frames`` (counted from 0), always
    including iteration ``at``. A frame holds only positions and ranges: Plotly keeps each
    trace's style and moves its points.
    """
    active = min(max(at, 1), count) - 1
    first = len(spec["data"])
    moving = [*kept, *range(first, first + len(styles))]
    unchanged = [{} for _ in kept]
    picked = thin(count, budget=MAX_FRAMES) if frames is None else frames
    shown = np.union1d(picked, [active]).astype(int).tolist()
    names = [str(index + 1) for index in shown]
    places = moments(shown)
    ranges = layouts(shown) if layouts else [{} for _ in shown]
    frames = [
        {
            "name": name,
            "data": [*unchanged, *data],
            "traces": moving,
            **({"layout": axes} if axes else {}),
        }
        for name, data, axes in zip(names, places, ranges, strict=True)
    ]
    now = shown.index(active)
    spec["data"] += [{**style, **place} for style, place in zip(styles, places[now], strict=True)]
    for axis, value in ranges[now].items():
        spec["layout"][axis].update(value)
    spec["frames"] = frames
    layout, size = spec["layout"], spec["layout"]["font"]["size"]
    if layout.get("height", STACKED) != STACKED:  # a screen's figure: the player's row under
        layout["height"] -= PLAYER_ROOM * size  # it takes the old slider's room (a phone scrolls)
    # Plotly's slider made its own room under the axes, which held their labels and titles too.
    layout["margin"]["b"] = max(layout["margin"]["b"], round(3.4 * size))
    # Plotly's own slider would measure every step's label and current value on every
    # drawing (about 1 ms a step): the player's native scrubber costs the chart nothing.
    spec["layout"]["meta"] = {"frame": now}
    return spec


def _curve_axes(
    layout: dict, curve: _Curve, visible: tuple[str, str], hidden: tuple[str, str]
) -> None:
    """Set the curve panel's axes in ``layout`` (names as layouts have them): the whole run's
    ranges, and for an exact curve its hidden axes, under the visible ones, which take
    their place (domain and all). No zooming here: the curve's axes could not follow."""
    x_axis, y_axis = visible
    layout[x_axis].update({"range": curve.x_range, "autorange": False, "nticks": 6})
    layout[y_axis].update({"range": curve.y_range, "autorange": False})
    if curve.best is None:
        return
    for name, under, span in zip(
        visible, hidden, ([-1, 1], [-0.04 * WINDOW_ROOM, WINDOW_ROOM]), strict=True
    ):
        domain = layout[name].get("domain", [0, 1])
        layout[under] = {"visible": False, "fixedrange": True, "range": span, "domain": domain}
        short = under.replace("axis", "")
        layout[name].update({"overlaying": short, "tickmode": "auto", "fixedrange": True})
    # The ranges change frame by frame, and margins and titles are placed only once: short
    # tick labels in a margin made for the longest of them.
    size = layout["font"]["size"]
    layout[x_axis].update({"tickformat": ".7~g", "tickangle": 0, "nticks": 5, "automargin": False})
    layout[y_axis]["tickformat"] = ".3~g"
    layout["margin"]["l"] = max(layout["margin"]["l"], round(5.8 * size))
    title_beside(layout, y_axis, *(name.replace("axis", "") for name in hidden))


def title_beside(layout: dict, y_axis: str, x_ref: str, y_ref: str) -> None:
    """Put the title of ``y_axis`` (a layout name) beside its panel (the domains of axes
    ``x_ref`` and ``y_ref``), beyond room for tick labels of about seven characters, where
    frames that change the axis's range and labels never make it collide with them: Plotly
    places an axis's own title beside the labels it first drew, and only once."""
    size = layout["font"]["size"]
    title = layout[y_axis].pop("title")
    layout[y_axis]["automargin"] = False
    beside = {"x": 0, "xanchor": "right", "xshift": -round(4.2 * size), "textangle": -90}
    place = {"xref": f"{x_ref} domain", "yref": f"{y_ref} domain", "y": 0.5}
    layout.setdefault("annotations", []).append(
        {"text": title["text"], "font": title["font"], "showarrow": False, **beside, **place}
    )


@quietly
def error_curve_figure(run: Run, at: int, look: Look = PLAIN, follow: bool = True) -> dict:
    """The error as a function of the weight, the weights the run visited, and, at
    iteration ``at``, the tangent line and an arrow to the next weight.

    Animation frames let the browser play or scrub through the iterations without
    asking the server. With ``follow`` each frame frames its own iteration: the current
    weight, the next one and the best one; else every frame shows the whole run.
    """
    curve = _curve(run, look, ("x2", "y2"))
    layout = base_layout("weight", "error", look)
    layout["height"] = look.height
    _curve_axes(layout, curve, ("xaxis", "yaxis"), ("xaxis2", "yaxis2"))
    spec = figure_spec(list(curve.traces), layout)
    if not len(run.weights):
        return spec
    every = np.append(run.weights, run.final_weight)
    windows = curve.windows(run.weights, every[1:], follow)

    def layouts(chosen: list[int]) -> list[dict]:
        return [_window_layout(windows, index, ("xaxis", "yaxis")) for index in chosen]

    return animate(
        spec,
        len(run.weights),
        at,
        _moving(look),
        lambda chosen: _moments(run, chosen, windows),
        layouts if follow and curve.best is not None else None,
        (0,) if curve.best is not None else (),
    )


@quietly
def lesson_figure(
    run: Run, at: int, look: Look = PLAIN, stacked: bool = False, follow: bool = True
) -> dict:
    """The lesson's three charts in one figure, moving together.

    The error for every weight with the tangent and the step at iteration ``at``
    (left, or on top when ``stacked`` for a phone), beside the error per iteration
    and the prediction per iteration against the target, where iteration ``at`` is
    ringed. The slider under the charts moves all three in the browser. With
    ``follow`` each frame frames its iteration: the curve panel its current, next and
    best weight, the prediction panel the predictions so far and the target.
    """
    curve = _curve(run, look, ("x4", "y4"))
    errors, error_axis, notes = error_panel([run], ["error"], look, ("x2", "y2"))
    predictions, prediction_axis, more_notes = _prediction_panel(
        [run], ["prediction"], look, False, ("x3", "y3")
    )
    for trace in errors + predictions:  # one run per panel, its iteration ringed: no markers
        if trace["mode"] == "lines+markers":
            trace["mode"] = "lines"
    for trace in errors:
        trace.update({"xaxis": "x2", "yaxis": "y2", "showlegend": False})
    for trace in predictions:
        trace.update({"xaxis": "x3", "yaxis": "y3"})
        trace["showlegend"] = trace["name"].startswith("target")
    layout = base_layout("weight", "error", look)
    # The iteration axis stays put while frames move the rest (it would otherwise refit
    # itself to the prediction line as it grows).
    room = max(0.5, 0.02 * len(run.weights))
    iterations = {"range": [1 - room, max(len(run.weights), 1) + room], "autorange": False}
    layout["xaxis2"] = axis_style("", look, matches="x3", showticklabels=False)
    layout["xaxis3"] = axis_style("iteration", look, **iterations)
    layout["yaxis2"], layout["yaxis3"] = error_axis, prediction_axis
    if follow:  # its range moves frame by frame: its labels must not move the margins
        prediction_axis["autorange"] = False
    positive = run.errors[run.errors > 0]
    if error_axis.get("type") == "log" and positive.size:  # a short panel: three labels fit
        decades = math.log10(positive.max()) - math.log10(_floor(positive))
        layout["yaxis2"]["dtick"] = max(1, math.ceil(decades / 2))
    layout["annotations"] = notes + more_notes
    if stacked:  # a phone: one chart under the other, each the full width
        domains = {"x": [0, 1], "y": [0.5, 1], "y2": [0.2, 0.38], "y3": [0, 0.16]}
        layout["height"] = STACKED
        layout["legend"]["tracegroupgap"] = 0  # entries wrap to the width they find
    else:
        # the gap holds the right panels' tick labels and titles at a projector's font
        domains = {"x": [0, 0.45], "y": [0, 1], "y2": [0.58, 0.96], "y3": [0, 0.42]}
        layout["height"] = look.height
    for axis in ("xaxis", "yaxis"):
        layout[axis]["domain"] = domains[axis[0]]
    for number in ("2", "3"):
        layout[f"xaxis{number}"].update({"domain": [0, 1] if stacked else [0.63, 1]})
        layout[f"xaxis{number}"]["anchor"] = f"y{number}"
        layout[f"yaxis{number}"].update({"domain": domains[f"y{number}"], "anchor": f"x{number}"})
    _curve_axes(layout, curve, ("xaxis", "yaxis"), ("xaxis4", "yaxis4"))
    if follow:
        title_beside(layout, "yaxis3", "x3", "y3")
    fixed_margins(layout, look)
    # Following a short run, the prediction line shows only the iterations so far: lines
    # to the points yet to come would leave the framed panel at every iteration.
    past = follow and 0 < len(run.weights) <= PAST_LIMIT
    line = predictions.pop(0) if past else None
    spec = figure_spec([*curve.traces, *errors, *predictions], layout)
    if not len(run.weights):
        return spec
    log = error_axis.get("type") == "log"
    floor = _floor(run.errors[run.errors > 0])
    every = np.append(run.weights, run.final_weight)
    windows = curve.windows(run.weights, every[1:], follow)
    lows, highs = _so_far([run.predictions], run.settings.target, len(run.predictions))

    def moments(chosen: list[int]) -> list[list[dict]]:
        rings = _rings(run, chosen, floor if log else None, past)
        places = zip(_moments(run, chosen, windows), rings, strict=True)
        return [[*ring[: int(past)], *moment, *ring[int(past) :]] for moment, ring in places]

    def layouts(chosen: list[int]) -> list[dict]:
        ranges = []
        for index in chosen:
            axes = _window_layout(windows, index, ("xaxis", "yaxis")) if curve.best else {}
            so_far = padded(lows[index], highs[index], 0.15)
            ranges.append({**axes, "yaxis3": {"range": list(so_far)}})
        return ranges

    styles = [*_moving(look), ring_style("x2", "y2", look), ring_style("x3", "y3", look)]
    if line:
        styles.insert(0, {key: value for key, value in line.items() if key not in ("x", "y")})
    kept = (0,) if curve.best is not None else ()  # the exact curve, on its hidden axes
    return animate(spec, len(run.weights), at, styles, moments, layouts if follow else None, kept)


@quietly
def sweep_figure(result: Sweep, alpha: float, analysis: Stability, look: Look = PLAIN) -> dict:
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
            "line": {"color": BLUE, "width": look.line},
            "hovertemplate": "alpha %{x:.4g}<br>error %{y:.3g}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": alphas,
            "y": np.where(result.reached_at > 0, result.reached_at, np.nan),
            "mode": "lines",
            "name": f"iterations until error ≤ {result.tolerance:g}",
            "line": {"color": PURPLE, "width": look.line, "dash": "dash"},
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
                "marker": {"symbol": "triangle-down", "size": look.marker, "color": BLUE},
                "hovertemplate": "alpha %{x:.4g}<br>error = 0 exactly<extra></extra>",
            }
        )
    shapes, annotations, bands = [], [], []
    tops = _heights([errors[errors > 0], [floor]], [result.reached_at[result.reached_at > 0]])
    if analysis.one_step_alpha is not None:
        bounds = [alphas.min(), analysis.one_step_alpha, analysis.max_stable_alpha, alphas.max()]
        for (label, colour, pattern), start, end in zip(
            REGIME_BANDS, bounds, bounds[1:], strict=False
        ):
            if end > start:
                for axis, (low, high) in zip(("y", "y2"), tops, strict=True):
                    band = _band(float(start), float(end), low, high, colour, pattern, axis)
                    bands.append({**band, "name": label, "showlegend": axis == "y"})
        for critical in (analysis.one_step_alpha, analysis.max_stable_alpha):
            shapes.append(_vertical(critical, GREY, "dot"))
    traces = bands + traces  # under the lines
    if alpha > 0:
        shapes.append(_vertical(alpha, BLACK, "dash"))
        annotations.append(_label(np.log10(alpha), 1.0, f"alpha {number_text(alpha)}", look))
    layout = base_layout("alpha (log scale)", "error", look)
    layout["xaxis"].update({"type": "log", "exponentformat": "power", "anchor": "y2"})
    layout["yaxis"].update({"type": "log", "domain": [0.42, 1.0], "exponentformat": "power"})
    layout["yaxis2"] = {**layout["yaxis"], "title": {"text": "iterations", "font": text_font(look)}}
    layout["yaxis2"].update({"domain": [0.0, 0.3], "exponentformat": "none"})
    if bands:  # the bands fill each panel: its range is theirs
        for axis, (low, high) in zip(("yaxis", "yaxis2"), tops, strict=True):
            layout[axis].update({"range": [math.log10(low), math.log10(high)], "autorange": False})
    layout["shapes"], layout["annotations"] = shapes, annotations
    layout["height"] = look.height
    return figure_spec(traces, layout)


def _heights(*panels: list[np.ndarray]) -> list[tuple[float, float]]:
    """Each log panel's range, set outright so that the regimes' bands fill it: a little
    beyond its lowest and highest positive values (1 to 10 when it has none)."""
    ranges = []
    for values in panels:
        found = np.concatenate([np.asarray(part, dtype=float) for part in values])
        found = found[np.isfinite(found) & (found > 0)]
        low, high = (found.min(), found.max()) if found.size else (1.0, 10.0)
        ranges.append((float(low) / 3, min(float(high) * 3, sys.float_info.max)))
    return ranges


def _band(
    start: float, end: float, low: float, high: float, colour: str, pattern: str, axis: str
) -> dict:
    """A regime's band from alpha ``start`` to ``end``, filling its panel from ``low`` to
    ``high``: a tint and a hatching of its own, so that no band is told by colour alone."""
    return {
        "type": "scatter",
        "x": [start, end, end, start, start],
        "y": [low, low, high, high, low],
        "yaxis": axis,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": f"rgba({colour},0.14)",
        "fillpattern": {"shape": pattern, "fgcolor": f"rgba({colour},0.4)", "size": 14},
        "line": {"width": 0},
        "legendgroup": "regimes " + pattern,
        "hoverinfo": "skip",
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


def _label(x: float, y: float, text: str, look: Look) -> dict:
    """Text placed on the log alpha axis, where annotations take log10 of the position."""
    return {
        "x": x,
        "xref": "x",
        "y": y,
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "yanchor": "bottom",
        "font": text_font(look, 2),
    }

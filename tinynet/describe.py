"""Every chart in words: the text alternatives a screen reader gives for the figures.

Each description is made from the run's own numbers, with the same number words as
the verdict, so that it says what the chart shows and nothing it does not.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from tinynet.analysis import Stability
from tinynet.network import best_weight, slope
from tinynet.number_words import number_apart, number_text
from tinynet.sweep import Sweep
from tinynet.training import Run


def log_scale(errors: np.ndarray) -> bool:
    """Whether a chart shows these errors on a log axis: when they span three or more
    orders of magnitude, which a linear axis would flatten into a line along 0."""
    positive = errors[errors > 0]
    return positive.size > 1 and positive.max() / 1e3 >= positive.min()


def error_history(run: Run) -> str:
    """The error per iteration: where it starts, where it ends, and an exact 0 if reached."""
    errors = run.errors
    if not len(errors):
        return "Error per iteration: none, the first error already overflowed."
    scale = ", log scale" if log_scale(errors) else ""
    start = f"Error per iteration{scale}: {number_text(errors[0])} at iteration 1"
    if len(errors) == 1:
        text = start
    else:
        nonzero = np.flatnonzero(errors != 0)
        zero_from = 1 if not nonzero.size else int(nonzero[-1]) + 2
        if zero_from <= len(errors) and errors[0] != 0:
            text = f"{start}, down to exactly 0 from iteration {zero_from}"
        else:
            last = errors[-1]
            way = "down to" if last < errors[0] else "up to" if last > errors[0] else "and still"
            text = f"{start}, {way} {number_text(last)} at iteration {len(errors)}"
    if run.diverged:
        text += f"; at iteration {run.diverged_at} it grows too large for a number"
    return text + "."


def prediction_history(run: Run) -> str:
    """The prediction per iteration against the target."""
    predictions, target = run.predictions, number_text(run.settings.target)
    if not len(predictions):
        return f"Prediction per iteration: none. The target is {target}."
    return (
        f"Prediction per iteration: {number_text(predictions[0])} at iteration 1, "
        f"{number_text(predictions[-1])} at iteration {len(predictions)}; the target is {target}."
    )


def curve(run: Run, at: int) -> str:
    """The error for every weight, and the tangent and the step at iteration ``at``."""
    settings = run.settings
    best = best_weight(settings.data, settings.target)
    if settings.data == 0:
        shape = "Error for every weight: a flat line, since with data 0 every weight errs alike."
    elif best is None:
        shape = "Error for every weight: a parabola whose lowest point is too far to draw."
    else:
        lowest = number_text(best)
        shape = f"Error for every weight: a parabola, lowest at the best weight {lowest}."
    if not len(run.weights):
        return shape
    index = min(max(at, 1), len(run.weights)) - 1
    weight = float(run.weights[index])
    following = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    rise = float(slope(settings.data, weight, settings.target))
    return (
        f"{shape} At iteration {index + 1} the weight is {number_text(weight)} and the error "
        f"{number_text(run.errors[index])}; the tangent there has slope {number_text(rise)}, "
        f"and the update moves the weight to {number_text(following)}."
    )


def lesson(run: Run, at: int) -> str:
    """The lesson's three charts, in the order they sit on the page."""
    return " ".join([curve(run, at), error_history(run), prediction_history(run)])


def learning(runs: Sequence[Run], labels: Sequence[str]) -> str:
    """The error and the prediction per iteration of each run on the chart."""
    parts = [
        f"{label}. {error_history(run)} {prediction_history(run)}"
        for run, label in zip(runs, labels, strict=True)
    ]
    return " ".join(parts)


def sweep(result: Sweep, analysis: Stability) -> str:
    """The alpha sweep: how many alphas reached the tolerance, and where the limits are."""
    low, high = number_text(result.alphas.min()), number_text(result.alphas.max())
    reached = int((result.reached_at > 0).sum())
    diverged = int((result.diverged_at > 0).sum())
    text = (
        f"Error after {result.iterations:,} iterations, and iterations needed to bring it to "
        f"{result.tolerance:g}, for {len(result.alphas)} alphas from {low} to {high} on a log "
        f"scale: {reached} of them got there and {diverged} blew up."
    )
    if analysis.max_stable_alpha is not None:
        text += (
            f" Alpha {number_text(analysis.one_step_alpha)} lands in one step; alphas from "
            f"{number_text(analysis.max_stable_alpha)} up do not converge."
        )
    return text


def moment(run: Run, index: int) -> str:
    """Iteration ``index + 1`` in one line, as the player says it when it steps there: the
    weight (with the digits that tell it from the best and the next weight), the error and
    the tangent's slope."""
    settings = run.settings
    weight = float(run.weights[index])
    after = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    best = best_weight(settings.data, settings.target)
    weight_text = number_apart(weight, after, *([] if best is None else [best]))
    rise = float(slope(settings.data, weight, settings.target))
    said = f"Iteration {index + 1} of {len(run.weights)}: weight {weight_text}, "
    said += f"error {number_text(run.errors[index])}"
    return said + (f", slope {number_text(rise)}" if math.isfinite(rise) else "")

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
from tinynet.number_words import bound_text, number_apart, number_text, numbers_apart
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
    first, last = float(errors[0]), float(errors[-1])
    first_text, last_text = numbers_apart(first, last)  # "down to" a number that looks the same
    start = f"Error per iteration{scale}: {first_text} at iteration 1"
    if len(errors) == 1:
        text = start
    else:
        nonzero = np.flatnonzero(errors != 0)
        zero_from = 1 if not nonzero.size else int(nonzero[-1]) + 2
        if zero_from <= len(errors) and errors[0] != 0:
            text = f"{start}, down to exactly 0 from iteration {zero_from}"
        else:
            way = "down to" if last < first else "up to" if last > first else "and still"
            text = f"{start}, {way} {last_text} at iteration {len(errors)}"
    if run.diverged:
        text += f"; at iteration {run.diverged_at} it grows too large for a number"
    return text + "."


def prediction_history(run: Run) -> str:
    """The prediction per iteration against the target."""
    predictions = run.predictions
    if not len(predictions):
        return f"Prediction per iteration: none. The target is {number_text(run.settings.target)}."
    first, last, target = numbers_apart(
        float(predictions[0]), float(predictions[-1]), run.settings.target
    )  # a prediction that misses the target never reads as hitting it
    return (
        f"Prediction per iteration: {first} at iteration 1, "
        f"{last} at iteration {len(predictions)}; the target is {target}."
    )


def curve(run: Run, at: int) -> str:
    """The error for every weight, and the tangent and the step at iteration ``at``."""
    settings = run.settings
    best = best_weight(settings.data, settings.target)
    if not len(run.weights):
        return _shape(settings.data, best, None if best is None else number_text(best))
    index = min(max(at, 1), len(run.weights)) - 1
    weight = float(run.weights[index])
    following = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    # The weight, where the update takes it and the best weight: different ones read differently.
    weight_text, following_text, *best_text = numbers_apart(
        weight, following, *([] if best is None else [best])
    )
    shape = _shape(settings.data, best, best_text[0] if best_text else None)
    rise = float(slope(settings.data, weight, settings.target))
    moves = (
        f"moves the weight to {following_text}"
        if following != weight
        else "leaves the weight where it is"
    )
    tangent = (
        f"has slope {number_text(rise)}"
        if np.isfinite(rise)
        else "is too steep for its slope to fit in a 64-bit float"
    )
    return (
        f"{shape} At iteration {index + 1} the weight is {weight_text} and the error "
        f"{number_text(run.errors[index])}; the tangent there {tangent}, and the update {moves}."
    )


def _shape(data: float, best: float | None, lowest: str | None) -> str:
    if data == 0:
        return "Error for every weight: a flat line, since with data 0 every weight errs alike."
    if best is None:
        return "Error for every weight: a parabola whose lowest point is too far to draw."
    return f"Error for every weight: a parabola, lowest at the best weight {lowest}."


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
    """The alpha sweep: how many alphas brought the error to the tolerance, how many blew up
    (each run counted once), and where the limits lie on paper."""
    low, high = number_text(result.alphas.min()), number_text(result.alphas.max())
    reached, diverged = result.reached_at > 0, result.diverged_at > 0
    counts = [
        (int((reached & ~diverged).sum()), f"brought the error to {result.tolerance:g} or below"),
        (int((reached & diverged).sum()), "got there, then blew up"),
        (int((~reached & diverged).sum()), "blew up"),
        (int((~reached & ~diverged).sum()), "did neither"),
    ]
    said = [f"{count} {what}" for count, what in counts if count]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
    text = (
        f"Error after {result.iterations:,} iterations, and iterations needed to bring it to "
        f"{result.tolerance:g}, for {len(result.alphas)} alphas from {low} to {high} on a log "
        f"scale. Of these runs, {listed}."
    )
    if analysis.max_stable_alpha is not None:
        text += (
            f" On paper, an alpha of about {number_text(analysis.one_step_alpha)} lands in one "
            f"step, and alphas from {bound_text(analysis.max_stable_alpha, up=True)} up do not "
            "converge."
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

"""Lesson 2 in words: the stability readout before a run, the forecast and the verdict, and
the three charts described, every sentence made from the run's own numbers."""

from __future__ import annotations

import numpy as np

from tinynet.analysis import TOLERANCE
from tinynet.describe import log_scale
from tinynet.explain import Forecast
from tinynet.line import (
    CARRIED,
    LineData,
    LineFate,
    LineRun,
    LineSettings,
    LineStability,
    best_line,
    line_fate,
    reach_gaps,
    reachable_line,
    stability_of,
)
from tinynet.number_words import number_apart, number_text, numbers_apart, shortest_text
from tinynet.verdicts import Verdict, count_text

WITHIN = f"within {number_text(TOLERANCE)} of"


def _moving(settings: LineSettings) -> str:
    if settings.freeze_weight and settings.freeze_bias:
        return "nothing moving"
    if settings.freeze_weight or settings.freeze_bias:
        return f"the {'bias' if settings.freeze_weight else 'weight'} alone moving"
    return "both weight and bias moving"


def _best(settings: LineSettings) -> str:
    frozen = settings.freeze_weight or settings.freeze_bias
    return "the best line it can reach" if frozen else "the best line"


def _steps(share: float, target: str) -> str:
    """What one step does to the distance to ``target`` in the long run."""
    if share == 0:
        return f"one step lands on {target}"
    share_text = numbers_apart(share, 1.0)[0]
    if share < 1:
        return f"in the long run each step keeps {share_text} of the distance to {target}"
    if share == 1:
        return f"no step gets nearer {target}"
    return f"in the long run each step multiplies the distance to {target} by {share_text}"


def _line(weight: float, bias: float) -> str:
    """``y = weight·x + bias``, the two numbers kept apart, with a minus rather than ``+ -``."""
    weight_text, bias_text = numbers_apart(weight, abs(bias))
    return f"y = {weight_text}·x {'−' if bias < 0 else '+'} {bias_text}"


# Before the run -----------------------------------------------------------------------------


def hessian_text(data: LineData, settings: LineSettings) -> str:
    """The error's Hessian, written out from the data's sums."""
    (weights, both), (_, biases) = stability_of(data, settings).hessian
    cells = numbers_apart(weights, both, biases)
    return (
        f"The error's Hessian, H = (2/N)·[[Σx², Σx], [Σx, N]], is "
        f"[[{cells[0]}, {cells[1]}], [{cells[1]}, {cells[2]}]]."
    )


def readout(data: LineData, settings: LineSettings) -> list[str]:
    """The stability readout before a run, one sentence per fact."""
    analysis = stability_of(data, settings)
    low, high = analysis.eigenvalues
    which = "the Hessian itself" if settings.exact_derivative else "half the Hessian"
    sentences = [
        f"The update's curvature ({which}) has eigenvalues {number_text(low)} and "
        f"{number_text(high)}: "
        + (
            "every x is the same, so a whole line of (weight, bias) pairs is best."
            if low == 0
            else f"the error's bowl is round (condition number {number_text(analysis.condition)})."
            if number_text(analysis.condition) == "1"
            else f"the error's valley is {number_text(analysis.condition)} times as sharply "
            "curved across as along (its condition number)."
        )
    ]
    if not analysis.curvatures:
        return [*sentences, f"With {_moving(settings)}, no step changes the error."]
    best, most = _best(settings), numbers_apart(analysis.max_stable_alpha, analysis.best_alpha)
    if settings.momentum:
        pair = numbers_apart(analysis.momentum_alpha, analysis.best_momentum)
        sentences.append(
            f"With momentum {number_text(settings.momentum)} and {_moving(settings)}, alphas "
            f"below {most[0]} converge on paper (alpha·λ < 2 + 2·momentum); with the best "
            f"pair, alpha {pair[0]} and momentum {pair[1]}, "
            f"{_steps(analysis.momentum_rate, best)}."
        )
    else:
        sentences.append(
            f"With {_moving(settings)}, alphas below {most[0]} converge on paper; with the "
            f"fastest, {most[1]}, {_steps(analysis.rate, best)}."
        )
    if analysis.trap:
        alone, both = numbers_apart(analysis.weight_only_alpha, 2 * (1 + settings.momentum) / high)
        sentences.append(
            f"Beware: alpha {number_text(settings.alpha)} converges with the bias frozen "
            f"(below {alone}) but diverges once weight and bias move together (from {both} up)."
        )
    return sentences + _method_sentences(data, settings, analysis)


def _method_sentences(data: LineData, settings: LineSettings, analysis: LineStability) -> list:
    alpha = number_text(settings.alpha)
    if settings.adam:
        return [
            "Adam divides each step by a running size of its gradients, so its steps stay of "
            "the order of alpha whatever the slope: no closed form gives its limit."
        ]
    if settings.stochastic(data.count):
        batch = "one point" if settings.batch_size == 1 else f"{settings.batch_size:,} points"
        reach, _ = reachable_line(data, settings)
        noise = (
            f"Here every point lies on {_best(settings)}, so every batch's slope is 0 on it."
            if reach is not None and reach.error == 0
            else f"That slope is not the full data's, so the line jitters around {_best(settings)}"
            " (a noise floor) rather than settling on it."
        )
        return [
            f"These limits are for steps on all {data.count:,} points. A step on {batch} "
            "follows its own slope, and no closed form gives its limit.",
            noise,
        ]
    if analysis.outcome == "stalls":
        return [f"With alpha {alpha}, no step moves the line."]
    if analysis.outcome == "bounces":
        return [f"Alpha {alpha} is exactly at the limit: each step lands as far on the other side."]
    if analysis.at_limit:
        return [f"Alpha {alpha} is at the limit, to within rounding: each step lands about as far."]
    verb = "converges" if analysis.outcome == "converges" else "diverges"
    return [f"With alpha {alpha}, {_steps(analysis.contraction, _best(settings))}: it {verb}."]


def line_forecast(data: LineData, settings: LineSettings) -> Forecast:
    """What the run will do, said before it: its outcome, a badge and a sentence, decided by
    the run played on."""
    ending = line_fate(data, settings)
    badge = {
        "converges": "lands in one step" if ending.at == 2 else "converges",
        "diverges": "diverges",
        "bounces": "keeps hopping",
        "stalls": "stops short",
    }[ending.outcome]
    return Forecast(ending.outcome, badge, _sentence(data, settings, ending, None))


# After the run ------------------------------------------------------------------------------


def _when(ending: LineFate, done: int | None, lasting: bool = True) -> str:
    """When ``ending.at`` comes, said before the run (``done`` None) or after ``done``
    iterations; ``lasting`` for a state that lasts from then on."""
    if ending.at is None:
        return f"only after more than {ending.played + CARRIED:,} iterations"
    if done is None or ending.at <= done + 1:
        at = count_text(ending.at, ending.exact)
        return f"from iteration {at} on" if lasting else f"at iteration {at}"
    return f"in {count_text(ending.at - done, ending.exact)} more iterations"


def _hedge(ending: LineFate) -> str:
    if ending.rounding:
        return " (unless rounding stops it sooner: its last steps come near the gap between floats)"
    if not ending.certain:
        return f", as far as the {ending.played:,} iterations played on show"
    return ""


def _sentence(data: LineData, settings: LineSettings, ending: LineFate, done: int | None) -> str:
    """Where the run ends, said before it (``done`` None) or after ``done`` iterations."""
    if ending.outcome == "diverges":
        if done is None:
            return f"Its numbers overflow a 64-bit float {_when(ending, None, False)}."
        return f"{_overshoot(data, settings)}; {_when(ending, done, False)} its numbers overflow."
    if ending.outcome == "bounces":
        return _bounce_sentence(data, settings, ending)
    if ending.outcome == "stalls":
        return _stall_sentence(data, settings, ending, done)
    least = number_text(data.least_error)
    if ending.at == 1:
        return f"It starts {WITHIN} the least error, {least}, and stays there{_hedge(ending)}."
    return (
        f"Its error comes {WITHIN} the least error, {least}, {_when(ending, done)}{_hedge(ending)}."
    )


def _stall_sentence(
    data: LineData, settings: LineSettings, ending: LineFate, done: int | None
) -> str:
    if settings.freeze_weight and settings.freeze_bias:
        return "Both the weight and the bias are frozen: the line never moves."
    if settings.alpha == 0:
        return "With alpha 0 every step is 0: the line never moves."
    reach = ending.reach
    if reach is None and settings.freeze_bias and ending.short > TOLERANCE:
        error, least = numbers_apart(ending.short + data.least_error, data.least_error)
        return (
            f"Every x is 0, so the weight changes nothing: with the bias frozen at "
            f"{number_text(settings.bias)}, the error stays {error}, above the least error {least}."
        )
    if ending.short <= TOLERANCE or reach is None:
        return (
            f"From iteration {count_text(ending.at, ending.exact)} rounding cancels the rest of "
            f"each step: the line gets no nearer {_best(settings)}."
        )
    frozen = "weight" if settings.freeze_weight else "bias"
    value = number_text(settings.weight if settings.freeze_weight else settings.bias)
    reached, least = numbers_apart(reach.error, data.least_error)
    return (
        f"With the {frozen} frozen at {value}, the best line it can reach is "
        f"{_line(reach.weight, reach.bias)}, whose error {reached} stays above the least error "
        f"{least}; its error comes {WITHIN} that line's {_when(ending, done)}{_hedge(ending)}."
    )


def _bounce_sentence(data: LineData, settings: LineSettings, ending: LineFate) -> str:
    best = _best(settings)
    noisy = settings.adam or settings.stochastic(data.count)
    if ending.at is None and not noisy:
        if ending.certain:
            return f"Alpha is exactly at the limit: each step lands as far across {best}, for ever."
        return (
            f"Alpha is at the limit, to within rounding: each step lands about as far across "
            f"{best}, for hundreds of millions of iterations at least."
        )
    low, high = numbers_apart(ending.low, ending.high)
    band = f"its error stays between {low} and {high} above that of {best}"
    if ending.low == ending.high:
        band = f"its error stays {low} above that of {best}"
    if ending.certain:
        return f"From iteration {ending.at:,} it hops around {best} for ever: {band}."
    cause = "" if settings.adam else "Each step follows only its own batch's slope, so "
    return (
        f"{cause}{'i' if cause else 'I'}t never settles in the {ending.played:,} iterations "
        f"played on: over the last {ending.watched:,}, {band}."
    )


def _overshoot(data: LineData, settings: LineSettings) -> str:
    analysis = stability_of(data, settings)
    if analysis.outcome != "diverges":
        return "Its steps grow"
    alpha, most = numbers_apart(settings.alpha, analysis.max_stable_alpha)
    return (
        f"Alpha {alpha} is above {most}, the largest that converges with {_moving(settings)}, "
        f"so each step overshoots {_best(settings)} further"
    )


def line_verdict(run: LineRun) -> Verdict:
    """What the run does, decided by the run itself played on, and why, in words."""
    data, settings, done = run.data, run.settings, len(run.weights)
    ending = line_fate(data, settings)
    outcome = ending.outcome
    if outcome == "diverges" and run.diverged:
        why = f"{_overshoot(data, settings)} until its numbers no longer fit in a 64-bit float."
        if done == 0:
            why = "The very first iteration's numbers are too large for a 64-bit float."
        return Verdict(outcome, True, f"Diverged at iteration {run.diverged_at:,}", why)
    if outcome == "diverges":
        return Verdict(outcome, False, "Diverging", _sentence(data, settings, ending, done))
    if outcome == "bounces":
        settled = ending.at is not None and ending.at <= done + 1
        return Verdict(
            outcome,
            settled,
            "Hopping around the best line",
            _bounce_sentence(data, settings, ending),
        )
    final = np.array([run.final_weight]), np.array([run.final_bias])
    near = ending.exact or reach_gaps(data, settings, *final)[0] <= TOLERANCE
    settled = bool(near) and ending.at is not None and ending.at <= done + 1
    headline = {
        ("converges", True): "Converged",
        ("converges", False): "Converging",
        ("stalls", True): "Stopped short of the best line",
        ("stalls", False): "Heading short of the best line",
    }[outcome, settled]
    return Verdict(outcome, settled, headline, _sentence(data, settings, ending, done))


# The charts in words ------------------------------------------------------------------------


def _index(run: LineRun, at: int) -> int:
    return min(max(at, 1), len(run.weights)) - 1


def surface_text(run: LineRun, at: int, in_3d: bool = False) -> str:
    """The error surface with the path, the gradient and the step at iteration ``at``, drawn
    as contours or, ``in_3d``, as a surface in three dimensions."""
    data = run.data
    if data.best_weight is None:
        shape = "lowest along a whole line of (weight, bias) pairs, as every x is the same"
    else:
        weight, bias = numbers_apart(data.best_weight, data.best_bias)
        shape = f"lowest at weight {weight}, bias {bias}"
    text = (
        f"Error surface over weight and bias, {'in 3-D' if in_3d else 'as contours'}: {shape}, "
        "where the error is "
        f"{number_text(data.least_error)}."
    )
    if not len(run.weights):
        return text + " The first iteration's numbers overflow: there is no path."
    index = _index(run, at)
    start = numbers_apart(run.weights[0], run.biases[0])
    here = numbers_apart(run.weights[index], run.biases[index])
    down = numbers_apart(-run.weight_gradients[index], -run.bias_gradients[index])
    step = numbers_apart(run.weight_steps[index], run.bias_steps[index])
    text += (
        f" The path starts at weight {start[0]}, bias {start[1]}. At iteration {index + 1} it "
        f"is at weight {here[0]}, bias {here[1]}, error {number_text(run.errors[index])}; "
        f"steepest descent points along ({down[0]}, {down[1]}) and the step taken is "
        f"({step[0]}, {step[1]})."
    )
    if run.diverged:
        return text + f" At iteration {run.diverged_at:,} its numbers overflow."
    final = numbers_apart(run.final_weight, run.final_bias)
    return (
        text
        + f" After {len(run.weights):,} iterations it is at weight {final[0]}, bias {final[1]}."
    )


def errors_text(run: LineRun) -> str:
    """The full data's error per iteration, and each mini-batch's own error."""
    errors = run.errors
    if not len(errors):
        least = number_text(run.data.least_error)
        return f"Error per iteration: none, the first error overflows. The least error is {least}."
    first, last, least = numbers_apart(errors[0], errors[-1], run.data.least_error)
    way = "down to" if errors[-1] < errors[0] else "up to" if errors[-1] > errors[0] else "still"
    text = (
        f"Error per iteration{', log scale' if log_scale(errors) else ''}: {first} at iteration "
        f"1, {way} {last} at iteration {len(errors):,}; the least error any line has is {least}."
    )
    if run.method != "batch":
        low, high = numbers_apart(run.batch_errors.min(), run.batch_errors.max())
        text += f" Each mini-batch's own error ranges from {low} to {high}."
    if run.diverged:
        text += f" At iteration {run.diverged_at:,} it grows too large for a number."
    return text


def predictions_text(run: LineRun, at: int) -> str:
    """The fitted line over the points at iteration ``at``, and the best line."""
    data = run.data
    points = (
        f"{data.count:,} points with x from {number_text(data.xs.min())} to "
        f"{number_text(data.xs.max())} and y from {number_text(data.ys.min())} to "
        f"{number_text(data.ys.max())}"
    )
    if data.best_weight is None:
        best = "every x is the same, so no single line is best"
    else:
        best = f"the best line is {_line(data.best_weight, data.best_bias)}"
    if not len(run.weights):
        return f"Prediction line per iteration: none. The chart shows {points}; {best}."
    index = _index(run, at)
    return (
        f"Prediction line at iteration {index + 1}: {_line(run.weights[index], run.biases[index])}"
        f" over {points}; the mean of its squared residuals is {number_text(run.errors[index])}, "
        f"and {best}."
    )


def moment_text(run: LineRun, index: int) -> str:
    """Iteration ``index + 1`` in one line, as the player says it when it steps there: the
    line (each number with the digits that tell it from the next one and the best), and
    the error."""
    data, after = run.data, index + 1
    next_weight = run.weights[after] if after < len(run.weights) else run.final_weight
    next_bias = run.biases[after] if after < len(run.biases) else run.final_bias
    best = [] if data.best_weight is None else [data.best_weight, data.best_bias]
    weight = number_apart(run.weights[index], next_weight, *best[:1])
    bias = number_apart(run.biases[index], next_bias, *best[1:])
    return (
        f"Iteration {after:,} of {len(run.weights):,}: weight {weight}, bias {bias}, "
        f"error {number_text(run.errors[index])}"
    )


def slice_text(run: LineRun, at: int) -> str:
    """The slice of the error surface along the weight, the bias held where iteration ``at``
    has it: lesson 1's error curve, with its tangent and the weight's step."""
    if not len(run.weights):
        return "Slice of the error surface along the weight: none, the first error overflows."
    data, index = run.data, _index(run, at)
    weight, bias = float(run.weights[index]), float(run.biases[index])
    lowest = best_line(data, bias=bias)
    scale = 1.0 if run.settings.exact_derivative else 2.0
    slope = run.weight_gradients[index] * scale
    low_weight, here = numbers_apart(lowest.weight, weight)
    text = (
        f"Slice of the error surface along the weight, the bias held at {number_text(bias)}: "
        f"lesson 1's error curve, a parabola lowest at weight {low_weight}, error "
        f"{number_text(lowest.error)}. At iteration {index + 1} the weight is {here}, error "
        f"{number_text(run.errors[index])}, and the tangent's slope there is "
        f"{number_text(slope)}; the step moves the weight by "
        f"{number_text(run.weight_steps[index])}"
    )
    if run.bias_steps[index]:
        moved = number_text(run.bias_steps[index])
        return text + f" and the bias by {moved}, so the next point lies on another slice."
    return text + "."


# Questions: a set-up said without its ending, and paths to tell apart --------------------------


def _on(data: LineData, settings: LineSettings) -> str:
    """The points one step uses."""
    if not settings.stochastic(data.count):
        return f"all {data.count:,} points"
    size = settings.batch_size
    return "one point" if size == 1 else f"a mini-batch of {size:,} points"


def _with(settings: LineSettings) -> str:
    if settings.adam:
        return ", with Adam"
    return f", with momentum {shortest_text(settings.momentum)}" if settings.momentum else ""


def steps_text(data: LineData, settings: LineSettings) -> str:
    """How a run steps, in a few words: on which points, with momentum or Adam."""
    return f"{_on(data, settings)} each step{_with(settings)}"


def setup_text(data: LineData, settings: LineSettings) -> str:
    """A lesson-2 set-up in words, nothing about how it ends: every number carries all its
    digits, as the answer may hang on the last of them."""
    extra = ""
    if settings.adam:
        extra = f" (β₁ {shortest_text(settings.beta1)}, β₂ {shortest_text(settings.beta2)})"
    if settings.stochastic(data.count):
        extra += f", shuffled from seed {settings.seed:,}"
    derivative = " and the exact derivative" if settings.exact_derivative else ""
    frozen = [
        f"the {name} frozen at {shortest_text(getattr(settings, name))}"
        for name in ("weight", "bias")
        if getattr(settings, f"freeze_{name}")
    ]
    moving = " and ".join(frozen) if frozen else "both weight and bias moving"
    return (
        f"Each step uses {_on(data, settings)}{_with(settings)}{extra}; alpha "
        f"{shortest_text(settings.alpha)}{derivative}. The line starts at weight "
        f"{shortest_text(settings.weight)}, bias {shortest_text(settings.bias)}, for "
        f"{settings.iterations:,} iterations, with {moving}."
    )


def _wandering(run: LineRun) -> tuple[int, int, int]:
    """A path's steps, those that raise the error over all the points, and those that turn
    back (more than a right angle from the step before)."""
    steps = np.column_stack([run.weight_steps, run.bias_steps])
    rises = int((np.diff(run.errors) > 0).sum())
    turns = int(((steps[1:] * steps[:-1]).sum(axis=1) < 0).sum())
    return max(len(run.errors) - 1, 0), rises, turns


def paths_text(runs: list[LineRun], labels: list[str]) -> str:
    """Paths over one error surface, told apart by what they do, not by how they step: the
    question "which of these paths is SGD's?" in words."""
    first, data = runs[0], runs[0].data
    start = numbers_apart(first.settings.weight, first.settings.bias)
    text = (
        f"{len(runs)} paths over the error surface's contours, all from weight {start[0]}, "
        f"bias {start[1]}, for {len(first.weights):,} iterations"
    )
    if data.best_weight is not None:
        best = numbers_apart(data.best_weight, data.best_bias)
        text += f"; the best line is at weight {best[0]}, bias {best[1]}"
    said = [text + "."]
    for run, label in zip(runs, labels, strict=True):
        steps, rises, turns = _wandering(run)
        end = numbers_apart(run.final_weight, run.final_bias)
        said.append(
            f"Path {label} ends at weight {end[0]}, bias {end[1]}: its error over all the points "
            f"rises in {rises:,} of its {steps:,} steps, and it turns back in {turns:,} of them."
        )
    return " ".join(said)


def paths_answer(runs: list[LineRun], labels: list[str], answer: int) -> str:
    """Which path is the one asked for, and how the others step."""
    run, label = runs[answer], labels[answer]
    steps, rises, turns = _wandering(run)
    others = "; ".join(
        f"{each_label}, {steps_text(each.data, each.settings)}"
        for each, each_label in zip(runs, labels, strict=True)
        if each is not run
    )
    return (
        f"Path {label} took {steps_text(run.data, run.settings)}: each step follows its own "
        f"batch's slope, not the full data's, so its error over all the points rose in "
        f"{rises:,} of its {steps:,} steps and it turned back {turns:,} times. The others: "
        f"{others}."
    )

"""Explanations with the numbers plugged in: what alpha will do before a run, and one
iteration of a run written out as LaTeX."""

from __future__ import annotations

import math

from tinynet.analysis import MEASURABLE, Bounce, Stability
from tinynet.network import gradient, squared_error
from tinynet.training import Run

REGIME_NAMES = {
    "stalls": "stalls",
    "converges": "converges",
    "one_step": "lands in one step",
    "oscillates_converges": "zig-zags in",
    "oscillates_forever": "bounces for ever",
    "diverges": "diverges",
}
"""Each regime of ``tinynet.analysis.stability`` in a student's words."""


def method_text(method: str, exact_derivative: bool = False) -> str:
    """What a method does, in words, and its update rule, as Markdown."""
    if method == "up_and_down":
        return (
            "**Up and down** is a guessing game. Each iteration it tries the weight one step "
            "higher and one step lower, and keeps whichever gives the smaller error (on a tie it "
            "goes down). It needs no slope, but its step never shrinks either, so it ends up "
            "hopping back and forth across the answer.\n\n"
            "#### w ← w + step if error(w + step) < error(w − step), otherwise w − step"
        )
    double = "2 · " if exact_derivative else ""
    if exact_derivative:
        note = "The exact slope is twice the article's, so the same alpha moves twice as far."
    else:
        note = (
            "As in the article, this drops the factor 2 of the true slope "
            "2 · data · (data · w − target): it only rescales alpha."
        )
    return (
        "**Gradient descent** asks the error which way is downhill. The gradient says how fast "
        "the error grows as the weight grows; stepping against it lowers the error. Alpha scales "
        "the step: too small and learning crawls, too big and each step jumps past the answer "
        "and lands further away than it started.\n\n"
        f"#### w ← w − α · {double}data · (data · w − target)\n\n{note}"
    )


def regime_sentence(analysis: Stability) -> str:
    """What every gradient-descent step will do to the distance to the answer, and the two
    alphas where that changes."""
    factor = analysis.factor
    if analysis.regime == "stalls":
        return "alpha × data² is 0 (or too small to count): no step moves the weight."
    if analysis.regime == "one_step":
        what = "One step lands exactly on the answer."
    elif factor > 0:
        what = f"Each step keeps {factor:.3g} of the distance to the answer."
    elif abs(factor) < MEASURABLE:
        what = f"Each step jumps past the answer, {abs(factor):.3g}× as far on the other side."
    else:
        what = "Each step jumps vastly past the answer."
    return (
        f"{what} Converges while alpha < {analysis.max_stable_alpha:.4g}; "
        f"alpha = {analysis.one_step_alpha:.4g} lands in one step."
    )


def bounce_sentence(bounce: Bounce | None, data: float) -> str:
    """Where up and down will end up, from ``tinynet.analysis.up_and_down_limit``."""
    if data == 0:
        return "With data 0 every weight has the same error: it can only walk down."
    if bounce is None:
        return "The answer is too far away for this step ever to reach it."
    return (
        f"Ends hopping between {bounce.low:.6g} and {bounce.high:.6g} from about iteration "
        f"{bounce.reached_at:,}; its error cannot go below {bounce.error_floor:.3g}."
    )


def tex(value: float, bracket: bool = True) -> str:
    """A number for LaTeX: 10 significant digits, powers of ten written out, and a
    negative number in brackets where it follows an operator."""
    if not math.isfinite(value):  # an error beyond the largest double: JavaScript's Infinity
        return r"\infty" if value > 0 else r"(-\infty)"
    mantissa, _, power = f"{value:.10g}".partition("e")
    text = mantissa if not power else rf"{mantissa} \times 10^{{{int(power)}}}"
    return f"({text})" if value < 0 and bracket else text


def _aligned(lines: list[str]) -> str:
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def worked_step(run: Run, at: int) -> str:
    """Iteration ``at`` (1-based) of ``run``: prediction, error, and the update that follows."""
    settings, index = run.settings, at - 1
    if not 0 <= index < len(run.weights):
        raise ValueError(f"at must be an iteration from 1 to {len(run.weights)}, got {at}")
    weight = float(run.weights[index])
    prediction, error = float(run.predictions[index]), float(run.errors[index])
    after = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    data, target = settings.data, settings.target
    lines = [
        rf"\text{{prediction}} &= \text{{data}} \times w = {tex(data)} \times {tex(weight)}"
        rf" = {tex(prediction, False)}",
        rf"\text{{error}} &= (\text{{prediction}} - \text{{target}})^2"
        rf" = ({tex(prediction, False)} - {tex(target)})^2 = {tex(error, False)}",
    ]
    if settings.method == "up_and_down":
        step = settings.step
        up = squared_error(data * (weight + step), target)
        down = squared_error(data * (weight - step), target)
        move, why = ("+", "up is better") if up < down else ("-", "down is no worse")
        lines += [
            rf"\text{{error up}} &= (\text{{data}} \times (w + \text{{step}})"
            rf" - \text{{target}})^2 = {tex(up, False)}",
            rf"\text{{error down}} &= (\text{{data}} \times (w - \text{{step}})"
            rf" - \text{{target}})^2 = {tex(down, False)}",
            rf"w_\text{{next}} &= w {move} \text{{step}} = {tex(weight)} {move} {tex(step)}"
            rf" = {tex(after, False)} \quad \text{{({why})}}",
        ]
        return _aligned(lines)
    alpha = settings.alpha
    slope = gradient(data, weight, target, settings.exact_derivative)
    if settings.exact_derivative:
        rule = (
            rf"2 \times \text{{data}} \times (\text{{prediction}} - \text{{target}})"
            rf" = 2 \times {tex(data)} \times ({tex(prediction, False)} - {tex(target)})"
        )
    else:
        rule = (
            rf"(\text{{prediction}} - \text{{target}}) \times \text{{data}}"
            rf" = ({tex(prediction, False)} - {tex(target)}) \times {tex(data)}"
        )
    step = alpha * slope
    lines += [
        rf"\text{{gradient}} &= {rule} = {tex(slope, False)}",
        rf"\alpha \times \text{{gradient}} &= {tex(alpha)} \times {tex(slope)}"
        rf" = {tex(step, False)}",
        rf"w_\text{{next}} &= w - \alpha \times \text{{gradient}} = {tex(weight)} - {tex(step)}"
        rf" = {tex(after, False)}",
    ]
    return _aligned(lines)

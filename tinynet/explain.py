"""One iteration written out as LaTeX, with the run's own numbers plugged in."""

from __future__ import annotations

import math

from tinynet.network import gradient, squared_error
from tinynet.training import Run


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

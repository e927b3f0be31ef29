"""Explanations with the numbers plugged in: what a method will do before a run, the
quiz's answers, and one iteration of a run written out as LaTeX."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tinynet.analysis import OUTCOMES, TOLERANCE, stability
from tinynet.long_run import Fate, fate
from tinynet.network import best_weight, error_at, gradient
from tinynet.number_words import number_text, numbers_apart
from tinynet.training import Run, Settings, goes_up
from tinynet.verdicts import count_text, factor_words, texts_apart, up_or_down

ANSWERS = dict(
    zip(
        OUTCOMES,
        (
            "It reaches the answer and stays there",
            "It hops around the answer for ever",
            "It blows up",
            "It gets stuck short of the answer",
        ),
        strict=True,
    )
)
"""The quiz's four answers, one for each of ``tinynet.analysis.OUTCOMES``."""


def graded(guess: str | None, truth: str) -> tuple[bool | None, str]:
    """A guess at a run's outcome against the true one, both of ``OUTCOMES``: whether it is
    right (None for no guess), and the sentence that says so, as Markdown."""
    said = ANSWERS[truth].lower()
    if guess is None:
        return None, f"**The answer: {said}.**"
    if guess == truth:
        return True, f"**Right: {said}.**"
    return False, f"**Not quite: {said}**, rather than {ANSWERS.get(guess, guess).lower()}."


BONUS_CLOSE = 1e-6
"""How near a bonus guess of the next weight must be to count: a millionth of the weight
(of 1 for weights under 1), so that a guess written with a few digits less still counts."""


def bonus_graded(guess: float | None, truth: float) -> str:
    """A guess of the weight after the first update against the true one, as Markdown."""
    weight = number_text(truth, 10)
    if guess is None:
        return f"After the first update the weight is {weight}."
    close = abs(guess - truth) <= BONUS_CLOSE * max(1.0, abs(truth))
    return (
        f"**{'Spot on' if close else 'Not this time'}:** after the first update the weight is "
        f"{weight} (you said {number_text(guess, 10)})."
    )


def method_text(method: str, exact_derivative: bool = False) -> str:
    """What a method does, in words, and its update rule on a line of its own, as Markdown."""
    if method == "up_and_down":
        return (
            "**Up and down** is a guessing game. Each iteration it tries the weight one step "
            "higher and one step lower, and keeps whichever gives the smaller error (on a tie it "
            "goes down). It needs no slope, but its step never shrinks either, so it ends up "
            "hopping back and forth across the answer.\n\n"
            "**w ← w + step if error(w + step) < error(w − step), otherwise w − step**"
        )
    double = "2 · " if exact_derivative else ""
    if exact_derivative:
        note = (
            "The exact derivative is twice the article's gradient, so the same alpha moves "
            "twice as far."
        )
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
        f"**w ← w − α · {double}data · (data · w − target)**\n\n{note}"
    )


@dataclass(frozen=True)
class Forecast:
    """What a method will do with some settings, said before the run: one of
    ``OUTCOMES``, a badge of a few words, and a sentence on why."""

    outcome: str
    badge: str
    sentence: str


def forecast(settings: Settings) -> Forecast:
    """What the run will do, from the settings, checked by playing the run on."""
    future = fate(settings)
    if settings.method == "up_and_down":
        return _walk_forecast(settings, future)
    return _descent_forecast(settings, future)


def _descent_forecast(settings: Settings, future: Fate) -> Forecast:
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    outcome = future.outcome
    start = error_at(settings.data, settings.weight, settings.target)
    if outcome == "converges" and future.at == 1:
        badge = "stays on the answer"
    elif outcome == "converges" and future.at == 2:
        badge = "lands in one step"
    elif outcome == "converges":
        badge = "zig-zags in" if analysis.factor < 0 else "converges"
    else:
        badge = {"bounces": "bounces for ever", "diverges": "diverges", "stalls": "stalls"}[outcome]
    if outcome != "diverges" and (settings.alpha == 0 or settings.data == 0):
        cause = "alpha is 0" if settings.alpha == 0 else "data is 0, so the gradient is always 0"
        return Forecast(outcome, badge, f"As {cause}, no step moves the weight.")
    words = factor_words(analysis)
    sentence = words[0].upper() + words[1:] + "."
    if analysis.max_stable_alpha:
        most, once = numbers_apart(analysis.max_stable_alpha, analysis.one_step_alpha)
        sentence += (
            f" On paper, any alpha below about {most} converges, and an alpha of about {once} "
            "lands in one step."
        )
    if outcome == "converges" and future.at == 1:
        if start == 0:
            sentence += " Here the weight starts on the answer, where the gradient is 0: it stays."
        else:
            sentence += (
                f" Here the weight starts with an error of at most {number_text(TOLERANCE)}, "
                "which counts as the answer, and stays that close."
            )
    elif outcome == "converges" and future.at == 2 and analysis.shrink != 1:
        sentence += (
            f" Here the weight starts just outside the error of {number_text(TOLERANCE)} that "
            "counts as the answer, and one step brings it in."
        )
    elif outcome == "stalls":
        sentence += " " + _lost_sentence(settings, future)
    elif outcome == "diverges" and analysis.outcome != "diverges":
        sentence += " Here, though, the numbers grow too large for a 64-bit float."
    elif outcome == "bounces" and analysis.outcome != "bounces":
        sentence += " Here, though, rounding keeps it hopping on the floats around the answer."
    return Forecast(outcome, badge, sentence)


def _lost_sentence(settings: Settings, future: Fate) -> str:
    """Why a gradient-descent run stops short of the answer."""
    best = best_weight(settings.data, settings.target)
    where = "the best weight" if best is None else f"the best weight {number_text(best)}"
    if future.exact and future.at == 1:
        weight = numbers_apart(settings.weight, best if best is not None else math.nan)[0]
        return (
            f"Here, though, each update from weight {weight} is at most half the gap between "
            "neighbouring 64-bit floats, so rounding cancels it: the weight never moves."
        )
    when = "" if future.at is None else f" from iteration {count_text(future.at, future.exact)}"
    return (
        f"Here, though, its updates get so small that rounding cancels them{when}, "
        f"and it stops short of {where}."
    )


def _walk_forecast(settings: Settings, future: Fate) -> Forecast:
    outcome = future.outcome
    badge = {
        "bounces": "hops around the answer",
        "converges": "closes in on the answer",
        "stalls": "gets stuck",
        "diverges": "overflows",
    }[outcome]
    if settings.data == 0 and outcome != "diverges":
        sentence = (
            "With data 0 every weight has the same error: each comparison is a tie, "
            "and a tie steps down."
        )
        return Forecast(outcome, badge, sentence)
    best, texts = texts_apart(settings, *future.cycle)
    pair = " and ".join(texts)
    if outcome == "diverges":
        when = (
            "at some point"
            if future.at is None
            else f"at iteration {count_text(future.at, future.exact)}"
        )
        return Forecast(outcome, badge, f"Its numbers overflow a 64-bit float {when}.")
    if not future.exact:
        if outcome == "bounces":
            sentence = (
                f"It walks towards the best weight {best} by {number_text(settings.step)} per "
                f"iteration, and needs {count_text(future.at, False)} iterations to get there."
            )
        else:
            sentence = "Its walk is too long and too tangled by rounding to follow to its end."
        return Forecast(outcome, badge, sentence)
    since = f"from iteration {count_text(future.cycle_from)}"
    errors = [error_at(settings.data, each, settings.target) for each in future.cycle]
    if outcome == "bounces" and min(errors) == 0:
        sentence = (
            f"Ends hopping between {pair} {since}: it lands exactly on the answer (error 0) "
            "and steps off it again, for ever."
        )
    elif outcome == "bounces":
        sentence = (
            f"Ends hopping between {pair} {since}, across the best weight {best}; its error "
            f"never goes below {number_text(min(errors))}."
        )
    elif outcome == "converges":
        sentence = (
            f"Ends hopping between {pair} {since}, across the best weight {best}; every error "
            f"is at most {number_text(TOLERANCE)} from iteration {count_text(future.at)}, which "
            "counts as reaching the answer."
        )
    elif len(future.cycle) > 1:
        sentence = (
            f"Ends hopping between {pair} {since}, short of the best weight {best}: rounding "
            "hides how the step changes the error."
        )
    else:
        sentence = (
            f"Its step is lost to rounding at {pair} {since}: weight "
            f"{up_or_down(settings, future.cycle[0])} step is the same 64-bit float there, short "
            f"of the best weight {best}."
        )
    return Forecast(outcome, badge, sentence)


def tex(value: float, bracket: bool = True, digits: int = 10, text: str | None = None) -> str:
    """A number for LaTeX: ``digits`` significant digits (or ``text``, as ``number_text``
    wrote it), powers of ten written out, never -0, and a negative number in brackets
    where it follows an operator."""
    if not math.isfinite(value):  # an error beyond the largest double: JavaScript's Infinity
        return r"\infty" if value > 0 else r"(-\infty)"
    mantissa, _, power = (text or number_text(value, digits)).partition("e")
    written = mantissa if not power else rf"{mantissa} \times 10^{{{int(power)}}}"
    return f"({written})" if value < 0 and bracket else written


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
        up = error_at(data, weight + step, target)
        down = error_at(data, weight - step, target)
        if goes_up(up, down):
            move, why = "+", "up is better"
        else:
            move, why = "-", "down is better" if down < up else "a tie goes down"
        up_text, down_text = numbers_apart(up, down, digits=10)  # which is smaller must show
        lines += [
            rf"\text{{error up}} &= (\text{{data}} \times (w + \text{{step}})"
            rf" - \text{{target}})^2 = {tex(up, False, text=up_text)}",
            rf"\text{{error down}} &= (\text{{data}} \times (w - \text{{step}})"
            rf" - \text{{target}})^2 = {tex(down, False, text=down_text)}",
            rf"w_\text{{next}} &= w {move} \text{{step}} = {tex(weight)} {move} {tex(step)}"
            rf" = {tex(after, False)} \quad \text{{({why})}}",
        ]
        return _aligned(lines)
    alpha = settings.alpha
    gradient_used = gradient(data, weight, target, settings.exact_derivative)
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
    step = alpha * gradient_used
    lines += [
        rf"\text{{gradient}} &= {rule} = {tex(gradient_used, False)}",
        rf"\alpha \times \text{{gradient}} &= {tex(alpha)} \times {tex(gradient_used)}"
        rf" = {tex(step, False)}",
        rf"w_\text{{next}} &= w - \alpha \times \text{{gradient}} = {tex(weight)} - {tex(step)}"
        rf" = {tex(after, False)}",
    ]
    return _aligned(lines)

"""Explanations with the numbers plugged in: what a method will do before a run, the
quiz's answers, and one iteration of a run written out as LaTeX."""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from fractions import Fraction

from tinynet.analysis import OUTCOMES, TOLERANCE, stability
from tinynet.long_run import Fate, fate
from tinynet.network import best_weight, error_at, gradient, predict
from tinynet.number_words import bound_text, exact_words, number_text, numbers_apart
from tinynet.training import Run, Settings, goes_up, gradient_descent_update
from tinynet.verdicts import (
    ANSWERS_ENDS,
    count_text,
    factor_words,
    from_iteration,
    likely,
    texts_apart,
    up_or_down,
)

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


def best_weight_help(settings: Settings) -> str:
    """What the best weight is: target ÷ data as a 64-bit float, how near its own prediction
    comes to the target (rounding may leave it short), and its exact value."""
    said = "target ÷ data, as a 64-bit float: the lowest point of the error curve."
    best = best_weight(settings.data, settings.target)
    if best is None:
        return f"{said} There is none here."
    error = error_at(settings.data, best, settings.target)
    if error == 0:
        hits = "Its prediction hits the target exactly."
    else:
        miss = number_text(predict(settings.data, best) - settings.target)
        size = number_text(error) if math.isfinite(error) else "too large for a 64-bit float"
        hits = f"Rounding leaves its prediction off the target by {miss}, an error of {size}."
    return f"{said} {hits} {exact_words(best)}"


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
    if outcome == "converges" and future.exact and future.at == 1:
        badge = "stays on the answer"
    elif outcome == "converges" and future.exact and future.at == 2:
        badge = "lands in one step"
    elif outcome == "converges":
        badge = "zig-zags in" if analysis.factor < 0 else "converges"
    else:
        badge = {"bounces": "bounces for ever", "diverges": "diverges", "stalls": "stalls"}[outcome]
    if not future.sure:
        badge = f"most likely {badge}"
    if outcome != "diverges" and (settings.alpha == 0 or settings.data == 0):
        cause = "alpha is 0" if settings.alpha == 0 else "data is 0, so the gradient is always 0"
        return Forecast(outcome, badge, f"As {cause}, no step moves the weight.")
    words = factor_words(analysis, settings)
    sentence = words[0].upper() + words[1:] + "."
    if analysis.max_stable_alpha:
        most, once = numbers_apart(analysis.max_stable_alpha, analysis.one_step_alpha)
        sentence += (
            f" On paper, any alpha below about {most} converges, and an alpha of about {once} "
            "lands in one step."
        )
    return Forecast(outcome, badge, sentence + _here(settings, future, start))


def _here(settings: Settings, future: Fate, start: float) -> str:
    """What this run does that the factor alone does not say."""
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    outcome, tolerance = future.outcome, number_text(TOLERANCE)
    if outcome == "converges" and future.exact and future.at == 1:
        moves = gradient_descent_update(settings)(settings.weight) != 0
        if start == 0 and not moves:
            return " Here the weight starts on the answer, where the gradient is 0: it stays."
        return (
            f" Here the weight starts with an error of {number_text(start)}, at most "
            f"{tolerance}, which counts as the answer, and the error stays that small."
        )
    if outcome == "converges" and future.exact and future.at == 2 and analysis.shrink != 1:
        after = settings.weight + gradient_descent_update(settings)(settings.weight)
        then = error_at(settings.data, after, settings.target)
        return (
            f" Here one step brings the error from {number_text(start)} to "
            f"{number_text(then)}, within the {tolerance} that counts as the answer, and it "
            "stays there."
        )
    if outcome == "stalls":
        return " " + _lost_sentence(settings, future)
    if outcome == "diverges" and analysis.outcome != "diverges":
        return f" Here, though, the numbers {likely(future)}grow too large for a 64-bit float."
    if outcome == "bounces" and analysis.outcome != "bounces":
        return (
            f" Here, though, rounding {likely(future)}keeps it hopping on the floats around "
            "the answer."
        )
    if not future.sure:
        return " Here, though, rounding may change that: no one can be sure how it ends."
    return ""


def _lost_sentence(settings: Settings, future: Fate) -> str:
    """Why a gradient-descent run stops short of the answer."""
    best = best_weight(settings.data, settings.target)
    if future.exact and future.at == 1:
        weight = numbers_apart(settings.weight, best if best is not None else math.nan)[0]
        return (
            f"Here, though, each update from weight {weight} is at most half the gap between "
            "neighbouring 64-bit floats, so rounding cancels it: the weight never moves."
        )
    if len(future.cycle) > 1:
        best_text, hops = texts_apart(settings, *future.cycle)
        return (
            f"Here, though, {from_iteration(future, future.cycle_from)} it hops between "
            f"{' and '.join(hops)} without getting nearer the best weight {best_text}: rounding "
            "cancels the rest of each update."
        )
    when = from_iteration(future)
    when = "" if when == "some day" else f" {when}"
    stop = future.cycle[0] if future.cycle else future.near
    if stop is None:
        where = "the best weight" if best is None else f"the best weight {number_text(best)}"
        ends = f"it stops short of {where}"
    else:
        best_text, (weight,) = texts_apart(settings, stop)
        ends = (
            f"it stops {'at' if future.cycle else 'near'} {weight}, short of the best weight "
            f"{best_text}"
        )
    return (
        f"Here, though, its updates get so small that rounding cancels them{when}, and "
        f"{likely(future)}{ends}."
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
        when = from_iteration(future).replace("from iteration", "at iteration")
        when = "some day" if when == "some day" else when
        return Forecast(outcome, badge, f"Its numbers overflow a 64-bit float {when}.")
    if not future.exact:
        sentence = (
            "Its walk is too long and too tangled by rounding to follow to its end; it most "
            f"likely {ANSWERS_ENDS[outcome]}."
        )
        return Forecast(outcome, f"most likely {badge}", sentence)
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
            f"never goes below {bound_text(min(errors))}."
        )
    elif outcome == "converges" and len(future.cycle) == 1:
        sentence = (
            f"Its step is lost to rounding at {pair} {since}, where the error is "
            f"{number_text(errors[0])}; every error is at most {number_text(TOLERANCE)} from "
            f"iteration {count_text(future.at)}, which counts as reaching the answer."
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


DIGITS = 10
"""Significant digits of the worked step's numbers: more where two values differ further out."""


@dataclass(frozen=True)
class _Shown:
    """A number as the worked step prints it, and the values its text stands for: those
    that round to it at its digits (never fewer than ``DIGITS``)."""

    value: float
    text: str

    @property
    def low_high(self) -> tuple[Fraction, Fraction]:
        written = decimal.Decimal(self.text)
        exact = Fraction(written)
        if exact == 0:
            return exact, exact
        mantissa = self.text.partition("e")[0]
        digits = max(DIGITS, len(mantissa.lstrip("-").replace(".", "").lstrip("0")))
        half = Fraction(10) ** (written.adjusted() - digits + 1) / 2
        return exact - half, exact + half

    def latex(self, bracket: bool = True) -> str:
        return tex(self.value, bracket, text=self.text)


def _shown(value: float, text: str | None = None) -> _Shown:
    return _Shown(value, text or number_text(value, DIGITS))


def _apart(*values: float) -> list[_Shown]:
    """The values printed so that different ones read differently."""
    return [
        _Shown(value, text)
        for value, text in zip(values, numbers_apart(*values, digits=DIGITS), strict=True)
    ]


Interval = tuple[Fraction, Fraction]


def _times(first: Interval, second: Interval) -> Interval:
    products = [a * b for a in first for b in second]
    return min(products), max(products)


def _minus(first: Interval, second: Interval) -> Interval:
    return first[0] - second[1], first[1] - second[0]


def _squared(interval: Interval) -> Interval:
    low, high = interval
    if low <= 0 <= high:
        return Fraction(0), max(low * low, high * high)
    return min(low * low, high * high), max(low * low, high * high)


def _equals(worked: Interval, result: Interval) -> str:
    """ "=" when the printed numbers, worked out exactly, can give the printed result;
    "\\approx" when only the rounding of 64-bit floats brings them together."""
    return "=" if worked[0] <= result[1] and result[0] <= worked[1] else r"\approx"


def _aligned(lines: list[str]) -> str:
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


_LOST = r" \quad \text{(rounding cancels the change)}"


def worked_step(run: Run, at: int) -> str:
    """Iteration ``at`` (1-based) of ``run``: prediction, error, and the update that follows.

    Every equation holds as printed: worked out exactly from the printed numbers (each
    standing for the values that round to it), it gives the printed result, or it is
    written with ≈ where only the rounding of 64-bit floats makes it so. Values that differ
    print differently; a prediction that agrees with the target to every printed digit is
    written as the target plus or minus its miss.
    """
    settings, index = run.settings, at - 1
    if not 0 <= index < len(run.weights):
        raise ValueError(f"at must be an iteration from 1 to {len(run.weights)}, got {at}")
    weight = float(run.weights[index])
    after = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    data, target = _shown(settings.data), _shown(settings.target)
    now, later = _apart(weight, after)
    prediction_value = float(run.predictions[index])
    miss = _miss(prediction_value, settings.target)
    error = _shown(float(run.errors[index]))
    lines = [_prediction_line(data, now, prediction_value, target, miss)]
    if miss is None:
        prediction, target_apart = _apart(prediction_value, settings.target)
        difference = _minus(prediction.low_high, target_apart.low_high)
        between = f"{prediction.latex(False)} - {target_apart.latex()}"
    else:
        difference, between = miss.low_high, miss.latex(False)
    underflow = r" \quad \text{(too small for a 64-bit float)}" if error.value == 0 else ""
    lines.append(
        rf"\text{{error}} &= (\text{{prediction}} - \text{{target}})^2 = ({between})^2"
        rf" {_equals(_squared(difference), error.low_high)} {error.latex(False)}"
        + (underflow if prediction_value != settings.target else "")
    )
    if settings.method == "up_and_down":
        return _aligned(lines + _walk_lines(run, now, later))
    return _aligned(lines + _descent_lines(run, data, now, later, difference, between))


def _miss(prediction: float, target: float) -> _Shown | None:
    """The miss ``prediction - target``, when the two agree to every printed digit but
    differ: then the prediction is written as the target and its miss (which, as they are
    so close, is exact)."""
    if prediction == target or number_text(prediction, DIGITS) != number_text(target, DIGITS):
        return None
    return _shown(prediction - target)


def _prediction_line(
    data: _Shown, weight: _Shown, prediction: float, target: _Shown, miss: _Shown | None
) -> str:
    worked = _times(data.low_high, weight.low_high)
    if miss is None:
        shown = _shown(prediction)
        result, written = shown.low_high, shown.latex(False)
    else:
        result = _minus(target.low_high, (-miss.low_high[1], -miss.low_high[0]))
        sign = "+" if miss.value > 0 else "-"
        size = _shown(abs(miss.value), number_text(abs(miss.value), DIGITS))
        written = f"{target.latex(False)} {sign} {size.latex(False)}"
    return (
        rf"\text{{prediction}} &= \text{{data}} \times w = {data.latex()} \times "
        rf"{weight.latex()} {_equals(worked, result)} {written}"
    )


def _walk_lines(run: Run, now: _Shown, later: _Shown) -> list[str]:
    settings = run.settings
    data, target, step = settings.data, settings.target, settings.step
    weight = now.value
    up = error_at(data, weight + step, target)
    down = error_at(data, weight - step, target)
    if goes_up(up, down):
        move, why = "+", "up is better"
    else:
        move, why = "-", "down is better" if down < up else "a tie goes down"
    up_text, down_text = _apart(up, down)  # which is smaller must show
    shown_step = _shown(step)
    sign = 1 if move == "+" else -1
    worked = (
        now.low_high[0] + sign * shown_step.low_high[0 if sign > 0 else 1],
        now.low_high[1] + sign * shown_step.low_high[1 if sign > 0 else 0],
    )
    lost = _LOST if later.value == now.value else ""
    return [
        rf"\text{{error up}} &= (\text{{data}} \times (w + \text{{step}})"
        rf" - \text{{target}})^2 = {up_text.latex(False)}",
        rf"\text{{error down}} &= (\text{{data}} \times (w - \text{{step}})"
        rf" - \text{{target}})^2 = {down_text.latex(False)}",
        rf"w_\text{{next}} &= w {move} \text{{step}} = {now.latex()} {move} {shown_step.latex()}"
        rf" {_equals(worked, later.low_high)} {later.latex(False)} \quad \text{{({why})}}{lost}",
    ]


def _descent_lines(
    run: Run, data: _Shown, now: _Shown, later: _Shown, difference: Interval, between: str
) -> list[str]:
    settings = run.settings
    alpha = _shown(settings.alpha)
    slope_value = gradient(settings.data, now.value, settings.target, settings.exact_derivative)
    slope = _shown(slope_value)
    if settings.exact_derivative:
        worked = _times(_times((Fraction(2), Fraction(2)), data.low_high), difference)
        rule = (
            rf"2 \times \text{{data}} \times (\text{{prediction}} - \text{{target}})"
            rf" = 2 \times {data.latex()} \times ({between})"
        )
    else:
        worked = _times(difference, data.low_high)
        rule = (
            rf"(\text{{prediction}} - \text{{target}}) \times \text{{data}}"
            rf" = ({between}) \times {data.latex()}"
        )
    step = _shown(settings.alpha * slope_value)
    moved = _minus(now.low_high, step.low_high)
    lost = _LOST if later.value == now.value and step.value != 0 else ""
    return [
        rf"\text{{gradient}} &= {rule} {_equals(worked, slope.low_high)} {slope.latex(False)}",
        rf"\alpha \times \text{{gradient}} &= {alpha.latex()} \times {slope.latex()}"
        rf" {_equals(_times(alpha.low_high, slope.low_high), step.low_high)} {step.latex(False)}",
        rf"w_\text{{next}} &= w - \alpha \times \text{{gradient}} = {now.latex()} - "
        rf"{step.latex()} {_equals(moved, later.low_high)} {later.latex(False)}{lost}",
    ]

"""Every sentence is true: each claim of the verdicts, forecasts and worked steps is checked
against the run itself, played on far beyond its iterations (issue 11)."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tinynet
from tinynet.analysis import OUTCOMES, TOLERANCE
from tinynet.explain import forecast, worked_step
from tinynet.long_run import fate
from tinynet.verdicts import verdict

HORIZON = 20_000  # iterations the run is played on for, far beyond what the analysis plays
LONGEST_CYCLE = 64


@dataclass(frozen=True)
class Truth:
    """What the run played on for ``HORIZON`` iterations shows; ``outcome`` is None
    when it has not shown its end by then."""

    outcome: str | None
    at: int | None = None
    cycle: tuple[float, ...] = ()
    cycle_from: int | None = None
    errors: np.ndarray | None = None


def played_on(chosen: tinynet.Settings, horizon: int = HORIZON) -> Truth:
    """The definitions of ``tinynet.analysis.OUTCOMES``, applied to the run itself.

    A weight that comes back is proof: the run repeats that stretch for ever.
    """
    run = tinynet.train(dataclasses.replace(chosen, iterations=horizon))
    if run.diverged:
        return Truth("diverges", run.diverged_at)
    weights = np.append(run.weights, run.final_weight)
    with np.errstate(over="ignore"):
        errors = tinynet.squared_error(chosen.data * weights, chosen.target)
    far = np.flatnonzero(errors > TOLERANCE)
    arrived = int(far[-1]) + 2 if far.size else 1
    if chosen.data == 0:  # the error never changes, whatever the weight does
        if chosen.method == "up_and_down" and chosen.step * 2.0**54 >= 1.7976931348623157e308:
            return Truth(None, errors=errors)  # stepping down may overflow, some day
        outcome = "converges" if errors[0] <= TOLERANCE else "stalls"
        return Truth(outcome, 1, errors=errors)
    for period in range(1, LONGEST_CYCLE + 1):
        if weights[-1] == weights[-1 - period]:
            break
    else:
        return Truth(None, errors=errors)
    repeats = weights[:-period] == weights[period:]
    entry = int(np.flatnonzero(~repeats)[-1]) + 1 if not repeats.all() else 0
    cycle = tuple(weights[entry : entry + period].tolist())
    cycle_errors = errors[entry : entry + period]
    best = tinynet.best_weight(chosen.data, chosen.target)
    around = best is not None and min(cycle) <= best <= max(cycle)
    if cycle_errors.max() <= TOLERANCE:
        return Truth("converges", arrived, cycle, entry + 1, errors)
    if period > 1 and (around or cycle_errors.min() <= TOLERANCE):
        return Truth("bounces", entry + 1, cycle, entry + 1, errors)
    return Truth("stalls", entry + 1, cycle, entry + 1, errors)


def _near(claimed: int, actual: int) -> bool:
    """An estimate ("about N") within a few per cent, or a couple of iterations."""
    return abs(claimed - actual) <= 2 + 0.03 * actual


def check_fate(chosen: tinynet.Settings, truth: Truth) -> tinynet.Fate:
    """The fate agrees with the run played on, or at least is not contradicted by it."""
    claimed = fate(chosen)
    assert claimed.outcome in OUTCOMES
    if truth.outcome is not None:
        assert claimed.outcome == truth.outcome, (claimed, truth)
        if claimed.at is not None and claimed.exact:
            assert claimed.at == truth.at, (claimed, truth)
        elif claimed.at is not None:
            assert _near(claimed.at, truth.at), (claimed, truth)
        if claimed.exact and claimed.cycle and truth.cycle:
            assert sorted(claimed.cycle) == sorted(truth.cycle), (claimed, truth)
            assert claimed.cycle_from == truth.cycle_from, (claimed, truth)
        return claimed
    # Not over by the horizon: nothing claimed may have happened by then.
    if claimed.at is not None:
        bound = HORIZON if claimed.exact else HORIZON * 0.97 - 2
        if claimed.outcome == "converges":
            start = min(claimed.at, HORIZON) - 1
            late = np.flatnonzero(truth.errors[start:] > TOLERANCE)
            assert claimed.at > bound or not late.size, (claimed, late[:5])
        else:
            assert claimed.at > bound, (claimed, truth)
    return claimed


NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?")


def check_words(text: str) -> None:
    """No -0, no nan or inf, no 300-digit count, no range of equal-looking numbers."""
    assert not re.search(r"\b(nan|inf|infinity)\b", text, re.IGNORECASE), text
    for number in NUMBER.findall(text):
        assert not (number.startswith("-") and float(number.replace(",", "")) == 0), text
        digits = re.sub(r"e-?\d+$", "", number).replace(",", "").replace(".", "").lstrip("-0")
        assert len(digits) <= 17, text
    for count in re.findall(r"iteration (?:about )?([\d,]+)|([\d,]+) more iterations", text):
        assert len("".join(count).replace(",", "")) <= 13, text
    for first, second in re.findall(r"hop\w* between (\S+?) and (\S+?)[,;:.]?(?:\s|$)", text):
        assert first != second, text
    # A negative factor is a jump past the answer, not a distance "multiplied by -0.35".
    assert not re.search(r"\b(by|keeps) -\d", text), text


def _shown(text: str, value: float) -> bool:
    """``text`` is ``value`` rounded to as many significant digits as the text has."""
    mantissa, _, power = text.partition("e")
    digits = len(mantissa.lstrip("-").replace(".", "").lstrip("0")) or 1
    rounded, _, rounded_power = f"{value:.{digits}g}".partition("e")
    return (rounded, int(rounded_power or 0)) == (mantissa, int(power or 0)) or (
        value == 0 and text == "0"
    )


def check_claims(chosen: tinynet.Settings, iterations: int) -> None:
    """The verdict, the forecast and the worked step, each against the run played on."""
    truth = played_on(chosen)
    claimed = check_fate(chosen, truth)
    run = tinynet.train(dataclasses.replace(chosen, iterations=iterations))
    said, ahead = verdict(run), forecast(chosen)
    assert said.outcome == ahead.outcome == claimed.outcome
    for text in (said.headline, said.reason, ahead.badge, ahead.sentence):
        check_words(text)
    check_factor(chosen, " ".join([said.reason, ahead.badge, ahead.sentence]))
    done = len(run.weights)
    if said.settled:  # what happened already is on record, and the run played on confirms it
        if said.outcome == "converges":
            assert truth.errors is None or truth.errors[done:].max() <= TOLERANCE, said
        elif said.outcome == "diverges":
            assert run.diverged, said
        else:
            assert truth.outcome == said.outcome, (said, truth)
    if truth.outcome is not None:
        got_there = truth.at <= (iterations if truth.outcome == "diverges" else done + 1)
        assert said.settled == got_there, (said, truth, done)
        if not said.settled:
            for more in re.findall(r"([\d,]+) more iterations", said.reason):
                assert _near(done + int(more.replace(",", "")), truth.at), (said, truth)
        for text in (said.reason, ahead.sentence):
            for start in re.findall(r"from iteration ([\d,]+)", text):
                assert int(start.replace(",", "")) in (truth.cycle_from, truth.at), (text, truth)
        if truth.cycle:
            errors = [
                tinynet.squared_error(chosen.data * each, chosen.target) for each in truth.cycle
            ]
            for text in (said.reason, ahead.sentence):
                for floor in re.findall(r"never go(?:es)? below (\S+?)[.;,]?(?:\s|$)", text):
                    assert _shown(floor, min(errors)), (text, errors)
        pair = re.search(r"hopping between (\S+) and (\S+?)[,;:.]?\s", ahead.sentence)
        if truth.cycle and pair:
            low, high = pair.groups()
            assert _shown(low, min(truth.cycle)) and _shown(high, max(truth.cycle)), (
                ahead.sentence,
                truth.cycle,
            )
    if truth.outcome is None:  # not over, but what one update does is known
        errors = truth.errors
        landed = claimed.outcome == "converges" and errors[0] > TOLERANCE >= errors[1:].max()
    else:
        landed = truth.outcome == "converges" and truth.at == 2
    assert (ahead.badge == "lands in one step") == (landed and chosen.method != "up_and_down")
    if len(run.weights):
        latex = worked_step(run, len(run.weights))
        assert not re.search(r"(?<![\w.])-0(?![.\d]*[1-9])", latex), latex
        if chosen.method == "up_and_down":
            lines = latex.split(r" \\ ")
            up, down = (
                next(line for line in lines if line.startswith(rf"\text{{error {side}}}"))
                for side in ("up", "down")
            )
            assert (up.rpartition(" = ")[2] == down.rpartition(" = ")[2]) == _equal_errors(run)


def check_factor(chosen: tinynet.Settings, text: str) -> None:
    """What one gradient-descent step does, as said, is the factor ``1 - shrink``, rounded,
    and never rounded to 1 or 0 when it is neither."""
    if chosen.method != "gradient_descent":
        return
    shrink = chosen.alpha * ((2 if chosen.exact_derivative else 1) * chosen.data * chosen.data)
    factor = 1 - shrink
    said = [
        ("".join(kept), factor)
        for kept in re.findall(r"keeps (\S+) of the|the best weight by (\S+?)[;,.]?\s", text + " ")
    ]
    said += [(times, -factor) for times in re.findall(r"lands (\S+) times as far", text)]
    said += [(share, shrink) for share in re.findall(r"closes only (\S+) of", text)]
    for number, value in said:
        assert _shown(number, value), (text, value)
        assert number not in ("0", "1") or float(number) == value, (text, value)


def _equal_errors(run: tinynet.Run) -> bool:
    chosen, weight = run.settings, float(run.weights[-1])
    up = tinynet.squared_error(chosen.data * (weight + chosen.step), chosen.target)
    down = tinynet.squared_error(chosen.data * (weight - chosen.step), chosen.target)
    return up == down


# The space to search: the whole range of doubles, and especially near the answer, at the
# critical alphas, and with tiny data and steps.

EDGES = [
    0.0,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-6,
    1.0,
    1e6,
    1e300,
    1.7976931348623157e308,
]
anywhere = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    EDGES + [-edge for edge in EDGES]
)
everyday = st.floats(-1e6, 1e6)
tiny = st.floats(1e-300, 1e-5) | st.floats(-1e-5, -1e-300)
datas = everyday | tiny | anywhere
targets = everyday | anywhere
nudges = st.integers(-3, 3)


def _nudged(value: float, count: int) -> float:
    for _ in range(abs(count)):
        value = math.nextafter(value, math.copysign(math.inf, count))
    return value


@st.composite
def near_the_answer(draw: st.DrawFn, method: str) -> tinynet.Settings:
    data = draw(datas.filter(lambda data: data != 0))
    target = draw(targets)
    best = tinynet.best_weight(data, target)
    if best is None:
        weight = draw(everyday)
    else:
        how = draw(st.sampled_from(["ulps", "relative", "steps"]))
        if how == "ulps":
            weight = _nudged(best, draw(st.integers(-40, 40)))
        elif how == "relative":
            weight = best * (1 + draw(st.floats(-1e-6, 1e-6)))
        else:
            weight = best + draw(st.integers(-30, 30)) * draw(st.floats(1e-6, 1))
    weight = weight if math.isfinite(weight) else 0.0
    step = draw(st.floats(1e-12, 1) | st.sampled_from([0.05, 0.1, 1e-6]))
    alpha = draw(st.floats(0, 3) | st.sampled_from([0.1, 1.0]))
    return tinynet.Settings(method, weight, data, target, 1, step, alpha, draw(st.booleans()))


@st.composite
def critical_alphas(draw: st.DrawFn) -> tinynet.Settings:
    data = draw(everyday.filter(lambda data: abs(data) > 1e-3) | tiny | anywhere)
    exact = draw(st.booleans())
    curvature = (2 if exact else 1) * data * data
    if curvature == 0 or not math.isfinite(curvature):
        curvature = 1.0
    shrink = draw(st.sampled_from([1.0, 2.0, 0.5, 1.5, 1e-3, 1.999, 2.001]))
    alpha = _nudged(shrink / curvature, draw(nudges))
    alpha = alpha if math.isfinite(alpha) and alpha >= 0 else 0.1
    weight, target = draw(everyday | anywhere), draw(targets)
    return tinynet.Settings("gradient_descent", weight, data, target, 1, 0.05, alpha, exact)


@st.composite
def wide(draw: st.DrawFn) -> tinynet.Settings:
    method = draw(st.sampled_from(tinynet.METHODS))
    step = draw(st.floats(1e-6, 1e6) | anywhere.filter(lambda step: step > 0))
    alpha = draw(st.floats(0, 100) | anywhere.filter(lambda alpha: alpha >= 0))
    values = [draw(everyday | tiny | anywhere) for _ in range(3)]
    return tinynet.Settings(method, *values, 1, step, alpha, draw(st.booleans()))


def _spread(low: float, high: float) -> st.SearchStrategy[float]:
    """Magnitudes spread evenly over the powers of ten from ``low`` to ``high``."""
    return st.floats(math.log10(low), math.log10(high)).map(lambda power: 10.0**power)


signed = st.sampled_from([1.0, -1.0])


@st.composite
def in_the_app(draw: st.DrawFn) -> tinynet.Settings:
    """What the app's controls allow: |weight|, |data|, |target| up to 1e6, step from 1e-6,
    alpha up to 100, with round numbers as a student types them."""

    def number(low: float) -> float:
        value = draw(signed) * draw(_spread(low, 1e6) | st.integers(0, 10).map(float))
        return round(value, draw(st.integers(0, 6))) if draw(st.booleans()) else value

    weight, data, target = number(1e-6), number(1e-300), number(1e-6)
    step = draw(_spread(1e-6, 1e3) | st.sampled_from([0.05, 0.1, 1.0]))
    alpha = draw(_spread(1e-9, 100) | st.sampled_from([0.0, 0.1, 1.0]))
    method = draw(st.sampled_from(tinynet.METHODS))
    return tinynet.Settings(method, weight, data, target, 1, step, alpha, draw(st.booleans()))


ISSUE = {  # every example of issue 11, as a link's settings
    "explodes though it starts close": {"weight": 1.3333333, "alpha": 1.0},
    "explodes though it starts closer": {"weight": 1.333333333, "alpha": 0.3},
    "far from the answer": {"weight": 524289.0, "data": 1.0, "target": 4.0, "alpha": 1e-16},
    "factor just below 1": {"data": 0.001},
    "moves by a hair": {"weight": 0.0, "data": 1.0, "target": 1e6, "alpha": 1e-17},
    "hops across 0": {"method": "up_and_down", "target": 0.0, "step": 0.1},
    "lands on the answer": {"method": "up_and_down", "data": 10.0, "target": -7.0, "step": 0.1},
    "starts on the answer": {"method": "up_and_down", "weight": 4 / 3, "step": 0.1},
    "tiny data and step": {"method": "up_and_down", "data": 1e-6, "target": 1e6, "step": 1e-6},
    "data 1e-300, up and down": {"method": "up_and_down", "data": 1e-300},
    "next to the answer": {"method": "up_and_down", "weight": 333333.3, "data": 1.2e-5},
    "one step": {"iterations": 1, "alpha": 0.1111111111111111},
    "one step, exact": {"iterations": 1, "alpha": 0.05555555555555555, "exact_derivative": True},
    "zig-zag 0.15": {"alpha": 0.15},
    "zig-zag 0.2": {"alpha": 0.2},
    "zig-zag, exact": {"exact_derivative": True},
    "data 0": {"data": 0.0},
    "alpha 0": {"alpha": 0.0},
    "data 0, up and down": {"method": "up_and_down", "data": 0.0},
}
DEFAULTS = {"method": "gradient_descent", "weight": 0.5, "data": 3.0, "target": 4.0}


def issue(name: str) -> tinynet.Settings:
    return tinynet.Settings(**{**DEFAULTS, "iterations": 20, **ISSUE[name]})


@pytest.mark.parametrize("name", ISSUE)
def test_each_example_of_the_issue_is_told_truly(name):
    chosen = issue(name)
    check_claims(chosen, chosen.iterations)


GOLD = {  # what each example now says (in the verdict or the forecast), and what it must not
    "explodes though it starts close": (["Diverging", "lands 8 times as far"], ["Converged"]),
    "explodes though it starts closer": (["Diverging"], ["Converged"]),
    "far from the answer": (["stopped changing at 5.243e5", "short of the best weight 4"], []),
    "factor just below 1": (["closes only 1e-7 of the distance", "128,990,923"], ["keeps 1 of"]),
    "moves by a hair": (["It is still moving", "near 1.311e5"], ["no update moves"]),
    "hops across 0": (["between -0.1 and 2.776e-17 from iteration 6", "6.933e-33"], []),
    "lands on the answer": (["between -0.8 and -0.7 from iteration 13", "error 0"], []),
    "starts on the answer": (["between 1.333 and 1.433 from iteration 1"], []),
    "tiny data and step": (["between 0.499946 and 0.499947", "short of the best weight 1e12"], []),
    "data 1e-300, up and down": (["from iteration about 9.7e15", "-5.629e14"], []),
    "next to the answer": (["between 333333.3 and 333333.35", "best weight 333333.33"], []),
    "one step": (["Converged", "where the error is 0", "lands in one step"], ["hair"]),
    "one step, exact": (["Converged", "where the error is 0", "lands in one step"], ["hair"]),
    "zig-zag 0.15": (["lands 0.35 times as far on the other side"], ["multiplies"]),
    "zig-zag 0.2": (["lands 0.8 times as far on the other side"], ["multiplies"]),
    "zig-zag, exact": (["lands 0.8 times as far on the other side"], ["multiplies"]),
    "data 0": (["With data 0 the gradient is 0"], ["-0"]),
    "alpha 0": (["With alpha 0 every update is 0"], ["-0"]),
    "data 0, up and down": (["a tie steps down"], ["-0"]),
}


@pytest.mark.parametrize("name", ISSUE)
def test_each_example_of_the_issue_now_says(name):
    chosen = issue(name)
    said, ahead = verdict(tinynet.train(chosen)), forecast(chosen)
    text = " ".join([said.headline, said.reason, ahead.badge, ahead.sentence])
    present, absent = GOLD[name]
    for words in present:
        assert words in text, text
    for words in absent:
        assert words not in text, text


def test_the_run_that_explodes_from_close_overflows_at_iteration_180():
    chosen = dataclasses.replace(issue("explodes though it starts close"), iterations=10_000)
    said = verdict(tinynet.train(chosen))
    assert (said.outcome, said.settled, said.headline) == (
        "diverges",
        True,
        "Diverged at iteration 180",
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=near_the_answer("gradient_descent"), iterations=st.integers(1, 300))
@example(issue("explodes though it starts close"), 20)
@example(issue("one step"), 1)
def test_gradient_descent_near_the_answer(chosen, iterations):
    check_claims(chosen, iterations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=near_the_answer("up_and_down"), iterations=st.integers(1, 300))
@example(issue("lands on the answer"), 20)
@example(issue("next to the answer"), 20)
def test_up_and_down_near_the_answer(chosen, iterations):
    check_claims(chosen, iterations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=critical_alphas(), iterations=st.integers(1, 300))
def test_gradient_descent_at_the_critical_alphas(chosen, iterations):
    check_claims(chosen, iterations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=in_the_app(), iterations=st.integers(1, 300))
def test_what_the_app_allows(chosen, iterations):
    check_claims(chosen, iterations)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=wide(), iterations=st.integers(1, 300))
@example(issue("tiny data and step"), 20)
@example(dataclasses.replace(issue("zig-zag 0.15"), data=1e-300), 20)
@example(issue("data 1e-300, up and down"), 20)
def test_any_settings(chosen, iterations):
    check_claims(chosen, iterations)

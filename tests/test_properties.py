"""Property tests over the whole range of doubles: every input gives a finite answer or a
clear ValueError, never another exception, never a warning (warnings are errors here)."""

from __future__ import annotations

import base64
import json
import math
import re
from decimal import Decimal

import numpy as np
import plotly.io
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tinynet
from dashboard import charts
from dashboard.link import python_code
from dashboard.views.classes import described
from tinynet.analysis import OUTCOMES, stability
from tinynet.explain import best_weight_help, forecast, worked_step
from tinynet.long_run import up_and_down_limit
from tinynet.number_words import exact_words, number_text, numbers_apart
from tinynet.presets import label
from tinynet.sweep import alpha_grid, sweep
from tinynet.verdicts import verdict

EDGES = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    1.0,
    1e300,
    1e308,
    1.7976931348623157e308,
]
anything = st.floats() | st.sampled_from(
    EDGES + [-edge for edge in EDGES] + [math.nan, math.inf, -math.inf]
)
finite = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    EDGES + [-edge for edge in EDGES]
)
counts = st.integers(-3, 60) | st.integers(10**6 + 1, 10**30) | st.sampled_from([0, -(10**30)])
methods = st.sampled_from(["up_and_down", "gradient_descent"]) | st.text(max_size=5)
junk = st.none() | st.text(max_size=5) | st.booleans() | st.just(1e400) | st.just(10**400)


def _all_finite(run: tinynet.Run) -> bool:
    arrays = (run.weights, run.predictions, run.errors, run.updates)
    return all(np.isfinite(values).all() for values in arrays) and math.isfinite(run.final_weight)


def _clear(error: ValueError) -> bool:
    message = str(error)
    return " must be " in message and len(message) < 400


def _settings(method, weight, data, target, iterations, step, alpha, exact):
    return st.fixed_dictionaries(
        {
            "method": method,
            "weight": weight,
            "data": data,
            "target": target,
            "iterations": iterations,
            "step": step,
            "alpha": alpha,
            "exact_derivative": exact,
        }
    )


def _case(method, weight, data, target, iterations, step, alpha, exact=False):
    return dict(
        zip(
            [
                "method",
                "weight",
                "data",
                "target",
                "iterations",
                "step",
                "alpha",
                "exact_derivative",
            ],
            [method, weight, data, target, iterations, step, alpha, exact],
            strict=True,
        )
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_settings(methods, anything, anything, anything, counts, anything, anything, st.booleans()))
@example(_case("gradient_descent", 0.5, 3.0, 4.0, tinynet.MAX_ITERATIONS, 0.05, 1e-9))
@example(_case("up_and_down", 1e308, 1e308, -1e308, 50, 1e308, 0.1))
@example(_case("gradient_descent", -0.0, 5e-324, 5e-324, 50, 0.05, 1e308, True))
def test_train_gives_a_finite_run_or_a_clear_value_error(settings_):
    try:
        run = tinynet.train(**settings_)
    except ValueError as error:
        assert _clear(error), error
        return
    assert _all_finite(run)
    assert len(run.weights) == settings_["iterations"] or run.diverged
    if len(run.weights) <= 100:
        assert not any("NaN" in line or "Infinity" in line for line in run.log_lines())


@given(
    setting=st.sampled_from(
        ["weight", "data", "target", "iterations", "step", "alpha", "exact_derivative"]
    ),
    value=junk,
)
def test_train_refuses_values_that_are_not_numbers(setting, value):
    good = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20, "step": 0.05, "alpha": 0.1}
    try:
        tinynet.train("gradient_descent", **{**good, setting: value})
    except ValueError as error:
        assert _clear(error)
    else:
        assert setting == "exact_derivative" and isinstance(value, bool)


@given(data=anything, alpha=anything, exact=st.booleans())
def test_stability_gives_an_outcome_or_a_clear_value_error(data, alpha, exact):
    try:
        analysis = stability(data, alpha, exact)
    except ValueError as error:
        assert _clear(error)
        return
    assert analysis.outcome in OUTCOMES and analysis.shrink >= 0
    for critical in (analysis.max_stable_alpha, analysis.one_step_alpha):
        assert critical is None or (critical >= 0 and not math.isnan(critical))


@given(weight=anything, data=anything, target=anything, step=anything)
def test_up_and_down_limit_is_finite_or_none_or_a_clear_value_error(weight, data, target, step):
    try:
        bounce = up_and_down_limit(weight, data, target, step)
    except ValueError as error:
        assert _clear(error)
        return
    if bounce is not None:
        assert all(map(math.isfinite, (bounce.low, bounce.high, bounce.error_floor)))
        assert bounce.reached_at >= 1


@settings(max_examples=200, deadline=None)
@given(
    alphas=st.lists(anything, max_size=6) | st.just([[0.1]]),
    weight=anything,
    data=anything,
    target=anything,
    iterations=st.integers(-2, 300) | st.integers(10**6 + 1, 10**20),
    exact=st.booleans(),
)
def test_sweep_gives_finite_outcomes_or_a_clear_value_error(
    alphas, weight, data, target, iterations, exact
):
    try:
        result = sweep(
            alphas,
            weight=weight,
            data=data,
            target=target,
            iterations=iterations,
            exact_derivative=exact,
        )
    except ValueError as error:
        assert _clear(error), error
        return
    diverged = result.diverged_at > 0
    assert np.isnan(result.final_errors[diverged]).all()
    assert np.isfinite(result.final_errors[~diverged]).all()
    assert (result.reached_at >= 0).all() and (result.reached_at <= iterations).all()


@given(data=finite, alpha=finite.filter(lambda alpha: alpha >= 0), exact=st.booleans())
def test_the_alpha_grid_is_always_a_valid_log_grid(data, alpha, exact):
    alphas = alpha_grid(data, alpha, exact, count=50)
    assert len(alphas) == 50 and np.isfinite(alphas).all() and (alphas > 0).all()
    assert (np.diff(alphas) > 0).all()


def _no_infinity(value: object) -> None:
    if isinstance(value, dict) and "bdata" in value:
        numbers = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        assert not np.isinf(numbers).any()
    elif isinstance(value, dict):
        for item in value.values():
            _no_infinity(item)
    elif isinstance(value, list):
        for item in value:
            _no_infinity(item)
    elif isinstance(value, float):
        assert math.isfinite(value)


def _finite_json(figure: object) -> None:
    """The figure is standard JSON with no infinite number anywhere (NaN gaps arrive as null)."""
    text = plotly.io.to_json(figure, validate=False)
    _no_infinity(json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the JSON")))


positive = finite.filter(lambda number: number > 0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    settings_=_settings(
        st.sampled_from(["up_and_down", "gradient_descent"]),
        finite,
        finite,
        finite,
        st.integers(1, 40),
        positive,
        positive | st.just(0.0),
        st.booleans(),
    ),
    at=st.integers(1, 40),
)
@example(_case("gradient_descent", 0.5, 3.0, 1e12, 10, 0.05, 1 / 9), 3)
@example(_case("up_and_down", 0.5, 5e-324, 1e6, 10, 1e-6, 0.1), 2)
def test_every_view_of_any_run_works(settings_, at):
    run = tinynet.train(**settings_)
    judgement, ahead = verdict(run), forecast(run.settings)
    assert judgement.outcome == ahead.outcome and judgement.outcome in OUTCOMES
    for text in (judgement.headline, judgement.reason, ahead.badge, ahead.sentence):
        assert not re.search(r"\b(nan|inf)\b", text), text
    _finite_json(charts.learning_figure([run], ["run"]))
    _finite_json(charts.learning_figure([run, run], ["run", "again"], clip=True))
    _finite_json(charts.error_curve_figure(run, at))
    if len(run.weights):
        latex = worked_step(run, min(at, len(run.weights)))
        assert not re.search(r"(?<![\\a-z])(nan|inf)\b", latex), latex
    assert label(run.settings).startswith(("up and down, step", "gradient descent, alpha"))
    compile(python_code(run.settings), "<the run's code>", "exec")
    run.to_csv()
    data, alpha, exact = settings_["data"], settings_["alpha"], settings_["exact_derivative"]
    grid = alpha_grid(data, alpha, exact, count=20)
    fixed = {key: settings_[key] for key in ("weight", "data", "target", "iterations")}
    result = sweep(grid, **fixed, exact_derivative=exact)
    _finite_json(charts.sweep_figure(result, alpha, stability(data, alpha, exact)))


@given(value=anything, digits=st.integers(1, 17))
def test_a_number_for_people_is_never_minus_zero_nor_nan_nor_inf(value, digits):
    text = number_text(value, digits)
    assert text != "-0" and not re.search(r"nan|inf", text)
    if math.isfinite(value) and value != 0:
        assert float(text) == float(f"{value:.{digits}g}")


@given(values=st.lists(anything, min_size=1, max_size=5), digits=st.integers(1, 6))
def test_numbers_apart_tell_different_values_apart(values, digits):
    texts = numbers_apart(*values, digits=digits)
    for first, first_text in zip(values, texts, strict=True):
        for second, second_text in zip(values, texts, strict=True):
            if first != second and not (math.isnan(first) and math.isnan(second)):
                assert first_text != second_text, (values, texts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    settings_=_settings(
        st.sampled_from(["up_and_down", "gradient_descent"]),
        finite,
        finite,
        finite,
        st.just(1),
        positive,
        positive | st.just(0.0),
        st.booleans(),
    )
)
@example(_case("up_and_down", 9.9792015476736e291, 0.0, 0.0, 1, 1.9958403095347196e292, 0.0))
@example(_case("gradient_descent", 0.5, 1e-160, 1e300, 1, 0.05, 1.0))
def test_the_fate_of_any_run_is_an_outcome(settings_):
    future = tinynet.fate(tinynet.Settings(**settings_))
    assert future.outcome in OUTCOMES
    assert future.at is None or future.at >= 1
    assert all(map(math.isfinite, future.cycle))


# Help texts and class questions: exact where they say so, every digit where it matters ------


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@settings(max_examples=400, deadline=None)
@given(value=finite)
@example(360287970189639700.0)
@example(1.3333333333333333)
@example(4.930380657631324e-30)
@example(5e-324)
def test_exactly_means_exactly(value):
    said = exact_words(value)
    printed = tinynet.js_number(value)
    if said.startswith("Exactly "):
        assert said == f"Exactly {printed}." and _decimal(printed) == Decimal(value), said
        return
    assert said.startswith(f"JavaScript prints it as {printed}; "), said
    exact = re.search(r"exactly, it is (\S+)\.$", said)
    if exact:
        assert Decimal(exact.group(1)) == Decimal(value) != _decimal(printed), said
        return
    begins = re.search(r"has (\d+) significant digits and begins (\S+)…", said)
    assert begins, said
    digits = format(Decimal(value), "e").partition("e")[0].replace("-", "").replace(".", "")
    assert int(begins.group(1)) == len(digits.rstrip("0"))
    assert digits.startswith(begins.group(2).replace("-", "").replace(".", ""))


@settings(max_examples=300, deadline=None)
@given(data=finite, target=finite)
@example(3.0, 4.0)
@example(0.1, 0.3)
def test_the_best_weights_help_says_whether_its_prediction_hits_the_target(data, target):
    chosen = tinynet.Settings("gradient_descent", 0.5, data, target, 1)
    said = best_weight_help(chosen)
    best = tinynet.best_weight(data, target)
    if best is None:
        assert "There is none here." in said
        return
    error = tinynet.squared_error(tinynet.predict(data, best), target)
    assert ("hits the target exactly" in said) == (error == 0), said
    assert said.endswith(exact_words(best)), said
    off = re.search(r"off the target by (\S+), an error of (.+?)\. ", said)
    if off and math.isfinite(error):
        assert float(off.group(2)) == float(number_text(error)), said
    elif off:
        assert off.group(2) == "too large for a 64-bit float", said


@settings(max_examples=300, deadline=None)
@given(
    settings_=_settings(
        st.sampled_from(["up_and_down", "gradient_descent"]),
        finite,
        finite,
        finite,
        st.integers(1, 10_000),
        positive,
        positive | st.just(0.0),
        st.booleans(),
    )
)
@example(_case("gradient_descent", 1.3333333333333333, 3.0, 4.0, 20, 0.05, 1.0))
@example(_case("gradient_descent", 1.3333, 3.0, 4.0, 20, 0.05, 1.0))
@example(_case("gradient_descent", 0.5, 3.0, 4.0, 20, 0.05, 0.2222222222222222))
@example(_case("gradient_descent", 0.5, 3.0, 4.0, 20, 0.05, 0.2222))
def test_a_class_question_carries_every_digit_of_its_set_up(settings_):
    chosen = tinynet.Settings(**settings_)
    said = described(chosen)
    number = r"(-?\d+(?:\.\d+)?(?:e-?\d+)?)"
    if chosen.method == "up_and_down":
        (step,) = re.findall(rf"a step of {number}\.", said)
        assert float(step) == chosen.step, said
    else:
        (alpha,) = re.findall(rf"with alpha {number}[ .]", said)
        assert float(alpha) == chosen.alpha, said
    found = re.search(rf"starts at {number}, with data {number} and target {number}, ", said)
    assert found, said
    weight, data, target = map(float, found.groups())
    assert (weight, data, target) == (chosen.weight, chosen.data, chosen.target), said

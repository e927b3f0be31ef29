"""Lesson 2's model, training, stability and data, each checked against gold: lesson 1's runs
bit for bit, numpy's least squares and eigenvalues, exact fractions, finite differences, and
runs played on either side of every closed-form limit."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinynet
from tinynet.analysis import OUTCOMES, TOLERANCE
from tinynet.line import (
    CITY,
    DIRECT_POINTS,
    LINE_PRESETS,
    MAX_LINE_ITERATIONS,
    PATIENTS,
    LineSettings,
    best_line,
    centre_and_scale,
    error_surface,
    excess_errors,
    fit_line,
    line_data,
    line_error,
    line_fate,
    line_gradient,
    line_stability,
    parse_points,
    read_table,
    train_line,
)

PATIENT_XS, PATIENT_YS = PATIENTS
sizes = st.floats(1e-3, 1e3)
values = st.sampled_from([0.0]) | sizes | sizes.map(lambda size: -size)
points = st.integers(2, 12).flatmap(
    lambda count: st.tuples(
        st.lists(values, min_size=count, max_size=count).filter(lambda xs: len(set(xs)) > 1),
        st.lists(values, min_size=count, max_size=count),
    )
)


def bits(value: object) -> bytes:
    return np.asarray(value, dtype=np.float64).tobytes()


def exact_error(xs, ys, weight, bias) -> Fraction:
    """The mean squared error in exact rational arithmetic: the gold standard."""
    total = sum(
        (Fraction(weight) * Fraction(x) + Fraction(bias) - Fraction(y)) ** 2
        for x, y in zip(xs, ys, strict=True)
    )
    return total / len(xs)


# Lesson 1, bit for bit ----------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.1, 1.0])
@pytest.mark.parametrize("exact", [False, True])
def test_the_articles_point_with_the_bias_frozen_at_0_is_lesson_1_bit_for_bit(alpha, exact):
    mine = fit_line(
        [3.0],
        [4.0],
        weight=0.5,
        bias=0.0,
        alpha=alpha,
        iterations=20,
        exact_derivative=exact,
        freeze_bias=True,
    )
    gold = tinynet.train(
        "gradient_descent",
        weight=0.5,
        data=3,
        target=4,
        iterations=20,
        alpha=alpha,
        exact_derivative=exact,
    )
    assert bits(mine.weights) == bits(gold.weights)
    assert bits(mine.errors) == bits(gold.errors)
    assert bits(mine.weight_steps) == bits(gold.updates)
    assert bits(mine.final_weight) == bits(gold.final_weight)
    assert mine.diverged == gold.diverged
    assert (mine.biases == 0).all() and (mine.bias_steps == 0).all()


def test_the_articles_run_with_alpha_reaches_error_0_at_iteration_17():
    run = fit_line([3], [4], weight=0.5, bias=0, alpha=0.1, iterations=20, freeze_bias=True)
    assert run.errors[16] == 0 and run.errors[15] > 0


@settings(max_examples=300, deadline=None)
@given(
    x=values | st.sampled_from([1e-100, 1e100, -1e100, 5.5e-100]),
    y=values | st.sampled_from([1e100, -1e100, 1e-100]),
    weight=st.floats(allow_nan=False, allow_infinity=False),
    alpha=st.floats(0, 10) | st.floats(0, 1e300) | st.sampled_from([0.0, 0.1, 1.0, 1e-300]),
    exact=st.booleans(),
    iterations=st.integers(1, 40),
)
def test_one_point_with_the_bias_frozen_at_0_is_lesson_1_bit_for_bit(
    x, y, weight, alpha, exact, iterations
):
    mine = fit_line(
        [x],
        [y],
        weight=weight,
        bias=0.0,
        alpha=alpha,
        iterations=iterations,
        exact_derivative=exact,
        freeze_bias=True,
    )
    gold = tinynet.train(
        "gradient_descent",
        weight=weight,
        data=x,
        target=y,
        iterations=iterations,
        alpha=alpha,
        exact_derivative=exact,
    )
    assert bits(mine.weights) == bits(gold.weights)
    assert bits(mine.errors) == bits(gold.errors)
    assert bits(mine.weight_steps) == bits(gold.updates)
    assert bits(mine.final_weight) == bits(gold.final_weight)
    assert mine.diverged == gold.diverged


# The methods --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=points, extra=st.integers(0, 5), momentum=st.sampled_from([0.0, 0.5]))
def test_a_batch_of_every_point_is_the_batch_run_bit_for_bit(data, extra, momentum):
    xs, ys = data
    chosen = {"weight": 0.5, "bias": -1.0, "alpha": 0.01, "iterations": 50, "momentum": momentum}
    batch = fit_line(xs, ys, **chosen)
    whole = fit_line(xs, ys, batch_size=len(xs) + extra, seed=7, **chosen)
    for name in ("weights", "biases", "errors", "batch_errors", "weight_steps", "bias_steps"):
        assert bits(getattr(batch, name)) == bits(getattr(whole, name))
    assert whole.method == "batch"


def test_each_epoch_visits_every_point_once_in_an_order_drawn_from_the_seed():
    # With alpha 0 the line stays at 0, so each step's own error is its point's y squared.
    ys = np.arange(1.0, 11.0)
    run = fit_line(ys, ys, weight=0, bias=0, alpha=0, iterations=30, batch_size=1, seed=3)
    visited = np.sqrt(run.batch_errors)
    for epoch in range(3):
        assert sorted(visited[10 * epoch : 10 * epoch + 10]) == ys.tolist()
    again = fit_line(ys, ys, weight=0, bias=0, alpha=0, iterations=30, batch_size=1, seed=3)
    other = fit_line(ys, ys, weight=0, bias=0, alpha=0, iterations=30, batch_size=1, seed=4)
    assert bits(again.batch_errors) == bits(run.batch_errors)
    assert bits(other.batch_errors) != bits(run.batch_errors)
    generator = np.random.default_rng(3)
    assert visited[:10].tolist() == ys[generator.permutation(10)].tolist()
    assert run.method == "stochastic"


def test_a_mini_batch_step_is_alpha_times_its_own_mean_gradient_and_its_last_batch_is_short():
    xs, ys = np.arange(1.0, 8.0), np.arange(1.0, 8.0) ** 2
    run = fit_line(xs, ys, weight=0.5, bias=1.0, alpha=0.01, iterations=4, batch_size=3, seed=1)
    order = np.random.default_rng(1).permutation(7)
    batches = [order[0:3], order[3:6], order[6:7]]
    weight, bias = 0.5, 1.0
    for index, batch in enumerate(batches):
        deltas = weight * xs[batch] + bias - ys[batch]
        assert run.batch_errors[index] == pytest.approx(np.mean(deltas**2), rel=1e-14)
        assert run.weight_steps[index] == pytest.approx(-0.01 * np.mean(deltas * xs[batch]))
        assert run.bias_steps[index] == pytest.approx(-0.01 * np.mean(deltas), rel=1e-14)
        full = line_gradient(run.data, weight, bias)
        assert (run.weight_gradients[index], run.bias_gradients[index]) == full
        weight, bias = weight + run.weight_steps[index], bias + run.bias_steps[index]
    assert run.method == "mini-batch"


def reference_steps(xs, ys, chosen, iterations, method):
    """Momentum and Adam written out afresh from their papers, on all the points."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    theta, first, second = np.array([chosen["weight"], chosen["bias"]]), np.zeros(2), np.zeros(2)
    path = []
    for t in range(1, iterations + 1):
        path.append(theta.copy())
        delta = theta[0] * xs + theta[1] - ys
        gradient = np.array([np.mean(delta * xs), np.mean(delta)])
        if method == "momentum":
            first = chosen["momentum"] * first + gradient
            theta = theta - chosen["alpha"] * first
        else:
            first = 0.9 * first + 0.1 * gradient
            second = 0.999 * second + 0.001 * gradient**2
            corrected = first / (1 - 0.9**t), second / (1 - 0.999**t)
            theta = theta - chosen["alpha"] * corrected[0] / (np.sqrt(corrected[1]) + 1e-8)
    return np.array(path)


@pytest.mark.parametrize("method", ["momentum", "adam"])
def test_momentum_and_adam_follow_their_papers(method):
    chosen = {"weight": 0.5, "bias": 0.0, "alpha": 0.02, "momentum": 0.9}
    method_settings = {"momentum": 0.9} if method == "momentum" else {"adam": True}
    run = fit_line(
        PATIENT_XS, PATIENT_YS, weight=0.5, bias=0.0, alpha=0.02, iterations=300, **method_settings
    )
    gold = reference_steps(PATIENT_XS, PATIENT_YS, chosen, 300, method)
    np.testing.assert_allclose(run.weights, gold[:, 0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.biases, gold[:, 1], rtol=1e-9, atol=1e-12)


def test_a_frozen_parameter_never_moves_but_its_gradient_is_still_shown():
    run = fit_line(
        PATIENT_XS, PATIENT_YS, weight=1, bias=3, alpha=0.05, iterations=50, freeze_weight=True
    )
    assert (run.weights == 1).all() and (run.weight_steps == 0).all()
    assert (run.weight_gradients != 0).any() and run.final_weight == 1
    both = fit_line(
        PATIENT_XS,
        PATIENT_YS,
        weight=1,
        bias=3,
        alpha=0.05,
        iterations=5,
        freeze_weight=True,
        freeze_bias=True,
    )
    assert (both.errors == both.errors[0]).all()


@settings(max_examples=40, deadline=None)
@given(data=points, alpha=st.floats(1e-4, 0.05), momentum=st.sampled_from([0.0, 0.9]))
def test_the_exact_derivative_is_the_half_gradient_with_twice_the_alpha_bit_for_bit(
    data, alpha, momentum
):
    xs, ys = data
    start = {"weight": 0.3, "bias": -0.2, "iterations": 40, "momentum": momentum}
    exact = fit_line(xs, ys, alpha=alpha, exact_derivative=True, **start)
    half = fit_line(xs, ys, alpha=2 * alpha, **start)
    assert bits(exact.weights) == bits(half.weights) and bits(exact.biases) == bits(half.biases)
    assert bits(exact.weight_gradients) == bits(2 * half.weight_gradients)


def test_an_overflow_stops_the_run_keeping_every_finite_iteration():
    run = fit_line(PATIENT_XS, PATIENT_YS, weight=0.5, bias=0, alpha=1.0, iterations=500)
    assert run.diverged and 1 < len(run.weights) < 500 and run.diverged_at == len(run.weights) + 1
    for name in ("weights", "biases", "errors", "weight_gradients", "weight_steps"):
        assert np.isfinite(getattr(run, name)).all()
    assert math.isfinite(run.final_weight) and math.isfinite(run.final_bias)
    at_once = fit_line([1e100, 5e99], [0, 1], weight=1e300, bias=0, alpha=1, iterations=5)
    assert at_once.diverged and len(at_once.weights) == 0 and at_once.diverged_at == 1


def test_a_run_is_read_only_and_its_csv_reads_back_exactly():
    run = fit_line(
        PATIENT_XS, PATIENT_YS, weight=0.5, bias=0, alpha=0.07, iterations=30, batch_size=3
    )
    with pytest.raises(ValueError, match="read-only"):
        run.weights[0] = 1.0
    with pytest.raises(AttributeError):
        run.diverged = True
    lines = run.to_csv().splitlines()
    assert lines[0].split(",")[:4] == ["iteration", "weights", "biases", "errors"]
    table = np.array([[float(cell) for cell in line.split(",")] for line in lines[1:]])
    assert bits(table[:, 3]) == bits(run.errors) and bits(table[:, 8]) == bits(run.bias_steps)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"xs": []}, "xs"),
        ({"xs": [1, float("nan")], "ys": [1, 2]}, "xs"),
        ({"ys": [1, float("inf")]}, "ys"),
        ({"ys": [1, 2, 3]}, "xs and ys"),
        ({"xs": ["1", "2"]}, "xs"),
        ({"xs": [1e200, 1]}, "xs"),
        ({"xs": np.zeros((2, 2))}, "xs"),
        ({"weight": math.nan}, "weight"),
        ({"bias": math.inf}, "bias"),
        ({"alpha": -0.1}, "alpha"),
        ({"iterations": 0}, "iterations"),
        ({"iterations": MAX_LINE_ITERATIONS + 1}, "iterations"),
        ({"iterations": 2.5}, "iterations"),
        ({"momentum": 1.0}, "momentum"),
        ({"momentum": -0.1}, "momentum"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": True}, "batch_size"),
        ({"seed": -1}, "seed"),
        ({"adam": True, "momentum": 0.5}, "momentum"),
        ({"adam": 1}, "adam"),
        ({"beta2": 1.0}, "beta2"),
        ({"epsilon": 0.0}, "epsilon"),
        ({"freeze_bias": "yes"}, "freeze_bias"),
    ],
)
def test_bad_arguments_raise_a_value_error_naming_the_argument(changes, named):
    chosen = {"xs": [1, 2], "ys": [1, 2], "weight": 0, "bias": 0, "alpha": 0.1, "iterations": 5}
    chosen |= changes
    with pytest.raises(ValueError, match=rf"^{named} must"):
        fit_line(chosen.pop("xs"), chosen.pop("ys"), **chosen)


def test_100000_points_and_1000_stochastic_steps_log_every_full_error():
    """The same run the benchmark times (``python -m benchmarks``): every iteration logs the
    full data's error, from the sums, as the direct mean would give it."""
    generator = np.random.default_rng(0)
    xs = generator.normal(5, 2, 100_000)
    ys = 1.3 * xs + 0.5 + generator.normal(0, 1, 100_000)
    run = fit_line(xs, ys, weight=0, bias=0, alpha=0.01, iterations=1000, batch_size=8)
    assert len(run.errors) == 1000 and not run.diverged
    last = float(np.mean((run.weights[-1] * xs + run.biases[-1] - ys) ** 2))
    assert run.errors[-1] == pytest.approx(last, rel=1e-12)


# The error and its surface ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=points, weight=st.floats(-10, 10), bias=st.floats(-10, 10))
def test_the_error_is_the_mean_squared_error_exactly_rounded_or_nearly(data, weight, bias):
    xs, ys = data
    gold = float(exact_error(xs, ys, weight, bias))
    assert line_error(line_data(xs, ys), weight, bias) == pytest.approx(gold, rel=1e-12, abs=1e-300)
    assert float(error_surface(line_data(xs, ys), weight, bias)) == pytest.approx(gold, rel=1e-9)


def test_above_direct_points_the_error_comes_from_the_sums_and_agrees():
    generator = np.random.default_rng(5)
    xs = generator.uniform(100, 120, DIRECT_POINTS + 1)
    ys = 2 * xs + 1 + generator.normal(0, 1, len(xs))
    small, large = line_data(xs[:DIRECT_POINTS], ys[:DIRECT_POINTS]), line_data(xs, ys)
    for data, count in ((small, DIRECT_POINTS), (large, DIRECT_POINTS + 1)):
        gold = float(exact_error(xs[:count], ys[:count], 1.9, 3.0))
        assert line_error(data, 1.9, 3.0) == pytest.approx(gold, rel=1e-12)


def test_near_the_best_line_the_excess_error_stays_accurate_where_raw_sums_cancel():
    noise = [0.3, -0.1, 0.2, -0.4, 0.1, 0.0, -0.2, 0.1]
    # x far from 0: the raw sums Σx², Σxy, Σy² are huge and nearly cancel near the best line.
    xs = [1000.0 + step for step in range(0, 16, 2)]
    ys = [2.5 * x + 40 + noise for x, noise in zip(xs, noise, strict=True)]
    data = line_data(xs, ys)
    minimum = exact_error(xs, ys, data.best_weight, data.best_bias)
    for nudge in (1e-9, 1e-7, 1e-5):
        weight, bias = data.best_weight + nudge, data.best_bias - 500 * nudge
        gold = exact_error(xs, ys, weight, bias) - minimum
        run = fit_line(xs, ys, weight=weight, bias=bias, alpha=0, iterations=1)
        assert float(excess_errors(run)[0]) == pytest.approx(float(gold), rel=1e-6)
        count = len(xs)
        raw = (  # the textbook expansion, for contrast: it cancels catastrophically
            weight**2 * sum(x * x for x in xs) / count
            + 2 * weight * bias * sum(xs) / count
            + bias**2
            - 2 * weight * sum(x * y for x, y in zip(xs, ys, strict=True)) / count
            - 2 * bias * sum(ys) / count
            + sum(y * y for y in ys) / count
        ) - float(minimum)
        if nudge == 1e-9:
            assert raw != pytest.approx(float(gold), rel=0.5)


def test_the_surface_is_a_grid_with_one_row_per_bias_at_a_cost_independent_of_n():
    data = line_data(PATIENT_XS, PATIENT_YS)
    weights, biases = np.linspace(0, 3, 7), np.linspace(-2, 2, 5)
    grid = error_surface(data, weights[None, :], biases[:, None])
    assert grid.shape == (5, 7)
    for row, bias in enumerate(biases):
        for column, weight in enumerate(weights):
            assert grid[row, column] == pytest.approx(line_error(data, weight, bias), rel=1e-12)
    assert grid.min() >= data.least_error


def test_the_slice_along_the_weight_is_lesson_1s_error_curve_with_its_tangent():
    data = line_data([3.0], [4.0])
    weights = np.linspace(-1, 3, 9)
    curve = error_surface(data, weights, 0.0)
    np.testing.assert_allclose(curve, (3 * weights - 4) ** 2, rtol=1e-13, atol=1e-13)
    for weight in (-0.5, 0.5, 2.0):
        slope = line_gradient(data, weight, 0.0, exact_derivative=True)[0]
        assert slope == tinynet.slope(3.0, weight, 4.0)


@settings(max_examples=60, deadline=None)
@given(data=points, weight=st.floats(-5, 5), bias=st.floats(-5, 5), exact=st.booleans())
def test_the_gradient_matches_finite_differences_of_the_error(data, weight, bias, exact):
    xs, ys = data
    line = line_data(xs, ys)
    step = 1e-3
    true = [
        (
            float(exact_error(xs, ys, weight + step, bias))
            - float(exact_error(xs, ys, weight - step, bias))
        )
        / (2 * step),
        (
            float(exact_error(xs, ys, weight, bias + step))
            - float(exact_error(xs, ys, weight, bias - step))
        )
        / (2 * step),
    ]  # central differences are exact for a quadratic, up to rounding
    half = 1 if exact else 0.5
    scale = 1e-9 * (1 + max(abs(each) for each in true)) * (1 + max(map(abs, xs))) ** 2
    for mine, gold in zip(line_gradient(line, weight, bias, exact), true, strict=True):
        assert mine == pytest.approx(half * gold, abs=scale)


# The best line -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=points)
def test_the_best_line_is_numpys_least_squares(data):
    xs, ys = data
    line = line_data(xs, ys)
    gold, *_ = np.linalg.lstsq(np.column_stack([xs, np.ones(len(xs))]), ys, rcond=None)
    best = best_line(line)
    scale = 1e-9 * (1 + np.abs(gold).max())
    assert best.weight == pytest.approx(gold[0], abs=scale)
    assert best.bias == pytest.approx(gold[1], abs=scale * (1 + max(map(abs, xs))))
    least = float(exact_error(xs, ys, best.weight, best.bias))
    assert best.error == pytest.approx(least, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(data=points, held=st.floats(-5, 5))
def test_with_one_parameter_held_the_best_line_zeroes_the_other_ones_slope(data, held):
    xs, ys = data
    line = line_data(xs, ys)
    bias_held = best_line(line, bias=held)
    assume(bias_held is not None)
    assert bias_held.bias == held
    slope = line_gradient(line, bias_held.weight, held)[0]
    assert slope == pytest.approx(0, abs=1e-9 * (1 + np.mean(np.square(xs))) * (1 + abs(held)))
    weight_held = best_line(line, weight=held)
    assert weight_held.bias == pytest.approx(np.mean(np.array(ys) - held * np.array(xs)))
    for reach in (bias_held, weight_held):
        assert reach.error >= line.least_error * (1 - 1e-12)


def test_with_every_x_the_same_no_single_line_is_best():
    data = line_data([2.0, 2.0, 2.0], [1.0, 2.0, 6.0])
    assert best_line(data) is None and data.spread == 0
    assert data.least_error == pytest.approx(np.var([1.0, 2.0, 6.0]))
    assert best_line(line_data([0.0, 0.0], [1.0, 3.0]), bias=1.0) is None


# Stability ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(xs=points.map(lambda pair: pair[0]), exact=st.booleans())
def test_the_eigenvalues_are_numpys_and_the_hessian_is_the_errors(xs, exact):
    analysis = line_stability(xs, 0.01, exact_derivative=exact)
    total, count = np.array(xs), len(xs)
    hessian = 2 / count * np.array([[np.sum(total**2), np.sum(total)], [np.sum(total), count]])
    np.testing.assert_allclose(analysis.hessian, hessian, rtol=1e-12)
    used = hessian if exact else hessian / 2
    gold = np.linalg.eigvalsh(used)
    low, high = analysis.eigenvalues
    assert low <= high and high == pytest.approx(gold[1], rel=1e-12)
    assert low == pytest.approx(gold[0], abs=1e-12 * gold[1])
    assert low * high == pytest.approx(np.linalg.det(used), rel=1e-6, abs=1e-12 * gold[1] ** 2)
    assert analysis.condition == pytest.approx(high / low)
    assert analysis.max_stable_alpha == pytest.approx(2 / high)
    assert analysis.best_alpha == pytest.approx(2 / (low + high))
    kappa = high / low
    assert analysis.rate == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-12)
    assert analysis.momentum_rate == pytest.approx(math.sqrt(analysis.best_momentum), abs=1e-12)


def test_the_hessian_is_the_second_difference_of_the_surface():
    data = line_data(PATIENT_XS, PATIENT_YS)
    step = 1e-2

    def error(weight, bias):
        return float(error_surface(data, weight, bias))

    by_weight = (error(1 + step, 0) - 2 * error(1, 0) + error(1 - step, 0)) / step**2
    across = (
        error(1 + step, step)
        - error(1 + step, -step)
        - error(1 - step, step)
        + error(1 - step, -step)
    ) / (4 * step**2)
    hessian = line_stability(PATIENT_XS, 0.01).hessian
    assert by_weight == pytest.approx(hessian[0][0], rel=1e-6)
    assert across == pytest.approx(hessian[0][1], rel=1e-6)


def gaps_after(xs, ys, iterations, **chosen):
    run = fit_line(xs, ys, iterations=iterations, **chosen)
    return run, excess_errors(run)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("points_set", [PATIENTS, CITY])
def test_just_inside_the_limit_converges_and_just_outside_diverges(momentum, points_set):
    xs, ys = points_set
    limit = line_stability(xs, 0.1, momentum=momentum).max_stable_alpha
    start = {"weight": 0.5, "bias": 0.0, "momentum": momentum}
    _, inside = gaps_after(xs, ys, 20_000, alpha=limit * 0.999, **start)
    _, outside = gaps_after(xs, ys, 20_000, alpha=limit * 1.001, **start)
    assert inside[-1] < 1e-3 * inside[0] and outside[-1] > 1e6 * outside[0]
    assert gaps_after(xs, ys, 20_000, alpha=limit * 1.01, **start)[0].diverged


def test_the_trap_converges_with_the_bias_frozen_and_diverges_once_both_move():
    analysis = line_stability(PATIENT_XS, 0.078)
    assert analysis.trap and analysis.outcome == "diverges"
    assert analysis.max_stable_alpha < 0.078 < analysis.weight_only_alpha
    frozen = line_stability(PATIENT_XS, 0.078, freeze_bias=True)
    assert frozen.outcome == "converges"
    assert frozen.max_stable_alpha == analysis.weight_only_alpha
    start = {"weight": 0.5, "bias": 0.0, "alpha": 0.078, "iterations": 20_000}
    _, alone = gaps_after(PATIENT_XS, PATIENT_YS, freeze_bias=True, **start)
    both, _ = gaps_after(PATIENT_XS, PATIENT_YS, **start)
    assert alone[-1] <= TOLERANCE and both.diverged
    assert not line_stability(PATIENT_XS, 0.07).trap and not line_stability(PATIENT_XS, 0.08).trap


def measured_rate(gaps, stretch=200):
    """The share of the distance one step keeps, read from the gap's decay at the end."""
    late = gaps[-stretch:]
    return (late[-1] / late[0]) ** (1 / (2 * (stretch - 1)))


def test_the_best_alpha_keeps_kappa_minus_1_over_kappa_plus_1_per_step():
    analysis = line_stability(PATIENT_XS, 0.01)
    _, gaps = gaps_after(PATIENT_XS, PATIENT_YS, 800, weight=0.5, bias=0, alpha=analysis.best_alpha)
    assert measured_rate(gaps) == pytest.approx(analysis.rate, rel=2e-3)


def test_the_best_momentum_keeps_root_beta_per_step_not_twice_that():
    analysis = line_stability(PATIENT_XS, 0.01)
    _, gaps = gaps_after(
        PATIENT_XS,
        PATIENT_YS,
        120,
        weight=0.5,
        bias=0,
        alpha=analysis.momentum_alpha,
        momentum=analysis.best_momentum,
    )
    rate = measured_rate(gaps[:100], stretch=80)
    assert rate == pytest.approx(math.sqrt(analysis.best_momentum), rel=0.05)
    assert rate != pytest.approx(2 * math.sqrt(analysis.best_momentum), rel=0.3)
    assert analysis.momentum_rate < analysis.rate  # momentum beats the best plain alpha


@settings(max_examples=40, deadline=None)
@given(share=st.floats(0.02, 1.95), momentum=st.sampled_from([0.0, 0.3, 0.8]))
def test_the_contraction_is_the_decay_a_run_shows(share, momentum):
    analysis = line_stability(PATIENT_XS, 0.01, momentum=momentum)
    alpha = share * analysis.max_stable_alpha / 2  # alpha·λmax = share·(1 + momentum)
    analysis = line_stability(PATIENT_XS, alpha, momentum=momentum)
    assume(0.5 < analysis.contraction < 0.995)
    _, gaps = gaps_after(
        PATIENT_XS, PATIENT_YS, 1500, weight=0.5, bias=0, alpha=alpha, momentum=momentum
    )
    assume(gaps[-1] > 1e-24)
    assert measured_rate(gaps, 300) == pytest.approx(analysis.contraction, rel=0.02)


def test_the_outcome_on_paper_and_when_there_is_none():
    assert line_stability(PATIENT_XS, 0.05).outcome == "converges"
    assert line_stability(PATIENT_XS, 0.1).outcome == "diverges"
    assert line_stability(PATIENT_XS, 0).outcome == "stalls"
    assert (
        line_stability(PATIENT_XS, 0.05, freeze_weight=True, freeze_bias=True).outcome == "stalls"
    )
    assert line_stability(PATIENT_XS, 2.0, freeze_weight=True).outcome == "bounces"
    assert line_stability(PATIENT_XS, 0.05, batch_size=2).outcome is None
    assert line_stability(PATIENT_XS, 0.05, adam=True).outcome is None
    assert line_stability(PATIENT_XS, 0.05, batch_size=8).outcome == "converges"
    for alpha in (0, 0.01, 0.1):
        assert line_stability(PATIENT_XS, alpha).outcome in OUTCOMES


def test_every_x_the_same_makes_the_condition_infinite_yet_the_error_converges():
    analysis = line_stability([2.0, 2.0], 0.1)
    assert analysis.condition == math.inf and analysis.eigenvalues[0] == 0
    assert analysis.curvatures == (5.0,) and analysis.outcome == "converges"
    _, gaps = gaps_after([2.0, 2.0], [1.0, 3.0], 200, weight=0, bias=0, alpha=0.1)
    assert gaps[-1] <= TOLERANCE


def test_large_uncentred_x_makes_kappa_thousands_and_centring_makes_it_1():
    assert 1000 < line_stability(CITY[0], 0.001).condition < 10_000
    scaled = centre_and_scale(CITY[0])
    assert line_stability(scaled, 0.5).condition == pytest.approx(1)
    assert np.mean(scaled) == pytest.approx(0, abs=1e-15)
    assert np.mean(scaled**2) == pytest.approx(1)
    with pytest.raises(ValueError, match=r"^xs must"):
        centre_and_scale([3.0, 3.0])


# Data ---------------------------------------------------------------------------------------


def test_the_default_points_tell_the_articles_story():
    xs, ys = PATIENTS
    assert len(xs) == 8 and (3, 4) in zip(xs, ys, strict=True)
    best = best_line(line_data(xs, ys))
    assert 1.2 < best.weight < 1.5 and 0 < best.bias < 1  # near 4/3, with a small bias


def test_each_preset_does_what_it_says():
    keys = [preset.key for preset in LINE_PRESETS]
    assert len(set(keys)) == len(keys) and "uncentred" in keys and "centred" in keys
    for preset in LINE_PRESETS:
        data = line_data(preset.xs, preset.ys)
        assert line_fate(data, preset.settings).outcome == preset.outcome, preset.key
        assert preset.outcome in OUTCOMES and preset.title and preset.lesson


@pytest.mark.parametrize(
    "text",
    [
        "x,y\n1,2\n3,4\n",
        "1,2\n3,4\n",
        "\ufeffX ; Y\n1;2\n\n3;4\n",
        "today\ttomorrow\n1\t2\n3\t4\n",
        "name,y,x\na,2,1\nb,4,3\n",
    ],
)
def test_points_are_read_from_csv_with_or_without_a_header(text):
    data = parse_points(text)
    assert data.xs.tolist() == [1, 3] and data.ys.tolist() == [2, 4]
    for encoding in ("utf-8", "utf-16", "latin-1"):
        assert parse_points(text.lstrip("\ufeff").encode(encoding)).xs.tolist() == [1, 3]


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("x,y\n1,2\n3,abc\n", "Row 3 has 'abc' as y, which is not a number."),
        ("x;y\n1,5;2\n3;4\n", "Row 2 has '1,5' as x: write decimals with a point, as 1.5."),
        ("x,y\n1,nan\n3,4\n", "Row 2 has NaN as y"),
        ("x,y\n1,2\n-inf,4\n", "Row 3 has an infinite x"),
        (
            "x,y\n1,2\n1e200,4\n",
            "Row 3 has '1e200' as x: numbers must be 0 or from 1e-100 to 1e100",
        ),
        ("", "The file is empty"),
        ("  \n\n", "The file is empty"),
        ("x,y\n", "There are no points"),
        ("x,z,w\n1,2,3\n", "The header has no column named y"),
        ("x,y\n1,2\n3\n", "Row 3 has no y"),
        ("1\n2\n", "Row 1 has one column"),
        ("x,y\n1,2\n1,4\n", "Every point has the same x, 1"),
        ("x,y\n1,2\n", "Every point has the same x"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is not a text file"),
        ("x,y\n" + "1,2\n" * 100_001, "The file has more than 100,000 points"),
        ("x,y\n" + "1" * 5_000_001, "The file is larger than 5 MB"),
    ],
)
def test_bad_files_get_one_clear_sentence(source, says):
    with pytest.raises(ValueError) as raised:
        parse_points(source)
    message = str(raised.value)
    assert message.startswith(says), message
    assert message.endswith(".") and message.count(". ") == 0 and len(message) < 150, message


def test_100000_rows_are_read():
    text = "x,y\n" + "".join(f"{index},{2 * index + 1}\n" for index in range(100_000))
    data = parse_points(text)
    assert data.count == 100_000 and data.best_weight == pytest.approx(2)


def test_a_typed_table_skips_empty_rows_and_names_the_bad_cell():
    data = read_table([1, None, "3", 5.0], [2, None, 4, "6"])
    assert data.xs.tolist() == [1, 3, 5] and data.ys.tolist() == [2, 4, 6]
    with pytest.raises(ValueError, match=r"^Row 2 has no y: each row"):
        read_table([1, 2], [1, None])
    with pytest.raises(ValueError, match=r"^Row 1 has no x"):
        read_table([math.nan, 2], [1, 2])
    assert read_table([1, math.nan, 2], [3, math.nan, 4]).count == 2  # an editor's empty row
    with pytest.raises(ValueError, match=r"^Row 2 has True as y"):
        read_table([1, 2], [1, True])


def test_fit_line_accepts_numpy_arrays_and_tuples_alike():
    first = fit_line(np.array(PATIENT_XS), PATIENT_YS, weight=0.5, bias=0, alpha=0.05, iterations=9)
    second = fit_line(
        list(PATIENT_XS),
        np.array(PATIENT_YS, dtype=np.int64),
        weight=0.5,
        bias=0,
        alpha=0.05,
        iterations=9,
    )
    assert bits(first.errors) == bits(second.errors)
    settings_run = train_line(line_data(PATIENT_XS, PATIENT_YS), LineSettings(0.5, 0.0, 0.05, 9))
    assert bits(settings_run.weights) == bits(first.weights)

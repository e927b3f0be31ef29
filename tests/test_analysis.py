"""The stability analysis and the up-and-down limit, checked against simulated runs."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import stability, up_and_down_limit, verdict
from tinynet.analysis import REGIMES
from tinynet.presets import PRESETS

OUTCOME_OF = {"converged": "converges", "bouncing": "bounces", "diverged": "diverges"}


def test_the_articles_alphas():
    with_alpha = stability(3, 0.1)
    assert with_alpha.factor == pytest.approx(0.1)
    assert with_alpha.regime == "converges"
    assert with_alpha.max_stable_alpha == 2 / 9
    assert with_alpha.one_step_alpha == 1 / 9
    without_alpha = stability(3, 1)
    assert without_alpha.factor == -8
    assert without_alpha.regime == "diverges"


def test_the_exact_derivative_halves_the_critical_alphas():
    exact = stability(3, 0.1, exact_derivative=True)
    assert exact.factor == pytest.approx(1 - 2 * 0.1 * 9)
    assert exact.regime == "oscillates_converges"
    assert exact.max_stable_alpha == 1 / 9
    assert exact.one_step_alpha == 1 / 18


@pytest.mark.parametrize(
    ("data", "alpha", "regime"),
    [
        (0, 0.5, "stalls"),
        (3, 0, "stalls"),
        (2, 0.125, "converges"),
        (2, 0.25, "one_step"),
        (2, 0.375, "oscillates_converges"),
        (2, 0.5, "oscillates_forever"),
        (2, 0.625, "diverges"),
        (-2, 0.625, "diverges"),
        (1e200, 1.0, "diverges"),
    ],
)
def test_each_regime(data, alpha, regime):
    assert stability(data, alpha).regime == regime


def test_data_zero_has_no_critical_alpha():
    flat = stability(0, 0.1)
    assert flat.factor == 1 and flat.max_stable_alpha is None and flat.one_step_alpha is None


@pytest.mark.parametrize(("data", "alpha"), [(math.nan, 0.1), (3, -1), (3, math.inf)])
def test_stability_rejects_bad_settings(data, alpha):
    with pytest.raises(ValueError, match="must be a finite number"):
        stability(data, alpha)


def _distances(run: tinynet.Run) -> np.ndarray:
    best = run.settings.target / run.settings.data
    return np.append(run.weights, run.final_weight) - best


@settings(max_examples=300, deadline=None)
@given(
    data=st.floats(0.1, 10) | st.floats(-10, -0.1),
    factor=st.floats(-1.8, 0.98),
    weight=st.floats(-10, 10),
    target=st.floats(-10, 10),
    exact=st.booleans(),
)
def test_the_regime_and_factor_match_a_simulated_run(data, factor, weight, target, exact):
    curvature = (2 if exact else 1) * data * data
    alpha = (1 - factor) / curvature
    analysis = stability(data, alpha, exact)
    assume(min(abs(analysis.factor - edge) for edge in (-1, 0, 1)) > 1e-3)
    best = target / data
    assume(abs(weight - best) > 1e-3 * max(1, abs(best)))
    run = tinynet.train(
        "gradient_descent",
        weight=weight,
        data=data,
        target=target,
        iterations=40,
        alpha=alpha,
        exact_derivative=exact,
    )
    distance = _distances(run)
    # While the distance is far above rounding noise it scales by the factor each step.
    clear = np.abs(distance) > 1e-6 * max(1, abs(best))
    steps = np.flatnonzero(clear[:-1] & clear[1:])[:10]
    assert steps.size
    assert distance[steps + 1] / distance[steps] == pytest.approx(
        analysis.factor, rel=1e-6, abs=1e-9
    )
    first, last = abs(distance[0]), abs(distance[-1])
    if analysis.regime == "diverges":
        assert run.diverged or last > first
    else:
        assert analysis.regime in ("converges", "oscillates_converges")
        assert not run.diverged and last < first
    flips = np.sign(distance[steps + 1]) != np.sign(distance[steps])
    assert flips.all() if analysis.factor < 0 else not flips.any()


def test_the_one_step_alpha_lands_on_the_answer():
    analysis = stability(2, 0.1)
    run = tinynet.train(
        "gradient_descent",
        weight=0.5,
        data=2,
        target=3,
        iterations=2,
        alpha=analysis.one_step_alpha,
    )
    assert run.weights[1] == 1.5 and run.errors[1] == 0


def test_alpha_at_the_limit_bounces_for_ever():
    run = tinynet.train("gradient_descent", weight=0.5, data=2, target=3, iterations=40, alpha=0.5)
    assert stability(2, 0.5).regime == "oscillates_forever"
    assert np.allclose(np.abs(_distances(run)), 1.0)


def test_the_articles_up_and_down_ends_between_1_3_and_1_35():
    bounce = up_and_down_limit(0.5, 3, 4, 0.05)
    assert bounce.low == pytest.approx(1.3)
    assert bounce.high == pytest.approx(1.35)
    assert bounce.error_floor == pytest.approx(0.0025)
    assert bounce.reached_at == 17
    run = tinynet.train("up_and_down", weight=0.5, data=3, target=4, iterations=20)
    assert run.weights[16] == pytest.approx(bounce.low)


@settings(max_examples=300, deadline=None)
@given(
    weight=st.floats(-5, 5),
    data=st.floats(0.2, 5) | st.floats(-5, -0.2),
    target=st.floats(-5, 5),
    step=st.floats(0.01, 1),
)
def test_up_and_down_limit_matches_the_run(weight, data, target, step):
    best = target / data
    remainder = (abs(best - weight) / step) % 1
    assume(1e-6 < remainder < 1 - 1e-6)  # not balanced on a knife edge of rounding
    bounce = up_and_down_limit(weight, data, target, step)
    run = tinynet.train(
        "up_and_down",
        weight=weight,
        data=data,
        target=target,
        iterations=bounce.reached_at + 8,
        step=step,
    )
    tolerance = 1e-9 * (abs(weight) + abs(best) + 1)
    low, high = sorted(run.weights[-2:].tolist())
    assert low == pytest.approx(bounce.low, abs=tolerance)
    assert high == pytest.approx(bounce.high, abs=tolerance)
    assert min(run.errors[-2:]) == pytest.approx(bounce.error_floor, abs=1e-7)
    on_pair = np.isclose(run.weights, bounce.low, atol=tolerance, rtol=0) | np.isclose(
        run.weights, bounce.high, atol=tolerance, rtol=0
    )
    assert int(run.iterations[on_pair][0]) == bounce.reached_at


def test_up_and_down_with_data_zero_has_no_limit():
    assert up_and_down_limit(0.5, 0, 4, 0.05) is None


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.key)
def test_each_preset_does_what_its_lesson_says(preset):
    run = tinynet.train(**dataclasses.asdict(preset.settings))
    assert OUTCOME_OF[verdict(run).kind] == preset.outcome


def test_verdicts_name_the_iteration_of_divergence_and_the_remaining_work():
    exploded = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=400, alpha=1)
    )
    assert exploded.kind == "diverged" and exploded.headline == "Diverged at iteration 172"
    exploding = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=1)
    )
    assert (
        exploding.kind == "diverged"
        and "about 152 more iterations would overflow" in exploding.reason
    )
    slow = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=0.01)
    )
    assert slow.kind == "still_moving" and "113 more iterations" in slow.reason
    early = verdict(tinynet.train("up_and_down", weight=0.5, data=3, target=4, iterations=10))
    assert early.kind == "still_moving" and "iteration 17" in early.reason
    assert (
        verdict(tinynet.train("gradient_descent", weight=0.5, data=0, target=4, iterations=5)).kind
        == "stalled"
    )
    assert (
        verdict(tinynet.train("up_and_down", weight=0.5, data=0, target=4, iterations=5)).kind
        == "stalled"
    )
    edge = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=2, target=3, iterations=9, alpha=0.5)
    )
    assert edge.kind == "bouncing"


def test_every_regime_is_named():
    assert set(REGIMES) == {
        stability(*case).regime
        for case in [(0, 1), (2, 0.125), (2, 0.25), (2, 0.375), (2, 0.5), (2, 1)]
    }

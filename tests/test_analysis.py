"""The stability analysis and the up-and-down limit, checked against simulated runs."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import stability, up_and_down_limit, verdict
from tinynet.analysis import OUTCOMES
from tinynet.presets import PRESETS


def test_the_articles_alphas():
    with_alpha = stability(3, 0.1)
    assert with_alpha.factor == pytest.approx(0.1) and with_alpha.shrink == 0.9
    assert with_alpha.outcome == "converges"
    assert with_alpha.max_stable_alpha == 2 / 9
    assert with_alpha.one_step_alpha == 1 / 9
    without_alpha = stability(3, 1)
    assert without_alpha.factor == -8
    assert without_alpha.outcome == "diverges"


def test_the_exact_derivative_halves_the_critical_alphas():
    exact = stability(3, 0.1, exact_derivative=True)
    assert exact.factor == pytest.approx(1 - 2 * 0.1 * 9)
    assert exact.outcome == "converges" and exact.factor < 0
    assert exact.max_stable_alpha == 1 / 9
    assert exact.one_step_alpha == 1 / 18


@pytest.mark.parametrize(
    ("data", "alpha", "outcome", "factor"),
    [
        (0, 0.5, "stalls", 1),
        (3, 0, "stalls", 1),
        (2, 0.125, "converges", 0.5),
        (2, 0.25, "converges", 0),
        (2, 0.375, "converges", -0.5),
        (2, 0.5, "bounces", -1),
        (2, 0.625, "diverges", -1.5),
        (-2, 0.625, "diverges", -1.5),
        (1e200, 1.0, "diverges", -math.inf),
    ],
)
def test_each_outcome_of_the_factor(data, alpha, outcome, factor):
    analysis = stability(data, alpha)
    assert (analysis.outcome, analysis.factor) == (outcome, factor)


def test_a_factor_a_hair_below_1_still_converges_and_keeps_its_shrink():
    # 1 - 1e-17 rounds to 1.0, but the step still shrinks the distance by 1e-17 of it.
    tiny = stability(1.0, 1e-17)
    assert tiny.factor == 1.0 and tiny.shrink == 1e-17 and tiny.outcome == "converges"


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
    if analysis.outcome == "diverges":
        assert run.diverged or last > first
    else:
        assert analysis.outcome == "converges"
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
    assert stability(2, 0.5).outcome == "bounces"
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
def test_up_and_down_limit_is_the_runs_own_last_hop(weight, data, target, step):
    bounce = up_and_down_limit(weight, data, target, step)
    assume(bounce is not None)  # a hop that misses the answer is a stall, checked elsewhere
    run = tinynet.train(
        "up_and_down",
        weight=weight,
        data=data,
        target=target,
        iterations=bounce.reached_at + 8,
        step=step,
    )
    assert sorted(run.weights[-2:].tolist()) == [bounce.low, bounce.high]
    assert min(run.errors[-2:]) == bounce.error_floor
    on_pair = np.isin(run.weights, [bounce.low, bounce.high])
    assert on_pair[bounce.reached_at - 1 :].all()
    assert bounce.reached_at == 1 or not on_pair[bounce.reached_at - 2]


def test_up_and_down_limit_counts_the_walk_where_rounding_matters():
    # Landing exactly on the answer at -0.7, then one step off and back (issue 11).
    bounce = up_and_down_limit(0.5, 10, -7, 0.1)
    assert (bounce.low, bounce.high, bounce.error_floor) == (-0.7999999999999999, -0.7, 0)
    assert bounce.reached_at == 13


def test_up_and_down_with_data_zero_has_no_limit():
    assert up_and_down_limit(0.5, 0, 4, 0.05) is None


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.key)
def test_each_preset_does_what_its_lesson_says(preset):
    run = tinynet.train(preset.settings)
    assert verdict(run).outcome == preset.outcome


def test_verdicts_name_the_iteration_of_divergence_and_the_remaining_work():
    exploded = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=400, alpha=1)
    )
    assert (exploded.outcome, exploded.settled) == ("diverges", True)
    assert exploded.headline == "Diverged at iteration 172"
    exploding = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=1)
    )
    assert (exploding.outcome, exploding.settled) == ("diverges", False)
    assert "about 152 more iterations would overflow" in exploding.reason
    slow = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=0.01)
    )
    assert (slow.outcome, slow.settled) == ("converges", False)
    assert "113 more iterations" in slow.reason
    early = verdict(tinynet.train("up_and_down", weight=0.5, data=3, target=4, iterations=10))
    assert (early.outcome, early.settled) == ("bounces", False)
    assert "from iteration 17" in early.reason
    for method in tinynet.METHODS:
        flat = verdict(tinynet.train(method, weight=0.5, data=0, target=4, iterations=5))
        assert (flat.outcome, flat.settled) == ("stalls", True)
    edge = verdict(
        tinynet.train("gradient_descent", weight=0.5, data=2, target=3, iterations=9, alpha=0.5)
    )
    assert (edge.outcome, edge.settled) == ("bounces", True)
    assert "between 0.5 and 2.5" in edge.reason


def test_every_outcome_is_one_of_the_vocabulary():
    assert OUTCOMES == ("converges", "bounces", "diverges", "stalls")
    assert {preset.outcome for preset in PRESETS} <= set(OUTCOMES)
    assert {stability(*case).outcome for case in [(0, 1), (2, 0.125), (2, 0.5), (2, 1)]} == set(
        OUTCOMES
    )

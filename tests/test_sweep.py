"""The vectorised alpha sweep gives, for each alpha, exactly what train() gives."""

import math

import numpy as np
import pytest

import tinynet
from tinynet.analysis import TOLERANCE, stability
from tinynet.sweep import alpha_grid, sweep


def _single_runs(alphas, **settings):
    return [tinynet.train("gradient_descent", alpha=float(alpha), **settings) for alpha in alphas]


@pytest.mark.parametrize(
    "settings",
    [
        {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20},
        {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 700},
        {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 300, "exact_derivative": True},
        {"weight": -2.0, "data": 0.001, "target": 1e6, "iterations": 400},
        {"weight": 1e140, "data": 3.0, "target": 4.0, "iterations": 150},
        {"weight": 0.5, "data": -7.0, "target": 0.0, "iterations": 1},
    ],
)
def test_each_alpha_matches_its_own_run_bit_for_bit(settings):
    alphas = alpha_grid(settings["data"], 0.1, settings.get("exact_derivative", False), count=120)
    result = sweep(alphas, **settings)
    for alpha, run, error, diverged_at, reached_at in zip(
        alphas,
        _single_runs(alphas, **settings),
        result.final_errors,
        result.diverged_at,
        result.reached_at,
        strict=True,
    ):
        if run.diverged:
            assert math.isnan(error) and diverged_at == run.diverged_at, alpha
        else:
            assert error == run.errors[-1] and diverged_at == 0, alpha
        close = np.flatnonzero(run.errors <= TOLERANCE)
        assert reached_at == (close[0] + 1 if close.size else 0), alpha


def test_the_grid_spans_every_outcome_and_the_chosen_alpha():
    alphas = alpha_grid(3.0, 0.1)
    assert len(alphas) == 300 and np.all(np.diff(alphas) > 0)
    factors = [stability(3.0, float(alpha)).factor for alpha in alphas]
    assert min(factors) < -1 < max(factors) and any(-1 < factor < 0 for factor in factors)
    assert {stability(3.0, float(alpha)).outcome for alpha in alphas} >= {"converges", "diverges"}
    assert alpha_grid(3.0, 50.0)[-1] >= 50.0
    assert alpha_grid(3.0, 1e-9)[0] <= 1e-9


def test_a_sweep_of_the_article_shows_slow_fast_and_exploding_alphas():
    result = sweep(alpha_grid(3.0, 0.1), weight=0.5, data=3.0, target=4.0, iterations=20)
    assert result.iterations == 20 and result.tolerance == TOLERANCE
    slow, fast = result.final_errors[0], np.nanmin(result.final_errors)
    assert slow > 1 and fast == 0
    assert result.reached_at.max() <= 20 and result.reached_at.min() == 0
    fastest = np.where(result.reached_at > 0, result.reached_at, np.iinfo(np.int64).max).argmin()
    assert result.alphas[fastest] == pytest.approx(1 / 9, rel=0.05)  # the one-step alpha


@pytest.mark.parametrize("alphas", [[0.1, -0.1], [0.1, math.nan], [[0.1]], [math.inf]])
def test_bad_alphas_are_refused(alphas):
    with pytest.raises(ValueError, match="alphas must be"):
        sweep(alphas, weight=0.5, data=3.0, target=4.0, iterations=20)


def test_bad_settings_are_refused_as_train_refuses_them():
    with pytest.raises(ValueError, match="iterations must be a whole number"):
        sweep([0.1], weight=0.5, data=3.0, target=4.0, iterations=0)
    with pytest.raises(ValueError, match="tolerance must be"):
        sweep([0.1], weight=0.5, data=3.0, target=4.0, iterations=5, tolerance=-1)

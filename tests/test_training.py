"""train() against the article's logs, the article's JavaScript, and the update rules."""

import csv
import dataclasses
import io
import math

import numpy as np
import pytest

import tinynet
from tinynet import js_number

ARTICLE = {"weight": 0.5, "data": 3, "target": 4, "iterations": 20}


def test_up_and_down_prints_the_articles_log(article_logs):
    run = tinynet.train("up_and_down", **ARTICLE, step=0.05)
    assert run.log_lines() == article_logs["up_and_down"]


def test_gradient_descent_without_alpha_prints_the_articles_log(article_logs):
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=1)
    assert run.log_lines() == article_logs["without_alpha"]


def test_gradient_descent_with_alpha_prints_the_articles_log(article_logs):
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    assert run.log_lines() == article_logs["with_alpha"]
    assert run.errors[16] == 0 and run.errors[15] > 0  # exactly 0 from iteration 17
    assert run.final_weight == 4 / 3


def test_each_entry_is_an_iteration_and_the_update_that_follows_it():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    assert run.weights[0] == 0.5
    assert np.array_equal(run.predictions, 3 * run.weights)
    assert np.array_equal(run.errors, (run.predictions - 4) * (run.predictions - 4))
    assert np.array_equal(run.weights[1:], run.weights[:-1] + run.updates[:-1])
    assert run.final_weight == run.weights[-1] + run.updates[-1]
    assert np.array_equal(run.iterations, np.arange(1, 21))
    assert not run.diverged and run.diverged_at is None


def test_up_and_down_moves_by_the_step_and_a_tie_goes_down():
    run = tinynet.train("up_and_down", **ARTICLE, step=0.05)
    assert set(run.updates.tolist()) == {0.05, -0.05}
    # With data 0 every weight has the same error: each comparison ties, so it only steps down.
    flat = tinynet.train("up_and_down", weight=1, data=0, target=4, iterations=5, step=0.25)
    assert flat.updates.tolist() == [-0.25] * 5
    assert flat.final_weight == -0.25


def test_exact_derivative_is_the_article_rule_with_twice_the_alpha():
    exact = tinynet.train("gradient_descent", **ARTICLE, alpha=0.05, exact_derivative=True)
    halved = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    assert np.array_equal(exact.weights, halved.weights)
    first = tinynet.train("gradient_descent", **{**ARTICLE, "iterations": 1}, exact_derivative=True)
    assert first.updates[0] == -(0.1 * (2 * 3 * (1.5 - 4))) == 1.5


def test_divergence_stops_at_the_first_overflow_and_keeps_every_finite_iteration(javascript):
    run = tinynet.train("gradient_descent", **{**ARTICLE, "iterations": 400}, alpha=1)
    assert run.diverged
    assert run.diverged_at == len(run.errors) + 1 == 172
    for values in (run.weights, run.predictions, run.errors, run.updates):
        assert np.isfinite(values).all()
    assert math.isfinite(run.final_weight)
    (reference,) = javascript([_settings(run.settings)])
    assert reference["lines"][: len(run.errors)] == run.log_lines()
    assert "Infinity" in reference["lines"][171]


def test_an_overflowing_start_gives_an_empty_diverged_run():
    run = tinynet.train("up_and_down", weight=1e200, data=1e200, target=0, iterations=3)
    assert run.diverged and run.diverged_at == 1
    assert len(run.weights) == 0 and run.log_lines() == []
    assert run.final_weight == 1e200


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"method": "newton"}, "method must be 'up_and_down' or 'gradient_descent'"),
        ({"weight": math.nan}, "weight must be a finite number"),
        ({"data": math.inf}, "data must be a finite number"),
        ({"target": -math.inf}, "target must be a finite number"),
        ({"weight": "0.5"}, "weight must be a finite number"),
        ({"data": True}, "data must be a finite number"),
        ({"weight": 10**400}, "weight must be a finite number"),
        ({"iterations": 0}, "iterations must be a whole number from 1 to 1,000,000"),
        ({"iterations": 2.5}, "iterations must be a whole number from 1 to 1,000,000"),
        ({"iterations": 20.0}, "iterations must be a whole number from 1 to 1,000,000"),
        ({"iterations": 1_000_001}, "iterations must be a whole number from 1 to 1,000,000"),
        ({"step": 0}, "step must be a finite number greater than 0"),
        ({"step": -0.05}, "step must be a finite number greater than 0"),
        ({"alpha": -0.1}, "alpha must be a finite number of at least 0"),
        ({"alpha": math.nan}, "alpha must be a finite number of at least 0"),
        ({"exact_derivative": 1}, "exact_derivative must be True or False"),
    ],
)
def test_bad_settings_raise_a_value_error_naming_the_setting_and_range(changes, named):
    settings = {"method": "gradient_descent", **ARTICLE, **changes}
    with pytest.raises(ValueError, match=named):
        tinynet.train(settings.pop("method"), **settings)


def test_numpy_numbers_are_accepted(article_logs):
    run = tinynet.train(
        "gradient_descent",
        weight=np.float64(0.5),
        data=np.int64(3),
        target=4,
        iterations=np.int32(20),
    )
    assert run.log_lines() == article_logs["with_alpha"]


def test_a_run_cannot_be_changed():
    run = tinynet.train("gradient_descent", **ARTICLE)
    with pytest.raises(ValueError, match="read-only"):
        run.weights[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.final_weight = 1.0


def test_csv_holds_every_number_exactly():
    run = tinynet.train("gradient_descent", **ARTICLE)
    rows = list(csv.DictReader(io.StringIO(run.to_csv())))
    assert [int(row["iteration"]) for row in rows] == list(range(1, 21))
    for column, values in [
        ("weight", run.weights),
        ("prediction", run.predictions),
        ("error", run.errors),
        ("update", run.updates),
    ]:
        assert [float(row[column]) for row in rows] == values.tolist()


def _settings(settings: tinynet.Settings) -> dict:
    return dataclasses.asdict(settings)


def _random_settings(count: int) -> list[tinynet.Settings]:
    """Settings from everyday numbers to the edges of the doubles, with a fixed seed."""
    rng = np.random.default_rng(7)

    def anywhere() -> float:
        kind = rng.integers(5)
        if kind == 0:
            return float(
                rng.choice([0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, 1.0, -1.0])
            )
        if kind == 1:
            return float(rng.uniform(-10, 10))
        if kind == 2:
            return float(round(rng.uniform(-100, 100), int(rng.integers(0, 4))))
        return float(rng.choice([-1, 1]) * 10.0 ** rng.uniform(-320, 308))

    settings = []
    for _ in range(count):
        method = str(rng.choice(["up_and_down", "gradient_descent"]))
        settings.append(
            tinynet.Settings(
                method,
                weight=anywhere(),
                data=anywhere(),
                target=anywhere(),
                iterations=int(rng.integers(1, 60)),
                step=abs(anywhere()) or 0.05,
                alpha=abs(anywhere()),
                exact_derivative=bool(rng.integers(2)),
            )
        )
    return settings


NON_FINITE = ("Infinity", "NaN")


def test_every_logged_number_is_bit_for_bit_the_javascript_one(javascript):
    settings = _random_settings(1500)
    references = javascript([_settings(each) for each in settings])
    diverged = 0
    for each, reference in zip(settings, references, strict=True):
        run = tinynet.train(**_settings(each))
        count = len(run.errors)
        assert run.log_lines() == reference["lines"][:count], each
        assert [js_number(weight) for weight in run.weights.tolist()] == reference["weights"][
            :count
        ]
        if not run.diverged:
            assert count == each.iterations
            assert js_number(run.final_weight) == reference["final_weight"]
            continue
        diverged += 1
        # JavaScript went on past the overflow: its next line, or the weight after, is not finite.
        later = [*reference["weights"], reference["final_weight"]][count + 1]
        assert any(word in reference["lines"][count] for word in NON_FINITE) or later in (
            "Infinity",
            "-Infinity",
            "NaN",
        ), each
    assert 50 < diverged < len(settings) - 50  # both kinds of run were compared


def test_train_takes_settings_or_keywords_alike(article_logs):
    settings = tinynet.Settings("gradient_descent", **ARTICLE, alpha=0.1)
    assert tinynet.train(settings).log_lines() == article_logs["with_alpha"]
    assert tinynet.train(settings).settings is settings
    with pytest.raises(TypeError, match="no other arguments"):
        tinynet.train(settings, weight=0.5)
    with pytest.raises(TypeError, match="missing 2 required keyword-only arguments: 'data' and"):
        tinynet.train("gradient_descent", weight=0.5, target=4, alpha=0.1)

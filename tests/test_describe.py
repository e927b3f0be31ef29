"""The charts in words say what the charts show: each claim checked against the run."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import tinynet
from tinynet import describe
from tinynet.analysis import stability
from tinynet.sweep import alpha_grid, sweep

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}
NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b|(?<![\w.])-0(?![.\d])", re.IGNORECASE)


def test_the_articles_lesson_in_words():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    said = describe.lesson(run, 2)
    assert said.startswith(
        "Error for every weight: a parabola, lowest at the best weight 1.333. At iteration 2 "
        "the weight is 1.25 and the error 0.0625; the tangent there has slope -1.5, and the "
        "update moves the weight to 1.325."
    )
    zeros = (
        "Error per iteration, log scale: 6.25 at iteration 1, down to exactly 0 from iteration 17."
    )
    assert zeros in said
    assert said.endswith(
        "Prediction per iteration: 1.5 at iteration 1, 4 at iteration 20; the target is 4."
    )


def test_an_explosion_in_words():
    run = tinynet.train("gradient_descent", **{**ARTICLE, "iterations": 400}, alpha=1)
    said = describe.error_history(run)
    assert said.startswith("Error per iteration, log scale: 6.25 at iteration 1, up to ")
    assert said.endswith("; at iteration 172 it grows too large for a number.")


def test_a_flat_curve_in_words():
    run = tinynet.train("gradient_descent", **{**ARTICLE, "data": 0.0}, alpha=0.1)
    assert describe.curve(run, 1).startswith(
        "Error for every weight: a flat line, since with data 0"
    )
    assert "slope 0," in describe.curve(run, 1)


def test_the_sweep_in_words():
    result = sweep(alpha_grid(3.0, 0.1), weight=0.5, data=3.0, target=4.0, iterations=20)
    said = describe.sweep(result, stability(3.0, 0.1))
    assert f"for {len(result.alphas)} alphas" in said
    # 2/9 rounded up: an alpha of 0.22221 is above 0.2222 yet converges.
    on_paper = (
        "On paper, an alpha of about 0.1111 lands in one step, and alphas from 0.2223 up do "
        "not converge."
    )
    assert on_paper in said


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["up_and_down", "gradient_descent"]),
    weight=st.floats(-1e6, 1e6),
    data=st.floats(-1e6, 1e6) | st.sampled_from([0.0, -0.0, 1e-6, 3.0]),
    target=st.floats(-1e6, 1e6),
    iterations=st.integers(1, 60),
    step=st.floats(1e-6, 1000),
    alpha=st.floats(0, 100) | st.sampled_from([0.0, 1 / 9, 2 / 9]),
    at=st.integers(1, 60),
)
def test_every_description_holds_for_its_run(
    method, weight, data, target, iterations, step, alpha, at
):
    run = tinynet.train(
        method,
        weight=weight,
        data=data,
        target=target,
        iterations=iterations,
        step=step,
        alpha=alpha,
    )
    said = describe.lesson(run, at)
    assert not NOT_A_NUMBER.search(said), said
    errors = describe.error_history(run)
    zeros = re.search(r"down to exactly 0 from iteration (\d+)", errors)
    if zeros:
        first = int(zeros.group(1))
        assert np.all(run.errors[first - 1 :] == 0) and run.errors[first - 2] != 0
    elif len(run.errors) > 1:
        last, start = run.errors[-1], run.errors[0]
        way = "down to" if last < start else "up to" if last > start else "and still"
        assert f", {way} " in errors, errors
    assert ("log scale" in errors) == describe.log_scale(run.errors)
    assert ("too large for a number" in errors) == run.diverged
    if run.settings.data == 0:
        assert "flat line" in said
    elif tinynet.best_weight(data, target) is not None:
        assert "lowest at the best weight" in said

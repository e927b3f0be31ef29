"""The charts in words say what the charts show: each claim checked against the run."""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import at_the_limit, creeping, extremes, in_the_app, wide

import tinynet
from tinynet import describe
from tinynet.analysis import stability
from tinynet.sweep import Sweep, alpha_grid, sweep

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


# Every number in the words is the run's own, and different numbers read differently -----

SHOWN = r"(-?[\d.]+(?:e-?\d+)?)"


def _shown(text: str, value: float) -> bool:
    """``text`` is ``value`` rounded to as many significant digits as the text has."""
    mantissa, _, power = text.partition("e")
    digits = len(mantissa.lstrip("-").replace(".", "").lstrip("0")) or 1
    rounded, _, rounded_power = f"{value:.{digits}g}".partition("e")
    return (rounded, int(rounded_power or 0)) == (mantissa, int(power or 0)) or (
        value == 0 and text == "0"
    )


def _apart(pairs: list[tuple[str, float]]) -> None:
    """Texts of different values differ, texts of equal values agree with their values."""
    for text, value in pairs:
        assert _shown(text, value), (text, value)
    for first, first_value in pairs:
        for second, second_value in pairs:
            if first_value != second_value:
                assert first != second, pairs


def check_descriptions(run: tinynet.Run, at: int) -> None:
    settings = run.settings
    said = describe.curve(run, at)
    assert not NOT_A_NUMBER.search(said), said
    if len(run.weights) and settings.data != 0:
        index = min(max(at, 1), len(run.weights)) - 1
        weight = float(run.weights[index])
        following = float(run.weights[index + 1]) if index + 1 < len(run.weights) else None
        following = run.final_weight if following is None else following
        found = re.search(
            rf"the weight is {SHOWN} and the error {SHOWN}; the tangent there (?:has slope "
            rf"{SHOWN}|is too steep [^,]*), and the update (?:moves the weight to {SHOWN}|"
            r"(leaves the weight where it is))\.",
            said,
        )
        assert found, said
        weight_text, error_text, slope_text, following_text, stays = found.groups()
        assert (stays is not None) == (following == weight), said
        pairs = [(weight_text, weight)] + ([] if stays else [(following_text, following)])
        best = tinynet.best_weight(settings.data, settings.target)
        if best is not None:
            pairs.append((re.search(rf"best weight {SHOWN}\.", said).group(1), best))
        _apart(pairs)
        assert _shown(error_text, float(run.errors[index])), said
        rise = tinynet.slope(settings.data, weight, settings.target)
        assert (slope_text is None) == (not np.isfinite(rise)), said
        assert slope_text is None or _shown(slope_text, rise), said
    errors = describe.error_history(run)
    found = re.search(
        rf"iteration(?:, log scale)?: {SHOWN} at iteration 1, (down to|up to|and still) {SHOWN} at",
        errors,
    )
    if found and len(run.errors) > 1:
        first_text, way, last_text = found.groups()
        first, last = float(run.errors[0]), float(run.errors[-1])
        _apart([(first_text, first), (last_text, last)])
        assert way == ("down to" if last < first else "up to" if last > first else "and still")
    predictions = describe.prediction_history(run)
    found = re.search(
        rf"{SHOWN} at iteration 1, {SHOWN} at iteration \d+; the target is {SHOWN}\.", predictions
    )
    if len(run.predictions):
        assert found, predictions
        shown = dict(zip(("first", "last", "target"), found.groups(), strict=True))
        _apart(
            [
                (shown["first"], float(run.predictions[0])),
                (shown["last"], float(run.predictions[-1])),
                (shown["target"], settings.target),
            ]
        )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.one_of(in_the_app(), wide(), extremes(), creeping(), at_the_limit()),
    at=st.integers(1, 40),
)
@example(tinynet.Settings("gradient_descent", **ARTICLE, alpha=0.1), 5)
@example(tinynet.Settings("gradient_descent", **ARTICLE, alpha=0.1), 16)
def test_every_number_in_the_charts_words_is_the_runs_own(chosen, at):
    check_descriptions(tinynet.train(dataclasses.replace(chosen, iterations=max(at, 2))), at)


def check_sweep(result: Sweep, analysis: tinynet.Stability) -> None:
    """The sweep in words counts every run once, by its own outcome, and states the limits
    as they hold on paper (a limit rounded up, never down)."""
    said = describe.sweep(result, analysis)
    reached, diverged = result.reached_at > 0, result.diverged_at > 0
    groups = {
        "brought the error to": int((reached & ~diverged).sum()),
        "got there, then blew up": int((reached & diverged).sum()),
        "blew up": int((~reached & diverged).sum()),
        "did neither": int((~reached & ~diverged).sum()),
    }
    listed = said.partition("Of these runs, ")[2].partition(".")[0]
    counted = 0
    for count, words in re.findall(
        r"(\d+) (brought the error to|got there, then blew up|blew up|did neither)", listed
    ):
        assert groups[words] == int(count), (said, groups)
        counted += int(count)
    assert counted == len(result.alphas), said
    if analysis.max_stable_alpha is not None:
        limit = re.search(rf"alphas from {SHOWN} up do not converge", said).group(1)
        assert Fraction(limit) >= Fraction(analysis.max_stable_alpha), said
        assert Fraction(limit) <= Fraction(analysis.max_stable_alpha) * Fraction(1001, 1000), said
        once = re.search(rf"an alpha of about {SHOWN} lands in one step", said).group(1)
        assert _shown(once, analysis.one_step_alpha), said


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=st.one_of(in_the_app(), at_the_limit(), creeping()), iterations=st.integers(1, 300))
@example(tinynet.Settings("gradient_descent", 4 / 3 + 1e-9, 3.0, 4.0, 300, alpha=0.1), 300)
def test_the_sweep_in_words_counts_each_run_once(chosen, iterations):
    if chosen.data == 0:
        return
    grid = alpha_grid(chosen.data, chosen.alpha, chosen.exact_derivative, count=60)
    fixed = {"weight": chosen.weight, "data": chosen.data, "target": chosen.target}
    result = sweep(grid, **fixed, iterations=iterations, exact_derivative=chosen.exact_derivative)
    check_sweep(result, stability(chosen.data, chosen.alpha, chosen.exact_derivative))


def test_the_sweep_counts_a_run_that_gets_there_then_blows_up_once():
    result = sweep(alpha_grid(3.0, 0.1), weight=4 / 3 + 1e-9, data=3.0, target=4.0, iterations=300)
    said = describe.sweep(result, stability(3.0, 0.1))
    assert "got there, then blew up" in said and " and 10 blew up" not in said
    check_sweep(result, stability(3.0, 0.1))


def test_the_curve_in_words_tells_the_weight_from_the_best_weight():
    run = tinynet.train("gradient_descent", **ARTICLE, alpha=0.1)
    said = describe.curve(run, 16)
    assert "the weight is 1.3333333333333326" in said
    assert "moves the weight to 1.3333333333333333" in said
    assert "best weight 1.3333333333333333" in said
    assert "leaves the weight where it is" in describe.curve(run, 17)

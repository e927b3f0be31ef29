"""The explanations: forecasts, the quiz's answers, the method texts and the worked step,
against the article's numbers and the runs themselves."""

import re

import pytest

import tinynet
from tinynet.analysis import OUTCOMES
from tinynet.explain import ANSWERS, forecast, method_text, worked_step
from tinynet.presets import PRESETS

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}


def _descent(**changes: float) -> tinynet.Settings:
    return tinynet.Settings("gradient_descent", **{**ARTICLE, **changes})


@pytest.mark.parametrize(
    ("alpha", "outcome", "badge", "said"),
    [
        (0.1, "converges", "converges", "keeps 0.1 of the distance"),
        (1 / 9, "converges", "lands in one step", "One step lands on the best weight"),
        (0.15, "converges", "zig-zags in", "lands 0.35 times as far on the other side"),
        (2 / 9, "bounces", "bounces for ever", "mirror image"),
        (1.0, "diverges", "diverges", "lands 8 times as far on the other side"),
        (0.0, "stalls", "stalls", "As alpha is 0, no step moves the weight."),
    ],
)
def test_the_forecast_of_each_alpha(alpha, outcome, badge, said):
    ahead = forecast(_descent(alpha=alpha))
    assert (ahead.outcome, ahead.badge) == (outcome, badge)
    assert said in ahead.sentence
    assert "about 0.2222 converges" in ahead.sentence or alpha == 0


def test_the_forecast_of_up_and_down_names_the_runs_own_hop():
    ahead = forecast(tinynet.Settings("up_and_down", **ARTICLE))
    assert (ahead.outcome, ahead.badge) == ("bounces", "hops around the answer")
    assert ahead.sentence == (
        "Ends hopping between 1.3 and 1.35 from iteration 17, across the best weight 1.333; "
        "its error never goes below 0.0025."
    )
    run = tinynet.train("up_and_down", **ARTICLE)  # the article's log: 3.9 and 4.05 for ever
    assert run.predictions[16:].tolist() == [3.900000000000002, 4.0500000000000025] * 2


def test_the_quiz_has_one_answer_per_outcome_and_the_presets_use_them():
    assert tuple(ANSWERS) == OUTCOMES
    assert ANSWERS["bounces"] == "It hops around the answer for ever"
    assert [preset.outcome for preset in PRESETS] == ["bounces", "diverges", "converges"]
    for preset in PRESETS:
        assert tinynet.verdict(tinynet.train(preset.settings)).outcome == preset.outcome


def test_experiment_2_speaks_of_the_articles_half_gradient():
    lesson = PRESETS[1].lesson
    assert "half gradient" in lesson and "full gradient" not in lesson
    assert "8 times as far" in lesson  # the factor 1 - 1 * 3**2


@pytest.mark.parametrize("method", tinynet.METHODS)
@pytest.mark.parametrize("exact", [False, True])
def test_method_text_has_no_headings_and_puts_the_rule_on_its_own_line(method, exact):
    text = method_text(method, exact)
    assert not re.search(r"^#", text, re.MULTILINE)
    rule = text.split("\n\n")[1]
    assert rule.startswith("**w ←") and rule.endswith("**")
    assert ("2 · data" in rule) == (exact and method == "gradient_descent")


def test_the_worked_step_shows_which_error_is_smaller():
    # At 4/3 with step 0.1 the two errors are 0.0899999999999999 and 0.09000000000000043.
    run = tinynet.train("up_and_down", weight=4 / 3, data=3, target=4, iterations=3, step=0.1)
    latex = worked_step(run, 1)
    assert "0.0899999999999999" in latex and "0.0900000000000004" in latex
    assert r"\text{(up is better)}" in latex


@pytest.mark.parametrize(
    "changes", [{"data": 0.0}, {"alpha": 0.0}, {"weight": 4 / 3}, {"target": 0.0, "weight": 0.0}]
)
def test_the_worked_step_never_shows_minus_zero(changes):
    latex = worked_step(tinynet.train(_descent(**changes)), 2)
    assert not re.search(r"(?<![\w.])-0(?![.\d]*[1-9])", latex), latex

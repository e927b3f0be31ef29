"""The explanations: forecasts, the quiz's answers, the method texts and the worked step,
against the article's numbers and the runs themselves."""

import dataclasses
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import creeping, extremes, in_the_app, wide

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


# The worked step's arithmetic, as printed -------------------------------------------------

LATEX_NUMBER = r"\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?"
TOKEN = re.compile(rf"({LATEX_NUMBER})|(\\times|\^2|[-+()])")


def _interval(text: str) -> tuple[Fraction, Fraction]:
    """The values a printed number stands for: those that round to it at its digits, never
    fewer than the worked step's ten."""
    mantissa, _, power = text.partition(r" \times 10^{")
    written = Decimal(mantissa) * Decimal(10) ** int(power.rstrip("}") or 0)
    exact = Fraction(written)
    if exact == 0:
        return exact, exact
    digits = max(10, len(mantissa.replace(".", "").lstrip("0")))
    half = Fraction(10) ** (written.adjusted() - digits + 1) / 2
    return exact - half, exact + half


def _evaluate(expression: str) -> tuple[Fraction, Fraction]:
    """An interval for a printed expression of numbers, ×, −, +, brackets and squares."""
    tokens = [match.group(0) for match in TOKEN.finditer(expression)]
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def primary() -> tuple[Fraction, Fraction]:
        piece = take()
        if piece == "-":
            low, high = primary()
            return -high, -low
        if piece == "(":
            value = total()
            assert take() == ")", expression
        else:
            value = _interval(piece)
        if peek() == "^2":
            take()
            low, high = value
            squares = sorted([low * low, high * high])
            value = (Fraction(0) if low <= 0 <= high else squares[0], squares[1])
        return value

    def product() -> tuple[Fraction, Fraction]:
        value = primary()
        while peek() == r"\times":
            take()
            other = primary()
            corners = [a * b for a in value for b in other]
            value = (min(corners), max(corners))
        return value

    def total() -> tuple[Fraction, Fraction]:
        value = product()
        while peek() in ("-", "+"):
            sign = take()
            low, high = product()
            value = (
                (value[0] - high, value[1] - low)
                if sign == "-"
                else (
                    value[0] + low,
                    value[1] + high,
                )
            )
        return value

    value = total()
    assert position == len(tokens), expression
    return value


def check_worked_step(run: tinynet.Run, at: int) -> None:
    """Each printed equation holds to the printed precision: worked out exactly from the
    printed numbers it gives the printed result, or, where it says ≈, does so once the
    result is allowed the rounding of a 64-bit float. Values that differ print differently."""
    latex = worked_step(run, at)
    assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
    lines = latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
    chains = [line.partition(" &= ")[2].split(r" \quad ")[0] for line in lines]
    for line, chain in zip(lines, chains, strict=True):
        parts = re.split(r" (=|\\approx) ", chain)
        expressions, relations = parts[::2], parts[1::2]
        for left, relation, right in zip(expressions, relations, expressions[1:], strict=False):
            if r"\text" in left or r"\alpha" in left or left.startswith("w"):
                continue  # the formula in words, not numbers
            worked, result = _evaluate(left), _evaluate(right)
            if relation == r"\approx":  # allow the result the rounding of a double
                slack = max(abs(result[0]), abs(result[1])) * Fraction(2) ** -52
                slack += Fraction(2) ** -1074  # or its underflow
                result = (result[0] - slack, result[1] + slack)
            assert worked[0] <= result[1] and result[0] <= worked[1], (line, worked, result)
    settings, index = run.settings, at - 1
    weight = float(run.weights[index])
    after = float(run.weights[index + 1]) if index + 1 < len(run.weights) else run.final_weight
    *_, moved, final = re.split(r" (?:=|\\approx) ", chains[-1])
    now = re.match(rf"\(?-?{LATEX_NUMBER}\)?", moved).group(0)
    assert (now.strip("()") == final) == (weight == after), (lines[-1], weight, after)
    for value, text in ((weight, now.strip("()")), (after, final)):
        low, high = _evaluate(text)
        assert low <= Fraction(value) <= high, (text, value)
    difference = re.split(r" (?:=|\\approx) ", chains[1])[1]
    if " - " in difference:  # (prediction - target)^2: each printed apart from the other
        shown_prediction, _, shown_target = difference.strip("()^2").partition(" - ")
        if shown_prediction == shown_target.strip("()"):
            assert float(run.predictions[index]) == settings.target, lines[1]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=st.one_of(in_the_app(), wide(), extremes(), creeping()), at=st.integers(1, 60))
@example(tinynet.Settings("gradient_descent", **ARTICLE, alpha=0.1), 16)
@example(tinynet.Settings("gradient_descent", **ARTICLE, alpha=0.1), 11)
@example(tinynet.Settings("up_and_down", 1.35, 3.0, 4.0, 20, 0.05), 1)
@example(tinynet.Settings("gradient_descent", 0.0, 1.0, 1e-200, 20, alpha=0.1), 1)
def test_the_worked_step_holds_as_printed(chosen, at):
    run = tinynet.train(dataclasses.replace(chosen, iterations=max(at, 2)))
    if len(run.weights):
        check_worked_step(run, min(at, len(run.weights)))


def test_the_worked_step_writes_a_prediction_beside_the_target_as_its_miss():
    run = tinynet.train(_descent(alpha=0.1))
    latex = worked_step(run, 16)
    assert r"= 4 - 2.220446049 \times 10^{-15}" in latex
    assert r"(-2.220446049 \times 10^{-15})^2 = 4.930380658 \times 10^{-30}" in latex
    assert "(4 - 4)" not in latex

"""JavaScript's number printing, checked against the article and against Node.js itself."""

import numpy as np
import pytest

from tinynet import js_number, log_line
from tinynet.number_words import number_text, numbers_apart


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (4.0, "4"),
        (400.0, "400"),
        (-156.0, "-156"),
        (6.25, "6.25"),
        (6.249999999993073e-08, "6.249999999993073e-8"),
        (360287970189639700.0, "360287970189639700"),
        (7205759403792794000.0, "7205759403792794000"),
        (461168601842738800000.0, "461168601842738800000"),
        (2.9514790517935283e22, "2.9514790517935283e+22"),
        (6.2499999999997335e-06, "0.0000062499999999997335"),
        (1.6500000000000001, "1.6500000000000001"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e-6, "0.000001"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (float("nan"), "NaN"),
    ],
)
def test_js_number_prints_like_javascript(value, printed):
    assert js_number(value) == printed


def test_log_line_has_the_articles_shape():
    assert log_line(2, 400.0, 24.0) == "iteration 2 error: 400 prediction: 24"


def _awkward_doubles(count: int) -> list[float]:
    """Doubles from every exponent, plus the edges where JavaScript changes notation."""
    rng = np.random.default_rng(20261127)
    bits = rng.integers(0, 2**64, size=count, dtype=np.uint64)
    values = bits.view(np.float64)
    values = values[np.isfinite(values)].tolist()
    edges = [
        1e21,
        9.999999999999999e20,
        1e-7,
        9.999999999999999e-8,
        1e-6,
        123e-20,
        2**53,
        2**53 + 2,
    ]
    decimals = [
        round(value, int(places))
        for value, places in zip(rng.uniform(-1e6, 1e6, 300), rng.integers(0, 12, 300), strict=True)
    ]
    return values + edges + [-edge for edge in edges] + decimals


def test_js_number_matches_node_for_thousands_of_doubles(javascript):
    values = _awkward_doubles(3000)
    # One iteration with data 1 and target 0 makes JavaScript print the value itself.
    settings = [
        {
            "method": "gradient_descent",
            "weight": value,
            "data": 1.0,
            "target": 0.0,
            "iterations": 1,
            "step": 0.05,
            "alpha": 0.1,
            "exact_derivative": False,
        }
        for value in values
    ]
    printed = [result["lines"][0].split(" prediction: ")[1] for result in javascript(settings)]
    assert [js_number(value) for value in values] == printed


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.05, 4, "0.05"),
        (1.3500000000000008, 4, "1.35"),
        (-0.0, 4, "0"),
        (-1e-300, 4, "-1e-300"),
        (1e12, 4, "1e12"),
        (6.933347799966012e-33, 4, "6.933e-33"),
        (123456.0, 4, "1.235e5"),
        (0.9999999, 4, "1"),
        (0.9999999, 7, "0.9999999"),
        (float("inf"), 4, "∞"),
        (float("-inf"), 4, "-∞"),
    ],
)
def test_number_text_is_short_and_never_minus_zero(value, digits, text):
    assert number_text(value, digits) == text


def test_numbers_apart_keep_the_issues_numbers_apart():
    # The two errors that decide up or down at weight 4/3 with step 0.1 (issue 11).
    assert numbers_apart(0.0899999999999999, 0.09000000000000043) == (
        "0.0899999999999999",
        "0.0900000000000004",
    )
    # A pair next to the answer, and the answer.
    assert numbers_apart(333333.3, 333333.35, 4 / 1.2e-5) == ("333333.3", "333333.35", "333333.33")
    # A factor just below 1 is not "1", and equal values may print alike.
    assert numbers_apart(0.9999999, 1.0) == ("0.9999999", "1")
    assert numbers_apart(1.3, 1.35, 1.3) == ("1.3", "1.35", "1.3")
    assert numbers_apart(-0.0, 0.0) == ("0", "0")

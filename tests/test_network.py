"""The network's formulas against closed forms and finite differences."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinynet

# Away from the subnormals, where doubling and rounding stop commuting.
moderate = st.floats(min_value=-100, max_value=100).filter(lambda x: x == 0 or abs(x) > 1e-100)


def test_prediction_and_error_of_the_articles_start():
    assert tinynet.predict(3.0, 0.5) == 1.5
    assert tinynet.squared_error(1.5, 4.0) == 6.25


@given(data=moderate, weight=moderate, target=moderate)
def test_slope_is_the_derivative_of_the_error(data, weight, target):
    def error(w: float) -> float:
        return tinynet.squared_error(tinynet.predict(data, w), target)

    h = 1e-4
    central = (error(weight + h) - error(weight - h)) / (2 * h)
    # The error is a parabola, so the central difference is exact up to rounding.
    scale = max(1.0, abs(central), data * data * (abs(weight) + abs(target / data) if data else 1))
    assert tinynet.slope(data, weight, target) == pytest.approx(central, abs=1e-6 * scale)


@given(data=moderate, weight=moderate, target=moderate)
def test_the_articles_gradient_is_half_the_slope(data, weight, target):
    assert 2 * tinynet.gradient(data, weight, target) == tinynet.slope(data, weight, target)


def test_best_weight_has_zero_error():
    best = tinynet.best_weight(3.0, 4.0)
    assert best == 4 / 3
    assert tinynet.squared_error(tinynet.predict(2.0, tinynet.best_weight(2.0, 5.0)), 5.0) == 0
    # No best weight to hold: every weight is as good with data 0, and 1e308 / 1e-10 overflows.
    assert tinynet.best_weight(0.0, 4.0) is None and tinynet.best_weight(-0.0, 0.0) is None
    assert tinynet.best_weight(1e-10, 1e308) is None
    assert tinynet.best_weight(1e-300, 1e-10) == 1e290


def test_formulas_work_element_by_element_on_arrays():
    weights = np.array([0.5, 1.25, 1.325])
    assert np.array_equal(
        tinynet.squared_error(tinynet.predict(3.0, weights), 4.0),
        [tinynet.squared_error(tinynet.predict(3.0, w), 4.0) for w in weights.tolist()],
    )

"""The one-weight network: its prediction, its error and the error's slope.

Every function works on plain floats and, element by element, on numpy arrays,
with the same IEEE-754 operations in the same order, so both give identical bits.
"""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np

Number = TypeVar("Number", float, np.ndarray)


def predict(data: Number, weight: Number) -> Number:
    """The network's output: ``prediction = data * weight``."""
    return data * weight


def squared_error(prediction: Number, target: Number) -> Number:
    """``error = (prediction - target) ** 2``: 0 is perfect, and big misses cost more.

    Written as a product because ``x * x`` is exact to the last bit (as in
    JavaScript), while Python's ``x ** 2`` calls ``pow`` and raises on overflow.
    """
    miss = prediction - target
    return miss * miss


def error_at(data: Number, weight: Number, target: Number) -> Number:
    """The network's error at ``weight``: ``(data * weight - target) ** 2``."""
    return squared_error(predict(data, weight), target)


def gradient(
    data: Number, weight: Number, target: Number, exact_derivative: bool = False
) -> Number:
    """How the error changes with the weight, as the update uses it.

    The article drops the factor 2 of the derivative on purpose:
    ``(data * weight - target) * data``, the article's half gradient. With
    ``exact_derivative=True`` this is the true derivative ``2 * data * (prediction - target)``.
    """
    prediction = predict(data, weight)
    if exact_derivative:
        return 2 * data * (prediction - target)
    return (prediction - target) * data


def slope(data: Number, weight: Number, target: Number) -> Number:
    """The true slope of ``error(weight)``: ``2 * data * (data * weight - target)``.

    This is the slope of the tangent line that touches the error curve.
    """
    return gradient(data, weight, target, exact_derivative=True)


def best_weight(data: float, target: float) -> float | None:
    """The weight with zero error, ``target / data``.

    None when there is none to hold: with data 0 every weight gives the same
    error, and a quotient beyond the largest double is no number.
    """
    if data == 0:
        return None
    best = target / data
    return best if math.isfinite(best) else None

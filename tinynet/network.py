"""The one-weight network: its prediction, its error and the error's slope.

Every function works on plain floats and, element by element, on numpy arrays,
with the same IEEE-754 operations in the same order, so both give identical bits.
"""

from __future__ import annotations

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


def gradient(data: Number, weight: Number, target: Number, exact: bool = False) -> Number:
    """How the error changes with the weight, as the update uses it.

    The article drops the factor 2 of the derivative on purpose:
    ``(data * weight - target) * data``. With ``exact=True`` this is the true
    derivative ``2 * data * (prediction - target)``.
    """
    prediction = predict(data, weight)
    if exact:
        return 2 * data * (prediction - target)
    return (prediction - target) * data


def slope(data: Number, weight: Number, target: Number) -> Number:
    """The true slope of ``error(weight)``: ``2 * data * (data * weight - target)``.

    This is the slope of the tangent line that touches the error curve.
    """
    return gradient(data, weight, target, exact=True)


def best_weight(data: float, target: float) -> float:
    """The weight with zero error, ``target / data`` (undefined when data is 0)."""
    if data == 0:
        raise ValueError("data is 0, so every weight gives the same error: there is no best weight")
    return target / data

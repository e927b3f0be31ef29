"""Settings for property tests, drawn where runs are hard to tell truly: near the answer, at
the critical alphas, creeping for ages, walking far, at the stability limit, at the ends of
the doubles, and as the app's controls allow them."""

from __future__ import annotations

import math

from hypothesis import strategies as st

import tinynet

EDGES = [
    0.0,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-6,
    1.0,
    1e6,
    1e300,
    1.7976931348623157e308,
]


anywhere = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    EDGES + [-edge for edge in EDGES]
)


everyday = st.floats(-1e6, 1e6)


tiny = st.floats(1e-300, 1e-5) | st.floats(-1e-5, -1e-300)


datas = everyday | tiny | anywhere


targets = everyday | anywhere


nudges = st.integers(-3, 3)


def _nudged(value: float, count: int) -> float:
    for _ in range(abs(count)):
        value = math.nextafter(value, math.copysign(math.inf, count))
    return value


@st.composite
def near_the_answer(draw: st.DrawFn, method: str) -> tinynet.Settings:
    data = draw(datas.filter(lambda data: data != 0))
    target = draw(targets)
    best = tinynet.best_weight(data, target)
    if best is None:
        weight = draw(everyday)
    else:
        how = draw(st.sampled_from(["ulps", "relative", "steps"]))
        if how == "ulps":
            weight = _nudged(best, draw(st.integers(-40, 40)))
        elif how == "relative":
            weight = best * (1 + draw(st.floats(-1e-6, 1e-6)))
        else:
            weight = best + draw(st.integers(-30, 30)) * draw(st.floats(1e-6, 1))
    weight = weight if math.isfinite(weight) else 0.0
    step = draw(st.floats(1e-12, 1) | st.sampled_from([0.05, 0.1, 1e-6]))
    alpha = draw(st.floats(0, 3) | st.sampled_from([0.1, 1.0]))
    return tinynet.Settings(method, weight, data, target, 1, step, alpha, draw(st.booleans()))


@st.composite
def critical_alphas(draw: st.DrawFn) -> tinynet.Settings:
    data = draw(everyday.filter(lambda data: abs(data) > 1e-3) | tiny | anywhere)
    exact = draw(st.booleans())
    curvature = (2 if exact else 1) * data * data
    if curvature == 0 or not math.isfinite(curvature):
        curvature = 1.0
    shrink = draw(st.sampled_from([1.0, 2.0, 0.5, 1.5, 1e-3, 1.999, 2.001]))
    alpha = _nudged(shrink / curvature, draw(nudges))
    alpha = alpha if math.isfinite(alpha) and alpha >= 0 else 0.1
    weight, target = draw(everyday | anywhere), draw(targets)
    return tinynet.Settings("gradient_descent", weight, data, target, 1, 0.05, alpha, exact)


@st.composite
def wide(draw: st.DrawFn) -> tinynet.Settings:
    method = draw(st.sampled_from(tinynet.METHODS))
    step = draw(st.floats(1e-6, 1e6) | anywhere.filter(lambda step: step > 0))
    alpha = draw(st.floats(0, 100) | anywhere.filter(lambda alpha: alpha >= 0))
    values = [draw(everyday | tiny | anywhere) for _ in range(3)]
    return tinynet.Settings(method, *values, 1, step, alpha, draw(st.booleans()))


def _spread(low: float, high: float) -> st.SearchStrategy[float]:
    """Magnitudes spread evenly over the powers of ten from ``low`` to ``high``."""
    return st.floats(math.log10(low), math.log10(high)).map(lambda power: 10.0**power)


signed = st.sampled_from([1.0, -1.0])


@st.composite
def in_the_app(draw: st.DrawFn) -> tinynet.Settings:
    """What the app's controls allow: |weight|, |data|, |target| up to 1e6, step from 1e-6,
    alpha up to 100, with round numbers as a student types them."""

    def number(low: float) -> float:
        value = draw(signed) * draw(_spread(low, 1e6) | st.integers(0, 10).map(float))
        return round(value, draw(st.integers(0, 6))) if draw(st.booleans()) else value

    weight, data, target = number(1e-6), number(1e-300), number(1e-6)
    step = draw(_spread(1e-6, 1e3) | st.sampled_from([0.05, 0.1, 1.0]))
    alpha = draw(_spread(1e-9, 100) | st.sampled_from([0.0, 0.1, 1.0]))
    method = draw(st.sampled_from(tinynet.METHODS))
    return tinynet.Settings(method, weight, data, target, 1, step, alpha, draw(st.booleans()))


def _magnitude(low: float, high: float) -> st.SearchStrategy[float]:
    """Signed magnitudes spread over the powers of ten from ``low`` to ``high``."""
    return st.tuples(signed, _spread(low, high)).map(lambda pair: pair[0] * pair[1])


@st.composite
def creeping(draw: st.DrawFn) -> tinynet.Settings:
    """Gradient descent with a tiny shrink: a creep for up to 10**18 iterations."""
    data = draw(_magnitude(1e-3, 1e3))
    exact = draw(st.booleans())
    shrink = draw(_spread(1e-18, 1e-3))
    alpha = shrink / ((2 if exact else 1) * data * data)
    weight, target = draw(_magnitude(1e-6, 1e9)), draw(_magnitude(1e-6, 1e9))
    return tinynet.Settings("gradient_descent", weight, data, target, 1, 0.05, alpha, exact)


@st.composite
def walking_far(draw: st.DrawFn) -> tinynet.Settings:
    """Up and down far from the answer: walks of up to 10**16 steps, across many binades."""
    data, target = draw(_magnitude(1e-12, 1e3)), draw(_magnitude(1e-6, 1e6))
    step = draw(_spread(1e-7, 1.0))
    best = target / data
    weight = best + draw(signed) * step * draw(_spread(10.0, 1e16))
    weight = weight if math.isfinite(weight) and abs(weight) < 1e300 else 0.0
    return tinynet.Settings("up_and_down", weight, data, target, 1, step)


@st.composite
def at_the_limit(draw: st.DrawFn) -> tinynet.Settings:
    """Alphas within a few ulps, or a hair, of the stability limit, on either side."""
    data = draw(_magnitude(1e-3, 1e3) | st.sampled_from([3.0, 2.0, -1.0]))
    exact = draw(st.booleans())
    limit = 2 / ((2 if exact else 1) * data * data)
    if draw(st.booleans()):
        alpha = _nudged(limit, draw(st.integers(-8, 8)))
    else:
        alpha = limit * (1 + draw(signed) * draw(_spread(1e-15, 1e-6)))
    weight, target = draw(everyday | _magnitude(1e-6, 1e9)), draw(everyday)
    return tinynet.Settings("gradient_descent", weight, data, target, 1, 0.05, alpha, exact)


@st.composite
def extremes(draw: st.DrawFn) -> tinynet.Settings:
    """Huge and tiny numbers: weights near the largest doubles, data and errors that
    underflow, steps and alphas at the ends of their ranges."""
    method = draw(st.sampled_from(tinynet.METHODS))
    weight = draw(_magnitude(1e-320, 1e-150) | _magnitude(1e150, 1e307) | everyday)
    data = draw(_magnitude(1e-320, 1e-100) | _magnitude(1e100, 1e300) | everyday)
    target = draw(_magnitude(1e-320, 1e-150) | everyday | st.just(0.0))
    step = draw(_spread(1e-300, 1e-100) | _spread(1e100, 1e300) | st.just(0.05))
    alpha = draw(_spread(1e-300, 1e-100) | _spread(1e-6, 10.0))
    return tinynet.Settings(method, weight, data, target, 1, step, alpha, draw(st.booleans()))

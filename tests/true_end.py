"""Where a run really ends: the run itself, played on far past its iterations, as the gold
that the fates and every sentence are checked against.

Written apart from ``tinynet.long_run`` and ``tinynet.descent_end`` (it shares only
``train``, the network's formulas and up and down's rule). It plays the run with ``train``,
then skips ahead over stretches whose steps repeat: iterations that add the same increment
to the weight. A stretch is checked point by point in numpy chunks, every point computed as
the run computes it, so a skip is exact with no argument about rounding at all. A stretch too
long for that is checked by monotone sandwiches instead (rounding is monotonic, so what holds
at both ends of a stretch holds in between), each spelled out where it is used. When the end
is not reached within the budget, the truth says how far the run was followed and what it
did up to there, which any claim must not contradict.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

import tinynet
from tinynet.analysis import TOLERANCE
from tinynet.network import error_at
from tinynet.training import goes_up

HORIZON = 20_000  # iterations played by train before skipping ahead
LONGEST_CYCLE = 64
CHUNK = 1 << 16  # points checked at once
WORK = 120  # stretches followed, at most, before giving up
POINTS = 1 << 21  # points checked one by one, at most, before giving up


@dataclass(frozen=True)
class Truth:
    """What the run played on shows. ``outcome`` is None when its end was not reached;
    then ``played`` iterations are known, the last of them above ``TOLERANCE`` is
    ``last_far`` and the weight of iteration ``played + 1`` is ``weight``."""

    outcome: str | None
    at: int | None = None
    cycle: tuple[float, ...] = ()
    cycle_from: int | None = None
    errors: np.ndarray | None = None  # the first HORIZON errors, and the final weight's
    played: int = 0
    last_far: int = 0
    weight: float = math.nan


def played_on(settings: tinynet.Settings, horizon: int = HORIZON, work: int = WORK) -> Truth:
    """The definitions of ``tinynet.analysis.OUTCOMES``, applied to the run itself."""
    run = tinynet.train(dataclasses.replace(settings, iterations=horizon))
    if run.diverged:
        return Truth("diverges", run.diverged_at, played=len(run.weights))
    weights = np.append(run.weights, run.final_weight)
    with np.errstate(over="ignore"):
        errors = error_at(settings.data, weights, settings.target)
    far = np.flatnonzero(errors > TOLERANCE)
    last_far = int(far[-1]) + 1 if far.size else 0
    if settings.data == 0:  # the error never changes, whatever the weight does
        colossal = settings.method == "up_and_down" and settings.step * 2.0**54 >= 1.8e308
        if not colossal:  # and no weight overflows: it stays, or its steps get lost
            return _ending(settings, (settings.weight,), 1, last_far, errors)
    for period in range(1, LONGEST_CYCLE + 1):
        if weights[-1] == weights[-1 - period]:
            repeats = weights[:-period] == weights[period:]
            entry = int(np.flatnonzero(~repeats)[-1]) + 1 if not repeats.all() else 0
            cycle = tuple(weights[entry : entry + period].tolist())
            far = np.flatnonzero(errors[: entry + period] > TOLERANCE)
            before = int(far[-1]) + 1 if far.size else 0
            return _ending(settings, cycle, entry + 1, before, errors)
    return _skip_on(settings, run.final_weight, horizon + 1, last_far, errors, work)


def _ending(
    settings: tinynet.Settings,
    cycle: tuple[float, ...],
    first: int,
    last_far: int,
    errors: np.ndarray | None,
) -> Truth:
    """The truth of a run that repeats ``cycle`` from iteration ``first`` for ever."""
    cycle_errors = [error_at(settings.data, weight, settings.target) for weight in cycle]
    best = tinynet.best_weight(settings.data, settings.target)
    around = best is not None and min(cycle) <= best <= max(cycle)
    if settings.data == 0:  # the error never changes, whatever the weight does
        outcome = "converges" if cycle_errors[0] <= TOLERANCE else "stalls"
        return Truth(outcome, 1, (), None, errors, first, last_far)
    if max(cycle_errors) <= TOLERANCE:
        return Truth("converges", last_far + 1, cycle, first, errors, first, last_far)
    if len(cycle) > 1 and (around or min(cycle_errors) <= TOLERANCE):
        return Truth("bounces", first, cycle, first, errors, first, last_far)
    return Truth("stalls", first, cycle, first, errors, first, last_far)


def _step(settings: tinynet.Settings) -> object:
    """One iteration's update, vectorised: the rule of ``train`` on numpy arrays."""
    data, target = settings.data, settings.target
    if settings.method == "up_and_down":
        step = settings.step

        def update(weights: np.ndarray) -> np.ndarray:
            up = error_at(data, weights + step, target)
            down = error_at(data, weights - step, target)
            return np.where(goes_up(up, down), step, -step)

        return update
    alpha = settings.alpha
    scale = 2 * data if settings.exact_derivative else data

    def update(weights: np.ndarray) -> np.ndarray:
        if settings.exact_derivative:
            slope = scale * (data * weights - target)
        else:
            slope = (data * weights - target) * data
        return -(alpha * slope)

    return update


def _skip_on(
    settings: tinynet.Settings,
    weight: float,
    iteration: int,
    last_far: int,
    errors: np.ndarray,
    work: int,
) -> Truth:
    """The run from ``weight`` at ``iteration``, stretch by stretch."""
    update = _step(settings)
    data, target = settings.data, settings.target
    budget = [POINTS]
    seen: dict[float, int] = {}  # weight -> its place in trail, over single steps
    trail: list[tuple[float, int]] = []  # (weight, iteration)
    before: tuple[float, int] | None = None  # the last stretch's last weight, and iteration
    for _ in range(work):
        here = np.array([weight])
        with np.errstate(all="ignore"):
            after = float((here + update(here))[0])
            error = error_at(data, weight, target)
        if not (math.isfinite(error) and math.isfinite(after)):
            return Truth("diverges", iteration, errors=errors, played=iteration - 1)
        if after == weight:  # it stops here
            last_far = iteration if error > TOLERANCE else last_far
            return _ending(settings, (weight,), iteration, last_far, errors)
        if weight in seen:
            place = seen[weight]
            cycle = [each for each, _ in trail[place:]]
            first = trail[place][1]
            # The cycle may have begun at the end of the stretch before it.
            if place == 0 and before == (cycle[-1], first - 1):
                cycle, first = [cycle[-1], *cycle[:-1]], first - 1
            return _ending(settings, tuple(cycle), first, last_far, errors)
        increment = after - weight
        if budget[0] <= 0:
            break
        length, far, end, last = _stretch(settings, update, weight, increment, budget)
        if far is not None:
            last_far = iteration + far
        if length == 1:
            seen[weight] = len(trail)
            trail.append((weight, iteration))
        else:
            seen.clear()
            trail.clear()
            before = (last, iteration + length - 1)
        weight = after if length == 1 else end
        iteration += length
    return Truth(None, errors=errors, played=iteration - 1, last_far=last_far, weight=weight)


def _at(weight: float, increment: float, count: int) -> float:
    """``weight + count * increment``, exactly: both are whole numbers of the same gap."""
    exact = Fraction(weight) + count * Fraction(increment)
    value = float(exact)
    assert Fraction(value) == exact, (weight, increment, count)
    return value


def _stretch(
    settings: tinynet.Settings,
    update: object,
    weight: float,
    increment: float,
    budget: list[int],
) -> tuple[int, int | None, float, float]:
    """How many iterations from ``weight`` add ``increment`` (at least 1), the last of them
    (counted from 0) whose error is above ``TOLERANCE`` if any, the weight after them and
    the weight of the last of them.

    Points are checked in chunks: numpy's ``start + j * increment``, each stepped as the run
    steps it, must give the next one, so the run visits exactly these points, however numpy
    rounded them. Between chunks, a longer stretch of exact multiples may be vouched for by
    a sandwich at its ends.
    """
    done, far, start, last, size = 0, None, weight, weight, 256
    for _ in range(64):  # a partial stretch is exact too: the caller goes on from its end
        if budget[0] <= 0:
            break
        budget[0] -= size
        stop, above, end, final = _checked(settings, update, start, increment, size)
        if above is not None:
            far = done + above
        done += stop
        last = final if stop else last
        if stop < size:
            return max(done, 1), far, end, last
        start = end
        jump = _sandwich(settings, start, increment)
        if jump:
            far_in = _far_in(settings, start, increment, jump)
            if far_in is not None:
                far = done + far_in
            done += jump
            last = _at(start, increment, jump - 1)
            start = _at(start, increment, jump)
        size = 256 if jump else min(4 * size, CHUNK)
    return done, far, start, last


def _checked(
    settings: tinynet.Settings, update: object, start: float, increment: float, count: int
) -> tuple[int, int | None, float, float]:
    """How many of ``count`` points from ``start`` step to the next as the run would, the
    last of those above ``TOLERANCE``, the weight after them and the last of them."""
    points = start + np.arange(count + 1) * increment
    with np.errstate(all="ignore"):
        after = points[:-1] + update(points[:-1])
        errors = error_at(settings.data, points[:-1], settings.target)
    moving = points[1:] != points[:-1]  # a weight that stays is the run's end, not a stretch
    good = (after == points[1:]) & moving & np.isfinite(errors) & np.isfinite(after)
    stop = int(np.argmin(good)) if not good.all() else count
    above = np.flatnonzero(errors[:stop] > TOLERANCE)
    end = float(points[stop]) if stop else start
    last = float(points[stop - 1]) if stop else start
    return stop, int(above[-1]) if above.size else None, end, last


def _far_in(settings: tinynet.Settings, start: float, increment: float, count: int) -> int | None:
    """The last of ``count`` points along the stretch whose error is above ``TOLERANCE``:
    the miss is monotonic along it, so the errors above it sit at either end."""
    data, target = settings.data, settings.target

    def far(j: int) -> bool:
        return error_at(data, _at(start, increment, j), target) > TOLERANCE

    if far(count - 1):
        return count - 1
    if not far(0):
        return None
    low, high = 0, count - 1
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if far(middle) else (low, middle)
    return low


def _sandwich(settings: tinynet.Settings, start: float, increment: float) -> int:
    """The most points from ``start`` that certainly all add ``increment``, vouched for by
    their two ends (0 for none). What holds for a stretch holds for a shorter one, so the
    most is found by doubling, then halving."""

    def holds(count: int) -> bool:
        end = _at_or_none(start, increment, count)
        return end is not None and _holds_between(settings, start, end, increment)

    if not holds(2):
        return 0
    low, high = 2, 4
    while high <= 2**62 and holds(high):
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if holds(middle) else (low, middle)
    return low


def _at_or_none(weight: float, increment: float, count: int) -> float | None:
    exact = Fraction(weight) + count * Fraction(increment)
    value = float(exact) if abs(exact) < 2**1023 else math.inf
    return value if math.isfinite(value) and Fraction(value) == exact else None


def _holds_between(settings: tinynet.Settings, first: float, last: float, increment: float) -> bool:
    """Whether every point from ``first`` to ``last`` steps by exactly ``increment``.

    The points must share one gap between doubles ``U`` with room to spare, so that a point
    plus its update rounds to a whole number of ``U``.
    """
    gap = math.ulp(first)
    if math.ulp(last) != gap or (first > 0) != (last > 0) or first == 0:
        return False
    for point in (first, last):
        for nearby in (point - 3 * abs(increment) - 4 * gap, point + 3 * abs(increment) + 4 * gap):
            if math.ulp(nearby) != gap or (nearby > 0) != (first > 0):
                return False
    if settings.method == "gradient_descent":
        return _descent_holds(settings, first, last, increment, gap)
    return _walk_holds(settings, first, last, increment)


def _descent_holds(
    settings: tinynet.Settings, first: float, last: float, increment: float, gap: float
) -> bool:
    """The update is a chain of rounded multiplications and subtractions, each monotonic,
    so it is monotonic in the weight: strictly within half a gap of ``increment`` at both
    ends, it is so at every point between, and each point moves by ``increment``."""
    update = _step(settings)
    ends = update(np.array([first, last]))
    lower, upper = Fraction(increment) - Fraction(gap) / 2, Fraction(increment) + Fraction(gap) / 2
    return all(lower < Fraction(float(value)) < upper for value in ends)


def _walk_holds(settings: tinynet.Settings, first: float, last: float, increment: float) -> bool:
    """Up and down keeps its direction from ``first`` to ``last``.

    Data is made positive by flipping the signs of data and target, which leaves every
    error as it is. Let ``m(w) = data * w - target`` as the run rounds it, monotonic in
    ``w``, and ``E = m * m`` rounded, monotonic in ``|m|``. Stepping down needs
    ``E(w + step) >= E(w - step)``: certain when every miss is at least 0 (then the one
    up is larger), or when every miss is at most 0 and the errors at the outermost points
    are equal (then all between are equal, a tie, which steps down). Stepping up needs
    ``E(w + step) < E(w - step)`` with every miss at most 0: the misses up and down differ
    by at least ``gap_m``, worked out below in exact fractions, and
    ``m_down**2 - m_up**2 >= gap_m * (2 * |m_up| + gap_m)`` must beat the rounding of the
    two squares, at most half a unit in the last place of each.
    """
    data, target, step = settings.data, settings.target, settings.step
    if data < 0:
        data, target = -data, -target
    low, high = min(first, last), max(first, last)

    def miss(weight: float) -> float:
        return data * weight - target

    def error(weight: float) -> float:
        value = miss(weight)
        return value * value

    if increment < 0:
        if miss(low - step) >= 0:
            return True
        return miss(high + step) <= 0 and error(high + step) == error(low - step)
    top, bottom = miss(high + step), miss(low - step)
    if top > 0 or -top < 1e-140 or -bottom > 1e140:
        return False
    span = Fraction(max(abs(low - step), abs(high + step)))
    ulp = Fraction(math.ulp(float(span)))
    prediction = Fraction(data) * span * (1 + Fraction(1, 2**52))
    # The two weights differ by 2 * step less the rounding of each (half a gap each); the
    # predictions by data times that, less their rounding; the misses less theirs.
    apart = (
        Fraction(data) * (2 * Fraction(step) - ulp)
        - Fraction(math.ulp(float(prediction)))
        - Fraction(math.ulp(-bottom))
    )
    if apart <= 0:
        return False
    nearest, farthest = Fraction(-top), Fraction(-bottom)
    rounding = Fraction(math.ulp(float(farthest * farthest)))  # half an ulp of each square
    return apart * (2 * nearest + apart) > rounding

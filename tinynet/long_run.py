"""Where a run ends when it is played on for ever, decided by the run itself: simulated
where it must be, carried on by closed forms where they are exact; up and down's walk."""

from __future__ import annotations

import bisect
import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from tinynet.analysis import HUGE, TOLERANCE
from tinynet.descent_end import descend
from tinynet.ending import Fate, cycling, whole
from tinynet.network import best_weight, error_at, predict
from tinynet.training import Settings, goes_up, up_and_down_update

__all__ = ["Bounce", "Fate", "fate", "up_and_down_limit"]

SQUARE_LIMIT = math.sqrt(sys.float_info.max)  # a miss beyond this overflows the error


def fate(settings: Settings) -> Fate:
    """Where a run with these settings ends, whatever its number of iterations.

    It is played iteration by iteration for a few thousand iterations, then carried on:
    up and down along its straight stretches in closed form, exact to the bit; gradient
    descent along stretches of equal increments, exact too, and by its factor with bounds
    on rounding where updates are wide (``tinynet.descent_end``). What is estimated is
    marked as such. Results are cached, as the app asks on every rerun.
    """
    return _fate(replace(settings, iterations=1))


@functools.lru_cache(maxsize=1024)
def _fate(settings: Settings) -> Fate:
    if settings.method == "up_and_down":
        return _walk(settings)
    return descend(settings)


# Up and down -----------------------------------------------------------------------------

_WALK_STEPS = 3000  # single steps (near turns and hops)
_WALK_SCAN = 50_000  # steps of straight stretches checked one by one, in numpy chunks
_CHUNK = 4096


@dataclass
class _Piece:
    """Weights ``first + j * increment`` for j below ``count``, from weight index ``start``."""

    start: int
    first: float
    increment: float
    count: int


def _walk(settings: Settings) -> Fate:
    data, target, step, weight = settings.data, settings.target, settings.step, settings.weight
    if data == 0:
        return _flat_walk(settings)
    if data < 0:  # (-data, -target) gives the same errors to the bit, and data > 0 is simpler
        data, target = -data, -target

    def error(weight: float) -> float:
        return error_at(data, weight, target)

    direction = up_and_down_update(replace(settings, data=data, target=target))

    pieces: list[_Piece] = []
    seen: dict[float, int] = {}
    trail: list[float] = []
    index, scan = 0, _WALK_SCAN
    for _ in range(_WALK_STEPS):
        if not math.isfinite(error(weight)):
            return Fate("diverges", index + 1, True)
        if weight in seen:
            first = seen[weight]
            cycle = trail[len(trail) - (index - first) :]
            # The hop may have begun at the end of the straight stretch before it.
            while first and _weight_at(pieces, first - 1) == _weight_at(
                pieces, first - 1 + len(cycle)
            ):
                first -= 1
            return cycling(cycle, first + 1, _last_far(pieces, error), settings)
        move = direction(weight)
        stretch = _stretch(weight, move, data, target, step, scan, direction, error)
        if stretch is not None:
            increment, count, scanned = stretch
            pieces.append(_Piece(index, weight, increment, count))
            scan -= scanned
            index += count
            weight = weight + count * increment
            seen.clear()
            trail.clear()
            continue
        seen[weight] = index
        trail.append(weight)
        pieces.append(_Piece(index, weight, 0.0, 1))
        after = weight + move
        if not math.isfinite(after):
            return Fate("diverges", index + 1, True)
        index += 1
        weight = after
    # A walk too long and tangled to follow: heading for the answer it most likely hops
    # around it in the end, else it most likely gets stuck.
    best = best_weight(settings.data, settings.target)
    if best is None or (best - weight) * move <= 0:
        return Fate("stalls", None, False, sure=False)
    return Fate("bounces", None, False, sure=False)


def _flat_walk(settings: Settings) -> Fate:
    """Data 0: every weight gives the same error, so each comparison is a tie and the
    weight steps down until the step is lost (or, with a colossal step, overflows)."""
    error = error_at(0.0, settings.weight, settings.target)
    if not math.isfinite(error):
        return Fate("diverges", 1, True)
    if settings.step * 2**53 >= sys.float_info.max:
        # Each step moves it by the step, give or take half the widest gap, 2**970.
        def steps(size: float) -> float:  # to go from the weight to beyond the largest double
            return sys.float_info.max / size + settings.weight / size

        low = 1 + math.floor(steps(settings.step + 2.0**970))
        high = 2 + whole(steps(settings.step - 2.0**970))
        return Fate("diverges", 1 + whole(steps(settings.step)), False, low=low, high=high)
    return Fate("converges" if error <= TOLERANCE else "stalls", 1, True)


def _stretch(
    weight: float,
    move: float,
    data: float,
    target: float,
    step: float,
    scan: int,
    direction: Callable[[float], float],
    error: Callable[[float], float],
) -> tuple[float, int, int] | None:
    """A straight stretch of the walk from ``weight``: (increment, count, steps scanned).

    Within one binade (doubles sharing one gap) ``weight + move`` adds the same
    increment every time, so the walk is ``weight + j * increment``, exact to the
    bit, for as long as the direction holds. The direction holds for sure while
    both errors compared sit on the same side of the answer, and the step shows in
    the misses (rounding is monotonic); elsewhere it is checked point by point.
    """
    second = weight + move
    if not math.isfinite(second) or direction(second) != move:
        return None
    third = second + move
    increment = second - weight
    exponent = math.frexp(weight)[1]
    same_binade = math.frexp(second)[1] == exponent == math.frexp(third)[1]
    if third - second != increment or increment == 0 or not same_binade:
        return None
    if weight * second <= 0 or not -1000 < exponent < 1020:  # clear of subnormals and overflow
        return None
    gap = abs(increment)
    if (move > 0) == (weight > 0):  # away from zero, up to the binade's top
        room = 2.0**exponent - abs(weight) - step - gap
    else:
        room = abs(weight) - step - gap - 2.0 ** (exponent - 1)
    last = int(room // gap) if room > 0 else 0  # the last point whose next step stays inside
    if last < 4:
        return None

    def certain(count: int) -> bool:
        """The direction holds at every point up to ``count - 1``."""
        end = weight + (count - 1) * increment
        if move < 0:  # a tie steps down too: both misses >= 0, or all errors equal, will do
            if predict(data, end - step) - target >= 0:
                return True
            below = predict(data, weight + step) - target <= 0  # errors fall as it climbs
            return below and error(weight + step) == error(end - step)
        return _climbs(weight, end, data, target, step)

    if certain(last):
        return increment, last, 0
    low, high = 1, last  # certain(low) holds; certain(high) fails
    if certain(low):
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if certain(middle) else (low, middle)
        if low >= 4:
            return increment, low, 0
    if scan <= 0:
        return None
    count = min(last, _CHUNK, scan)
    points = weight + np.arange(count) * increment
    with np.errstate(all="ignore"):
        up = error_at(data, points + step, target)
        down = error_at(data, points - step, target)
        errors = error_at(data, points, target)
    turned = np.where(goes_up(up, down), step, -step) != move
    broken = turned | ~np.isfinite(errors)
    stop = int(broken.argmax()) if broken.any() else count
    if stop < 2:
        return None
    return increment, stop, count


def _climbs(first: float, last: float, data: float, target: float, step: float) -> bool:
    """Whether up and down steps up at every weight from ``first`` up to ``last``, below the
    answer: the error up must be below the error down at each, rounding included.

    The misses ``m_up`` and ``m_down`` are at most 0 throughout when the highest ``m_up``
    is (rounding is monotonic). Their difference is at least ``delta``: twice the step
    times data, less the rounding of the weights, the predictions and the misses. Then
    ``m_down**2 - m_up**2 >= delta * (2 * |m_up| + delta)``, and when that beats the
    rounding of the two squares (2**-52 of the larger) the error up is the smaller.
    """
    top = predict(data, last + step) - target
    far = predict(data, first - step) - target
    if top > 0:
        return False
    nearest, farthest = -top, -far
    if nearest < HUGE**-1 or farthest > HUGE:  # squares this small or large lose their rounding
        return False
    highest = max(abs(first - step), abs(last + step))
    prediction = data * highest * (1 + 2.0**-52)
    delta = data * (2 * step - math.ulp(highest)) - math.ulp(prediction) - math.ulp(farthest)
    delta *= 1 - 2.0**-50
    squares = 2.0**-52 * farthest * farthest * (1 + 2.0**-50)
    return delta > 0 and delta * (2 * nearest + delta) > squares


def _weight_at(pieces: list[_Piece], index: int) -> float:
    """The walk's weight at ``index``, from the pieces that cover it."""
    piece = pieces[bisect.bisect_right([piece.start for piece in pieces], index) - 1]
    return piece.first + (index - piece.start) * piece.increment


def _last_far(pieces: list[_Piece], error: Callable[[float], float]) -> int:
    """The last iteration whose error is above ``TOLERANCE``, 0 if none is."""
    for piece in reversed(pieces):
        far = _last_far_in(piece, error)
        if far is not None:
            return piece.start + far + 1
    return 0


def _last_far_in(piece: _Piece, error: Callable[[float], float]) -> int | None:
    """The last j of the piece whose error is above ``TOLERANCE``, if any. Along a
    straight piece the error falls towards the answer and rises past it, so when the
    last point is close the far ones come first, and halving finds the last of them."""

    def far(j: int) -> bool:
        return error(piece.first + j * piece.increment) > TOLERANCE

    last = piece.count - 1
    if far(last):
        return last
    if not far(0):
        return None
    low, high = 0, last  # far(low), not far(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if far(middle) else (low, middle)
    return low


@dataclass(frozen=True)
class Bounce:
    """Where up and down ends: hopping between ``low`` and ``high`` for ever.

    ``error_floor`` is the smaller of their two errors, the closest the fixed
    step gets; the run first stands on the pair at iteration ``reached_at``.
    """

    low: float
    high: float
    error_floor: float
    reached_at: int


def up_and_down_limit(weight: float, data: float, target: float, step: float) -> Bounce | None:
    """Where up and down ends hopping around the answer, from the walk itself.

    None when it does not end that way: with data 0 it walks down for ever,
    rounding can stop it or trap it short of the answer, and a walk too long
    to follow has no exact end.
    """
    settings = Settings("up_and_down", weight, data, target, 1, step)
    future = fate(settings)
    if not future.exact or len(future.cycle) != 2 or future.outcome == "stalls":
        return None
    low, high = sorted(future.cycle)
    errors = [error_at(data, each, target) for each in (low, high)]
    return Bounce(low, high, min(errors), future.cycle_from)

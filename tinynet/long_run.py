"""Where a run ends when it is played on for ever, decided by the run itself: simulated
where it must be, carried on by closed forms where they are exact."""

from __future__ import annotations

import bisect
import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from tinynet.analysis import HUGE, TOLERANCE, Stability, stability
from tinynet.network import best_weight, error_at, predict
from tinynet.training import Settings, goes_up, gradient_descent_update, up_and_down_update

SQUARE_LIMIT = math.sqrt(sys.float_info.max)  # a miss beyond this overflows the error
GAP = 2.0**-52  # the gap between neighbouring doubles, relative to their size (at most)


@dataclass(frozen=True)
class Fate:
    """What a run does if it is played on for ever, decided by the run itself.

    ``outcome`` is one of ``OUTCOMES``. ``at`` is the iteration from which it
    does so for good: the first iteration of the errors that stay at most
    ``TOLERANCE``, of the final hop, or of the stopped weight, or the iteration
    that overflows; None when no one can tell. ``exact`` says whether ``at`` and
    ``cycle`` are exact (the run was played that far, or along a closed form that
    is exact) or estimates. ``cycle`` holds the weights it ends on, one when it
    stops and two or more when it hops, from iteration ``cycle_from``.
    """

    outcome: str
    at: int | None
    exact: bool
    cycle: tuple[float, ...] = ()
    cycle_from: int | None = None


def fate(settings: Settings) -> Fate:
    """Where a run with these settings ends, whatever its number of iterations.

    It is played iteration by iteration for a few thousand iterations; up and
    down also runs along its straight stretches in closed form, exact to the bit,
    and gradient descent is carried further by its factor, where the estimate of
    ``at`` is marked as such. Results are cached, as the app asks on every rerun.
    """
    return _fate(replace(settings, iterations=1))


@functools.lru_cache(maxsize=1024)
def _fate(settings: Settings) -> Fate:
    if settings.method == "up_and_down":
        return _walk(settings)
    return _descend(settings)


def _cycling(cycle: list[float], first: int, last_far: int, settings: Settings) -> Fate:
    """The fate of a run that repeats ``cycle`` from iteration ``first`` for ever;
    ``last_far`` is the last iteration with an error above ``TOLERANCE`` before it."""
    data, target = settings.data, settings.target
    errors = [error_at(data, weight, target) for weight in cycle]
    future = tuple(cycle)
    if max(errors) <= TOLERANCE:
        return Fate("converges", last_far + 1, True, future, first)
    if len(cycle) > 1 and (_around(cycle, settings) or min(errors) <= TOLERANCE):
        return Fate("bounces", first, True, future, first)
    return Fate("stalls", first, True, future, first)


def _around(weights: list[float] | tuple[float, ...], settings: Settings) -> bool:
    best = best_weight(settings.data, settings.target)
    return best is not None and min(weights) <= best <= max(weights)


# Gradient descent ----------------------------------------------------------------------

_DESCENT_STEPS = 3000  # iterations played one by one before the factor carries it on


def _descend(settings: Settings) -> Fate:
    data, target = settings.data, settings.target
    update = gradient_descent_update(settings)
    analysis = stability(data, settings.alpha, settings.exact_derivative)
    size = abs(analysis.factor)
    noise = _noise(settings)
    seen: dict[float, int] = {}
    trail: list[float] = []
    last_far = 0
    misses = [math.inf, math.inf]
    weight = settings.weight
    for index in range(_DESCENT_STEPS):
        iteration = index + 1
        miss = predict(data, weight) - target
        error = error_at(data, weight, target)
        if not math.isfinite(error):
            return Fate("diverges", iteration, True)
        if weight in seen:
            return _cycling(trail[seen[weight] :], seen[weight] + 1, last_far, settings)
        seen[weight] = index
        trail.append(weight)
        if error > TOLERANCE:
            last_far = iteration
        after = weight + update(weight)
        if not math.isfinite(after):
            return Fate("diverges", iteration, True)
        # Contraction beats rounding near the answer, so from a quarter of the tolerance
        # the error stays at most the tolerance for ever.
        if error <= TOLERANCE / 4 and size < 1 - 1e-6 and noise * noise < TOLERANCE / 16:
            return Fate("converges", last_far + 1, True)
        # Growth beats rounding once it is this clear: the overflow is certain.
        growing = abs(miss) > misses[-1] > misses[-2]
        if size > 1 + 1e-12 and growing and abs(miss) * (size - 1) > 64 * noise:
            return Fate("diverges", _overflow(abs(miss), iteration, settings, analysis), False)
        misses = [misses[-1], abs(miss)]
        weight = after
        if index == 63 and _too_slow(abs(miss), analysis):
            return _carried_on(weight, iteration + 1, last_far, settings, analysis)
    return _carried_on(weight, _DESCENT_STEPS + 1, last_far, settings, analysis)


def _too_slow(miss: float, analysis: Stability) -> bool:
    """Whether a converging run needs more iterations than are played to get close."""
    if not 0 < analysis.shrink < 1 or miss == 0:  # hops near -1 are played out in full
        return analysis.shrink == 0
    size = abs(analysis.factor)
    shrinking = math.log1p(-analysis.shrink) if analysis.shrink < 1 else math.log(size)
    return shrinking == 0 or math.log(math.sqrt(TOLERANCE) / 4 / miss) / shrinking > _DESCENT_STEPS


def _whole(steps: float) -> int:
    """An estimated count of iterations, rounded up, bounded where floats run out."""
    return math.ceil(min(steps, 1e300)) if steps > 0 else 0


def _noise(settings: Settings) -> float:
    """How far rounding can leave the miss ``prediction - target`` near the answer."""
    best = best_weight(settings.data, settings.target) or 0.0
    return math.ulp(settings.target) + abs(settings.data) * math.ulp(best)


def _overflow(miss: float, iteration: int, settings: Settings, analysis: Stability) -> int:
    """About when a miss growing by the factor's size per iteration overflows: the error
    (the miss squared), the gradient, the update or the next weight."""
    data, size = abs(settings.data), abs(analysis.factor)
    scale = 2 if settings.exact_derivative else 1
    most = sys.float_info.max
    limits = [SQUARE_LIMIT, most / (data * scale), most * data / max(size, analysis.shrink)]
    limit = min(limit for limit in limits if limit > 0)
    if miss >= limit:  # the estimate is spent, yet this iteration's numbers were finite
        return iteration + 1
    growth = (math.log(limit) - math.log(miss)) / math.log(size)
    return iteration + max(1, _whole(growth))


def _carried_on(
    weight: float, iteration: int, last_far: int, settings: Settings, analysis: Stability
) -> Fate:
    """The fate of a run still moving after the iterations played, from its factor.

    The distance to the best weight scales by the factor each iteration, until
    the change is smaller than rounding: then the weight stops (factor above 0)
    or locks into a hop (factor near -1).
    """
    data, target = settings.data, settings.target
    best = best_weight(data, target)
    shrink, size = analysis.shrink, abs(analysis.factor)
    miss = abs(predict(data, weight) - target)
    if weight + gradient_descent_update(settings)(weight) == weight:  # it stops right here
        return _cycling([weight], iteration, last_far, settings)
    if abs(shrink - 2) < 4 * GAP:  # the hop keeps its size, give or take rounding
        across = weight + gradient_descent_update(settings)(weight)
        errors = [error_at(data, each, target) for each in (weight, across)]
        if max(errors) < 0.99 * TOLERANCE:  # it hops within the answer
            return Fate("converges", last_far + 1, False)
        return Fate("bounces", None, False)
    if shrink > 2:
        return Fate("diverges", _overflow(miss, iteration, settings, analysis), False)
    if best is None or shrink == 0:
        return _drift(weight, iteration, settings)
    distance = abs(weight - best)
    if shrink <= 1:
        near = _stop(weight, best, shrink)
        stop = abs(best - near)
        shrinking = math.log1p(-shrink) if shrink < 1 else -math.inf
    else:  # each hop must shrink by more than rounding moves it
        stop = math.ulp(best) / 2 / (2 - shrink)
        shrinking = math.log(size)
    closest = abs(data) * stop + _noise(settings)
    if closest * closest <= TOLERANCE:
        if miss * miss <= TOLERANCE or shrinking == -math.inf:
            return Fate("converges", last_far + 1, False)
        # The error must fall from miss**2 to TOLERANCE, maybe by a hair: log1p keeps it.
        error = miss * miss
        if error < 4 * TOLERANCE:
            steps = 0.5 * math.log1p(-(error - TOLERANCE) / error) / shrinking
        else:
            steps = (0.5 * math.log(TOLERANCE) - math.log(miss)) / shrinking
        return Fate("converges", iteration + max(1, _whole(steps)), False)
    if shrink > 1:
        return Fate("bounces", None, False)
    # The distance falls from ``distance`` by ``|near - weight|``, a share that may be tiny.
    share = abs(near - weight) / distance
    steps = math.log1p(-share) / shrinking if share < 1 else math.log(stop / distance) / shrinking
    return Fate("stalls", iteration + _whole(steps), False, (near,))


def _drift(weight: float, iteration: int, settings: Settings) -> Fate:
    """A run whose updates hardly change as it goes (the best weight is too large for a
    double, or alpha * data**2 underflows): it moves by a near-constant update until the
    gap between doubles swallows it, or it overflows first."""
    update = abs(gradient_descent_update(settings)(weight))
    stop = update * 2**53  # beyond this, half the gap between doubles exceeds the update
    if stop >= sys.float_info.max:
        return Fate("diverges", iteration + _whole(sys.float_info.max / update), False)
    steps = max(0.0, (stop - abs(weight)) / update)
    return Fate("stalls", iteration + _whole(steps), False)


def _stop(weight: float, best: float, shrink: float) -> float:
    """Where a run creeping from ``weight`` towards ``best`` stops.

    An update ``shrink * distance`` is lost once it is at most half the gap
    between the doubles around the weight; that gap doubles at each power of
    two, so the path is followed binade by binade.
    """

    def lost_within(here: float) -> float:  # updates over distances below this are lost
        return math.ulp(here) / 2 / shrink

    def short_of(distance: float, here: float) -> float:
        return best - math.copysign(distance, best - here)

    here = weight
    if here * best <= 0:
        if abs(best - here) <= lost_within(here) or best == 0:
            return here if best else 0.0
        here = math.copysign(2.0**-1022, best)  # the gaps only shrink on the way to zero
    if shrink > 4 * GAP:  # more than a factor 4 from the answer no update is lost
        if abs(here) > 4 * abs(best):
            here = 4 * best
        elif abs(here) < abs(best) / 4:
            here = best / 4
    for _ in range(2200):
        if abs(best - here) <= lost_within(here):
            return here
        boundary = _next_power_of_two(here, best)
        if boundary is None or abs(best - boundary) < lost_within(here):
            return short_of(lost_within(here), here)
        here = boundary
    return best


def _next_power_of_two(here: float, best: float) -> float | None:
    """The first power of two passed on the way from ``here`` to ``best`` (both of one
    sign), or None when they share a binade."""
    exponent = math.frexp(here)[1]
    if exponent == math.frexp(best)[1]:
        return None
    if abs(best) > abs(here):
        return math.copysign(2.0**exponent, here)
    bottom = 2.0 ** (exponent - 1)
    return math.copysign(bottom if abs(here) > bottom else bottom / 2, here)


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
            return _cycling(cycle, first + 1, _last_far(pieces, error), settings)
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
    best = best_weight(settings.data, settings.target)
    steps = abs(best - weight) / step if best is not None else math.inf
    if not math.isfinite(steps) or (best - weight) * move <= 0:
        return Fate("stalls", None, False)
    return Fate("bounces", index + 1 + _whole(steps), False)


def _flat_walk(settings: Settings) -> Fate:
    """Data 0: every weight gives the same error, so each comparison is a tie and the
    weight steps down until the step is lost (or, with a colossal step, overflows)."""
    error = error_at(0.0, settings.weight, settings.target)
    if not math.isfinite(error):
        return Fate("diverges", 1, True)
    if settings.step * 2**53 >= sys.float_info.max:
        room = sys.float_info.max / settings.step + settings.weight / settings.step
        return Fate("diverges", 1 + _whole(room), False)
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
        nearest = predict(data, end + step) - target
        if nearest >= 0 or nearest > -(HUGE**-1):  # squares this small may underflow alike
            return False
        size = data * (max(abs(weight), abs(end)) + step) + abs(target)
        return data * step > 2.0**-48 * size and size < HUGE

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

"""Where gradient descent ends when played on for ever.

The run is played iteration by iteration for a few thousand iterations. Past them it is
carried on in two ways. Where each update rounds to the same increment for a stretch of
iterations, the stretch is skipped exactly: the update is monotonic in the weight, so the
stretch ends where halving finds it. Where updates are many gaps between doubles wide, the
distance to the best weight is carried by the exact factor ``1 - alpha * data**2`` (or
``1 - 2 * alpha * data**2``) with a bound on what rounding can add or take away each
iteration, which bounds how many iterations it takes. What those bounds cannot settle is
said to be likely, not certain.
"""

from __future__ import annotations

import math
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from tinynet.analysis import TOLERANCE
from tinynet.ending import Fate, cycling, whole
from tinynet.network import best_weight, error_at, predict
from tinynet.training import Settings, gradient_descent_update

PLAYED = 3000  # iterations played one by one before the run is carried on
WIDE = 256  # updates wider than this many gaps between doubles are carried by the factor
STRETCHES = 4096  # exact stretches followed at most
SMALLEST = 2.0**-1074
MOST = sys.float_info.max


def descend(settings: Settings) -> Fate:
    """The fate of a gradient-descent run: played, then carried on."""
    data, target = settings.data, settings.target
    model = Model(settings)
    seen: dict[float, int] = {}
    trail: list[float] = []
    last_far = 0
    weight = settings.weight
    for index in range(PLAYED):
        iteration = index + 1
        error = error_at(data, weight, target)
        if not math.isfinite(error):
            return Fate("diverges", iteration, True)
        if weight in seen:
            return cycling(trail[seen[weight] :], seen[weight] + 1, last_far, settings)
        seen[weight] = index
        trail.append(weight)
        if error > TOLERANCE:
            last_far = iteration
        after = weight + model.update(weight)
        if not math.isfinite(after):
            return Fate("diverges", iteration, True)
        if error <= TOLERANCE and model.settles(weight):
            return Fate("converges", last_far + 1, True)
        if model.shrink > 2 and model.escapes(weight, clearly=True):
            return model.overflow(weight, iteration)
        weight = after
        if index == 63 and model.slow(weight):
            return carried_on(weight, iteration + 1, last_far, model)
    return carried_on(weight, PLAYED + 1, last_far, model)


class Model:
    """The exact factor of a gradient-descent run, and how far rounding can stray from it.

    One step takes ``weight - best`` to ``(1 - shrink) * (weight - best)`` in exact
    arithmetic, with ``shrink = alpha * data**2`` (twice that with the exact derivative)
    and ``best = target / data``; ``exact_shrink`` is that shrink as an exact fraction.
    """

    def __init__(self, settings: Settings) -> None:
        scale = 2 if settings.exact_derivative else 1
        self.settings = settings
        self.exact_shrink = Fraction(settings.alpha) * Fraction(settings.data) ** 2 * scale
        self.shrink = _float(self.exact_shrink)
        self.best = best_weight(settings.data, settings.target)
        self.update: Callable[[float], float] = gradient_descent_update(settings)

    def contraction(self) -> float:
        """How much of the distance one step takes away, ``1 - |1 - shrink|``, exactly (as
        ``min(shrink, 2 - shrink)``) and rounded down; negative when the distance grows."""
        exact = min(self.exact_shrink, 2 - self.exact_shrink)
        return math.nextafter(_float(exact), -math.inf)

    def noise(self, low: float, high: float) -> float:
        """A bound on how far rounding can take one update of any weight from ``low`` to
        ``high`` away from the exact step."""
        settings = self.settings
        data, target, alpha = abs(settings.data), settings.target, settings.alpha
        scale = 2 if settings.exact_derivative else 1
        with_margin = 1 + 2.0**-40
        if not all(map(math.isfinite, (low, high))):
            return math.inf
        largest = max(abs(low), abs(high))
        prediction = data * largest * with_margin
        miss = max(abs(settings.data * low - target), abs(settings.data * high - target))
        miss = miss * with_margin + math.ulp(prediction) + math.ulp(target)
        gradient = scale * data * miss * with_margin
        update = alpha * gradient * with_margin
        after = largest + update
        total = (
            alpha * scale * data * (math.ulp(prediction) + math.ulp(miss)) / 2
            + alpha * math.ulp(gradient) / 2
            + math.ulp(update) / 2
            + math.ulp(after) / 2
        )
        return total * with_margin if math.isfinite(total) else math.inf

    def around(self, distance: float) -> tuple[float, float]:
        """The weights within ``distance`` of the best weight, ends included."""
        return self.best - distance, self.best + distance

    def settles(self, weight: float) -> bool:
        """Whether every later error is at most ``TOLERANCE``: no step can take the run
        further from the best weight than it is now, rounding included, and every weight
        that close errs at most ``TOLERANCE``."""
        if self.best is None or self.exact_shrink >= 2:
            return False
        distance = abs(weight - self.best) + math.ulp(self.best)
        low, high = self.around(distance)
        if not (math.isfinite(low) and math.isfinite(high)):
            return False
        if self.noise(low, high) * (1 + 2.0**-50) > self.contraction() * distance:
            return False
        data, target = self.settings.data, self.settings.target
        return max(error_at(data, low, target), error_at(data, high, target)) <= TOLERANCE

    def escapes(self, weight: float, clearly: bool = False) -> bool:
        """Whether the distance to the best weight must grow for ever: each step multiplies
        it by more than rounding can take away, here and at every larger distance; with
        ``clearly``, by so much more that when it overflows is known to a few iterations."""
        if self.best is None:
            return False
        growth = -self.contraction()
        distance = abs(weight - self.best) - math.ulp(self.best)
        if growth <= 0 or distance <= 0:
            return False
        far = max(distance, 1e290)
        margin = 2.0**30 if clearly else 2.0
        for size in (distance, far):
            low, high = self.around(size)
            if not growth * size > margin * self.noise(low, high):
                return False
        return True

    def slow(self, weight: float) -> bool:
        """Whether a converging run needs far more iterations than are played."""
        if self.best is None or not 0 < self.exact_shrink < 2:
            return False
        distance = abs(weight - self.best)
        if distance == 0:
            return False
        rate = -_logs(self, 0.0)[1]
        needed = math.log(distance / max(math.ulp(self.best), SMALLEST)) + 40
        return rate == 0 or needed / rate > PLAYED

    def overflow(self, weight: float, iteration: int) -> Fate:
        """The fate of a run whose distance grows for ever: about when it overflows, with
        bounds from the growth per iteration, give or take rounding."""
        settings = self.settings
        distance = abs(weight - self.best)
        low, high = self.around(distance)
        wobble = self.noise(low, high) / distance
        size = _float(self.exact_shrink - 1)
        miss = abs(predict(settings.data, weight) - settings.target)
        data, alpha = abs(settings.data), settings.alpha
        scale = 2 if settings.exact_derivative else 1
        limits = [math.sqrt(MOST), MOST / (data * scale), MOST / (data * scale * alpha)]
        limits.append(MOST * data / (size + 1))
        limit = min(each for each in limits if each > 0)
        if miss >= limit:
            return Fate("diverges", iteration + 1, False, sure=True, low=iteration, high=None)
        ratio = math.log(limit) - math.log(miss)
        central = iteration + max(1, whole(ratio / math.log(size)))
        fast = math.log(size * (1 + wobble))
        slow = math.log(size * (1 - wobble)) if wobble < 1 - 1 / size else 0.0
        earliest = iteration + max(0, math.floor(ratio / fast) - 1)
        latest = iteration + whole(ratio / slow) + 2 if slow > 0 else None
        return Fate("diverges", central, False, low=earliest, high=latest)


def carried_on(weight: float, iteration: int, last_far: int, model: Model) -> Fate:
    """The fate of a run still moving after the iterations played."""
    settings = model.settings
    if weight + model.update(weight) == weight:  # it stops right here
        return cycling([weight], iteration, last_far, settings)
    if model.best is None:  # the best weight is beyond the doubles: it drifts
        return _followed(weight, iteration, last_far, model)
    if model.exact_shrink < 1:
        return _creep(weight, iteration, last_far, model)
    if model.exact_shrink < 2:
        return _zig_zag(weight, iteration, last_far, model)
    return _spread(weight, iteration, model)


# Exact stretches ---------------------------------------------------------------------------


@dataclass
class _Path:
    """Where exact stretches took a run: its weight after ``steps`` iterations, the last of
    them whose error is above ``TOLERANCE`` (counted from 1, 0 for none), and how it ended:
    ``"stops"``, ``"cycles"`` (``cycle`` from step ``cycle_from``), ``"diverges"`` at step
    ``steps + 1``, or ``"unfinished"``."""

    weight: float
    steps: int
    last_far: int
    end: str
    cycle: tuple[float, ...] = ()
    cycle_from: int = 0


def follow(weight: float, model: Model, budget: int = STRETCHES) -> _Path:
    """The run from ``weight``, one stretch of equal increments at a time, exact to the bit."""
    settings, update = model.settings, model.update
    data, target = settings.data, settings.target
    steps, last_far = 0, 0
    seen: dict[float, int] = {}
    trail: list[float] = []
    before: tuple[float, int] | None = None  # the last stretch's last weight, and its step
    for _ in range(budget):
        if not math.isfinite(error_at(data, weight, target)):
            return _Path(weight, steps, last_far, "diverges")
        after = weight + update(weight)
        if not math.isfinite(after):
            return _Path(weight, steps, last_far, "diverges")
        if after == weight:
            if error_at(data, weight, target) > TOLERANCE:
                last_far = steps + 1
            return _Path(weight, steps, last_far, "stops")
        if weight in seen:
            start = seen[weight]
            cycle = trail[len(trail) - (steps - start) :]
            if before == (cycle[-1], start - 1):  # the cycle began as the stretch ended
                cycle, start = [cycle[-1], *cycle[:-1]], start - 1
            return _Path(weight, steps, last_far, "cycles", tuple(cycle), start)
        increment = after - weight
        count = _stretch(weight, increment, update)
        far = _last_far_on(weight, increment, count, settings)
        if far is not None:
            last_far = steps + far + 1
        if count == 1:
            seen[weight] = steps
            trail.append(weight)
        else:
            seen.clear()
            trail.clear()
            before = (weight + (count - 1) * increment, steps + count - 1)
        weight = weight + count * increment
        steps += count
    return _Path(weight, steps, last_far, "unfinished")


def _binade(weight: float) -> tuple[float, float]:
    """The magnitudes that share ``weight``'s gap between doubles: from ``low`` up to,
    not including, ``high``."""
    exponent = math.frexp(weight)[1]
    if weight == 0 or exponent <= -1021:  # the subnormals share one gap, either side of 0
        return 0.0, 2.0**-1021
    return 2.0 ** (exponent - 1), 2.0**exponent


def _stretch(weight: float, increment: float, update: Callable[[float], float]) -> int:
    """How many iterations from ``weight`` add exactly ``increment`` each (at least 1).

    Inside one binade every weight is a whole number of gaps ``U``, so ``weight + update``
    adds ``increment`` whenever the update is within half a gap of it (a tie is left to
    single steps, as it rounds to the even neighbour). The update is monotonic in the
    weight, so the iterations that do form one run from the first, and halving finds its end.
    """
    gap = math.ulp(weight)
    low, high = _binade(weight)
    magnitude, size = abs(weight), abs(increment)
    if weight == 0 or low == 0 or increment % gap:
        return 1
    if (increment > 0) == (weight > 0):  # away from zero
        room = (high - 2 * gap - magnitude) / size - 1
    else:
        room = (magnitude - low - gap) / size - 1
    most = math.floor(room) if room >= 1 else 0

    def holds(j: int) -> bool:
        return j <= most and abs(update(weight + j * increment) - increment) < gap / 2

    if not holds(1):
        return 1
    low_j, high_j = 1, 2  # gallop, then halve: holds(low_j), and not holds(high_j)
    while holds(high_j):
        low_j, high_j = high_j, 2 * high_j
    high_j = min(high_j, most + 1)
    while high_j - low_j > 1:
        middle = (low_j + high_j) // 2
        low_j, high_j = (middle, high_j) if holds(middle) else (low_j, middle)
    return low_j + 1


def _last_far_on(weight: float, increment: float, count: int, settings: Settings) -> int | None:
    """The last j below ``count`` whose weight ``weight + j * increment`` errs more than
    ``TOLERANCE``, or None. Along equal increments the miss is monotonic, so the far ones
    sit at the ends: at the last point, or before the first near one, which halving finds."""
    data, target = settings.data, settings.target

    def far(j: int) -> bool:
        return error_at(data, weight + j * increment, target) > TOLERANCE

    last = count - 1
    if far(last):
        return last
    if not far(0):
        return None
    low, high = 0, last
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if far(middle) else (low, middle)
    return low


def _followed(weight: float, iteration: int, last_far: int, model: Model) -> Fate:
    """The fate of a run followed to its end by exact stretches, when they get there."""
    path = follow(weight, model)
    return _ended(path, iteration, last_far, model)


def _ended(path: _Path, iteration: int, last_far: int, model: Model) -> Fate:
    """The fate once exact stretches from ``iteration`` reached an end (or did not)."""
    settings = model.settings
    far = iteration - 1 + path.last_far if path.last_far else last_far
    if path.end == "stops":
        return cycling([path.weight], iteration + path.steps, far, settings)
    if path.end == "cycles":
        start = iteration + path.cycle_from
        return cycling(path.cycle, start, far, settings)
    if path.end == "diverges":
        return Fate("diverges", iteration + path.steps, True)
    return _unfinished(path.weight, iteration + path.steps, model)


def _unfinished(weight: float, iteration: int, model: Model) -> Fate:
    """A run too long to follow: what it most likely does, and nothing of when."""
    settings = model.settings
    if model.best is None:
        return Fate("stalls", None, False, sure=False, low=iteration)
    if model.exact_shrink < 1:
        stop = first_stop(weight, model)
        error = error_at(settings.data, stop, settings.target)
        outcome = "converges" if error <= TOLERANCE else "stalls"
        return Fate(outcome, None, False, sure=False, low=iteration, near=stop)
    return Fate("bounces", None, False, sure=False)


# Creeping towards the answer (0 < shrink < 1) -------------------------------------------


def _width(weight: float, model: Model) -> float:
    """How many gaps between doubles the update from ``weight`` spans."""
    return abs(model.update(weight)) / math.ulp(weight)


@dataclass(frozen=True)
class _Count:
    """Iterations counted with their bounds: at least ``fewest``, about ``central``, at most
    ``most`` (None when rounding could hold the run up without end)."""

    fewest: int = 0
    central: float = 0.0
    most: int | None = 0

    def __add__(self, other: _Count) -> _Count:
        most = None if self.most is None or other.most is None else self.most + other.most
        return _Count(self.fewest + other.fewest, self.central + other.central, most)

    def fate(self, outcome: str, offset: int, **known: object) -> Fate:
        """A fate whose iteration is ``offset`` plus this count."""
        low, high = offset + self.fewest, None if self.most is None else offset + self.most
        at = None if high is None else min(max(offset + whole(self.central), low), high)
        return Fate(outcome, at, False, low=max(low, 1), high=high, **known)


def _steps(model: Model, start: float, end: float, way: tuple[float, float]) -> _Count:
    """How many iterations a run takes to bring its distance to the best weight from
    ``start`` down to ``end`` over the weights ``way`` (from, to): each scales it by the
    factor, give or take what rounding can add, at most the noise bound, a share of
    ``end`` or less. Distances are from the best weight as a double, within half a gap of
    the true one: that much more or less distance is a few more or fewer iterations."""
    wobble = model.noise(min(way), max(way)) / end
    fast, central, slow = _logs(model, wobble)
    ratio = math.log(end / start)  # negative
    offset = whole(math.ulp(model.best) / end / -central) + 1 if central < 0 else 0
    fewest = math.floor(ratio / fast) - 1 - offset if fast < 0 else 0
    middle = ratio / central if central < 0 else 0.0
    most = whole(ratio / slow) + 1 + offset if slow < 0 else None
    return _Count(max(0, fewest), middle, most)


def _logs(model: Model, wobble: float) -> tuple[float, float, float]:
    """The log of what one step scales the distance by: at fastest, exactly, and at
    slowest, with rounding's ``wobble`` (a share of the distance) either way; written
    with ``log1p`` near 1, where ``1 - shrink`` itself would round away the shrink."""
    shrink = _float(model.exact_shrink)
    low, high = math.nextafter(shrink, 0.0), math.nextafter(shrink, math.inf)
    if model.exact_shrink < 1:
        fast = math.log1p(-min(high + wobble, 1.0)) if high + wobble < 1 else -math.inf
        return fast, math.log1p(-shrink), math.log1p(-low + wobble)
    size = _float(model.exact_shrink - 1)
    smallest = math.nextafter(size, 0.0) - wobble
    fast = math.log(smallest) if smallest > 0 else -math.inf
    return fast, math.log(size), math.log(math.nextafter(size, 2.0) + wobble)


def _creep(weight: float, iteration: int, last_far: int, model: Model) -> Fate:
    """A run that creeps towards the best weight from one side, by a share of the distance.

    While the update spans many gaps between doubles, rounding hardly matters, and the
    factor carries the distance, binade by binade. Once it spans few, exact stretches
    follow it to where the update rounds away and it stops.
    """
    settings, best = model.settings, model.best
    data, target = settings.data, settings.target
    mirror = best - (weight - best)
    if max(error_at(data, weight, target), error_at(data, mirror, target)) <= TOLERANCE:
        # Already within the tolerance: creeping on, the distance only shrinks (or, right at
        # the end, rounding flips it to the other side, no further than the mirror).
        return Fate("converges", last_far + 1, True)
    start, count = weight, _Count()
    while _width(weight, model) > WIDE:
        end = _carry_end(weight, model)
        if end == weight:
            break
        if error_at(data, end, target) <= TOLERANCE:
            arrived = _arrives(weight, end, model)
            if arrived is not None:
                return (count + arrived).fate("converges", iteration)
        count = count + _steps(model, abs(weight - best), abs(end - best), (weight, end))
        weight = end
    path = follow(weight, model)
    if weight == start:
        return _ended(path, iteration, last_far, model)
    return _carried_end(path, start, iteration, count, model)


def _carry_end(weight: float, model: Model) -> float:
    """How far towards the best weight the factor may carry the run from ``weight``: half
    the distance, or less where the update would span ``WIDE`` gaps or fewer on the way."""
    half = model.best + (weight - model.best) / 2
    toward = 1 if ordinal(model.best) > ordinal(weight) else -1
    here, end = ordinal(weight), ordinal(half)

    def wide(position: int) -> bool:
        return _width(double(position), model) > WIDE

    for _ in range(4400):  # binade by binade: within one the width falls towards the best
        last = _binade_end(here, toward, end)
        if not wide(last):
            low, high = here, last  # wide at low, not at high
            while abs(high - low) > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if wide(middle) else (low, middle)
            return double(low)
        if last == end:
            break
        here = last + toward
    return half


def _arrives(weight: float, end: float, model: Model) -> _Count | None:
    """When a creeping run's error comes within ``TOLERANCE`` on its way from ``weight`` to
    ``end`` (None when it settles for good only past ``end``)."""
    best = model.best
    reach = abs(_first_near(weight, model) - best)  # errors above TOLERANCE until here
    settled = reach  # and within it for good from here
    while settled >= abs(end - best) and not model.settles(
        best + math.copysign(settled, weight - best)
    ):
        settled /= 1.01
    if settled < abs(end - best):
        return None
    distance = abs(weight - best)
    way = (weight, end)
    early, late = _steps(model, distance, reach, way), _steps(model, distance, settled, way)
    return _Count(early.fewest, early.central, late.most)


def _first_near(weight: float, model: Model) -> float:
    """The first double from ``weight`` towards the best weight whose error is at most
    ``TOLERANCE`` (the error falls all the way along)."""
    settings = model.settings
    data, target = settings.data, settings.target
    low, high = ordinal(weight), ordinal(model.best)  # not near at low, near at high
    while abs(high - low) > 1:
        middle = (low + high) // 2
        near = error_at(data, double(middle), target) <= TOLERANCE
        low, high = (low, middle) if near else (middle, high)
    return double(high)


def _carried_end(path: _Path, start: float, iteration: int, count: _Count, model: Model) -> Fate:
    """The fate of a creeping run carried by the factor from ``start``, then followed
    exactly from a weight on its way: the stretches count the end, the factor the rest."""
    settings = model.settings
    if path.end != "stops":
        return _unfinished(path.weight, iteration + count.fewest + path.steps, model)
    stop = path.weight
    slack = _Count(-2, 0.0, 2)  # where on its way the run really is, give or take a step
    if error_at(settings.data, stop, settings.target) <= TOLERANCE:
        last = _Count(path.last_far, path.last_far, path.last_far)
        return (count + slack + last).fate("converges", iteration)
    done = count + slack + _Count(path.steps, path.steps, path.steps)
    if first_stop(start, model) == stop and _no_way_past(stop, model):
        exact_end = done.fate("stalls", iteration, cycle=(stop,))
        return replace(exact_end, cycle_from=exact_end.at)
    return done.fate("stalls", iteration, near=stop)


def first_stop(weight: float, model: Model) -> float:
    """The first double from ``weight`` towards the best weight where the run stops.

    Within a binade the gap between doubles is one size and the update shrinks towards the
    best weight, so the doubles whose update rounds away come last, and halving finds the
    first of them; binade by binade, the first such binade holds it.
    """
    best = model.best
    toward = 1 if ordinal(best) > ordinal(weight) else -1
    here, end = ordinal(weight), ordinal(best)

    def stops(position: int) -> bool:
        point = double(position)
        return abs(model.update(point)) <= math.ulp(point) / 2

    for _ in range(4400):
        last = _binade_end(here, toward, end)
        if stops(last):
            low, high = here, last  # the first that stops is in (low, high]
            if stops(low):
                return _settled_at(double(low), model)
            while abs(high - low) > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if stops(middle) else (middle, high)
            return _settled_at(double(high), model)
        if last == end:
            break
        here = last + toward
    return best


def _settled_at(point: float, model: Model) -> float:
    """Where a run that reaches ``point`` stops: there, or a neighbour when a tie rounds
    its update to the even double."""
    for _ in range(4):
        after = point + model.update(point)
        if after == point:
            return point
        point = after
    return point


def _binade_end(position: int, toward: int, end: int) -> int:
    """The last double from ``position`` towards ``end`` that shares its gap."""
    point = double(position)
    low, high = _binade(point)
    if low == 0 or (toward > 0) == (point > 0):  # away from zero, or across the subnormals
        last = toward * (ordinal(high) - 1)
    else:
        last = -toward * ordinal(low)
    return end if (last - end) * toward > 0 else last


def _no_way_past(stop: float, model: Model) -> bool:
    """Whether every run that creeps up to ``stop`` lands on it rather than jumping past.

    The four doubles before it each step to the next, and no update from further back can
    be wide enough to jump over them: an update from ``n`` doubles back spans at most
    ``shrink * n`` gaps plus what rounding adds.
    """
    if model.exact_shrink > Fraction(1, 4):
        return False
    toward = 1 if ordinal(model.best) > ordinal(stop) else -1
    position = ordinal(stop)
    gap = math.ulp(stop)
    for back in range(1, 5):
        point = double(position - back * toward)
        if (
            math.ulp(point) != gap
            or ordinal(point + model.update(point)) != position - (back - 1) * toward
        ):
            return False
    low, high = sorted((double(position - 64 * toward), stop))
    spread = 2 * model.noise(low, high) / gap
    return model.shrink * 5 + 1 + spread <= 5


# Zig-zagging (1 <= shrink < 2) and spreading (shrink >= 2) ---------------------------------


def _zig_zag(weight: float, iteration: int, last_far: int, model: Model) -> Fate:
    """A run that jumps across the best weight, a little less far each time.

    Rounding adds at most the noise bound to each jump, so once the distance is below
    ``noise / (1 - |factor|)`` it may stop shrinking. If every weight that close errs at
    most ``TOLERANCE`` it converges for certain; otherwise it most likely ends hopping.
    """
    settings, best = model.settings, model.best
    data, target = settings.data, settings.target
    distance = abs(weight - best)
    radius = _radius(model, distance)
    if radius is not None and radius < distance:
        low, high = model.around(radius * (1 + 2.0**-20))
        if max(error_at(data, low, target), error_at(data, high, target)) <= TOLERANCE:
            return _zig_zag_arrives(weight, iteration, model, radius)
    likely = radius is None or error_at(data, best + radius / 5, target) > TOLERANCE
    return Fate("bounces" if likely else "converges", None, False, sure=False)


def _radius(model: Model, distance: float) -> float | None:
    """A distance within which a zig-zag now ``distance`` from the best weight stays for good,
    rounding included: from there down to it, every distance shrinks (``noise(r) <
    contraction * r``), and below it no step can leave it. None when rounding can outrun the
    contraction at ``distance`` already."""
    contraction = model.contraction()

    def shrinks(radius: float) -> bool:
        low, high = model.around(radius)
        noise = model.noise(low, high)
        return math.isfinite(noise) and noise < contraction * radius

    if contraction <= 0 or not shrinks(distance):
        return None
    radius = distance
    while radius / 2 > 0 and shrinks(radius / 2):  # binade by binade, at most about 2,100
        radius /= 2
    return radius


def _zig_zag_arrives(weight: float, iteration: int, model: Model, radius: float) -> Fate:
    """A zig-zag certain to converge: bounds on when its errors fall within ``TOLERANCE``."""
    settings, best = model.settings, model.best
    data, target = settings.data, settings.target

    def errors(distance: float) -> tuple[float, float]:
        return error_at(data, best - distance, target), error_at(data, best + distance, target)

    distance = abs(weight - best)
    near = distance  # within this every error is at most TOLERANCE, for good
    while near > radius and (max(errors(near)) > TOLERANCE or not model.settles(best + near)):
        near /= 1.01
    far = distance  # beyond this every error is above it
    while far / 1.01 > near and min(errors(far / 1.01)) > TOLERANCE:
        far /= 1.01
    if near <= radius:
        return Fate("converges", None, False, low=iteration)
    way = model.around(distance)
    early, late = _steps(model, distance, far, way), _steps(model, distance, near, way)
    return _Count(early.fewest, early.central, late.most).fate("converges", iteration)


def _spread(weight: float, iteration: int, model: Model) -> Fate:
    """A run whose jumps across the best weight do not shrink (``shrink >= 2``): certain to
    overflow when growth beats rounding; otherwise it most likely overflows if growth beats
    rounding's typical share (a fifth of its bound, as measured), else ends hopping."""
    if model.exact_shrink > 2 and model.escapes(weight):
        return model.overflow(weight, iteration)
    distance = abs(weight - model.best)
    low, high = model.around(distance)
    growth = -model.contraction()
    if distance > 0 and growth * distance > model.noise(low, high) / 5:
        likely = model.overflow(weight, iteration)
        return replace(likely, sure=False, exact=False, at=None, high=None)
    return Fate("bounces", None, False, sure=False)


def _float(value: Fraction) -> float:
    """A fraction as the nearest double, or an infinity beyond them."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


# Doubles in order ---------------------------------------------------------------------------


def ordinal(value: float) -> int:
    """A whole number for each double, in the doubles' order (0 for both zeros)."""
    (bits,) = struct.unpack("<Q", struct.pack("<d", value))
    return -(bits & (2**63 - 1)) if bits >> 63 else bits


def double(position: int) -> float:
    """The double of ``ordinal`` ``position``."""
    bits = position if position >= 0 else (-position) | (1 << 63)
    (value,) = struct.unpack("<d", struct.pack("<Q", bits))
    return value

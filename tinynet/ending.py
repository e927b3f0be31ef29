"""What a run does when it is played on for ever: the record of it, and how a repeating
stretch of weights names its outcome."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tinynet.analysis import TOLERANCE
from tinynet.network import best_weight, error_at
from tinynet.training import Settings


@dataclass(frozen=True)
class Fate:
    """What a run does if it is played on for ever, decided by the run itself.

    ``outcome`` is one of ``OUTCOMES``; ``sure`` says whether it is certain (played out, or
    carried on by arguments that leave no doubt) or only the likely one. ``at`` is the
    iteration from which it does so for good: the first iteration of the errors that stay at
    most ``TOLERANCE``, of the final hop, or of the stopped weight, or the iteration that
    overflows; None when no one can tell. ``exact`` says whether ``at`` and ``cycle_from``
    are exact; when they are not, the true ``at`` lies from ``low`` to ``high`` (None for no
    bound that way). ``cycle`` holds the weights it ends on, exactly (one when it stops, two
    or more when it hops), from iteration ``cycle_from``; ``near`` is where it stops when
    only roughly known.
    """

    outcome: str
    at: int | None
    exact: bool
    cycle: tuple[float, ...] = ()
    cycle_from: int | None = None
    sure: bool = True
    low: int | None = None
    high: int | None = None
    near: float | None = None

    def __post_init__(self) -> None:
        if self.exact and self.at is not None:
            object.__setattr__(self, "low", self.at)
            object.__setattr__(self, "high", self.at)


def cycling(cycle: Sequence[float], first: int, last_far: int, settings: Settings) -> Fate:
    """The fate of a run that repeats ``cycle`` from iteration ``first`` for ever;
    ``last_far`` is the last iteration with an error above ``TOLERANCE`` before it."""
    data, target = settings.data, settings.target
    errors = [error_at(data, weight, target) for weight in cycle]
    future = tuple(cycle)
    if max(errors) <= TOLERANCE:
        return Fate("converges", last_far + 1, True, future, first)
    if len(cycle) > 1 and (around(cycle, settings) or min(errors) <= TOLERANCE):
        return Fate("bounces", first, True, future, first)
    return Fate("stalls", first, True, future, first)


def around(weights: Sequence[float], settings: Settings) -> bool:
    """Whether ``weights`` lie on both sides of the best weight, or touch it."""
    best = best_weight(settings.data, settings.target)
    return best is not None and min(weights) <= best <= max(weights)


def whole(steps: float) -> int:
    """An estimated count of iterations, rounded up, bounded where floats run out."""
    if math.isnan(steps):
        return 0
    return math.ceil(min(steps, 1e300)) if steps > 0 else 0

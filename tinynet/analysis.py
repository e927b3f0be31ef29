"""Why a run behaves as it does: stability of gradient descent, where up and down ends,
and a plain verdict on a finished run."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from tinynet.network import squared_error
from tinynet.training import Run, checked_number

REGIMES = (
    "stalls",
    "converges",
    "one_step",
    "oscillates_converges",
    "oscillates_forever",
    "diverges",
)
TOLERANCE = 1e-10
"""An error at or below this counts as having reached the answer."""
MEASURABLE = 1e150
"""A factor at least this large would overflow when squared: words describe it, not digits."""


@dataclass(frozen=True)
class Stability:
    """How gradient descent moves the distance to the best weight ``target / data``.

    One step turns ``weight - best`` into ``factor * (weight - best)``, with
    ``factor = 1 - alpha * data**2`` (article's derivative) or
    ``1 - 2 * alpha * data**2`` (exact derivative). Alphas below
    ``max_stable_alpha`` converge; ``one_step_alpha`` lands on the answer in one
    step. Both are None when data is 0: then no alpha moves the weight.
    """

    factor: float
    max_stable_alpha: float | None
    one_step_alpha: float | None
    regime: str


def stability(data: float, alpha: float, exact_derivative: bool = False) -> Stability:
    """The contraction factor, the two critical alphas and the regime, before any run."""
    data = checked_number("data", data)
    alpha = checked_number("alpha", alpha, 0)
    curvature = (2 if exact_derivative else 1) * data * data
    if curvature == 0:
        return Stability(1.0, None, None, "stalls")
    factor = 1.0 if alpha == 0 else 1 - alpha * curvature
    return Stability(factor, 2 / curvature, 1 / curvature, _regime(factor))


def _regime(factor: float) -> str:
    if factor == 1:
        return "stalls"
    if 0 < factor < 1:
        return "converges"
    if factor == 0:
        return "one_step"
    if -1 < factor < 0:
        return "oscillates_converges"
    if factor == -1:
        return "oscillates_forever"
    return "diverges"


@dataclass(frozen=True)
class Bounce:
    """Where up and down ends: hopping between ``low`` and ``high = low + step``.

    ``low`` is the last weight on its path below the best weight and ``high`` the
    first at or above it; ``error_floor`` is the smaller of their two errors, the
    closest the fixed step can get. The run first stands on one of them at
    iteration ``reached_at``.
    """

    low: float
    high: float
    error_floor: float
    reached_at: int


def up_and_down_limit(weight: float, data: float, target: float, step: float) -> Bounce | None:
    """Where up and down settles, from the step and the best weight alone.

    It walks towards ``target / data`` one step at a time (up while below it,
    down once at or above it, since a tie goes down), so it ends between the two
    points of its path that bracket the answer. None when there is no such end:
    with data 0 every error is equal and it walks down for ever, and an answer
    too far away for a double to count the steps is out of reach.
    """
    weight = checked_number("weight", weight)
    data = checked_number("data", data)
    target = checked_number("target", target)
    step = checked_number("step", step, 0, above=True)
    if data == 0:
        return None
    best = target / data
    distance = abs(best - weight) / step
    if not math.isfinite(distance):
        return None
    if weight < best:
        steps = max(1, math.ceil(distance))  # at least one step up, even if distance underflowed
        high = weight + steps * step
        low = high - step
    else:
        steps = math.floor(distance) + 1
        low = weight - steps * step
        high = low + step
    floor = min(squared_error(data * low, target), squared_error(data * high, target))
    if not all(map(math.isfinite, (low, high, floor))):
        return None
    return Bounce(low, high, floor, reached_at=steps)


@dataclass(frozen=True)
class Verdict:
    """A plain-words summary of a finished run: what happened and why."""

    kind: str  # "converged", "bouncing", "still_moving", "diverged" or "stalled"
    headline: str
    reason: str


def verdict(run: Run) -> Verdict:
    """Converged, bouncing around the answer, still moving, stalled or diverged."""
    settings = run.settings
    if run.diverged:
        return _diverged(run)
    if settings.method == "up_and_down":
        return _up_and_down_verdict(run)
    return _gradient_descent_verdict(run)


def _how_far(factor: float) -> str:
    """How much further from the best weight a step of ``factor`` lands, in words."""
    return f"{abs(factor):.3g} times as far" if abs(factor) < MEASURABLE else "vastly further"


def _diverged(run: Run) -> Verdict:
    settings = run.settings
    headline = f"Diverged at iteration {run.diverged_at}"
    if settings.method == "gradient_descent":
        factor = stability(settings.data, settings.alpha, settings.exact_derivative).factor
        if abs(factor) > 1:
            return Verdict(
                "diverged",
                headline,
                f"Each step overshoots the best weight and lands {_how_far(factor)} away on the "
                "other side, so the error grows until it no longer fits in a number.",
            )
    return Verdict(
        "diverged",
        headline,
        "The numbers grew larger than a 64-bit float can hold, so the run stopped there.",
    )


def _up_and_down_verdict(run: Run) -> Verdict:
    settings = run.settings
    if settings.data == 0:
        return Verdict(
            "stalled",
            "Stuck: the error ignores the weight",
            "With data 0 every weight gives the same error, so each comparison is a tie "
            "and the weight just keeps stepping down.",
        )
    if run.final_weight == settings.weight and not np.any(run.weights != settings.weight):
        return Verdict(
            "stalled",
            "Stalled",
            "The step is too small to change a weight this large: in a 64-bit float "
            "weight + step is the same number as the weight.",
        )
    best = settings.target / settings.data
    bounce = up_and_down_limit(settings.weight, settings.data, settings.target, settings.step)
    updates = run.updates
    if bounce is not None and len(updates) >= 2 and updates[-1] == -updates[-2]:
        return Verdict(
            "bouncing",
            "Bouncing around the answer",
            f"The step never shrinks, so it hops between {bounce.low:.6g} and {bounce.high:.6g} "
            f"across the best weight {best:.6g}; its error cannot drop below "
            f"{bounce.error_floor:.3g}.",
        )
    if bounce is None:
        where = f"{best:.6g}" if math.isfinite(best) else "(too large for a 64-bit float)"
        return Verdict(
            "still_moving",
            "Still moving",
            f"It walks towards the best weight {where} by {settings.step:g} per iteration, "
            "but that is too far away to ever get there.",
        )
    return Verdict(
        "still_moving",
        "Still moving",
        f"It walks towards the best weight {best:.6g} by {settings.step:g} per iteration and "
        f"should reach it around iteration {bounce.reached_at:,}.",
    )


def _steps_between(now: float, goal: float, factor: float) -> str:
    """How many more iterations take the error from ``now`` to ``goal``, in words.

    The error scales by ``factor ** 2`` per step; worked out with logarithms,
    which neither overflow nor underflow.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        steps = (np.log(goal) - np.log(now)) / (2 * np.log(abs(factor)))
    if not np.isfinite(steps) or steps < 0 or steps > 1e15:
        return "an endless number of iterations"
    return f"about {math.ceil(steps):,} more iterations"


def _gradient_descent_verdict(run: Run) -> Verdict:
    settings = run.settings
    analysis = stability(settings.data, settings.alpha, settings.exact_derivative)
    factor = analysis.factor
    if analysis.regime == "stalls":
        return Verdict(
            "stalled",
            "Stalled",
            "alpha × data² is 0 (or too small to count), so no update moves the weight.",
        )
    if run.errors[0] == 0:
        return Verdict(
            "converged",
            "Converged",
            "It started on the answer: the error is 0, so is the gradient, and the weight stays.",
        )
    if run.errors[0] <= TOLERANCE:
        return Verdict(
            "converged",
            "Converged",
            f"It started close enough: the error was already below {TOLERANCE:g} at iteration 1.",
        )
    last_error = float(run.errors[-1])
    iterations = len(run.errors)
    if abs(factor) < MEASURABLE:
        scale = f"multiplies the distance to the best weight by {factor:.3g}"
    else:
        scale = "throws the weight vastly past the best weight"
    if last_error <= TOLERANCE or run.final_weight == run.weights[-1]:
        close = run.errors <= TOLERANCE
        if close.any():
            first = int(run.iterations[close][0])
            how = f"the error was below {TOLERANCE:g} from iteration {first}"
        else:
            how = "the weight stopped changing: it is the nearest number to the answer"
        return Verdict(
            "converged",
            "Converged",
            f"Each step {scale}, so {how}; at iteration {iterations} it is {last_error:.3g}.",
        )
    if analysis.regime == "diverges":
        growth = f"{factor * factor:.3g}-fold" if abs(factor) < MEASURABLE else "beyond measure"
        overflow = _steps_between(last_error, sys.float_info.max, factor)
        return Verdict(
            "diverged",
            "Diverging",
            f"Each step overshoots and lands {_how_far(factor)} away on the other side, so the "
            f"error grows {growth} per iteration; {overflow} would overflow it.",
        )
    if analysis.regime == "oscillates_forever":
        return Verdict(
            "bouncing",
            "Bouncing around the answer",
            "With alpha exactly at the stability limit each step jumps to the mirror image "
            "across the best weight, as far away as before, for ever.",
        )
    if analysis.regime == "one_step":
        return Verdict(
            "still_moving",
            "Still moving",
            "This alpha lands on the answer in one step, but rounding leaves the weight a hair "
            "away from it, and each step lands a hair away again.",
        )
    more = _steps_between(last_error, TOLERANCE, factor)
    return Verdict(
        "still_moving",
        "Still moving",
        f"Each step {scale}; {more} would bring the error below {TOLERANCE:g}.",
    )

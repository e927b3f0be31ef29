"""What gradient descent will do before any run: the factor by which one step scales the
distance to the best weight, the critical alphas, and the one vocabulary of outcomes."""

from __future__ import annotations

from dataclasses import dataclass

from tinynet.training import checked_number

OUTCOMES = ("converges", "bounces", "diverges", "stalls")
"""What a run does if it is played on for ever, the one vocabulary of verdicts, forecasts,
presets and the quiz:

- ``converges``: from some iteration on, every error is at most ``TOLERANCE``;
- ``diverges``: its numbers overflow a 64-bit float;
- ``bounces``: otherwise, it ends hopping for ever among weights that lie on both sides of
  the best weight (or touch it);
- ``stalls``: otherwise, it gets stuck short of the answer: the weight stops changing,
  hops without getting nearer, or (with data 0) the error never changes at all.
"""
TOLERANCE = 1e-10
"""An error at or below this counts as having reached the answer."""
HUGE = 1e150
"""Numbers at least this large may overflow when squared (the largest double is about
1.8e308), so sentences describe them in words and the sweep looks closer."""


@dataclass(frozen=True)
class Stability:
    """How gradient descent moves the distance to the best weight ``target / data``.

    One step turns ``weight - best`` into ``factor * (weight - best)``, with
    ``factor = 1 - shrink`` and ``shrink = alpha * data**2`` (article's half
    gradient) or ``2 * alpha * data**2`` (exact derivative). ``shrink`` is kept
    because ``1 - shrink`` rounds to 1 once shrink is below about 1e-16. Alphas
    below ``max_stable_alpha`` converge; ``one_step_alpha`` lands on the answer in
    one step; both are None when data is 0. ``outcome`` is what this factor does
    in exact arithmetic; rounding can stop a real run sooner (see ``fate``).
    """

    factor: float
    max_stable_alpha: float | None
    one_step_alpha: float | None
    outcome: str
    shrink: float


def stability(data: float, alpha: float, exact_derivative: bool = False) -> Stability:
    """The contraction factor, the two critical alphas and the outcome, before any run."""
    data = checked_number("data", data)
    alpha = checked_number("alpha", alpha, 0)
    curvature = (2 if exact_derivative else 1) * data * data
    if data == 0 or alpha == 0:  # then every update is 0: no weight ever moves
        critical = (None, None) if curvature == 0 else (2 / curvature, 1 / curvature)
        return Stability(1.0, *critical, "stalls", 0.0)
    shrink = alpha * curvature
    if curvature == 0:  # data * data underflowed, yet updates still move the weight
        return Stability(1 - shrink, None, None, "converges", shrink)
    outcome = "converges" if shrink < 2 else "bounces" if shrink == 2 else "diverges"
    return Stability(1 - shrink, 2 / curvature, 1 / curvature, outcome, shrink)

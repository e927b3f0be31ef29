"""Gradient descent for hundreds of alphas at once, vectorised with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tinynet.analysis import HUGE, TOLERANCE, stability
from tinynet.network import error_at
from tinynet.training import Settings, short_repr

_CHUNK = 256  # iterations simulated between two looks at the history


@dataclass(frozen=True, eq=False)
class Sweep:
    """The outcome of the same run for each alpha in ``alphas``.

    ``final_errors`` is the error logged at the last iteration (NaN where the run
    diverged), ``diverged_at`` the iteration that overflowed (0 where none did),
    ``reached_at`` the first iteration whose error is at most ``tolerance`` (0
    where none is).
    """

    alphas: np.ndarray
    final_errors: np.ndarray
    diverged_at: np.ndarray
    reached_at: np.ndarray
    tolerance: float
    iterations: int


def alpha_grid(
    data: float, alpha: float, exact_derivative: bool = False, count: int = 300
) -> np.ndarray:
    """``count`` log-spaced alphas spanning every regime, widened to include ``alpha``.

    From a thousandth of the one-step alpha (barely moving) to three times the
    stability limit (diverging); from 0.001 to 10 when those alphas are 0, infinite
    or too extreme to span. No grid reaches below 1e-300 or above 1e300.
    """
    analysis = stability(data, alpha, exact_derivative)
    low, high = 1e-3, 10.0
    one_step = analysis.one_step_alpha
    if one_step is not None and 1e-300 < one_step < 1e300:
        low, high = one_step * 1e-3, analysis.max_stable_alpha * 3
    if alpha > 0:  # as far as a grid can reach: 1e-300 to 1e300
        low = max(min(low, alpha / 2), 1e-300)
        high = min(max(high, alpha * 2), 1e300)
    return np.geomspace(low, high, count)


def sweep(
    alphas: np.ndarray,
    *,
    weight: float,
    data: float,
    target: float,
    iterations: int,
    exact_derivative: bool = False,
    tolerance: float = TOLERANCE,
) -> Sweep:
    """Run gradient descent for every alpha in ``alphas`` side by side.

    Each column follows exactly the operations of ``tinynet.train``, so every
    number equals, bit for bit, what the single run with that alpha gives. Bad
    settings raise ``ValueError`` as ``train`` does.
    """
    alphas = np.array(alphas, dtype=np.float64)
    if alphas.ndim != 1 or not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError("alphas must be a one-dimensional list of finite numbers of at least 0")
    if not np.isfinite(tolerance) or tolerance < 0:
        raise ValueError(
            f"tolerance must be a finite number of at least 0, got {short_repr(tolerance)}"
        )
    settings = Settings(  # alpha 0 stands for every alpha: each column has its own
        "gradient_descent",
        weight=weight,
        data=data,
        target=target,
        iterations=iterations,
        alpha=0.0,
        exact_derivative=exact_derivative,
    )
    runs = _Columns(settings, alphas, tolerance)
    with np.errstate(all="ignore"):
        while runs.columns.size:
            runs.advance(min(_CHUNK, settings.iterations - runs.done))
    return Sweep(
        alphas,
        runs.final_errors,
        runs.diverged_at,
        runs.reached_at,
        float(tolerance),
        settings.iterations,
    )


class _Columns:
    """The runs still moving, simulated a chunk of iterations at a time.

    A run leaves as soon as its outcome is known: when it overflows, when an
    update leaves its weight unchanged (every later iteration repeats it), or at
    the last iteration.
    """

    def __init__(self, settings: Settings, alphas: np.ndarray, tolerance: float) -> None:
        self.data = np.float64(settings.data)
        self.target = np.float64(settings.target)
        # network.gradient's factor: (prediction - target) * data, or 2 * data * (...).
        self.scale = np.float64(2 * settings.data) if settings.exact_derivative else self.data
        self.iterations = settings.iterations
        self.tolerance = tolerance
        count = len(alphas)
        self.final_errors = np.full(count, np.nan)
        self.diverged_at = np.zeros(count, dtype=np.int64)
        self.reached_at = np.zeros(count, dtype=np.int64)
        self.done = 0
        self.columns = np.arange(count)
        # Buffers for every run; as runs leave, the ones still moving use their first columns.
        self.buffer = np.empty((_CHUNK + 1, count))
        self.full_rows = [np.full(count, value) for value in (self.data, self.target, self.scale)]
        self.step_row = np.empty(count)
        self._start(np.full(count, settings.weight), alphas)

    def _start(self, weights: np.ndarray, alphas: np.ndarray) -> None:
        count = len(alphas)
        self.alphas = alphas
        self.weights = self.buffer[:, :count]
        self.weights[0] = weights
        # The hot loop calls ufuncs on a few hundred numbers, so their call overhead is the
        # cost: row views made once, and constants as whole rows, halve it.
        self.rows = list(self.weights)
        self.constants = [row[:count] for row in self.full_rows]
        self.step = self.step_row[:count]

    def advance(self, count: int) -> None:
        """Simulate ``count`` iterations, then retire the runs whose outcome is known."""
        (data, target, scale), alphas, step = self.constants, self.alphas, self.step
        multiply, subtract = np.multiply, np.subtract
        for before, after in zip(self.rows[:count], self.rows[1 : count + 1], strict=True):
            # weight - alpha * gradient, in train's order of operations, in place.
            multiply(data, before, step)
            subtract(step, target, step)
            multiply(step, scale, step)
            multiply(alphas, step, step)
            subtract(before, step, after)
        history = self.weights[: count + 1]
        self._arrivals(history)
        self._overflows(history)
        self.done += count

        alive = self.diverged_at[self.columns] == 0
        finished = alive & ((history[-1] == history[-2]) | (self.done == self.iterations))
        last_errors = error_at(self.data, history[-2], self.target)
        self.final_errors[self.columns[finished]] = last_errors[finished]
        staying = alive & ~finished
        if staying.all():
            self.weights[0] = history[-1]
        else:
            self.columns = self.columns[staying]
            self._start(history[-1, staying], alphas[staying])

    def _arrivals(self, history: np.ndarray) -> None:
        """Note the first iteration at or below the tolerance, for runs yet to get there."""
        waiting = np.flatnonzero(
            (self.reached_at[self.columns] == 0) & (self.diverged_at[self.columns] == 0)
        )
        if waiting.size:
            close = error_at(self.data, history[:-1, waiting], self.target) <= self.tolerance
            hit = close.any(axis=0)
            self.reached_at[self.columns[waiting[hit]]] = (
                self.done + 1 + close[:, hit].argmax(axis=0)
            )

    def _overflows(self, history: np.ndarray) -> None:
        """Mark where runs stopped, by train's rule: their error or next weight overflowed.

        The distance to the best weight shrinks or grows geometrically, so the
        miss stays small all through the chunk when it is small at both ends;
        only the other runs are examined row by row.
        """
        ends = np.abs(self.data * history[[0, -1]] - self.target).max(axis=0)
        for index in np.flatnonzero(~(ends < HUGE)):
            column = self.columns[index]
            errors = error_at(self.data, history[:-1, index], self.target)
            broken = ~np.isfinite(errors) | ~np.isfinite(history[1:, index])
            if broken.any():
                stop = self.done + 1 + int(broken.argmax())
                self.diverged_at[column] = stop
                if self.reached_at[column] >= stop:
                    self.reached_at[column] = 0

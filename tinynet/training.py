"""Training the one-weight network, with the article's numbers to the last bit."""

from __future__ import annotations

import math
import numbers
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from tinynet.network import Number, error_at, gradient, predict, squared_error
from tinynet.number_words import log_line

METHODS = ("up_and_down", "gradient_descent")
MAX_ITERATIONS = 1_000_000
DEFAULTS = {"step": 0.05, "alpha": 0.1, "exact_derivative": False}
"""The settings a run may leave out: the article's step and alpha, and its half gradient."""


def short_repr(value: object, room: int = 40) -> str:
    """``repr(value)``, cut short: a message should not repeat a huge input. Text is cut
    inside its quotes (``'11…'``), anything else at the end."""
    if isinstance(value, str):
        return repr(value if len(value) <= room else value[:room] + "…")
    text = repr(value)
    return text if len(text) <= room else text[: room - 1] + "…"


def checked_number(
    name: str,
    value: object,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    above: bool = False,
) -> float:
    """``value`` as a float from ``low`` to ``high`` (above ``low`` with ``above``), or a
    ValueError that names the setting and its range. Never a bool, text, NaN or infinity."""
    if above:
        allowed = f"a finite number greater than {low:g}"
    elif low > -math.inf and high < math.inf:
        allowed = f"a number from {low:g} to {high:g}"
    elif low > -math.inf:
        allowed = f"a finite number of at least {low:g}"
    else:
        allowed = "a finite number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be {allowed}, got {short_repr(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not low <= number <= high or not math.isfinite(number) or (above and number == low):
        raise ValueError(f"{name} must be {allowed}, got {short_repr(value)}")
    return number


def checked_iterations(value: object) -> int:
    allowed = f"a whole number from 1 to {MAX_ITERATIONS:,}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"iterations must be {allowed}, got {short_repr(value)}")
    if not 1 <= value <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be {allowed}, got {short_repr(value)}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    """One experiment: the method and every number it starts from.

    Building one checks every setting and raises ``ValueError`` naming the
    first bad one and its allowed range.
    """

    method: str
    weight: float
    data: float
    target: float
    iterations: int
    step: float = DEFAULTS["step"]
    alpha: float = DEFAULTS["alpha"]
    exact_derivative: bool = DEFAULTS["exact_derivative"]

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(
                f"method must be 'up_and_down' or 'gradient_descent', got {short_repr(self.method)}"
            )
        checked = {
            "weight": checked_number("weight", self.weight),
            "data": checked_number("data", self.data),
            "target": checked_number("target", self.target),
            "iterations": checked_iterations(self.iterations),
            "step": checked_number("step", self.step, 0, above=True),
            "alpha": checked_number("alpha", self.alpha, 0),
        }
        if not isinstance(self.exact_derivative, bool):
            raise ValueError(
                f"exact_derivative must be True or False, got {short_repr(self.exact_derivative)}"
            )
        for name, value in checked.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True, eq=False)
class Run:
    """The history of one training run, one entry per iteration.

    Entry ``i`` is iteration ``i + 1``: the weight it started from, the prediction
    and error computed from that weight (what the article logs), and the update
    then applied to the weight. ``final_weight`` is the weight after the last
    update. A run that overflowed keeps only its finite iterations and has
    ``diverged`` set.
    """

    settings: Settings
    weights: np.ndarray
    predictions: np.ndarray
    errors: np.ndarray
    updates: np.ndarray
    final_weight: float
    diverged: bool
    iterations: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "iterations", np.arange(1, len(self.weights) + 1))
        for name in ("weights", "predictions", "errors", "updates", "iterations"):
            getattr(self, name).flags.writeable = False

    @property
    def diverged_at(self) -> int | None:
        """The iteration whose numbers overflowed, or None if the run stayed finite."""
        return len(self.weights) + 1 if self.diverged else None

    def to_csv(self) -> str:
        """The history as CSV, with every number written so that it reads back exactly."""
        rows = zip(
            self.iterations.tolist(),
            self.weights.tolist(),
            self.predictions.tolist(),
            self.errors.tolist(),
            self.updates.tolist(),
            strict=True,
        )
        lines = ["iteration,weight,prediction,error,update"]
        lines += [",".join(map(repr, row)) for row in rows]
        return "\n".join(lines) + "\n"

    def log_lines(self) -> list[str]:
        """The article's console output for this run, character for character."""
        return [
            log_line(iteration, error, prediction)
            for iteration, error, prediction in zip(
                self.iterations.tolist(),
                self.errors.tolist(),
                self.predictions.tolist(),
                strict=True,
            )
        ]


def goes_up(up_error: Number, down_error: Number) -> Number:
    """Up and down's rule: step up only when ``error(weight + step) < error(weight - step)``.

    The comparison is strict, so a tie steps down, as in the article. It works on floats
    and, element by element, on numpy arrays.
    """
    return up_error < down_error


def up_and_down_update(settings: Settings) -> Callable[[float], float]:
    """Up and down: ``update = +step`` towards the smaller error by ``goes_up``, else ``-step``."""
    data, target, step = settings.data, settings.target, settings.step

    def update(weight: float) -> float:
        up_error = error_at(data, weight + step, target)
        return step if goes_up(up_error, error_at(data, weight - step, target)) else -step

    return update


def gradient_descent_update(settings: Settings) -> Callable[[float], float]:
    """Gradient descent: ``update = -alpha * gradient``.

    With the article's half gradient that is ``-alpha * data * (prediction - target)``;
    alpha = 1 is the article's run without a learning rate.
    """
    data, target, alpha, exact_derivative = (
        settings.data,
        settings.target,
        settings.alpha,
        settings.exact_derivative,
    )

    def update(weight: float) -> float:
        return -(alpha * gradient(data, weight, target, exact_derivative))

    return update


UPDATES = {"up_and_down": up_and_down_update, "gradient_descent": gradient_descent_update}
_UNSET: Any = object()  # an argument the caller left out


@overload
def train(method: Settings) -> Run: ...


@overload
def train(
    method: str,
    *,
    weight: float,
    data: float,
    target: float,
    iterations: int,
    step: float = ...,
    alpha: float = ...,
    exact_derivative: bool = ...,
) -> Run: ...


def train(
    method: str | Settings,
    *,
    weight: float = _UNSET,
    data: float = _UNSET,
    target: float = _UNSET,
    iterations: int = _UNSET,
    step: float = _UNSET,
    alpha: float = _UNSET,
    exact_derivative: bool = _UNSET,
) -> Run:
    """Train the one-weight network and return its whole history.

    Call it with one ``Settings``, or with the method and the settings as keywords:
    ``train("gradient_descent", weight=0.5, data=3, target=4, iterations=20, alpha=0.1)``.
    ``method`` is ``"up_and_down"`` (step by ``step``, default 0.05, towards the
    smaller error) or ``"gradient_descent"`` (``weight -= alpha * gradient``, alpha
    0.1 by default; ``alpha=1`` is the article's run without a learning rate).
    ``exact_derivative=True`` uses the true derivative ``2 * data * (prediction -
    target)`` instead of the article's half of it. Every number equals what the
    article's JavaScript computes for the same settings. Bad settings raise
    ``ValueError``; overflow ends the run with ``diverged=True``.
    """
    given = {
        "weight": weight,
        "data": data,
        "target": target,
        "iterations": iterations,
        "step": step,
        "alpha": alpha,
        "exact_derivative": exact_derivative,
    }
    if isinstance(method, Settings):
        if any(value is not _UNSET for value in given.values()):
            raise TypeError("train(settings) takes no other arguments: the settings hold them all")
        return _run(method)
    missing = [repr(name) for name, value in list(given.items())[:4] if value is _UNSET]
    if missing:
        count = len(missing)
        names = (
            missing[0]
            if count == 1
            else f"{', '.join(missing[:-1])}{',' * (count > 2)} and {missing[-1]}"
        )
        plural = "s" if count > 1 else ""
        raise TypeError(f"train() missing {count} required keyword-only argument{plural}: {names}")
    chosen = {name: value for name, value in given.items() if value is not _UNSET}
    return _run(Settings(method, **chosen))


def _run(settings: Settings) -> Run:
    weights: array = array("d")
    updates: array = array("d")
    update_for = UPDATES[settings.method](settings)
    weight = settings.weight
    for _ in range(settings.iterations):
        update = update_for(weight)
        next_weight = weight + update  # weight + (-x) is bit for bit weight - x
        if not math.isfinite(next_weight):
            break
        weights.append(weight)
        updates.append(update)
        weight = next_weight
    final_weight = weight
    stopped_early = len(weights) < settings.iterations

    weight_history = np.frombuffer(weights, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        predictions = predict(settings.data, weight_history)
        errors = squared_error(predictions, settings.target)
    overflowed = ~np.isfinite(errors)
    if overflowed.any():
        # The error at this weight no longer fits in a double: stop before it.
        last = int(overflowed.argmax())
        final_weight = float(weight_history[last])
        stopped_early = True
    else:
        last = len(weight_history)
    return Run(
        settings=settings,
        weights=weight_history[:last],
        predictions=predictions[:last],
        errors=errors[:last],
        updates=np.frombuffer(updates, dtype=np.float64)[:last],
        final_weight=final_weight,
        diverged=stopped_early,
    )

"""Lesson 2, a line through many points: the data and its sums, the error surface, training
by batch, mini-batch or stochastic steps (with momentum or Adam), stability before a run,
where a run ends, presets, and points read from CSV."""

from __future__ import annotations

import csv
import functools
import io
import math
import numbers
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from tinynet.analysis import TOLERANCE
from tinynet.number_words import number_text
from tinynet.training import checked_number, short_repr

MAX_POINTS = 100_000
MAX_LINE_ITERATIONS = 100_000
DIRECT_POINTS = 1_000
"""Up to this many points the error and the gradient are direct means over the points (as a
student computes them, and lesson 1's bits); above it they come from the data's sums."""
LARGEST = 1e100
"""Every x and y is 0 or between 1/LARGEST and LARGEST in size, so that no sum, square or
least-squares line over ``MAX_POINTS`` points can overflow or underflow."""


# The data and its sums ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LineData:
    """N points ``(x, y)`` and the sums that the whole error surface is made of.

    All are taken about the means, so that nothing cancels: ``spread = (1/N)·Σ(x − x̄)²``
    and ``covariance = (1/N)·Σ(x − x̄)(y − ȳ)``. The best line, ``best_weight = covariance /
    spread`` and ``best_bias = ȳ − best_weight·x̄``, is None when every x is the same (every
    line through the mean point is then as good); ``least_error``, the least error any line
    has, is the mean of its squared residuals, computed once.
    """

    xs: np.ndarray
    ys: np.ndarray
    mean_x: float
    mean_y: float
    spread: float
    covariance: float
    least_error: float
    best_weight: float | None
    best_bias: float | None

    @property
    def count(self) -> int:
        return len(self.xs)


def _column(name: str, values: object) -> np.ndarray:
    """``values`` as a read-only float64 array, or a ValueError naming the column."""
    allowed = f"{name} must be a list of finite numbers, each 0 or between 1e-100 and 1e100 in size"
    given = np.asarray(values) if not isinstance(values, (str, bytes)) else np.array(None)
    if given.dtype.kind not in "iuf" or given.ndim != 1:
        raise ValueError(f"{allowed}, got {short_repr(values)}")
    if not 1 <= len(given) <= MAX_POINTS:
        raise ValueError(f"{name} must hold from 1 to {MAX_POINTS:,} numbers, got {len(given):,}")
    column = np.array(given, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        size = np.abs(column)
        bad = ~np.isfinite(column) | ((size != 0) & ((size < 1 / LARGEST) | (size > LARGEST)))
    if bad.any():
        index = int(bad.argmax())
        raise ValueError(f"{allowed}; item {index} is {float(column[index])!r}")
    column.flags.writeable = False
    return column


def _sum(values: np.ndarray) -> float:
    """``Σ values`` by numpy's pairwise sum, which needs no BLAS; a single value is kept as it
    is, with the sign of a zero, as lesson 1 keeps its one product."""
    return float(values[0]) if len(values) == 1 else float(values.sum())


def _moments(xs: np.ndarray) -> tuple[float, float, np.ndarray]:
    """The mean x̄, the spread ``(1/N)·Σ(x − x̄)²`` and the deviations ``x − x̄``."""
    mean_x = float(np.mean(xs))
    across = xs - mean_x
    return mean_x, _sum(across * across) / len(xs), across


def line_data(xs: object, ys: object) -> LineData:
    """Checks the points (a ``ValueError`` names ``xs`` or ``ys``) and takes their sums."""
    xs, ys = _column("xs", xs), _column("ys", ys)
    if len(xs) != len(ys):
        raise ValueError(f"xs and ys must be as long, got {len(xs):,} and {len(ys):,} numbers")
    mean_x, spread, across = _moments(xs)
    mean_y = float(np.mean(ys))
    up = ys - mean_y
    covariance = _sum(across * up) / len(xs)
    best_weight = best_bias = None
    residuals = -up
    if spread > 0:
        best_weight = covariance / spread
        best_bias = mean_y - best_weight * mean_x
        residuals = best_weight * across - up
    least_error = _sum(residuals * residuals) / len(xs)
    return LineData(xs, ys, mean_x, mean_y, spread, covariance, least_error, best_weight, best_bias)


def centre_and_scale(xs: object) -> np.ndarray:
    """``(x − x̄) / σ``, σ the root of the spread: the points seen from their mean, in units
    of their spread. The error surface becomes round (condition number 1)."""
    _, spread, across = _moments(_column("xs", xs))
    if spread == 0:
        raise ValueError("xs must hold at least two different numbers to be centred and scaled")
    scaled = across / math.sqrt(spread)
    scaled.flags.writeable = False
    return scaled


# The model and its error surface ------------------------------------------------------------


def predict_line(xs: np.ndarray, weight: float, bias: float) -> np.ndarray:
    """The line's predictions, ``prediction = weight·x + bias``.

    A zero bias is added as −0.0, the one number whose addition changes no bit, so that with
    the bias at 0 the predictions are lesson 1's ``data * weight`` to the last bit.
    """
    return xs * weight + (bias or -0.0)


def _direct(
    xs: np.ndarray, ys: np.ndarray, weight: float, bias: float, scale: float
) -> tuple[float, float, float]:
    """The error and the gradient over these points from their misses ``delta = prediction −
    y``: error ``(1/N)·Σ delta²`` and gradient ``(1/N)·Σ scale·delta·(x, 1)``, with ``scale``
    1 for lesson 1's half gradient or 2 for the exact derivative. It multiplies x first, as
    lesson 1 computes ``2 * data * (prediction - target)``."""
    deltas = predict_line(xs, weight, bias) - ys
    count = len(deltas)
    slope_x = xs if scale == 1 else scale * xs
    error = _sum(deltas * deltas) / count
    return error, _sum(slope_x * deltas) / count, scale * _sum(deltas) / count


def _parts(data: LineData, weight: object, bias: object) -> tuple[object, object]:
    """``weight − best_weight`` (0 without a best weight, when spread is 0) and
    ``level = weight·x̄ + bias − ȳ``, the line's miss at the mean point."""
    off = 0.0 if data.best_weight is None else weight - data.best_weight
    return off, weight * data.mean_x + bias - data.mean_y


def _excess(data: LineData, weight: object, bias: object) -> object:
    """How far the error is above the least error: ``spread·(weight − best_weight)² + level²``.

    Neither term is ever negative, so nothing cancels near the best line, where the raw
    sums Σx², Σxy and Σy² of the textbook expansion would lose every digit.
    """
    off, level = _parts(data, weight, bias)
    return data.spread * off * off + level * level


def _from_sums(data: LineData, weight: float, bias: float, scale: float) -> tuple[float, ...]:
    """The error ``least_error + excess`` and the gradient
    ``scale·(spread·(weight − best_weight) + x̄·level, level)``, at a cost independent of N."""
    off, level = _parts(data, weight, bias)
    gradient = scale * (data.spread * off + data.mean_x * level), scale * level
    return _excess(data, weight, bias) + data.least_error, *gradient


def _full(data: LineData, weight: float, bias: float, scale: float) -> tuple[float, ...]:
    if data.count > DIRECT_POINTS:
        return _from_sums(data, weight, bias, scale)
    return _direct(data.xs, data.ys, weight, bias, scale)


def line_error(data: LineData, weight: float, bias: float) -> float:
    """The mean squared error ``(1/N)·Σ(weight·x + bias − y)²``: a direct mean up to
    ``DIRECT_POINTS`` points, from the data's sums above."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _full(data, weight, bias, 1.0)[0]


def line_gradient(
    data: LineData, weight: float, bias: float, exact_derivative: bool = False
) -> tuple[float, float]:
    """How the error changes with (weight, bias), as the update uses it: lesson 1's half
    gradient, the means of ``delta·x`` and of ``delta``; with ``exact_derivative``, the true
    gradient ``(2/N)·Σ delta·(x, 1)``. Minus it points down the steepest slope, at right
    angles to the contour."""
    with np.errstate(over="ignore", invalid="ignore"):
        _, by_weight, by_bias = _full(data, weight, bias, 2.0 if exact_derivative else 1.0)
    return by_weight, by_bias


def error_surface(data: LineData, weights: object, biases: object) -> np.ndarray:
    """The error at (weight, bias) pairs broadcast like numpy arithmetic, ``least_error +
    excess``, at a cost independent of the number of points.

    ``error_surface(data, weights[None, :], biases[:, None])`` is a contour chart's grid,
    one row per bias; ``error_surface(data, weights, bias)`` is the slice along the weight
    with the bias held, lesson 1's error curve, whose tangent at a weight has the slope
    ``line_gradient(data, weight, bias, exact_derivative=True)[0]``.
    """
    weights, biases = np.asarray(weights, dtype=float), np.asarray(biases, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        return _excess(data, weights, biases) + data.least_error


@dataclass(frozen=True)
class BestLine:
    """A best line and its error; with a parameter held, the best the other can do."""

    weight: float
    bias: float
    error: float


def best_line(
    data: LineData, *, weight: float | None = None, bias: float | None = None
) -> BestLine | None:
    """The least-squares line or, with the weight or the bias held, the best line keeping it.

    Unconstrained: ``best_weight``, ``best_bias``. The bias held at b: ``weight = (covariance
    + x̄·(ȳ − b)) / (spread + x̄²)``, where the slope along the weight is 0. The weight held at
    w: ``bias = ȳ − w·x̄``. Both held: that line. None when no single line is best (every x
    the same, or every x 0 with the bias held).
    """
    if weight is None and bias is None:
        if data.best_weight is None:
            return None
        return BestLine(data.best_weight, data.best_bias, data.least_error)
    if bias is None:
        bias = data.mean_y - weight * data.mean_x
    elif weight is None:
        square = data.spread + data.mean_x * data.mean_x
        if square == 0:
            return None
        weight = (data.covariance + data.mean_x * (data.mean_y - bias)) / square
    return BestLine(weight, bias, float(error_surface(data, weight, bias)))


# Training -----------------------------------------------------------------------------------


def _whole(name: str, value: object, low: int, high: int) -> int:
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not whole or not low <= value <= high:
        raise ValueError(
            f"{name} must be a whole number from {low:,} to {high:,}, got {short_repr(value)}"
        )
    return int(value)


def _fraction(name: str, value: object) -> float:
    number = checked_number(name, value, 0)
    if number >= 1:
        raise ValueError(f"{name} must be at least 0 and below 1, got {short_repr(value)}")
    return number


@dataclass(frozen=True)
class LineSettings:
    """One lesson-2 experiment: where the line starts and how it learns.

    ``batch_size`` None, or at least the number of points, steps on all the points in their
    order; otherwise each step takes ``batch_size`` points, shuffled each epoch from ``seed``
    (1 is stochastic gradient descent). ``momentum`` is β in Distill's form; ``adam``
    switches to Adam with ``beta1``, ``beta2`` and ``epsilon``. A frozen parameter keeps
    its start. Building one checks every setting, raising ``ValueError`` naming the first bad.
    """

    weight: float
    bias: float
    alpha: float
    iterations: int
    batch_size: int | None = None
    momentum: float = 0.0
    adam: bool = False
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    seed: int = 0
    exact_derivative: bool = False
    freeze_weight: bool = False
    freeze_bias: bool = False

    def __post_init__(self) -> None:
        checked = {
            "weight": checked_number("weight", self.weight),
            "bias": checked_number("bias", self.bias),
            "alpha": checked_number("alpha", self.alpha, 0),
            "iterations": _whole("iterations", self.iterations, 1, MAX_LINE_ITERATIONS),
            "momentum": _fraction("momentum", self.momentum),
            "beta1": _fraction("beta1", self.beta1),
            "beta2": _fraction("beta2", self.beta2),
            "epsilon": checked_number("epsilon", self.epsilon, 0, above=True),
            "seed": _whole("seed", self.seed, 0, 2**63 - 1),
        }
        if self.batch_size is not None:
            checked["batch_size"] = _whole("batch_size", self.batch_size, 1, MAX_POINTS)
        for name in ("adam", "exact_derivative", "freeze_weight", "freeze_bias"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.adam and checked["momentum"]:
            raise ValueError(
                f"momentum must be 0 with adam, which has its own beta1, got {self.momentum!r}"
            )
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def stochastic(self, count: int) -> bool:
        """Whether each step sees only some of ``count`` points."""
        return self.batch_size is not None and self.batch_size < count


HISTORY = (
    "weights",
    "biases",
    "errors",
    "batch_errors",
    "weight_gradients",
    "bias_gradients",
    "weight_steps",
    "bias_steps",
)


@dataclass(frozen=True, eq=False)
class LineRun:
    """The history of one lesson-2 run, one entry per iteration, every array read-only.

    Entry ``i`` is iteration ``i + 1``: the line it starts from (``weights``, ``biases``),
    the error over all the points there (``errors``, logged before the update, as lesson 1
    logs it), the error over its mini-batch (``batch_errors``; the same for batch steps),
    the full data's gradient there in the update's convention (``weight_gradients``,
    ``bias_gradients``; minus it is the steepest way down) and the step actually added
    (``weight_steps``, ``bias_steps``; 0 for a frozen parameter). ``final_weight`` and
    ``final_bias`` are the line after the last update. A run whose numbers overflow keeps
    only its finite iterations and has ``diverged`` set.
    """

    data: LineData
    settings: LineSettings
    weights: np.ndarray
    biases: np.ndarray
    errors: np.ndarray
    batch_errors: np.ndarray
    weight_gradients: np.ndarray
    bias_gradients: np.ndarray
    weight_steps: np.ndarray
    bias_steps: np.ndarray
    final_weight: float
    final_bias: float
    diverged: bool
    iterations: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "iterations", np.arange(1, len(self.weights) + 1))
        for name in (*HISTORY, "iterations"):
            getattr(self, name).flags.writeable = False

    @property
    def method(self) -> str:
        """``"batch"``, ``"mini-batch"`` or ``"stochastic"`` (one point per step)."""
        if not self.settings.stochastic(self.data.count):
            return "batch"
        return "stochastic" if self.settings.batch_size == 1 else "mini-batch"

    @property
    def diverged_at(self) -> int | None:
        """The iteration whose numbers overflowed, or None if the run stayed finite."""
        return len(self.weights) + 1 if self.diverged else None

    def to_csv(self) -> str:
        """The history as CSV, every number written so that it reads back exactly."""
        columns = [self.iterations] + [getattr(self, name) for name in HISTORY]
        rows = zip(*(column.tolist() for column in columns), strict=True)
        lines = [",".join(("iteration", *HISTORY))] + [",".join(map(repr, row)) for row in rows]
        return "\n".join(lines) + "\n"


def _batches(data: LineData, settings: LineSettings) -> Iterator[tuple[np.ndarray, ...] | None]:
    """Each step's points: None for all of them in their order, or ``batch_size`` at a time
    from a fresh shuffle each epoch drawn from ``numpy.random.default_rng(seed)`` (an epoch's
    last batch may be smaller)."""
    if not settings.stochastic(data.count):
        while True:
            yield None
    generator, size = np.random.default_rng(settings.seed), settings.batch_size
    while True:
        order = generator.permutation(data.count)
        xs, ys = data.xs[order], data.ys[order]
        for start in range(0, data.count, size):
            yield xs[start : start + size], ys[start : start + size]


def _stepper(settings: LineSettings) -> Iterator[tuple[float, float]]:
    """The steps taken from the gradients g sent in, parameter by parameter.

    Plain: ``step = −alpha·g``. Momentum (Distill's form): ``z ← momentum·z + g``,
    ``step = −alpha·z``. Adam: ``m ← β₁·m + (1 − β₁)·g``, ``v ← β₂·v + (1 − β₂)·g²``,
    ``step = −alpha·m̂ / (√v̂ + ε)`` with ``m̂ = m / (1 − β₁ᵗ)``, ``v̂ = v / (1 − β₂ᵗ)`` at step
    t. A frozen parameter's step is 0.
    """
    alpha, beta = settings.alpha, settings.momentum
    beta1, beta2, epsilon = settings.beta1, settings.beta2, settings.epsilon
    moving = (not settings.freeze_weight, not settings.freeze_bias)
    first, second, powers = [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]

    def step(index: int, gradient: float) -> float:
        if not moving[index]:
            return 0.0
        if settings.adam:
            first[index] = beta1 * first[index] + (1 - beta1) * gradient
            second[index] = beta2 * second[index] + (1 - beta2) * gradient * gradient
            size = math.sqrt(second[index] / (1 - powers[1]))
            return -(alpha * (first[index] / (1 - powers[0])) / (size + epsilon))
        if beta:
            first[index] = beta * first[index] + gradient
            return -(alpha * first[index])
        return -(alpha * gradient)

    gradients = yield (0.0, 0.0)
    while True:
        powers[0], powers[1] = powers[0] * beta1, powers[1] * beta2
        gradients = yield step(0, gradients[0]), step(1, gradients[1])


def train_line(data: LineData, settings: LineSettings, logged: bool = True) -> LineRun:
    """Trains the line on checked data (``line_data``) with checked settings. Unless
    ``logged``, a mini-batch run logs its batch's error and gradient in place of the full
    data's (a fate needs only the lines)."""
    scale = 2.0 if settings.exact_derivative else 1.0
    batches, stepper = _batches(data, settings), _stepper(settings)
    next(stepper)
    rows: list[tuple[float, ...]] = []
    weight, bias = settings.weight, settings.bias
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(settings.iterations):
            batch = next(batches)
            if batch is None:
                error, *gradient = batch_error, *steer = _full(data, weight, bias, scale)
            else:
                batch_error, *steer = _direct(*batch, weight, bias, scale)
                full = _full(data, weight, bias, scale) if logged else (batch_error, *steer)
                error, *gradient = full
            weight_step, bias_step = stepper.send(steer)
            after = (
                weight if settings.freeze_weight else weight + weight_step,
                bias if settings.freeze_bias else bias + bias_step,
            )
            row = (weight, bias, error, batch_error, *gradient, weight_step, bias_step)
            if not all(map(math.isfinite, row + after)):
                break
            rows.append(row)
            weight, bias = after
    columns = np.array(rows, dtype=np.float64).reshape(-1, len(HISTORY)).T.copy()
    stopped = len(rows) < settings.iterations
    return LineRun(data, settings, *columns, final_weight=weight, final_bias=bias, diverged=stopped)


def fit_line(
    xs: object,
    ys: object,
    *,
    weight: float,
    bias: float,
    alpha: float,
    iterations: int,
    batch_size: int | None = None,
    momentum: float = 0.0,
    adam: bool = False,
    seed: int = 0,
    exact_derivative: bool = False,
    freeze_weight: bool = False,
    freeze_bias: bool = False,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> LineRun:
    """Fits ``prediction = weight·x + bias`` to the points by gradient descent.

    Each iteration logs the error over all the points, then steps against its batch's
    gradient: ``weight -= alpha·mean(delta·x)``, ``bias -= alpha·mean(delta)`` with
    ``delta = prediction − y`` (lesson 1's half gradient; ``exact_derivative`` doubles it),
    or momentum's or Adam's step from it. With one point and the bias frozen at 0 this is
    lesson 1's ``train("gradient_descent", ...)`` bit for bit. Bad arguments raise
    ``ValueError`` naming the argument; an overflow ends the run with ``diverged`` set.
    """
    chosen = dict(locals())  # the keywords, as the settings name them
    points = line_data(chosen.pop("xs"), chosen.pop("ys"))
    return train_line(points, LineSettings(**chosen))


# Stability before any run -------------------------------------------------------------------


@dataclass(frozen=True)
class LineStability:
    """What steps on all the points do, before any run: Distill's closed forms for a quadratic.

    The error's Hessian is ``hessian = (2/N)·[[Σx², Σx], [Σx, N]]``; the update uses half of
    it in lesson 1's convention, all of it with the exact derivative. ``eigenvalues`` are
    that matrix's, ascending; ``condition = λmax / λmin`` (inf when every x is the same).
    The rest concerns the moving parameters, along the ``curvatures`` where they change the
    error: ``max_stable_alpha = (2 + 2β) / λmax`` (β the momentum), ``best_alpha =
    2 / (λmin + λmax)`` and its ``rate = (κ − 1) / (κ + 1)``, the best momentum pair
    ``momentum_alpha = (2 / (√λmin + √λmax))²``, ``best_momentum = ((√κ − 1) / (√κ + 1))²``
    and its ``momentum_rate = √best_momentum``, and ``contraction``, the share of the
    distance to the best line one step keeps in the long run with this alpha and momentum.
    ``weight_only_alpha = (2 + 2β) / H_ww`` is the limit with the bias frozen; ``trap``: this
    alpha converges then, yet diverges once both move. ``at_limit``: alpha·λmax is within
    1e-9 of ``2 + 2β``, where rounding, not the closed form, decides. ``outcome`` (one of
    ``OUTCOMES``) is on paper, towards the best reachable line; None for mini-batches and
    Adam, which no closed form covers. The alphas are None when nothing can change the error.
    """

    hessian: tuple[tuple[float, float], tuple[float, float]]
    eigenvalues: tuple[float, float]
    condition: float
    curvatures: tuple[float, ...]
    max_stable_alpha: float | None
    best_alpha: float | None
    rate: float | None
    momentum_alpha: float | None
    best_momentum: float | None
    momentum_rate: float | None
    contraction: float
    weight_only_alpha: float | None
    trap: bool
    at_limit: bool
    outcome: str | None


def _radius(alpha: float, beta: float, curvature: float) -> float:
    """The share of the distance along one eigenvector a step keeps in the long run: the
    larger root size of ``r² − (1 + β − α·λ)·r + β = 0``, ``|1 − α·λ|`` without momentum and
    ``√β`` when the roots are complex."""
    middle = 1 + beta - alpha * curvature
    discriminant = middle * middle - 4 * beta
    if discriminant < 0:
        return math.sqrt(beta)
    return (abs(middle) + math.sqrt(discriminant)) / 2


def line_stability(
    xs: object,
    alpha: float,
    *,
    momentum: float = 0.0,
    exact_derivative: bool = False,
    adam: bool = False,
    batch_size: int | None = None,
    freeze_weight: bool = False,
    freeze_bias: bool = False,
) -> LineStability:
    """The curvature of the error over these x, its condition, and every limit on alpha."""
    chosen = dict(locals())
    xs = _column("xs", chosen.pop("xs"))
    settings = LineSettings(0.0, 0.0, iterations=1, **chosen)  # checks every argument
    alpha, beta = settings.alpha, settings.momentum
    mean_x, spread, _ = _moments(xs)
    scale, square = (2.0 if exact_derivative else 1.0), spread + mean_x * mean_x
    top = (square + 1) / 2 + math.hypot((square - 1) / 2, mean_x)
    low = min(spread / top, top)  # the determinant over the other eigenvalue: nothing cancels
    moving = {
        (False, False): (low, top) if low > 0 else (top,),
        (False, True): (square,) if square > 0 else (),
        (True, False): (1.0,),
        (True, True): (),
    }[freeze_weight, freeze_bias]
    curvatures, limit = tuple(scale * each for each in moving), 2 + 2 * beta
    alphas = ("max_stable_alpha", "best_alpha", "rate", "momentum_alpha", "best_momentum")
    closed: dict = dict.fromkeys((*alphas, "momentum_rate"))  # None when nothing moves
    if curvatures:
        least, most = curvatures[0], curvatures[-1]
        ratio, root = most / least, math.sqrt(most / least)
        closed |= {
            "max_stable_alpha": limit / most,
            "best_alpha": 2 / (least + most),
            "rate": (ratio - 1) / (ratio + 1),
            "momentum_alpha": (2 / (math.sqrt(least) + math.sqrt(most))) ** 2,
            "best_momentum": ((root - 1) / (root + 1)) ** 2,
            "momentum_rate": (root - 1) / (root + 1),
        }
    if settings.adam or settings.stochastic(len(xs)):
        outcome = None
    elif not curvatures or alpha == 0:
        outcome = "stalls"
    else:
        reach = alpha * curvatures[-1]
        outcome = "diverges" if reach > limit else "bounces" if reach == limit else "converges"
    closed |= {
        "hessian": ((2 * square, 2 * mean_x), (2 * mean_x, 2.0)),
        "eigenvalues": (scale * low, scale * top),
        "condition": top / low if low > 0 else math.inf,
        "curvatures": curvatures,
        "contraction": max((_radius(alpha, beta, each) for each in curvatures), default=1.0),
        "weight_only_alpha": limit / (scale * square) if square > 0 else None,
        "trap": alpha * scale * square < limit <= alpha * scale * top,
        "at_limit": bool(curvatures) and abs(alpha * curvatures[-1] - limit) <= 1e-9 * limit,
        "outcome": outcome,
    }
    return LineStability(**closed)


def stability_of(data: LineData, settings: LineSettings) -> LineStability:
    """``line_stability`` for these points and settings."""
    return line_stability(
        data.xs,
        settings.alpha,
        momentum=settings.momentum,
        exact_derivative=settings.exact_derivative,
        adam=settings.adam,
        batch_size=settings.batch_size,
        freeze_weight=settings.freeze_weight,
        freeze_bias=settings.freeze_bias,
    )


# Where a run ends ---------------------------------------------------------------------------

PLAYED = 3_000
"""Iterations a run on all the points is played before its linear map carries it on."""
PLAYED_NOISY = 6_000
"""Iterations a mini-batch run is played; no closed form carries it further."""
PLAYED_ADAM = 20_000
"""Iterations an Adam run is played: near the best line its memory of large slopes fades,
and its steps can grow again after more than ten thousand iterations."""
TAIL = 256
"""The last iterations of a run on all the points from which its ending is read (a noisy
run's ending is read from the second half of what is played)."""
CARRIED = 512_000
"""Iterations a run on all the points is carried on in exact arithmetic, at most."""


@dataclass(frozen=True)
class LineFate:
    """What a run does if it is played on for ever, decided by the run itself.

    The answer is the least error any line has: a run ``converges`` when its error comes
    within ``TOLERANCE`` of it and stays. A frozen parameter may keep it out of reach: the
    run then ``stalls`` on ``reach``, the best line it can reach, ``short`` above the least
    error. ``at`` is the iteration from which it does so for good (None when no one can
    tell): read from the run played on when ``exact``, else carried on by its linear map or
    contraction factor. ``certain`` says whether the ending is proved (by a line that comes
    back or by the closed form); a mini-batch or Adam run is only what its ``played``
    iterations show. ``low`` and ``high`` bound ``reach_gaps`` over the last ``watched``
    of them. ``rounding`` flags a late ending whose last steps come near the gap between
    64-bit floats, which may stop the run sooner.
    """

    outcome: str
    at: int | None
    exact: bool
    certain: bool
    played: int
    reach: BestLine | None
    short: float
    watched: int
    low: float = math.inf
    high: float = math.inf
    rounding: bool = False


def reachable_line(data: LineData, settings: LineSettings) -> tuple[BestLine | None, float]:
    """The best line the moving parameters can reach (None when no single one is), and how
    far its error is above the least: ``best_line`` with the frozen parameters held."""
    held = {
        "weight": settings.weight if settings.freeze_weight else None,
        "bias": settings.bias if settings.freeze_bias else None,
    }
    reach = best_line(data, **held)
    if reach is None:  # no single best: every x the same, or every x 0 with the bias held
        return None, 0.0 if held["bias"] is None else _excess(data, settings.weight, settings.bias)
    return reach, _excess(data, reach.weight, reach.bias)


def reach_gaps(
    data: LineData, settings: LineSettings, weights: np.ndarray, biases: np.ndarray
) -> np.ndarray:
    """How far each line's error is above that of the best line the moving parameters can
    reach, with nothing to cancel: both moving, ``excess``; the bias frozen,
    ``(spread + x̄²)·(weight − reach.weight)²``; the weight frozen, ``(bias − reach.bias)²``."""
    reach, _ = reachable_line(data, settings)
    with np.errstate(over="ignore", invalid="ignore"):
        if not (settings.freeze_weight or settings.freeze_bias):
            return _excess(data, weights, biases)
        if reach is None or (settings.freeze_weight and settings.freeze_bias):
            return np.zeros_like(weights)
        if settings.freeze_weight:
            return (biases - reach.bias) ** 2
        return (data.spread + data.mean_x * data.mean_x) * (weights - reach.weight) ** 2


def excess_errors(run: LineRun) -> np.ndarray:
    """How far each logged error is above the best reachable line's, accurate to the last bits
    near it, for a log-scale chart; read-only."""
    gaps = reach_gaps(run.data, run.settings, run.weights, run.biases)
    gaps.flags.writeable = False
    return gaps


def line_fate(data: LineData, settings: LineSettings) -> LineFate:
    """Where a run with these settings ends, whatever its number of iterations.

    It is played for ``PLAYED`` iterations (``PLAYED_NOISY`` with mini-batches,
    ``PLAYED_ADAM`` with Adam); a run on all the points without Adam is then carried on
    in exact arithmetic. Cached, as the forecast and the verdict of one run both ask, and
    runs that differ only in their number of iterations share one answer.
    """
    return _fate(data, replace(settings, iterations=1))


@functools.lru_cache(maxsize=16)
def _fate(data: LineData, settings: LineSettings) -> LineFate:
    noisy = settings.adam or settings.stochastic(data.count)
    played = PLAYED_ADAM if settings.adam else PLAYED_NOISY if noisy else PLAYED
    reach, short = reachable_line(data, settings)
    known = {"played": played, "reach": reach, "short": short}
    known["watched"] = played // 2 if noisy else TAIL
    run = train_line(data, replace(settings, iterations=played), logged=False)
    lines = np.append(run.weights, run.final_weight), np.append(run.biases, run.final_bias)
    gaps = reach_gaps(data, settings, *lines)
    if run.diverged or not np.isfinite(gaps).all():  # the full data's numbers overflow first
        run = train_line(data, replace(settings, iterations=played))
    if run.diverged:
        return LineFate("diverges", run.diverged_at, True, True, **known)
    far = np.flatnonzero(gaps > TOLERANCE)
    arrived = int(far[-1]) + 2 if far.size else 1
    there = "converges" if short <= TOLERANCE else "stalls"
    tail = gaps[-known["watched"] :]
    known |= {"low": float(tail.min()), "high": float(tail.max())}
    cycle = _cycle(*lines, 1 if not (noisy or settings.momentum) else known["watched"])
    if cycle is not None:
        start, period = cycle
        looped = gaps[start : start + period]
        if looped.max() <= TOLERANCE:
            return LineFate(there, arrived, True, not noisy, **known)
        hops = looped.min() <= TOLERANCE or _around(reach, lines[0][start:], lines[1][start:])
        outcome = "bounces" if period > 1 and hops else "stalls"
        return LineFate(outcome, start + 1, True, not noisy, **known)
    if noisy:
        if known["high"] <= TOLERANCE:
            return LineFate(there, arrived, True, False, **known)
        return LineFate("bounces", None, False, False, **known)
    return _carried_on(data, settings, run, known, arrived)


def _cycle(weights: np.ndarray, biases: np.ndarray, stretch: int) -> tuple[int, int] | None:
    """Where the lines start repeating for ever, and every how many iterations: the last
    ``stretch`` must repeat (one line coming back proves it for plain steps on all the
    points; momentum, Adam and batches carry more than the line from step to step)."""
    for period in range(1, 65):
        if len(weights) < stretch + period:
            return None
        now, before = slice(-stretch, None), slice(-stretch - period, -period)
        if all(np.array_equal(each[now], each[before]) for each in (weights, biases)):
            repeats = (weights[:-period] == weights[period:]) & (
                biases[:-period] == biases[period:]
            )
            return int(np.flatnonzero(~repeats)[-1]) + 1 if not repeats.all() else 0, period
    return None


def _around(reach: BestLine | None, weights: np.ndarray, biases: np.ndarray) -> bool:
    """Whether the lines hop around the best reachable one: it lies within their extremes."""
    return reach is not None and bool(
        weights.min() <= reach.weight <= weights.max()
        and biases.min() <= reach.bias <= biases.max()
    )


def _carried_on(
    data: LineData, settings: LineSettings, run: LineRun, known: dict, arrived: int
) -> LineFate:
    """A run on all the points still on its way: carried on by its linear map (``_settles``)
    or, when it diverges, by its contraction factor, the gap growing by its square per step."""
    alpha, beta, start = settings.alpha, settings.momentum, known["played"] + 1
    analysis = stability_of(data, settings)
    if analysis.at_limit:  # rounding decides whether each step lands a hair nearer or further
        return LineFate("bounces", None, False, analysis.outcome == "bounces", **known)
    final = np.array([run.final_weight, run.final_bias])
    if analysis.outcome == "diverges":
        gap = float(reach_gaps(data, settings, final[:1], final[1:])[0])
        steps = math.log(sys.float_info.max / max(gap, TINY)) / math.log(analysis.contraction)
        return LineFate("diverges", start + math.ceil(steps / 2), False, True, **known)
    there = "converges" if known["short"] <= TOLERANCE else "stalls"
    reach = known["reach"] or BestLine(final[0], data.mean_y - final[0] * data.mean_x, 0.0)
    more = _settles(settings, analysis, final - [reach.weight, reach.bias], run)
    at = None if more is None else start + more if more else arrived
    # Near the tolerance the distance along the slowest direction is about √(TOL / λ), and a
    # step moves about alpha·λ times that: is it still well above the gap between doubles?
    least, scale = analysis.curvatures[0], 2.0 if settings.exact_derivative else 1.0
    move = alpha * least * math.sqrt(TOLERANCE * scale / least) / (1 - beta)
    rounding = move < 64 * max(math.ulp(reach.weight), math.ulp(reach.bias))
    return LineFate(there, at, at == arrived, True, rounding=rounding, **known)


TINY = 1e-300  # a gap of 0 counted as this small, so that it has a logarithm
BLOCK = 256  # iterations carried on at once


def _settles(
    settings: LineSettings, analysis: LineStability, offset: np.ndarray, run: LineRun
) -> int | None:
    """How many more iterations until the gap stays within the tolerance, in exact
    arithmetic, or None when that is beyond ``CARRIED``.

    From the last line, its offset δ from the best reachable line and momentum's velocity
    z = −step / alpha evolve linearly: ``z ← β·z + A·δ`` and ``δ ← δ − alpha·z``, with A
    the update's curvature; the gap is ``δᵀ·C·δ``, C half the Hessian.
    """
    moving = [not settings.freeze_weight, not settings.freeze_bias]
    own = np.array(analysis.hessian)[np.ix_(moving, moving)] / 2
    curvature = (2.0 if settings.exact_derivative else 1.0) * own
    alpha, beta, size = settings.alpha, settings.momentum, len(own)
    identity = np.eye(size)
    step = np.block(
        [[identity - alpha * curvature, -alpha * beta * identity], [curvature, beta * identity]]
    )
    last = np.array([run.weight_steps[-1], run.bias_steps[-1]])
    state = np.concatenate([offset[moving], -last[moving] / alpha])
    powers = [np.eye(2 * size)]
    for _ in range(BLOCK - 1):
        powers.append(step @ powers[-1])
    powers, jump = np.array(powers), step @ powers[-1]
    far, previous = 0, math.inf
    with np.errstate(under="ignore"):
        for block in range(0, CARRIED, BLOCK):
            offsets = (powers @ state)[:, :size]
            gaps = np.einsum("ij,jk,ik->i", offsets, own, offsets)
            beyond = np.flatnonzero(gaps > TOLERANCE)
            far = block + int(beyond[-1]) + 1 if beyond.size else far
            if gaps.max() <= min(TOLERANCE / 4, previous):
                return far
            previous, state = gaps.max(), jump @ state
    return None


# Points typed, pasted or uploaded -----------------------------------------------------------

MAX_BYTES = 5_000_000
"""The largest file read: 100,000 rows of two numbers need well under 5 MB."""


def parse_points(source: str | bytes) -> LineData:
    """Points from CSV text or an uploaded file's bytes, in columns ``x`` and ``y``.

    A first row that is not two numbers is a header naming the columns ``x`` and ``y``
    (any two names will do for a file of two columns); without one, the first two columns
    are x and y. Commas, semicolons or tabs separate the cells. Bad data raises
    ``ValueError`` with one sentence saying what is wrong and where.
    """
    size = len(source) if isinstance(source, bytes) else len(source.encode("utf-8", "replace"))
    if size > MAX_BYTES:
        raise ValueError(f"The file is larger than {MAX_BYTES // 1_000_000} MB, too large to read.")
    text = _decoded(source)
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise ValueError("The file is empty: it needs a column of x and a column of y.")
    reader = csv.reader(io.StringIO(text), delimiter=next((c for c in ",;\t" if c in first), ","))
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, row))
        if len(rows) > MAX_POINTS + 1:
            break
    if len(rows[0][1]) < 2:
        raise ValueError(f"Row {rows[0][0]:,} has one column: each row needs an x and a y.")
    columns = _columns(rows[0][1])
    rows = rows if columns is None else rows[1:]
    if len(rows) > MAX_POINTS:
        raise ValueError(f"The file has more than {MAX_POINTS:,} points, too many to fit.")
    x, y = columns or (0, 1)
    cells = [(number, *(row[i] if i < len(row) else "" for i in (x, y))) for number, row in rows]
    try:  # a clean file in one numpy call; anything else is checked cell by cell
        values = np.array([pair for _, *pair in cells], dtype=np.float64).reshape(-1, 2).T
        return line_data(*values) if len(set(values[0].tolist())) > 1 else _points(cells)
    except ValueError:
        return _points(cells)


def read_table(xs: list, ys: list) -> LineData:
    """Points typed into a table, one row per point; rows left wholly empty are skipped, and
    bad cells raise ``ValueError`` with one sentence, as ``parse_points`` does."""
    if len(xs) != len(ys):
        raise ValueError("The table's x and y columns must be as long.")
    rows = [
        (number, x, y)
        for number, (x, y) in enumerate(zip(xs, ys, strict=True), 1)
        if not (_blank(x) and _blank(y))
    ]
    if len(rows) > MAX_POINTS:
        raise ValueError(f"The table has more than {MAX_POINTS:,} points, too many to fit.")
    return _points(rows)


def _decoded(source: str | bytes) -> str:
    if isinstance(source, bytes) and source[:2] in (b"\xff\xfe", b"\xfe\xff"):
        source = source.decode("utf-16")  # as spreadsheets save "Unicode text"
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            source = source.decode("latin-1")
    controls = sum(ord(char) < 32 and char not in "\t\n\r\f\v" for char in source[:8192])
    if "\x00" in source or controls > len(source[:8192]) // 100:
        raise ValueError(
            "This is not a text file: save the points as CSV, a column x and a column y."
        )
    return source


def _columns(first: list[str]) -> tuple[int, int] | None:
    """The header's x and y columns, or None when the first row is two numbers (no header)."""
    if len(first) >= 2 and all(_number(cell) is not None for cell in first[:2]):
        return None
    names = [cell.strip().lower() for cell in first]
    if "x" in names and "y" in names:
        return names.index("x"), names.index("y")
    if len(names) == 2:
        return 0, 1
    missing = "x" if "x" not in names else "y"
    raise ValueError(f"The header has no column named {missing}: name the columns x and y.")


def _blank(cell: object) -> bool:
    """An empty cell: None, only spaces, or (from a table editor) a float NaN."""
    if isinstance(cell, float):
        return math.isnan(cell)
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _number(cell: object) -> float | None:
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool):
        return float(cell)
    try:
        return float(cell) if isinstance(cell, str) else None
    except ValueError:
        return None


def _points(rows: list[tuple[int, object, object]]) -> LineData:
    """Checks each cell of ``(row number, x, y)`` rows and makes the data."""
    xs, ys = [], []
    for number, *cells in rows:
        for name, cell, column in zip("xy", cells, (xs, ys), strict=True):
            column.append(_cell(number, name, cell))
    if not xs:
        raise ValueError("There are no points: it needs a column of x and a column of y.")
    if len(set(xs)) < 2:
        raise ValueError(
            f"Every point has the same x, {number_text(xs[0])}: a line needs at least two "
            "different x."
        )
    return line_data(xs, ys)


def _cell(number: int, name: str, cell: object) -> float:
    """One cell as a number, or a ValueError saying why it is not one."""
    value = None if _blank(cell) else _number(cell)
    if value is not None and (value == 0 or 1 / LARGEST <= abs(value) <= LARGEST):
        return value
    where = f"Row {number:,} has"
    shown = short_repr(cell.strip() if isinstance(cell, str) else cell, 20)
    if _blank(cell):
        raise ValueError(f"{where} no {name}: each row needs a number for x and for y.")
    if value is None:
        if isinstance(cell, str) and _number(cell.replace(",", ".")) is not None:
            raise ValueError(f"{where} {shown} as {name}: write decimals with a point, as 1.5.")
        raise ValueError(f"{where} {shown} as {name}, which is not a number.")
    if math.isnan(value):
        raise ValueError(f"{where} NaN as {name}: each x and y must be a number.")
    if math.isinf(value):
        raise ValueError(f"{where} an infinite {name}: each x and y must be a finite number.")
    raise ValueError(
        f"{where} {shown} as {name}: numbers must be 0 or from 1e-100 to 1e100 in size."
    )


# Presets ------------------------------------------------------------------------------------

PATIENTS = ((1, 2, 3, 4, 5, 6, 7, 8), (2, 3, 4, 6, 7, 9, 10, 11))
"""Today's patients (x) and tomorrow's (y) on eight days; (3, 4) is lesson 1's one point."""
CITY = ((10, 12, 14, 16, 18, 20, 22, 24), (15, 18, 20, 23, 25, 28, 31, 33))
"""A larger hospital: x far from 0 next to its spread, so the error surface is a long valley."""
CITY_SCALED = (tuple(centre_and_scale(CITY[0]).tolist()), CITY[1])


@dataclass(frozen=True)
class LinePreset:
    """A named lesson-2 experiment, its points, and the behaviour it demonstrates."""

    key: str
    title: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    settings: LineSettings
    outcome: str  # one of tinynet.analysis.OUTCOMES
    lesson: str


_LESSONS = {
    "batch": "Steps on all eight points slide the line to the best one; the bias learns last.",
    "too_big": "Alpha is above 2 / λmax: each step overshoots the valley further than the last.",
    "frozen_bias": "A line through 0 at best: the weight settles, the error stays above the least.",
    "trap": "Stable with the bias frozen, yet once the bias moves too, the same alpha blows up.",
    "stochastic": "Each step follows one point's slope: the line hops around the best line.",
    "mini_batch": "Four points per step average some of the noise away, not all of it.",
    "momentum": "The velocity carries the line along the shallow valley, far faster.",
    "adam": "Adam races to the best line, but with a fixed alpha its steps grow again there.",
    "uncentred": "x far from 0: a valley thousands of times longer than wide, and a long walk.",
    "centred": "The same points centred and scaled: a round bowl, crossed in a few dozen steps.",
}
_POINTS = {"uncentred": CITY, "centred": CITY_SCALED}
LINE_PRESETS = tuple(
    LinePreset(
        key,
        title,
        *_POINTS.get(key, PATIENTS),
        LineSettings(**{"weight": 0.5, "bias": 0.0, "iterations": 200, **chosen}),
        outcome,
        _LESSONS[key],
    )
    for key, title, outcome, chosen in (
        ("batch", "1. A line through the patients", "converges", {"alpha": 0.07}),
        ("too_big", "2. Alpha too large", "diverges", {"alpha": 0.1}),
        ("frozen_bias", "3. Bias frozen at 0", "stalls", {"alpha": 0.05, "freeze_bias": True}),
        ("trap", "4. Stable alone, unstable together", "diverges", {"alpha": 0.078}),
        ("stochastic", "5. One point per step", "bounces", {"alpha": 0.01, "batch_size": 1}),
        ("mini_batch", "6. Mini-batches of four", "bounces", {"alpha": 0.02, "batch_size": 4}),
        ("momentum", "7. Momentum 0.9", "converges", {"alpha": 0.02, "momentum": 0.9}),
        ("adam", "8. Adam", "bounces", {"alpha": 0.1, "adam": True}),
        ("uncentred", "9. Large x", "converges", {"alpha": 0.006, "iterations": 500}),
        ("centred", "10. The same, centred and scaled", "converges", {"alpha": 0.5}),
    )
)

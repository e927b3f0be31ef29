"""Settings as a link and as code: the URL's parameters, checked, and a runnable snippet.

Lesson 1's settings keep their plain names (``alpha``, ``weight``, ...); lesson 2's start
with ``line_``, so that each lesson keeps its own values and one link can hold both.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as attribute

from tinynet.line import (
    CITY,
    LINE_PRESETS,
    PATIENTS,
    LineData,
    LinePreset,
    LineSettings,
    line_data,
)
from tinynet.line import centre_and_scale as centred
from tinynet.presets import ARTICLE
from tinynet.training import METHODS, Settings, checked_number, short_repr


@dataclass(frozen=True)
class Field:
    """One setting: the app's control and the URL's parameter, under the same key.

    ``low`` and ``high`` bound a number; ``step`` is how far the control's +/- buttons
    move it. ``label`` and ``help`` are what the control says.
    """

    key: str
    kind: type
    default: object
    label: str = ""
    help: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()


VIEWS = (
    "Lesson",
    "Learning",
    "Error curve",
    "Every alpha",
    "Compare methods",
    "Iteration log",
    "Quiz",
    "Code",
    "Teach",
)
"""The dashboard's views, in the order of its view selector; a link can open any of them."""

START = Settings("gradient_descent", **ARTICLE)
"""The run the app opens on: the article's third experiment, gradient descent with alpha."""

LESSONS = {"1": "1. One weight", "2": "2. A line"}
"""The lessons, by the value the link gives them, and their names in the lesson selector."""

LINE_VIEWS = (
    "Lesson",
    "Bridge to lesson 1",
    "Surface in 3-D",
    "Points",
    "Iteration log",
    "Quiz",
    "Code",
    "Teach",
)
"""Lesson 2's views, in the order of its view selector."""

LINE_START = LINE_PRESETS[0].settings
"""Lesson 2 opens on its first experiment: batch steps through the patients' points."""

DATA_SETS = {"patients": PATIENTS, "city": CITY}
"""The named sets of points (x, y) that a link can name; "own" points live in a session."""

LINE_METHODS = ("batch", "mini-batch", "stochastic")

FIELDS = {
    field.key: field
    for field in (
        Field(
            "method",
            str,
            START.method,
            "Method",
            "Up and down tries a fixed step both ways; gradient descent follows the slope.",
            choices=METHODS,
        ),
        Field(
            "step",
            float,
            START.step,
            "Step size",
            "How far up and down looks each way, and moves, each iteration; rounding to 64-bit "
            "floats can lengthen or shorten a move, or cancel it.",
            1e-6,
            1000.0,
            0.01,
        ),
        Field(
            "alpha",
            float,
            START.alpha,
            "Alpha (learning rate)",
            "Scales every gradient step. alpha = 1 is the article's run without a learning rate.",
            0.0,
            100.0,
            0.01,
        ),
        Field(
            "exact_derivative",
            bool,
            START.exact_derivative,
            "Exact derivative",
            "Use the true slope 2·data·(prediction − target), not the article's half gradient.",
        ),
        Field(
            "weight",
            float,
            START.weight,
            "Initial weight",
            "The weight the network starts from.",
            -1e6,
            1e6,
            0.1,
        ),
        Field(
            "data",
            float,
            START.data,
            "Data (today's count)",
            "The input: today's number of patients.",
            -1e6,
            1e6,
            1.0,
        ),
        Field(
            "target",
            float,
            START.target,
            "Target (tomorrow's count)",
            "The true answer the prediction should hit.",
            -1e6,
            1e6,
            1.0,
        ),
        Field(
            "iterations",
            int,
            START.iterations,
            "Iterations",
            "How many times to predict, measure and update; a run whose numbers overflow a "
            "64-bit float stops there.",
            1,
            10_000,
            1,
        ),
        Field(
            "at",
            int,
            1,
            "Iteration to inspect",
            "The iteration marked on the charts; ▶ on the chart, or the arrow keys, move it.",
            1,
            10_000,
            1,
        ),
        Field(
            "whole_run",
            bool,
            False,
            "Whole run on the axes",
            "Off, the weight and prediction axes follow the iteration shown, so that every step "
            "can be read. On, they hold the whole run at once.",
        ),
        Field("presenter", bool, False, "Presenter mode", "Large type and bold charts."),
        Field("hide", list, ()),
        Field("view", str, VIEWS[0], choices=VIEWS),
        Field(
            "lesson",
            str,
            "1",
            "Lesson",
            "Lesson 1 fits one weight to one point; lesson 2 fits a line, weight and bias, "
            "to many points.",
            choices=tuple(LESSONS),
        ),
        Field(
            "line_data",
            str,
            "patients",
            "Points",
            "Today's patients against tomorrow's on eight days; a larger city hospital; or "
            "points of your own, typed or uploaded in the Points view.",
            choices=(*DATA_SETS, "own"),
        ),
        Field(
            "line_centre",
            bool,
            False,
            "Centre and scale x",
            "Train on (x − mean) / spread instead of x: the error's valley becomes a round bowl.",
        ),
        Field(
            "line_method",
            str,
            "batch",
            "Each step uses",
            "All the points; a mini-batch of them, shuffled each epoch; or one point at a time.",
            choices=LINE_METHODS,
        ),
        Field(
            "line_batch",
            int,
            4,
            "Batch size",
            "How many points each step averages over.",
            1,
            100_000,
            1,
        ),
        Field(
            "line_seed",
            int,
            LINE_START.seed,
            "Seed",
            "Chooses the shuffles: the same seed gives the same run.",
            0,
            2**31 - 1,
            1,
        ),
        Field(
            "line_adam",
            bool,
            LINE_START.adam,
            "Adam",
            "Divide each step by a running size of the gradients, with bias correction.",
        ),
        Field(
            "line_momentum",
            float,
            LINE_START.momentum,
            "Momentum β",
            "z ← β·z + gradient, then weight and bias move by −alpha·z. 0 is plain steps.",
            0.0,
            0.999,
            0.05,
        ),
        Field(
            "line_beta1",
            float,
            LINE_START.beta1,
            "Adam's β₁",
            "How long Adam remembers the gradients' direction.",
            0.0,
            0.999,
            0.01,
        ),
        Field(
            "line_beta2",
            float,
            LINE_START.beta2,
            "Adam's β₂",
            "How long Adam remembers the gradients' size.",
            0.0,
            0.999999,
            0.001,
        ),
        Field(
            "line_alpha",
            float,
            LINE_START.alpha,
            "Alpha (learning rate)",
            "Scales every step of the weight and the bias.",
            0.0,
            100.0,
            0.01,
        ),
        Field(
            "line_exact_derivative",
            bool,
            LINE_START.exact_derivative,
            "Exact derivative",
            "Use the true gradient, the means of 2·delta·x and 2·delta, not the article's half.",
        ),
        Field(
            "line_freeze_weight",
            bool,
            LINE_START.freeze_weight,
            "Freeze the weight",
            "The weight keeps its start; only the bias learns.",
        ),
        Field(
            "line_freeze_bias",
            bool,
            LINE_START.freeze_bias,
            "Freeze the bias",
            "The bias keeps its start; only the weight learns, as in lesson 1.",
        ),
        Field(
            "line_weight",
            float,
            LINE_START.weight,
            "Initial weight",
            "The line's slope at the start.",
            -1e6,
            1e6,
            0.1,
        ),
        Field(
            "line_bias",
            float,
            LINE_START.bias,
            "Initial bias",
            "Where the line crosses x = 0 at the start.",
            -1e6,
            1e6,
            0.1,
        ),
        Field(
            "line_iterations",
            int,
            LINE_START.iterations,
            "Iterations",
            "How many times to predict, measure and update.",
            1,
            10_000,
            1,
        ),
        Field(
            "line_at",
            int,
            1,
            "Iteration to inspect",
            "The iteration marked on the charts; ▶ on the chart, or the arrow keys, move it.",
            1,
            10_000,
            1,
        ),
        Field("line_view", str, LINE_VIEWS[0], choices=LINE_VIEWS),
    )
}
"""Every setting: its type, default, range, and what its control says."""

CONTROLS = ("method", "step", "alpha", "exact_derivative", "weight", "data", "target", "iterations")
"""The settings of a run, which a teacher may hide from students."""

LINE_CONTROLS = (
    "line_data",
    "line_centre",
    "line_method",
    "line_batch",
    "line_seed",
    "line_adam",
    "line_momentum",
    "line_beta1",
    "line_beta2",
    "line_alpha",
    "line_exact_derivative",
    "line_freeze_weight",
    "line_freeze_bias",
    "line_weight",
    "line_bias",
    "line_iterations",
)
"""The settings of a lesson-2 run, in the sidebar's order; a teacher may hide them too."""

ALIASES = {"exact": "exact_derivative"}
"""Older names of parameters, so that links shared before a rename still open."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def settings_from(values: Mapping[str, object]) -> Settings:
    """The run that a full set of the app's values describes."""
    return Settings(**{key: values[key] for key in CONTROLS})


def line_settings_from(values: Mapping[str, object]) -> LineSettings:
    """The lesson-2 run that a full set of the app's values describes. Settings that do not
    apply take their defaults (Adam's betas without Adam, the seed with every point in each
    step), so that equal runs have equal settings."""
    method, adam = values["line_method"], values["line_adam"]
    batch = {"batch": None, "stochastic": 1}.get(method, values["line_batch"])
    chosen = {
        name: values[f"line_{name}"]
        for name in ("weight", "bias", "alpha", "iterations", "exact_derivative")
    }
    chosen |= {name: values[f"line_{name}"] for name in ("freeze_weight", "freeze_bias")}
    if adam:
        chosen |= {"adam": True, "beta1": values["line_beta1"], "beta2": values["line_beta2"]}
    else:
        chosen["momentum"] = values["line_momentum"]
    if batch is not None:
        chosen |= {"batch_size": batch, "seed": values["line_seed"]}
    return LineSettings(**chosen)


@dataclass(frozen=True)
class Points:
    """Where lesson 2's points come from: a named set (``DATA_SETS``) or the session's own
    (``name`` "own", told apart by ``digest``), with x centred and scaled or not.

    Its repr names it exactly and cheaply, so that cached functions can key on it; the
    own points themselves (``own``) stay out of it.
    """

    name: str
    centre: bool = False
    digest: str = ""
    own: LineData | None = attribute(default=None, compare=False, repr=False)

    def data(self) -> LineData:
        """The points as the run sees them: the same object each time for the same points,
        so that tinynet's own cache of where a run ends knows them again."""
        if self.own is None:
            return _named(self.name, self.centre)
        return _centred(self.own) if self.centre else self.own


@functools.lru_cache(maxsize=len(DATA_SETS) * 2)
def _named(name: str, centre: bool) -> LineData:
    xs, ys = DATA_SETS[name]
    return line_data(centred(xs) if centre else xs, ys)


@functools.lru_cache(maxsize=4)
def _centred(own: LineData) -> LineData:
    return line_data(centred(own.xs), own.ys)


def own_points(data: LineData) -> Points:
    """Points typed or uploaded, named by a fingerprint of every value."""
    digest = hashlib.sha256(data.xs.tobytes() + data.ys.tobytes()).hexdigest()[:16]
    return Points("own", digest=digest, own=data)


def points_from(values: Mapping[str, object]) -> Points:
    """The points a full set of the app's values describes (own points under ``line_own``)."""
    own = values.get("line_own")
    if values["line_data"] == "own" and own is not None:
        return Points("own", values["line_centre"], own.digest, own.own)
    name = values["line_data"] if values["line_data"] in DATA_SETS else "patients"
    return Points(name, values["line_centre"])


def preset_values(preset: LinePreset) -> dict[str, object]:
    """The app's values that load lesson 2's experiment ``preset``: its points and settings."""
    named = {tuple(xs): (name, False) for name, (xs, _) in DATA_SETS.items()}
    named |= {tuple(centred(xs).tolist()): (name, True) for name, (xs, _) in DATA_SETS.items()}
    name, centre = named[preset.xs]
    settings, size = preset.settings, preset.settings.batch_size
    method = "batch" if size is None else "stochastic" if size == 1 else "mini-batch"
    values = {"line_data": name, "line_centre": centre, "line_method": method}
    values |= {
        key: getattr(settings, key.removeprefix("line_"))
        for key in LINE_CONTROLS
        if hasattr(settings, key.removeprefix("line_"))
    }
    if method == "mini-batch":
        values["line_batch"] = size
    return values


def defaults() -> dict[str, object]:
    """Every field at its default value."""
    return {key: field.default for key, field in FIELDS.items()}


def _parse(field: Field, text: str) -> tuple[object, str | None]:
    """The value of one parameter, or why it is not acceptable."""
    if field.kind is str:
        if text in field.choices:
            return text, None
        return None, f"{field.key}={short_repr(text)} is not one of {', '.join(field.choices)}"
    if field.kind is bool:
        if text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE, None
        return None, f"{field.key}={short_repr(text)} is not true or false"
    if field.kind is list:
        keys = [ALIASES.get(part, part) for part in text.split(",") if part]
        unknown = [key for key in keys if key not in CONTROLS + LINE_CONTROLS]
        if unknown:
            return (
                None,
                f"{field.key}={short_repr(text)} names no control: {short_repr(','.join(unknown))}",
            )
        return tuple(dict.fromkeys(keys)), None
    number = float(text) if _NUMBER.fullmatch(text.strip()) else math.nan
    whole = field.kind is int
    allowed = f"{'a whole number' if whole else 'a number'} from {field.low:g} to {field.high:g}"
    if not math.isfinite(number) or (whole and number != int(number)):
        return None, f"{field.key}={short_repr(text)} is not {allowed}"
    try:
        checked_number(field.key, number, field.low, field.high)
    except ValueError:
        outside = f"is outside the range {field.low:g} to {field.high:g}"
        return None, f"{field.key}={short_repr(text)} {outside}"
    return (int(number) if whole else number), None


def _default_text(field: Field) -> str:
    if field.kind is list:
        return "none"
    if field.kind is bool:
        return "true" if field.default else "false"
    return f"{field.default:g}" if field.kind is float else str(field.default)


def parse_query(query: Mapping[str, Sequence[str]]) -> tuple[dict[str, object], list[str]]:
    """The settings a URL asks for, and a plain sentence for each part not used as written.

    ``query`` maps each parameter to all its values: of a repeated parameter the
    last one counts. Unknown parameters and bad values are left out of the result,
    so the app keeps its defaults for them; each sentence says what happened instead.
    """
    values: dict[str, object] = {}
    problems: list[str] = []
    for name, texts in query.items():
        key = ALIASES.get(name, name)
        field = FIELDS.get(key)
        if field is None:
            problems.append(f"{short_repr(name)} is not a setting, so it was ignored")
            continue
        value, problem = _parse(field, texts[-1] if texts else "")
        if problem:
            problems.append(f"{problem}, so {key} keeps its default, {_default_text(field)}")
        else:
            values[key] = value
            if len(texts) > 1:
                problems.append(
                    f"{key} was given {len(texts)} times; the last one, "
                    f"{short_repr(texts[-1])}, is used"
                )
    return values, problems


def to_query(values: Mapping[str, object]) -> dict[str, str]:
    """The URL parameters for ``values``: only those that differ from the defaults."""
    query = {}
    for key, field in FIELDS.items():
        value = values.get(key, field.default)
        if field.kind is list:
            value = tuple(value)
        if value == field.default and type(value) is type(field.default):
            continue
        if field.kind is bool:
            query[key] = "true" if value else "false"
        elif field.kind is list:
            query[key] = ",".join(value)
        else:
            query[key] = repr(value) if field.kind is float else str(value)
    return query


def python_code(settings: Settings) -> str:
    """A few lines of Python that reproduce the run with ``tinynet``."""
    arguments = [
        f"weight={settings.weight!r}",
        f"data={settings.data!r}",
        f"target={settings.target!r}",
        f"iterations={settings.iterations}",
    ]
    if settings.method == "up_and_down":
        arguments.append(f"step={settings.step!r}")
    else:
        arguments.append(f"alpha={settings.alpha!r}")
        if settings.exact_derivative:
            arguments.append("exact_derivative=True")
    lines = [
        "import tinynet",
        "",
        "run = tinynet.train(",
        f"    {settings.method!r},",
        *(f"    {argument}," for argument in arguments),
        ")",
        'print("\\n".join(run.log_lines()))',
        'print("final weight:", run.final_weight, "diverged:", run.diverged)',
    ]
    return "\n".join(lines) + "\n"


WRITTEN_POINTS = 100
"""Own points written out in the snippet up to this many; more are read from their file."""


def line_code(points: Points, settings: LineSettings) -> str:
    """A few lines of Python that reproduce lesson 2's run with ``tinynet``."""
    lines = ["import tinynet"]
    if points.name in DATA_SETS:
        lines += [
            f"from tinynet.line import {points.name.upper()}",
            "",
            f"xs, ys = {points.name.upper()}",
        ]
    elif points.own.count <= WRITTEN_POINTS:
        lines += ["", f"xs = {points.own.xs.tolist()!r}", f"ys = {points.own.ys.tolist()!r}"]
    else:
        lines += [
            "",
            'with open("points.csv", "rb") as file:  # the file you uploaded',
            "    points = tinynet.parse_points(file.read())",
            "xs, ys = points.xs, points.ys",
        ]
    if points.centre:
        lines[1:1] = ["from tinynet.line import centre_and_scale"]
        lines.append("xs = centre_and_scale(xs)  # (x - mean) / spread")
    start = LineSettings(weight=0.0, bias=0.0, alpha=0.0, iterations=1)
    arguments = [
        f"{name}={getattr(settings, name)!r}" for name in ("weight", "bias", "alpha", "iterations")
    ]
    for name in (
        "batch_size",
        "seed",
        "momentum",
        "adam",
        "beta1",
        "beta2",
        "exact_derivative",
        "freeze_weight",
        "freeze_bias",
    ):
        if getattr(settings, name) != getattr(start, name):
            arguments.append(f"{name}={getattr(settings, name)!r}")
    lines += [
        "",
        "run = tinynet.fit_line(",
        "    xs,",
        "    ys,",
        *(f"    {argument}," for argument in arguments),
        ")",
        "print(tinynet.line_verdict(run).headline)",
        'print("final weight:", run.final_weight, "final bias:", run.final_bias)',
    ]
    return "\n".join(lines) + "\n"

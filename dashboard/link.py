"""Settings as a link and as code: the URL's parameters, checked, and a runnable snippet."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    )
}
"""Every setting: its type, default, range, and what its control says."""

CONTROLS = ("method", "step", "alpha", "exact_derivative", "weight", "data", "target", "iterations")
"""The settings of a run, which a teacher may hide from students."""

ALIASES = {"exact": "exact_derivative"}
"""Older names of parameters, so that links shared before a rename still open."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def settings_from(values: Mapping[str, object]) -> Settings:
    """The run that a full set of the app's values describes."""
    return Settings(**{key: values[key] for key in CONTROLS})


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
        unknown = [key for key in keys if key not in CONTROLS]
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

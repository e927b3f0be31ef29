"""Settings as a link and as code: the URL's parameters, checked, and a runnable snippet."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tinynet.training import METHODS, Settings


@dataclass(frozen=True)
class Field:
    """One setting the app shows and the URL carries, under the same key."""

    key: str
    kind: type
    default: object
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


VIEWS = (
    "Learning",
    "Error curve",
    "Every alpha",
    "Compare methods",
    "Iteration log",
    "Quiz",
    "Code",
    "Teach",
)
"""The dashboard's tabs; a link can open any of them."""

FIELDS = {
    field.key: field
    for field in (
        Field("method", str, "gradient_descent", choices=METHODS),
        Field("step", float, 0.05, 1e-6, 1000.0),
        Field("alpha", float, 0.1, 0.0, 100.0),
        Field("exact", bool, False),
        Field("weight", float, 0.5, -1e6, 1e6),
        Field("data", float, 3.0, -1e6, 1e6),
        Field("target", float, 4.0, -1e6, 1e6),
        Field("iterations", int, 20, 1, 10_000),
        Field("at", int, 1, 1, 10_000),
        Field("presenter", bool, False),
        Field("hide", list, ()),
        Field("view", str, "Learning", choices=VIEWS),
    )
}
"""Every setting, its type, default and allowed range: the app's widgets use the same."""

CONTROLS = ("method", "step", "alpha", "exact", "weight", "data", "target", "iterations")
"""The settings of a run, which a teacher may hide from students."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
_SHOWN = 40  # characters of a rejected value worth quoting back


def settings_from(values: Mapping[str, object]) -> Settings:
    """The run that a full set of the app's values describes."""
    return Settings(
        method=values["method"],
        weight=values["weight"],
        data=values["data"],
        target=values["target"],
        iterations=values["iterations"],
        step=values["step"],
        alpha=values["alpha"],
        exact_derivative=values["exact"],
    )


def defaults() -> dict[str, object]:
    """Every field at its default value."""
    return {key: field.default for key, field in FIELDS.items()}


def _quote(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _parse(field: Field, text: str) -> tuple[object, str | None]:
    """The value of one parameter, or why it is not acceptable."""
    if field.kind is str:
        if text in field.choices:
            return text, None
        return None, f"{field.key}={_quote(text)} is not one of {', '.join(field.choices)}"
    if field.kind is bool:
        if text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE, None
        return None, f"{field.key}={_quote(text)} is not true or false"
    if field.kind is list:
        keys = [part for part in text.split(",") if part]
        unknown = [key for key in keys if key not in CONTROLS]
        if unknown:
            return None, f"{field.key}={_quote(text)} names no control: {_quote(','.join(unknown))}"
        return tuple(dict.fromkeys(keys)), None
    number = float(text) if _NUMBER.fullmatch(text.strip()) else math.nan
    whole = field.kind is int
    allowed = f"{'a whole number' if whole else 'a number'} from {field.low:g} to {field.high:g}"
    if not math.isfinite(number) or (whole and number != int(number)):
        return None, f"{field.key}={_quote(text)} is not {allowed}"
    if not field.low <= number <= field.high:
        return (
            None,
            f"{field.key}={_quote(text)} is outside the range {field.low:g} to {field.high:g}",
        )
    return (int(number) if whole else number), None


def parse_query(query: Mapping[str, Sequence[str]]) -> tuple[dict[str, object], list[str]]:
    """The settings a URL asks for, and a plain sentence for each part ignored.

    ``query`` maps each parameter to all its values (a repeated parameter has
    several: the last one counts). Unknown parameters and bad values are left
    out of the result, so the app keeps its defaults for them.
    """
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, texts in query.items():
        field = FIELDS.get(key)
        if field is None:
            problems.append(f"{_quote(key)} is not a setting")
            continue
        if len(texts) > 1:
            problems.append(f"{key} was given {len(texts)} times; only the last one counts")
        value, problem = _parse(field, texts[-1] if texts else "")
        if problem:
            problems.append(problem)
        else:
            values[key] = value
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

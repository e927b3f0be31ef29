"""Nonsense in the link and every control at its limits: the app still draws, never fails."""

from __future__ import annotations

import itertools
import re

import pytest

from dashboard.link import FIELDS, VIEWS
from support import charts, link, notices, open_app, page_text, show, unescaped

HOSTILE = [
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "",
    " ",
    "abc",
    "0x10",
    "1_000",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** [link](javascript:alert(1)) :red[red] `code`",
    "\u0000\u202e💥",
    "9" * 10_000,
]
NOT_FINITE = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


@pytest.mark.parametrize("value", HOSTILE, ids=lambda value: repr(value[:20]))
def test_every_parameter_at_once_set_to_nonsense(value):
    app = open_app({key: value for key in FIELDS})
    assert len(charts(app)) == 1
    (notice,) = notices(app)
    for key in FIELDS:
        if not (key == "hide" and value == ""):  # an empty list hides nothing: that is valid
            assert f"{key}=" in unescaped(notice)
    assert link(app) == {}  # the defaults stand, and the URL is clean again
    assert app.number_input(key="alpha").value == 0.1
    # a sentence for each setting, a 10 kB value quoted in a few characters, never repeated
    assert len(unescaped(notice)) < 150 * len(FIELDS) < len(HOSTILE[-1])


def test_minus_zero_is_a_number_where_zero_is_allowed():
    app = open_app({"weight": "-0", "alpha": "-0", "iterations": "-0", "step": "-0"})
    assert app.number_input(key="weight").value == 0
    assert app.number_input(key="alpha").value == 0
    (notice,) = notices(app)
    assert "iterations" in notice and "step" in notice and "weight" not in notice


def test_repeated_and_unknown_keys_are_named_and_the_valid_part_kept():
    app = open_app({"alpha": ["0.3", "0.2"], "weight": "1", "zzz": "1", "<b>x</b>": "y"})
    assert app.number_input(key="alpha").value == 0.2
    assert app.number_input(key="weight").value == 1.0
    (notice,) = notices(app)
    assert "alpha was given 2 times; the last one, '0.2', is used" in unescaped(notice)
    assert "zzz" in notice and "\\<b\\>x\\<\\/b\\>" in notice
    assert link(app) == {"alpha": "0.2", "weight": "1.0"}


def test_many_unknown_keys_make_one_short_notice():
    app = open_app({f"key{number}": "1" for number in range(300)})
    (notice,) = notices(app)
    shown = len(FIELDS) + 1  # one part per setting, and one more
    assert len(notice) < 2_000 and f"and {300 - shown} more" in notice


NUMBERS = ["step", "alpha", "weight", "data", "target", "iterations"]


@pytest.mark.parametrize(
    ("method", "exact", "ends"),
    [
        (method, exact, ends)
        for method, exact in itertools.product(["up_and_down", "gradient_descent"], [False, True])
        for ends in ["low", "high", "low-high", "high-low"]
    ],
)
def test_every_control_at_its_limits(method, exact, ends):
    app = open_app({"method": method})
    if method == "gradient_descent":
        app.toggle(key="exact_derivative").set_value(exact).run()
    pattern = itertools.cycle(ends.split("-"))
    for key, end in zip(NUMBERS, pattern, strict=False):
        widget = [widget for widget in app.sidebar.number_input if widget.key == key]
        if widget:
            field = FIELDS[key]
            widget[0].set_value(field.low if end == "low" else field.high)
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    drawn = 0
    for view in VIEWS:
        show(app, view)
        drawn += len(charts(app))
        assert not NOT_FINITE.search(page_text(app)), page_text(app)
    assert drawn == 5  # lesson, learning, error curve, sweep, comparison
    table = show(app, "Iteration log").dataframe[0].value
    assert not table.isin(["NaN", "Infinity", "-Infinity"]).any().any()


def test_ten_thousand_iterations_with_a_diverging_alpha():
    app = open_app({"iterations": "10000", "alpha": "100", "data": "1000000", "target": "-1000000"})
    assert app.error[0].value.startswith("**Diverged at iteration")
    for view in VIEWS:
        assert not NOT_FINITE.search(page_text(show(app, view)))
    show(app, "Error curve").number_input(key="at").set_value(app.number_input(key="at").max).run()
    assert not app.exception and not NOT_FINITE.search(page_text(app))

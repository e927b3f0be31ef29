"""Links carry every setting and refuse anything else; the code snippet reproduces the run."""

import dataclasses
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinynet
from dashboard.harness import ROOT
from dashboard.link import (
    CONTROLS,
    FIELDS,
    VIEWS,
    defaults,
    parse_query,
    python_code,
    settings_from,
    to_query,
)


def test_a_full_link_is_read_back_exactly():
    query = {
        "method": ["up_and_down"],
        "step": ["0.125"],
        "alpha": ["1"],
        "exact_derivative": ["true"],
        "weight": ["-0.5"],
        "data": ["1e3"],
        "target": ["4"],
        "iterations": ["200"],
        "at": ["3"],
        "presenter": ["1"],
        "hide": ["alpha,step"],
    }
    values, problems = parse_query(query)
    assert problems == []
    assert values == {
        "method": "up_and_down",
        "step": 0.125,
        "alpha": 1.0,
        "exact_derivative": True,
        "weight": -0.5,
        "data": 1000.0,
        "target": 4.0,
        "iterations": 200,
        "at": 3,
        "presenter": True,
        "hide": ("alpha", "step"),
    }


@pytest.mark.parametrize(
    ("key", "text", "complaint"),
    [
        ("alpha", "nan", "alpha='nan' is not a number from 0 to 100"),
        ("alpha", "inf", "is not a number"),
        ("weight", "1e400", "is not a number"),
        ("weight", "-inf", "is not a number"),
        ("data", "", "is not a number"),
        ("target", "four", "is not a number"),
        ("alpha", "<script>alert(1)</script>", "is not a number"),
        ("alpha", "101", "alpha='101' is outside the range 0 to 100"),
        ("step", "0", "outside the range"),
        ("iterations", "3.5", "is not a whole number from 1 to 10000"),
        ("iterations", "0", "outside the range 1 to 10000"),
        ("iterations", "1e9", "outside the range"),
        ("method", "newton", "is not one of up_and_down, gradient_descent"),
        ("exact_derivative", "maybe", "is not true or false"),
        ("hide", "alpha,everything", "names no control: 'everything'"),
        ("alpha", "1" * 10_000, "'" + "1" * 40 + "…'"),
    ],
)
def test_a_bad_value_is_left_out_and_named(key, text, complaint):
    values, problems = parse_query({key: [text]})
    assert key not in values
    assert len(problems) == 1 and complaint in problems[0]
    assert len(problems[0]) < 250


def test_unknown_and_repeated_parameters_are_named():
    values, problems = parse_query({"zzz": ["1"], "alpha": ["0.5", "2"]})
    assert values == {"alpha": 2.0}
    assert problems == [
        "'zzz' is not a setting, so it was ignored",
        "alpha was given 2 times; the last one, '2', is used",
    ]


def test_a_bad_value_says_which_default_stands_in_for_it():
    _, problems = parse_query({"alpha": ["0.2", "abc"], "hide": ["everything"]})
    assert problems == [
        "alpha='abc' is not a number from 0 to 100, so alpha keeps its default, 0.1",
        "hide='everything' names no control: 'everything', so hide keeps its default, none",
    ]


def test_the_old_name_of_the_exact_derivative_still_reads():
    values, problems = parse_query({"exact": ["true"], "hide": ["exact,alpha"]})
    assert problems == []
    assert values == {"exact_derivative": True, "hide": ("exact_derivative", "alpha")}


def test_minus_zero_and_plain_spellings_are_numbers():
    values, problems = parse_query({"weight": ["-0"], "iterations": ["20.0"], "data": [" 3 "]})
    assert problems == [] and values == {"weight": 0.0, "iterations": 20, "data": 3.0}


@given(
    st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=30), max_size=3), max_size=6)
)
def test_any_query_gives_only_valid_values(query):
    values, problems = parse_query(query)
    assert all(isinstance(problem, str) for problem in problems)
    settings_from({**defaults(), **values})  # raises if any value were out of its range
    for key, value in values.items():
        field = FIELDS[key]
        if field.low is not None:
            assert field.low <= value <= field.high


@given(
    st.fixed_dictionaries(
        {
            "method": st.sampled_from(["up_and_down", "gradient_descent"]),
            "step": st.floats(1e-6, 1000),
            "alpha": st.floats(0, 100),
            "exact_derivative": st.booleans(),
            "weight": st.floats(-1e6, 1e6),
            "data": st.floats(-1e6, 1e6),
            "target": st.floats(-1e6, 1e6),
            "iterations": st.integers(1, 10_000),
            "at": st.integers(1, 10_000),
            "whole_run": st.booleans(),
            "presenter": st.booleans(),
            "hide": st.lists(st.sampled_from(CONTROLS), unique=True).map(tuple),
            "view": st.sampled_from(VIEWS),
        }
    )
)
def test_every_setting_survives_the_round_trip_through_a_link(values):
    query = to_query(values)
    read, problems = parse_query({key: [text] for key, text in query.items()})
    assert problems == []
    assert {**defaults(), **read} == {**defaults(), **values}  # lesson 2's keep their defaults


def test_defaults_make_a_clean_link():
    assert to_query(defaults()) == {}
    assert to_query({**defaults(), "alpha": 1.0}) == {"alpha": "1.0"}


@pytest.mark.parametrize(
    "settings",
    [
        tinynet.Settings("up_and_down", 0.5, 3.0, 4.0, 20, step=0.05),
        tinynet.Settings("gradient_descent", 0.5, 3.0, 4.0, 30, alpha=1 / 3, exact_derivative=True),
    ],
)
def test_the_code_snippet_reproduces_the_run(settings):
    printed = subprocess.run(
        [sys.executable, "-c", python_code(settings)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    run = tinynet.train(**dataclasses.asdict(settings))
    assert printed[:-1] == run.log_lines()
    assert printed[-1] == f"final weight: {run.final_weight!r} diverged: False"

"""Lesson 2 in the dashboard, through Streamlit's AppTest: the lesson selector, every control,
experiment, view and link parameter, the points typed or uploaded, and the readout."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.harness import ROOT
from dashboard.link import (
    FIELDS,
    LINE_VIEWS,
    Points,
    defaults,
    line_code,
    line_settings_from,
    own_points,
    parse_query,
    preset_values,
    to_query,
)
from dashboard.views import LINE_SHOW
from support import charts, link, notices, numbers, open_app, page_text
from tinynet.line import LINE_PRESETS, PATIENTS, line_data, parse_points, train_line
from tinynet.line_words import hessian_text, line_forecast, line_verdict, readout
from tinynet.number_words import exact_words, js_number

LESSON_TWO = {"lesson": "2"}


@pytest.fixture(autouse=True)
def empty_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def lesson_two(query: dict[str, str] | None = None) -> AppTest:
    return open_app({**LESSON_TWO, **(query or {})})


def rerun(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def the_run(app: AppTest):
    """The run the app's settings and points describe, trained here: the gold."""
    values = {key: app.session_state[key] for key in FIELDS}
    own = app.session_state["line_own"] if "line_own" in app.session_state else None  # noqa: SIM401
    points = Points("patients")
    if values["line_data"] == "own" and own is not None:
        points = Points("own", values["line_centre"], own.digest, own.own)
    elif values["line_data"] != "own":
        points = Points(values["line_data"], values["line_centre"])
    return train_line(points.data(), line_settings_from(values))


def drawn_errors(app: AppTest) -> np.ndarray:
    """The full data's error per iteration, as the lesson's chart draws it."""
    figure = charts(app)["line_lesson"]
    (line,) = [trace for trace in figure["data"] if trace.get("name") == "error, all points"]
    return numbers(line["y"])


def verdict_box(app: AppTest) -> str:
    (box,) = [
        element.value
        for element in [*app.success, *app.info, *app.warning, *app.error]
        if element.value.startswith("**")
    ]
    return box


def test_the_link_opens_lesson_2_on_its_first_experiment():
    app = lesson_two()
    assert app.title[0].value == "How a line learns from many points"
    assert set(charts(app)) == {"line_lesson"}
    run = the_run(app)
    assert run.settings == LINE_PRESETS[0].settings
    assert np.array_equal(drawn_errors(app), run.errors)
    judged = line_verdict(run)
    assert verdict_box(app) == f"**{judged.headline}.** {judged.reason}"
    labels = [metric.label for metric in app.metric]
    assert labels == ["Final weight", "Final bias", "Error", "Least error"]
    # each number's help says it exactly: the double's own decimal, not only JavaScript's print
    for metric, value in zip(app.metric, (run.final_weight, run.final_bias), strict=False):
        assert metric.proto.help.endswith(exact_words(value))
        assert f"JavaScript prints it as {js_number(value)}; exactly, it is " in metric.proto.help
    assert link(app) == LESSON_TWO


def test_the_lesson_selector_switches_lessons_and_each_keeps_its_settings():
    app = open_app({"alpha": "0.05"})
    assert app.title[0].value == "How a one-weight network learns"
    app.button_group(key="lesson_choice").set_value("2")
    rerun(app)
    assert app.title[0].value == "How a line learns from many points"
    app.number_input(key="line_alpha").set_value(0.02)
    rerun(app)
    app.button_group(key="lesson_choice").set_value("1")
    rerun(app)
    assert app.number_input(key="alpha").value == 0.05
    assert link(app) == {"alpha": "0.05", "line_alpha": "0.02"}
    assert set(charts(app)) == {"lesson"}


@pytest.mark.parametrize("view", LINE_VIEWS)
def test_every_view_of_lesson_2_runs_from_its_own_module(view):
    app = lesson_two({"line_view": view})
    assert LINE_SHOW[view].__module__.startswith("dashboard.views.")
    drawn = {
        "Lesson": {"line_lesson"},
        "Bridge to lesson 1": {"line_bridge"},
        "Surface in 3-D": {"line_surface"},
    }
    assert set(charts(app)) == drawn.get(view, set())
    for element in app.get("plotly_chart"):
        assert len(element.proto.alt) > 80  # the chart in words, from its run
        assert "nan" not in element.proto.alt and "-0 " not in element.proto.alt
    assert app.button_group(key="line_view").value == view


def test_the_views_table_names_every_view_of_lesson_2_once():
    assert tuple(LINE_SHOW) == LINE_VIEWS


def test_every_lesson_2_control_has_its_fields_label_and_help():
    app = lesson_two({"line_method": "mini-batch", "line_adam": "true"})
    seen = set()
    for widget in [*app.sidebar.number_input, *app.sidebar.radio, *app.sidebar.toggle]:
        if widget.key in FIELDS:
            seen.add(widget.key)
            assert widget.label == FIELDS[widget.key].label
            assert widget.help == FIELDS[widget.key].help and "\n" not in widget.help
    assert seen >= {"line_batch", "line_seed", "line_beta1", "line_beta2", "line_alpha"}
    assert "line_momentum" not in seen  # Adam has its own beta1


@pytest.mark.parametrize(
    ("key", "value", "query"),
    [
        ("line_alpha", 0.05, {}),
        ("line_weight", -1.0, {}),
        ("line_bias", 2.0, {}),
        ("line_iterations", 37, {}),
        ("line_momentum", 0.5, {}),
        ("line_batch", 3, {"line_method": "mini-batch"}),
        ("line_seed", 7, {"line_method": "stochastic"}),
        ("line_beta1", 0.5, {"line_adam": "true"}),
        ("line_beta2", 0.9, {"line_adam": "true"}),
    ],
)
def test_each_number_control_reruns_the_run_and_enters_the_link(key, value, query):
    app = lesson_two(query)
    before = drawn_errors(app)
    app.number_input(key=key).set_value(value)
    rerun(app)
    after = drawn_errors(app)
    assert np.array_equal(after, the_run(app).errors)
    assert not np.array_equal(after, before)
    assert link(app)[key] == (repr(value) if isinstance(value, float) else str(value))


@pytest.mark.parametrize(
    "key",
    ["line_exact_derivative", "line_freeze_weight", "line_freeze_bias", "line_centre", "line_adam"],
)
def test_each_switch_reruns_the_run_and_enters_the_link(key):
    app = lesson_two()
    before = drawn_errors(app)
    app.toggle(key=key).set_value(True)
    rerun(app)
    assert np.array_equal(drawn_errors(app), the_run(app).errors)
    assert not np.array_equal(drawn_errors(app), before)
    assert link(app)[key] == "true"


@pytest.mark.parametrize(("key", "value"), [("line_method", "stochastic"), ("line_data", "city")])
def test_each_choice_reruns_the_run(key, value):
    app = lesson_two()
    app.radio(key=key).set_value(value)
    rerun(app)
    run = the_run(app)
    assert np.array_equal(drawn_errors(app), run.errors)
    assert link(app)[key] == value
    if key == "line_method":
        assert run.method == "stochastic" and run.settings.batch_size == 1


def test_stochastic_steps_draw_each_mini_batchs_own_error_too():
    app = lesson_two({"line_method": "mini-batch", "line_batch": "2"})
    (batch,) = [
        trace
        for trace in charts(app)["line_lesson"]["data"]
        if trace.get("name") == "mini-batch's own error"
    ]
    run = the_run(app)
    assert numbers(batch["y"]) == pytest.approx(run.batch_errors, rel=1e-6)


@pytest.mark.parametrize("preset", LINE_PRESETS, ids=lambda preset: preset.key)
def test_each_experiment_loads_its_points_and_settings_and_ends_as_it_should(preset):
    app = lesson_two({"line_alpha": "0.7", "line_weight": "3", "line_momentum": "0.3"})
    app.button_group(key="line_preset").set_value(preset.key)
    rerun(app)
    assert app.button_group(key="line_preset").value is None  # ready to load it again
    run = the_run(app)
    assert run.settings == preset.settings
    assert run.data.xs.tolist() == list(preset.xs) and run.data.ys.tolist() == list(preset.ys)
    assert line_verdict(run).outcome == preset.outcome
    assert verdict_box(app).startswith(f"**{line_verdict(run).headline}.")


def test_the_readout_says_before_the_run_what_the_settings_allow():
    app = lesson_two({"line_alpha": "0.078"})  # the trap: stable alone, not together
    run = the_run(app)
    captions = [caption.value for caption in app.sidebar.caption]
    said = [hessian_text(run.data, run.settings), *readout(run.data, run.settings)]
    assert all(sentence in captions for sentence in said)
    assert any(
        sentence.startswith("Beware: alpha 0.078 converges with the bias frozen")
        for sentence in said
    )
    forecast = line_forecast(run.data, run.settings)
    (badge,) = [caption for caption in captions if "badge[" in caption]
    assert f"This run {forecast.badge}]" in badge and badge.endswith(forecast.sentence)


def test_centred_and_scaled_points_make_a_round_bowl():
    app = lesson_two({"line_data": "city", "line_centre": "true"})
    captions = "\n".join(caption.value for caption in app.sidebar.caption)
    assert "the error's bowl is round (condition number 1)" in captions
    app.toggle(key="line_centre").set_value(False)
    rerun(app)
    captions = "\n".join(caption.value for caption in app.sidebar.caption)
    assert "times as sharply curved across as along" in captions


def test_a_teacher_can_hide_lesson_2_controls():
    app = lesson_two({"hide": "line_alpha,line_data"})
    keys = {widget.key for widget in [*app.sidebar.number_input, *app.sidebar.radio]}
    assert "line_alpha" not in keys and "line_data" not in keys and "line_weight" in keys
    assert any("hidden" in caption.value for caption in app.sidebar.caption)
    app.session_state["line_view"] = "Points"
    rerun(app)
    assert not app.data_editor and not app.file_uploader  # the points are fixed


# The link -------------------------------------------------------------------------------------


def test_a_link_carries_every_lesson_2_setting_and_reads_back():
    values = {
        **defaults(),
        "lesson": "2",
        "line_data": "city",
        "line_centre": True,
        "line_method": "mini-batch",
        "line_batch": 3,
        "line_seed": 11,
        "line_adam": True,
        "line_beta1": 0.8,
        "line_beta2": 0.99,
        "line_alpha": 0.01,
        "line_exact_derivative": True,
        "line_freeze_weight": False,
        "line_freeze_bias": True,
        "line_weight": -0.25,
        "line_bias": 1.5,
        "line_iterations": 321,
        "line_at": 9,
        "line_view": "Bridge to lesson 1",
        "hide": ("line_seed",),
    }
    query = to_query(values)
    read, problems = parse_query({key: [text] for key, text in query.items()})
    assert problems == []
    assert {**defaults(), **read} == values
    app = open_app(query)
    assert {key: app.session_state[key] for key in values} == values


def test_bad_lesson_2_values_keep_their_defaults_with_one_notice():
    app = lesson_two({"line_alpha": "-1", "line_method": "newton", "line_batch": "2.5"})
    (notice,) = notices(app)
    for said in ("line_alpha='-1' is outside", "'newton' is not one of", "line_batch='2.5'"):
        assert said in notice.replace("\\", "")
    assert app.number_input(key="line_alpha").value == FIELDS["line_alpha"].default
    app.run()
    assert notices(app) == []  # once
    (notice,) = notices(open_app({"lesson": "3"}))
    assert "lesson='3' is not one of 1, 2, so lesson keeps its default, 1" in notice.replace(
        "\\", ""
    )


def test_a_link_cannot_bring_points_of_another_session():
    app = lesson_two({"line_data": "own"})
    (notice,) = notices(app)
    assert "a link cannot carry" in notice.replace("\\", "")
    assert app.radio(key="line_data").value == "patients"


# Points typed or uploaded ---------------------------------------------------------------------


def points_view(query: dict[str, str] | None = None) -> AppTest:
    return lesson_two({"line_view": "Points", **(query or {})})


def test_points_typed_in_the_table_are_used_at_once():
    app = points_view()
    assert app.data_editor[0].value.values.tolist() == [
        list(pair) for pair in zip(*PATIENTS, strict=True)
    ]
    app.session_state[app.data_editor[0].key] = {
        "edited_rows": {2: {"y": 5.0}},
        "added_rows": [{"x": 9.0, "y": 13.0}],
        "deleted_rows": [0],
    }
    rerun(app)
    assert app.radio(key="line_data").value == "own"
    data = the_run(app).data
    assert data.xs.tolist() == [2, 3, 4, 5, 6, 7, 8, 9]
    assert data.ys.tolist() == [3, 5, 6, 7, 9, 10, 11, 13]
    assert app.data_editor[0].value.values.tolist() == np.column_stack([data.xs, data.ys]).tolist()
    assert "line_data" in link(app)  # "own": a new session says that it cannot have them


def test_a_bad_cell_gets_one_message_and_the_last_good_points_stay():
    app = points_view()
    app.session_state[app.data_editor[0].key] = {
        "edited_rows": {1: {"x": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun(app)
    (message,) = [error.value for error in app.error if "Row" in error.value]
    assert message.replace("\\", "") == (
        "Row 2 has no x: each row needs a number for x and for y. "
        "The last good points are still in use."
    )
    assert the_run(app).data.xs.tolist() == list(PATIENTS[0])
    assert app.radio(key="line_data").value == "patients"


BAD_FILES = [
    (b"x,y\n1,2\n2,abc\n", "Row 3 has 'abc' as y, which is not a number."),
    (b"x,y\n1,2\n2,nan\n", "Row 3 has NaN as y: each x and y must be a number."),
    (b"x,y\n1,2\n2,inf\n", "Row 3 has an infinite y: each x and y must be a finite number."),
    (b"", "The file is empty: it needs a column of x and a column of y."),
    (b"x,z,w\n1,2,3\n", "The header has no column named y: name the columns x and y."),
    (b"x,y\n3,1\n3,2\n", "Every point has the same x, 3: a line needs at least two different x."),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a text file"),
    (b"1,2\n" * 100_002, "The file has more than 100,000 points, too many to fit."),
    (b"1" * 5_000_001, "The file is larger than 5 MB, too large to read."),
    (b"x\n1\n2\n", "Row 1 has one column: each row needs an x and a y."),
]


@pytest.mark.parametrize(("content", "said"), BAD_FILES, ids=[said[:24] for _, said in BAD_FILES])
def test_a_bad_file_gets_one_message_and_the_last_good_points_stay(content, said):
    app = points_view()
    app.file_uploader[0].set_value(("points.csv", content, "text/csv"))
    rerun(app)
    messages = [error.value.replace("\\", "") for error in app.error]
    assert len(messages) == 1 and said in messages[0]  # one message, tinynet's own
    assert the_run(app).data.xs.tolist() == list(PATIENTS[0])
    rerun(app)  # the same file is not read again, and its message stays
    assert [error.value.replace("\\", "") for error in app.error] == messages


def test_an_uploaded_file_is_read_once_and_used():
    app = points_view()
    content = b"x;y\n1;1\n2;3\n3;5\n4;8\n"
    app.file_uploader[0].set_value(("points.csv", content, "text/csv"))
    rerun(app)
    data = the_run(app).data
    assert data.xs.tolist() == [1, 2, 3, 4] and data.ys.tolist() == [1, 3, 5, 8]
    assert app.radio(key="line_data").value == "own"
    assert "4 points" in page_text(app)
    app.radio(key="line_data").set_value("patients")
    rerun(app)
    assert the_run(app).data.count == 8
    app.radio(key="line_data").set_value("own")
    rerun(app)
    assert the_run(app).data.ys.tolist() == [1, 3, 5, 8]  # still this session's


def test_100000_uploaded_points_train_and_draw_within_the_budget():
    generator = np.random.default_rng(1)
    xs = generator.normal(5, 2, 100_000)
    ys = 1.3 * xs + 0.5 + generator.normal(0, 1, 100_000)
    rows = "\n".join(f"{x!r},{y!r}" for x, y in zip(xs.tolist(), ys.tolist(), strict=True))
    content = f"x,y\n{rows}\n".encode()
    assert len(content) < 5_000_000
    app = points_view({"line_method": "mini-batch", "line_batch": "8", "line_iterations": "1000"})
    app.file_uploader[0].set_value(("many.csv", content, "text/csv"))
    rerun(app)
    assert the_run(app).data.count == 100_000
    assert "More than 1,000 points" in page_text(app)
    app.session_state["line_view"] = "Lesson"
    rerun(app)
    (element,) = app.get("plotly_chart")
    assert len(element.proto.spec) <= 150_000
    names = [trace.get("name", "") for trace in charts(app)["line_lesson"]["data"]]
    (shown,) = [name for name in names if name.endswith("of the 100,000 points")]
    assert 1_000 < int(shown.split()[0].replace(",", "")) <= 2_001


# The other views ------------------------------------------------------------------------------


def test_the_iteration_log_holds_every_iteration_exactly():
    app = lesson_two({"line_view": "Iteration log", "line_method": "mini-batch"})
    (table,) = app.dataframe
    run = the_run(app)
    assert len(table.value) == len(run.weights)
    assert table.value["bias"].astype(float).tolist() == run.biases.tolist()
    assert "batch error" in table.value.columns
    (download,) = app.get("download_button")
    assert download.proto.label == "Download the log as CSV"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {
            "line_data": "city",
            "line_centre": "true",
            "line_method": "mini-batch",
            "line_batch": "3",
        },
        {"line_adam": "true", "line_freeze_bias": "true", "line_exact_derivative": "true"},
    ],
)
def test_the_code_view_reproduces_the_run(query):
    app = lesson_two({"line_view": "Code", "line_iterations": "30", **query})
    (code,) = [element.value for element in app.code if element.language == "python"]
    printed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    run = the_run(app)
    assert printed[-1] == f"final weight: {run.final_weight!r} final bias: {run.final_bias!r}"
    assert printed[0] == line_verdict(run).headline


def test_the_code_of_own_points_writes_them_out():
    data = parse_points("x,y\n1,2\n2,5\n4,6\n")
    code = line_code(own_points(data), replace(LINE_PRESETS[0].settings, iterations=5))
    assert "xs = [1.0, 2.0, 4.0]" in code and "ys = [2.0, 5.0, 6.0]" in code


def test_the_3d_surface_marks_the_iteration_to_inspect():
    app = lesson_two({"line_view": "Surface in 3-D", "line_at": "7"})
    figure = charts(app)["line_surface"]
    (now,) = [trace for trace in figure["data"] if trace.get("name") == "iteration 7"]
    run = the_run(app)
    assert (now["x"][0], now["y"][0]) == (run.weights[6], run.biases[6])
    app.number_input(key="line_at").set_value(3)
    rerun(app)
    assert any(trace.get("name") == "iteration 3" for trace in charts(app)["line_surface"]["data"])


def test_the_teach_view_shares_lesson_2_and_says_own_points_stay_behind():
    app = points_view()
    app.file_uploader[0].set_value(("points.csv", b"x,y\n1,1\n2,3\n", "text/csv"))
    rerun(app)
    app.session_state["line_view"] = "Teach"
    rerun(app)
    (shared,) = [box.value for box in app.text_input if box.label == "Link to this set-up"]
    assert "lesson=2" in shared and "line_view=Teach" in shared
    assert any("the link cannot carry them" in caption.value for caption in app.caption)
    options = app.multiselect[0].options
    assert "Alpha (learning rate)" in options and "Freeze the bias" in options


def test_presenter_mode_draws_lesson_2_in_the_projector_look():
    plain = charts(lesson_two())["line_lesson"]
    big = charts(lesson_two({"presenter": "true"}))["line_lesson"]
    assert big["layout"]["font"]["size"] > plain["layout"]["font"]["size"]
    assert big["layout"]["height"] < plain["layout"]["height"]  # room for the larger header


def test_points_of_one_x_cannot_be_typed():
    data = line_data([1.0, 2.0], [1.0, 2.0])
    assert data.best_weight == 1.0  # two different x: the smallest table that makes a line
    app = points_view()
    app.session_state[app.data_editor[0].key] = {
        "edited_rows": {index: {"x": 3.0} for index in range(8)},
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun(app)
    assert any(
        "a line needs at least two different x" in error.value.replace("\\", "")
        for error in app.error
    )


def test_preset_values_name_points_by_their_set():
    assert preset_values(LINE_PRESETS[-1])["line_data"] == "city"
    assert preset_values(LINE_PRESETS[-1])["line_centre"] is True
    assert preset_values(LINE_PRESETS[4])["line_method"] == "stochastic"

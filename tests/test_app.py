"""The dashboard driven through Streamlit's AppTest: every control, preset, link and view."""

from __future__ import annotations

import base64
import dataclasses
import json

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT

import tinynet
from tinynet.explain import tex
from tinynet.presets import PRESETS
from tinynet.sharing import python_code

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}


@pytest.fixture(autouse=True)
def empty_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def open_app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def show(app: AppTest, view: str) -> AppTest:
    """Open one of the dashboard's tabs (only the open one runs)."""
    app.session_state["view"] = view
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def charts(app: AppTest) -> dict[str, dict]:
    """Every Plotly chart on the page, by key, as the figure JSON sent to the browser."""
    return {element.key: json.loads(element.proto.spec) for element in app.get("plotly_chart")}


def numbers(array: list | dict) -> np.ndarray:
    """A Plotly data array, decoding numpy's base64 typed arrays."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.array([np.nan if value is None else value for value in array], dtype=float)


def link(app: AppTest) -> dict[str, str]:
    """The URL's parameters after the run, one value each."""
    return {
        key: value if isinstance(value, str) else value[-1]
        for key, value in app.query_params.items()
    }


def notices(app: AppTest) -> list[str]:
    """The notices about a bad link (other warnings are verdicts)."""
    return [box.value for box in app.warning if box.value.startswith("Part of the link")]


def button(app: AppTest, label: str):
    (found,) = [each for each in app.button if each.label == label]
    return found


def console(app: AppTest) -> list[str]:
    """The lines of the console view in the iteration log."""
    (view,) = [code for code in app.main.code if code.language == "plaintext"]
    return view.value.splitlines()


def snippet(app: AppTest) -> str:
    (view,) = [code for code in app.main.code if code.language == "python"]
    return view.value


def trace(figure: dict, name_start: str, axis: str = "y") -> dict:
    """The first trace whose name starts so, on the upper ("y") or lower ("y2") half."""
    return next(
        each
        for each in figure["data"]
        if each.get("name", "").startswith(name_start) and each.get("yaxis", "y") == axis
    )


def run_with(**changes: object) -> tinynet.Run:
    settings = {"method": "gradient_descent", **ARTICLE, "alpha": 0.1, **changes}
    return tinynet.train(**settings)


def shown_errors(app: AppTest) -> np.ndarray:
    return numbers(trace(charts(app)["learning"], "this run")["y"])


def shown_predictions(app: AppTest) -> np.ndarray:
    return numbers(trace(charts(app)["learning"], "this run", "y2")["y"])


def test_it_opens_on_the_articles_gradient_descent_with_alpha():
    app = open_app()
    assert {key: app.number_input(key=key).value for key in ARTICLE} == ARTICLE
    assert app.radio(key="method").value == "gradient_descent"
    assert app.number_input(key="alpha").value == 0.1
    assert app.toggle(key="exact").value is False
    assert set(charts(app)) == {"learning"}  # only the open view runs
    run = run_with()
    assert np.array_equal(shown_predictions(app), run.predictions)
    assert app.success[0].value.startswith("**Converged.**")
    assert [metric.value for metric in app.metric] == ["1.333", "4", "0", "1.333"]
    assert app.metric[0].proto.help.endswith("Exactly 1.3333333333333333.")
    assert link(app) == {}


def test_every_control_has_a_one_line_help():
    app = open_app({"method": "up_and_down"})
    for widget in [*app.number_input, *app.radio, *app.toggle]:
        if widget.key and not widget.key.startswith("quiz"):
            assert widget.help and "\n" not in widget.help, widget.key


@pytest.mark.parametrize(
    ("key", "value", "changes"),
    [
        ("alpha", 0.01, {"alpha": 0.01}),
        ("alpha", 1.0, {"alpha": 1.0}),
        ("weight", -2.0, {"weight": -2.0}),
        ("data", 2.0, {"data": 2.0}),
        ("target", 10.0, {"target": 10.0}),
        ("iterations", 57, {"iterations": 57}),
    ],
)
def test_each_number_control_reruns_the_run(key, value, changes):
    app = open_app()
    app.number_input(key=key).set_value(value).run()
    assert not app.exception
    run = run_with(**changes)
    assert np.array_equal(shown_predictions(app), run.predictions)
    assert link(app)[key] == (repr(value) if isinstance(value, float) else str(value))


def test_the_exact_derivative_doubles_the_step():
    app = open_app()
    app.toggle(key="exact").set_value(True).run()
    assert np.array_equal(shown_predictions(app), run_with(exact_derivative=True).predictions)
    assert any("w ← w − α · 2 · data" in markdown.value for markdown in app.markdown)
    assert link(app)["exact"] == "true"


def test_up_and_down_shows_its_step_and_hides_alpha():
    app = open_app()
    app.radio(key="method").set_value("up_and_down").run()
    keys = {widget.key for widget in app.sidebar.number_input}
    assert "step" in keys and "alpha" not in keys
    assert not [toggle for toggle in app.sidebar.toggle if toggle.key == "exact"]
    app.number_input(key="step").set_value(0.1).run()
    run = tinynet.train("up_and_down", **ARTICLE, step=0.1)
    assert np.array_equal(shown_errors(app), run.errors)
    captions = [caption.value for caption in app.sidebar.caption]
    assert any("hopping between 1.3 and 1.4" in caption for caption in captions)


def test_a_hidden_setting_keeps_its_value_when_the_method_changes_back():
    app = open_app()
    app.number_input(key="alpha").set_value(0.05).run()
    app.radio(key="method").set_value("up_and_down").run()
    app.radio(key="method").set_value("gradient_descent").run()
    assert app.number_input(key="alpha").value == 0.05


@pytest.mark.parametrize("preset", PRESETS, ids=lambda preset: preset.key)
def test_each_preset_loads_the_articles_experiment(preset):
    app = open_app({"alpha": "0.7", "weight": "2"})
    app.button_group(key="preset").set_value(preset.key).run()
    assert app.button_group(key="preset").value is None  # ready to load it again
    settings = preset.settings
    assert app.radio(key="method").value == settings.method
    assert app.number_input(key="weight").value == settings.weight
    run = tinynet.train(**dataclasses.asdict(settings))
    assert np.array_equal(shown_predictions(app), run.predictions)
    expected_query = {"method": "up_and_down"} if settings.method == "up_and_down" else {}
    if settings.alpha != 0.1:
        expected_query["alpha"] = repr(settings.alpha)
    assert link(app) == expected_query
    assert console(show(app, "Iteration log")) == run.log_lines()


def test_a_link_opens_exactly_its_set_up():
    query = {"method": "gradient_descent", "alpha": "1", "iterations": "30", "at": "3"}
    app = open_app(query)
    assert app.number_input(key="alpha").value == 1.0
    assert np.array_equal(shown_predictions(app), run_with(alpha=1.0, iterations=30).predictions)
    assert app.error[0].value.startswith("**Diverging.**")
    show(app, "Error curve")
    assert app.number_input(key="at").value == 3
    assert app.subheader[0].value == "Iteration 3, worked out"
    assert not notices(app)


def test_a_bad_link_falls_back_to_defaults_with_one_notice():
    app = open_app({"alpha": "abc", "iterations": "3.5", "zzz": "1", "weight": "2"})
    assert app.number_input(key="alpha").value == 0.1
    assert app.number_input(key="iterations").value == 20
    assert app.number_input(key="weight").value == 2.0
    (notice,) = notices(app)
    for named in ("alpha", "abc", "iterations", "3\\.5", "zzz"):
        assert named in notice
    assert link(app) == {"weight": "2.0"}
    app.number_input(key="alpha").set_value(0.2).run()
    assert not notices(app)  # said once, then out of the way


def test_the_worked_step_plugs_in_the_runs_numbers():
    app = open_app({"view": "Error curve"})
    app.number_input(key="at").set_value(2).run()
    run = run_with()
    (worked,) = [latex.value for latex in app.latex if "aligned" in latex.value]
    for number in (run.weights[1], run.predictions[1], run.errors[1], run.weights[2]):
        assert tex(float(number), False) in worked
    curve = charts(app)["curve"]
    assert numbers(trace(curve, "iteration 2")["x"])[0] == run.weights[1]
    assert curve["layout"]["sliders"][0]["active"] == 1


def test_pinned_runs_stay_on_the_charts_until_cleared():
    app = open_app()
    button(app, "Pin this run").click().run()
    app.number_input(key="alpha").set_value(0.05).run()
    error_chart = charts(app)["learning"]
    pinned = trace(error_chart, "gradient descent, alpha 0.1")
    assert np.array_equal(numbers(pinned["y"])[:16], run_with().errors[:16])
    assert np.array_equal(shown_errors(app), run_with(alpha=0.05).errors)
    button(app, "Clear pinned runs").click().run()
    figure = charts(app)["learning"]
    names = [each["name"] for each in figure["data"] if each.get("yaxis", "y") == "y"]
    assert names == ["this run"]


def test_the_comparison_puts_the_three_experiments_on_the_same_axes():
    app = open_app({"view": "Compare methods"})
    figure = charts(app)["compare"]
    for preset in PRESETS:
        run = tinynet.train(**dataclasses.asdict(preset.settings))
        shown = numbers(trace(figure, preset.title)["y"])
        kept = run.errors > 0
        assert np.array_equal(shown[kept], run.errors[kept])
    assert figure["layout"]["yaxis"]["type"] == "log"
    captions = [caption.value for caption in app.main.caption]
    assert any(caption.startswith("The article's three experiments") for caption in captions)
    assert not any(caption.startswith("Top: the error") for caption in captions)


def test_the_sweep_marks_the_chosen_alpha_and_follows_it():
    app = open_app({"alpha": "0.15", "view": "Every alpha"})
    sweep_chart = charts(app)["sweep"]
    dashed = [
        shape for shape in sweep_chart["layout"]["shapes"] if shape["line"].get("dash") == "dash"
    ]
    assert [shape["x0"] for shape in dashed] == [0.15]
    assert forecast(app).startswith(":orange-badge[:material/swap_horiz: This alpha zig-zags in]")


def forecast(app: AppTest) -> str:
    """The sidebar's note on what the settings will do, before the run."""
    (note,) = [caption.value for caption in app.sidebar.caption if "badge[" in caption.value]
    return note


@pytest.mark.parametrize(
    ("alpha", "badge"),
    [("0.05", "converges"), ("0.1111111111111111", "lands in one step"), ("1", "diverges")],
)
def test_the_badge_names_the_regime_before_any_run(alpha, badge):
    app = open_app({"alpha": alpha})
    note = forecast(app)
    assert f"This alpha {badge}" in note
    assert "Converges while alpha < 0.2222; alpha = 0.1111 lands in one step." in note


def test_the_log_shows_every_number_as_the_console_prints_it():
    app = open_app({"alpha": "1", "view": "Iteration log"})
    table = app.dataframe[0].value
    run = run_with(alpha=1.0)
    assert list(table.columns) == ["iteration", "weight", "prediction", "error", "update"]
    assert table["error"].tolist() == [tinynet.js_number(error) for error in run.errors.tolist()]
    assert console(app) == run.log_lines()
    assert app.get("download_button")[0].proto.label == "Download the log as CSV"


def test_a_very_long_log_leaves_its_middle_to_the_csv():
    query = {
        "iterations": "10000",
        "method": "up_and_down",
        "step": "0.0001",
        "view": "Iteration log",
    }
    app = open_app(query)
    console_lines = console(app)
    assert len(console_lines) == 1001 and "9,000 more lines" in console_lines[500]
    assert console_lines[-1].startswith("iteration 10000 ")


def test_the_code_view_holds_the_snippet_for_the_current_run():
    app = open_app({"alpha": "0.3", "exact": "true", "view": "Code"})
    settings = tinynet.Settings(
        "gradient_descent", 0.5, 3.0, 4.0, 20, alpha=0.3, exact_derivative=True
    )
    assert snippet(app) == python_code(settings).rstrip("\n")


@pytest.mark.parametrize(
    ("preset", "guess", "right"),
    [("without_alpha", "diverges", True), ("up_and_down", "converges", False)],
)
def test_the_quiz_reveals_the_answer_and_loads_the_experiment(preset, guess, right):
    app = open_app({"view": "Quiz"})
    app.selectbox(key="quiz_preset").set_value(preset).run()
    assert button(app, "Reveal").disabled  # no guess yet
    app.radio(key="quiz_guess").set_value(guess).run()
    app.number_input(key="quiz_weight").set_value(8.0).run()
    button(app, "Reveal").click().run()
    messages = [box.value for box in (app.success if right else app.error)]
    assert any(message.startswith("**Right" if right else "**Not quite") for message in messages)
    chosen = next(each for each in PRESETS if each.key == preset)
    assert app.radio(key="method").value == chosen.settings.method
    assert np.array_equal(
        shown_predictions(show(app, "Learning")),
        tinynet.train(**dataclasses.asdict(chosen.settings)).predictions,
    )
    show(app, "Quiz")
    bonus = [markdown.value for markdown in app.markdown if "after one update" in markdown.value]
    spot_on = tinynet.train(**dataclasses.asdict(chosen.settings)).weights[1] == 8.0
    assert bonus[0].startswith("**Spot on" if spot_on else "**Not this time")


def test_presenter_mode_enlarges_type_and_charts():
    app = open_app({"presenter": "true", "view": "Error curve"})
    assert charts(app)["curve"]["layout"]["font"]["size"] == 20
    assert "font-size: 22px" in app.get("html")[0].proto.body
    plain = open_app({"view": "Error curve"})
    assert charts(plain)["curve"]["layout"]["font"]["size"] == 14
    assert not plain.get("html")  # no style is needed at the usual size


def test_a_teacher_can_hide_controls_and_the_link_keeps_their_values():
    app = open_app({"hide": "alpha,method", "alpha": "1"})
    keys = {widget.key for widget in [*app.sidebar.number_input, *app.sidebar.radio]}
    assert "alpha" not in keys and "method" not in keys and "weight" in keys
    assert np.array_equal(shown_predictions(app), run_with(alpha=1.0).predictions)
    app.number_input(key="weight").set_value(1.0).run()
    assert np.array_equal(shown_predictions(app), run_with(alpha=1.0, weight=1.0).predictions)
    assert link(app)["hide"] == "alpha,method" and link(app)["alpha"] == "1.0"

"""The dashboard driven through Streamlit's AppTest: every control, preset, link and view."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import tinynet
from dashboard.link import FIELDS, VIEWS, python_code
from dashboard.views import SHOW
from support import charts, link, notices, numbers, open_app, page_text, show, unescaped
from tinynet.explain import tex
from tinynet.presets import PRESETS

ARTICLE = {"weight": 0.5, "data": 3.0, "target": 4.0, "iterations": 20}
# The article's console output of its third experiment (gradient descent, alpha 0.1).
WITH_ALPHA = [1.5, 3.75, 3.9749999999999996, 3.9975, 3.99975, 3.999975, 3.9999975]


@pytest.fixture(autouse=True)
def empty_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


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
    """The first trace whose name starts so, on the y axis ``axis``."""
    return next(
        each
        for each in figure["data"]
        if each.get("name", "").startswith(name_start) and each.get("yaxis", "y") == axis
    )


def run_with(**changes: object) -> tinynet.Run:
    settings = {"method": "gradient_descent", **ARTICLE, "alpha": 0.1, **changes}
    return tinynet.train(**settings)


def whole_line(figure: dict, line: dict) -> np.ndarray:
    """A line's values over the whole run: as drawn or, where the line shows only the
    iterations so far (the predictions, while the axes follow), as the last frame draws it."""
    index = figure["data"].index(line)
    last = figure["frames"][-1] if figure["frames"] else {"traces": []}
    if index in last["traces"]:
        line = last["data"][last["traces"].index(index)]
    return numbers(line["y"])


def lesson_predictions(app: AppTest) -> np.ndarray:
    figure = charts(app)["lesson"]
    return whole_line(figure, trace(figure, "prediction", "y3"))


def learning(app: AppTest, axis: str = "y") -> np.ndarray:
    figure = charts(show(app, "Learning"))["learning"]
    return whole_line(figure, trace(figure, "this run", axis))


def forecast(app: AppTest) -> str:
    """The sidebar's note on what the settings will do, before the run."""
    (note,) = [caption.value for caption in app.sidebar.caption if "badge[" in caption.value]
    return note


def test_it_opens_on_the_lesson_of_the_articles_gradient_descent_with_alpha():
    app = open_app()
    assert {key: app.number_input(key=key).value for key in ARTICLE} == ARTICLE
    assert app.radio(key="method").value == "gradient_descent"
    assert app.number_input(key="alpha").value == 0.1
    assert app.toggle(key="exact_derivative").value is False
    assert set(charts(app)) == {"lesson"}  # only the open view runs
    assert lesson_predictions(app)[:7].tolist() == WITH_ALPHA
    assert app.success[0].value.startswith("**Converged.**")
    assert [metric.value for metric in app.metric] == ["1.333", "4", "0", "1.333"]
    exact = (  # 4/3 as a double: JavaScript prints the shortest decimal that reads back as it
        "JavaScript prints it as 1.3333333333333333; exactly, it is "
        "1.3333333333333332593184650249895639717578887939453125."
    )
    assert app.metric[0].proto.help.endswith(exact)
    assert app.metric[3].proto.help.endswith(exact)
    assert "Its prediction hits the target exactly." in app.metric[3].proto.help
    assert link(app) == {}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_runs_from_its_own_module(view):
    app = open_app({"view": view})
    assert SHOW[view].__module__.startswith("dashboard.views.")
    drawn = {
        "Lesson": {"lesson"},
        "Learning": {"learning"},
        "Error curve": {"curve"},
        "Every alpha": {"sweep"},
        "Compare methods": {"compare"},
    }
    assert set(charts(app)) == drawn.get(view, set())
    if view in drawn:
        (element,) = app.get("plotly_chart")
        assert len(element.proto.alt) > 40  # a sentence for screen readers, not a label
    assert app.button_group(key="view").value == view


def test_the_views_table_names_every_view_of_the_link_once():
    assert tuple(SHOW) == VIEWS


def test_every_control_has_a_one_line_help_from_its_field():
    app = open_app({"method": "up_and_down"})
    for widget in [*app.number_input, *app.radio, *app.toggle]:
        if widget.key in FIELDS:
            assert widget.help == FIELDS[widget.key].help and "\n" not in widget.help
            assert widget.label == FIELDS[widget.key].label


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
    assert np.array_equal(lesson_predictions(app), run_with(**changes).predictions)
    assert link(app)[key] == (repr(value) if isinstance(value, float) else str(value))


def test_the_article_without_alpha_is_its_explosion():
    app = open_app({"alpha": "1"})
    predictions = lesson_predictions(app)
    assert predictions[:5].tolist() == [1.5, 24, -156, 1284, -10236]
    assert predictions[19] == 360287970189639700
    assert app.error[0].value.startswith("**Diverging.**")


def test_the_exact_derivative_doubles_the_step():
    app = open_app()
    app.toggle(key="exact_derivative").set_value(True).run()
    # 0.5 - 0.1 * 2 * 3 * (1.5 - 4) = 2: twice the article's first step of 2.25 - 0.5.
    assert lesson_predictions(app)[1] == 6.0
    assert any("2 · data" in markdown.value for markdown in show(app, "Learning").markdown)
    assert link(app)["exact_derivative"] == "true"


def test_an_old_link_to_the_exact_derivative_still_opens():
    app = open_app({"exact": "true"})
    assert app.toggle(key="exact_derivative").value is True
    assert not notices(app) and link(app) == {"exact_derivative": "true"}


def test_up_and_down_shows_its_step_and_hides_alpha():
    app = open_app()
    app.radio(key="method").set_value("up_and_down").run()
    keys = {widget.key for widget in app.sidebar.number_input}
    assert "step" in keys and "alpha" not in keys
    assert not [toggle for toggle in app.sidebar.toggle if toggle.key == "exact_derivative"]
    app.number_input(key="step").set_value(0.1).run()
    # 3 * (0.5 + 0.1 k): 1.5, 1.8, 2.1, ... the walk climbs a step per iteration.
    assert lesson_predictions(app)[:3] == pytest.approx([1.5, 1.8, 2.1])
    captions = [caption.value for caption in app.sidebar.caption]
    assert any("between 1.3 and 1.4" in caption for caption in captions), captions


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
    assert app.number_input(key="weight").value == 0.5
    assert lesson_predictions(app)[0] == 1.5  # 3 x 0.5, the article's first prediction
    expected_query = {"method": "up_and_down"} if settings.method == "up_and_down" else {}
    if settings.alpha != 0.1:
        expected_query["alpha"] = repr(settings.alpha)
    assert link(app) == expected_query
    assert console(show(app, "Iteration log")) == tinynet.train(settings).log_lines()


def test_a_link_opens_exactly_its_set_up():
    query = {"method": "gradient_descent", "alpha": "1", "iterations": "30", "at": "3"}
    app = open_app(query)
    assert app.number_input(key="alpha").value == 1.0
    assert lesson_predictions(app)[2] == -156  # the article's third prediction without alpha
    assert app.error[0].value.startswith("**Diverging.**")
    lesson = charts(app)["lesson"]
    assert lesson["frames"][lesson["layout"]["meta"]["frame"]]["name"] == "3"
    show(app, "Error curve")
    assert app.number_input(key="at").value == 3
    assert app.header[0].value == "Iteration 3, worked out"
    assert not notices(app)


def test_a_bad_link_falls_back_to_defaults_with_one_notice():
    app = open_app({"alpha": "abc", "iterations": "3.5", "zzz": "1", "weight": "2"})
    assert app.number_input(key="alpha").value == 0.1
    assert app.number_input(key="iterations").value == 20
    assert app.number_input(key="weight").value == 2.0
    (notice,) = map(unescaped, notices(app))
    assert "alpha='abc' is not a number from 0 to 100, so alpha keeps its default, 0.1" in notice
    assert "iterations='3.5' is not a whole number" in notice and "'zzz' is not a setting" in notice
    assert link(app) == {"weight": "2.0"}
    app.number_input(key="alpha").set_value(0.2).run()
    assert not notices(app)  # said once, then out of the way


def test_a_repeated_parameter_notice_names_the_value_that_is_used():
    app = open_app({"alpha": ["0.2", "0.3"]})
    assert app.number_input(key="alpha").value == 0.3
    (notice,) = map(unescaped, notices(app))
    used = "alpha was given 2 times; the last one, '0.3', is used"
    assert notice == f"Part of the link was not used as written: {used}."


def test_the_worked_step_plugs_in_the_runs_numbers():
    app = open_app({"view": "Error curve"})
    app.number_input(key="at").set_value(2).run()
    (worked,) = [latex.value for latex in app.latex if "aligned" in latex.value]
    # Iteration 2 of the article: weight 1.25, prediction 3.75, error 0.0625, then 1.325.
    for number in (1.25, 3.75, 0.0625, 1.325):
        assert tex(number, False) in worked
    curve = charts(app)["curve"]
    assert numbers(trace(curve, "now")["x"])[0] == 1.25
    assert curve["layout"]["meta"]["frame"] == 1


def test_data_zero_gets_its_own_caption_and_no_minus_zero():
    app = open_app({"data": "0", "view": "Error curve"})
    text = page_text(app)
    assert "flat line" in text and "star" not in text
    assert "-0" not in text.replace("e-0", "") and "−0" not in text
    assert "slope here is 0," in text


def test_alpha_zero_shows_no_minus_zero():
    app = open_app({"alpha": "0", "view": "Error curve"})
    assert "-0" not in page_text(app).replace("e-0", "")


def test_pinned_runs_stay_on_the_charts_until_cleared():
    app = show(open_app(), "Learning")
    button(app, "Pin this run").click().run()
    app.number_input(key="alpha").set_value(0.05).run()
    pinned = trace(charts(app)["learning"], "gradient descent, alpha 0.1")
    assert numbers(pinned["y"])[:3].tolist() == [6.25, 0.0625, 0.0006250000000000178]
    # alpha 0.05 halves the first step: 0.5 + 0.05 * 2.5 * 3 = 0.875, so 3 * 0.875 = 2.625.
    assert learning(app, "y2")[1] == 2.625
    button(app, "Clear pinned runs").click().run()
    figure = charts(app)["learning"]
    names = [each["name"] for each in figure["data"] if each.get("yaxis", "y") == "y"]
    assert names == ["this run", "now"]  # the run, and the ring on its iteration


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


def test_the_sweep_marks_the_chosen_alpha_and_follows_it():
    app = open_app({"alpha": "0.15", "view": "Every alpha"})
    sweep_chart = charts(app)["sweep"]
    dashed = [
        shape for shape in sweep_chart["layout"]["shapes"] if shape["line"].get("dash") == "dash"
    ]
    assert [shape["x0"] for shape in dashed] == [0.15]
    assert "This alpha zig-zags in" in forecast(app)


@pytest.mark.parametrize(
    ("alpha", "badge"),
    [("0.05", "converges"), ("0.1111111111111111", "lands in one step"), ("1", "diverges")],
)
def test_the_badge_names_what_alpha_will_do_before_any_run(alpha, badge):
    note = forecast(open_app({"alpha": alpha}))
    assert f"This alpha {badge}" in note
    assert "0.2222" in note and "0.1111" in note  # the two critical alphas, 2/9 and 1/9


def test_the_log_shows_every_number_as_the_console_prints_it():
    app = open_app({"alpha": "1", "view": "Iteration log"})
    table = app.dataframe[0].value
    assert list(table.columns) == ["iteration", "weight", "prediction", "error", "update"]
    assert table["error"].tolist()[:3] == ["6.25", "400", "25600"]
    assert table["prediction"].tolist()[-1] == "360287970189639700"
    assert console(app)[12] == (
        "iteration 13 error: 2.9514790517935283e+22 prediction: -171798691836"
    )
    assert app.get("download_button")[0].proto.label == "Download the log as CSV"


def test_a_very_long_log_leaves_its_middle_to_the_csv():
    query = {
        "iterations": "10000",
        "method": "up_and_down",
        "step": "0.0001",
        "view": "Iteration log",
    }
    lines = console(open_app(query))
    assert len(lines) == 1001 and "9,000 more lines" in lines[500]
    assert lines[-1].startswith("iteration 10000 ")


def test_the_code_view_holds_the_snippet_for_the_current_run():
    app = open_app({"alpha": "0.3", "exact_derivative": "true", "view": "Code"})
    settings = tinynet.Settings(
        "gradient_descent", 0.5, 3.0, 4.0, 20, alpha=0.3, exact_derivative=True
    )
    assert snippet(app) == python_code(settings).rstrip("\n")


OUTCOME_WORDS = ("onverge", "iverg", "ounc", "tall", "Still moving", "hop", "settle")


def test_the_quiz_keeps_its_answer_until_reveal_even_on_that_experiments_settings():
    app = open_app({"view": "Quiz"})  # the article's defaults are experiment 3's settings
    app.selectbox(key="quiz_preset").set_value("with_alpha").run()
    app.radio(key="quiz_guess").set_value("converges").run()
    before = page_text(app)
    assert not app.metric and not charts(app)
    assert not [caption for caption in app.sidebar.caption if "badge[" in caption.value]
    said = before.replace(app.radio(key="quiz_guess").value, "")
    assert not [word for word in OUTCOME_WORDS if word in said], said
    button(app, "Reveal").click().run()
    after = page_text(app)
    assert "**Right: it reaches the answer and stays there.**" in after
    assert app.metric and "Converged" in after
    assert [caption for caption in app.sidebar.caption if "badge[" in caption.value]


@pytest.mark.parametrize(
    ("preset", "guess", "right", "bonus"),
    [
        ("without_alpha", "diverges", True, "**Spot on:** after the first update the weight is 8"),
        (
            "up_and_down",
            "converges",
            False,
            "**Not this time:** after the first update the weight is",
        ),
    ],
)
def test_the_quiz_reveals_the_answer_and_loads_the_experiment(preset, guess, right, bonus):
    app = open_app({"view": "Quiz"})
    app.selectbox(key="quiz_preset").set_value(preset).run()
    assert button(app, "Reveal").disabled  # no guess yet
    app.radio(key="quiz_guess").set_value(guess).run()
    app.number_input(key="quiz_weight").set_value(8.0).run()  # 0.5 + 2.5 x 3 = 8 without alpha
    button(app, "Reveal").click().run()
    messages = [box.value for box in (app.success if right else app.error)]
    assert any(message.startswith("**Right" if right else "**Not quite") for message in messages)
    assert any(markdown.value.startswith(bonus) for markdown in app.markdown)
    chosen = next(each for each in PRESETS if each.key == preset)
    assert app.radio(key="method").value == chosen.settings.method
    assert lesson_predictions(show(app, "Lesson"))[0] == 1.5


def sent_blocks(app: AppTest) -> str:
    """The ids of every block the page sent: a keyed container's id ends with its key."""
    ids, waiting = [], [app._tree]
    while waiting:
        node = waiting.pop()
        waiting += getattr(node, "children", {}).values()
        ids.append(getattr(getattr(node, "proto", None), "id", ""))
    return " ".join(str(one) for one in ids)


def test_presenter_mode_enlarges_type_and_charts():
    app = open_app({"presenter": "true", "view": "Error curve"})
    assert charts(app)["curve"]["layout"]["font"]["size"] == 20
    # The one stylesheet enlarges the page's type under the presenter's marker.
    style = "html:has(.st-key-page_script_presenter) { font-size: 22px;"
    assert any(style in element.proto.body for element in app.get("html"))
    assert "page_script_presenter" in sent_blocks(app)
    plain = open_app({"view": "Error curve"})
    assert charts(plain)["curve"]["layout"]["font"]["size"] == 14
    assert "page_script_presenter" not in sent_blocks(plain)


def test_a_teacher_can_hide_controls_and_the_link_keeps_their_values():
    app = open_app({"hide": "alpha,method", "alpha": "1"})
    keys = {widget.key for widget in [*app.sidebar.number_input, *app.sidebar.radio]}
    assert "alpha" not in keys and "method" not in keys and "weight" in keys
    assert lesson_predictions(app)[1] == 24  # still the run without alpha
    app.number_input(key="weight").set_value(1.0).run()
    assert lesson_predictions(app)[0] == 3.0
    assert link(app)["hide"] == "alpha,method" and link(app)["alpha"] == "1.0"


def test_the_headline_help_says_how_javascript_prints_a_number_and_what_it_is_exactly():
    app = open_app({"alpha": "1"})  # the article's experiment 2, without alpha
    prediction = app.metric[1].proto.help
    assert prediction.endswith(
        "JavaScript prints it as 360287970189639700; exactly, it is 360287970189639680."
    )
    assert "Exactly 360287970189639700" not in prediction

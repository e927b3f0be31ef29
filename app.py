"""tinynet's dashboard: watch a one-weight network learn, and see why alpha matters; then,
in lesson 2, a line with a weight and a bias learn from many points.

The page reads top to bottom: the link is read into the controls' state, the chosen lesson's
run is trained once, the header says what it did, the chosen view draws it, and the sidebar
holds the controls. Each view lives in its own module of ``dashboard.views``.
"""

from __future__ import annotations

import streamlit as st

import tinynet
from dashboard.link import (
    FIELDS,
    LINE_VIEWS,
    VIEWS,
    line_settings_from,
    parse_query,
    points_from,
    settings_from,
    to_query,
)
from dashboard.views import (
    LINE_SHOW,
    SHOW,
    common,
    controls,
    line_common,
    line_controls,
    line_quiz,
    quiz,
    student,
    teacher,
)
from tinynet.explain import best_weight_help
from tinynet.number_words import exact_words, number_text, numbers_apart

MAX_PROBLEMS = len(FIELDS) + 1  # parts of a bad link named in its notice: each setting, one more
OWN_IN_LINK = (
    "line_data='own' names points typed or uploaded in another session, which a link cannot "
    "carry, so line_data keeps its default, patients"
)


def read_link() -> None:
    """On a session's first run, take the settings from the URL and note what was not used."""
    if "link_read" in st.session_state:
        return
    asked = {key: st.query_params.get_all(key) for key in st.query_params if key != "join"}
    values, problems = parse_query(asked)  # "join" is class mode's: the student's page reads it
    if values.get("line_data") == "own":  # a new session has no points of its own yet
        del values["line_data"]
        problems.append(OWN_IN_LINK)
    for key, field in FIELDS.items():
        st.session_state[key] = values.get(key, field.default)
    st.session_state.link_problems = problems
    st.session_state.pins = ()
    st.session_state.link_read = True


def link_notice() -> None:
    """Once, what the link asked for that could not be used as written."""
    problems = st.session_state.link_problems
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"and {len(problems) - MAX_PROBLEMS} more"]
    said = common.escape_markdown("; ".join(problems))
    st.warning(f"Part of the link was not used as written: {said}.")
    st.session_state.link_problems = []


def headline(settings: tinynet.Settings, run: tinynet.Run) -> None:
    """The verdict and the headline numbers in one row, each number exact in its help."""
    judgement = tinynet.verdict(run)
    count = len(run.errors)
    updates = "1 update" if count == 1 else f"{count:,} updates"
    numbers = [("Final weight", run.final_weight, f"The weight after {updates}.")]
    if count:
        numbers.append(("Prediction", run.predictions[-1], f"Logged at iteration {count}."))
        numbers.append(("Error", run.errors[-1], f"Logged at iteration {count}."))
    best = tinynet.best_weight(settings.data, settings.target)
    # The final weight and the best weight side by side: if they differ, they read differently.
    final_text, *best_text = numbers_apart(run.final_weight, *([] if best is None else [best]))
    rows = [
        (
            name,
            final_text if name == "Final weight" else number_text(value),
            f"{when} {exact_words(value)}",
        )
        for name, value, when in numbers
    ]
    shown_best = "none" if best is None else best_text[0]
    rows.append(("Best weight", shown_best, best_weight_help(settings)))
    common.headline_row(judgement, rows)


def lesson_one(page: common.Page, hidden: set[str]) -> None:
    """Lesson 1: one weight learns to turn one input into its target."""
    settings = settings_from(st.session_state)  # the controls' latest values
    run = common.train(settings)
    # While a quiz question is open, or a class runs until its reveal, nothing may tell how a
    # run ends: no verdict, no forecast, and no chart of a run outside the question's own view.
    quizzing = st.session_state.view == "Quiz" and quiz.keeps_answer()
    keeps_answer = quizzing or teacher.keeps_answer()

    st.title("How a one-weight network learns")
    if not page.presenter:  # on a projector the teacher says it
        st.caption(
            "prediction = data × weight; error = (prediction − target)²; training lowers it."
        )
    if st.session_state.link_problems:
        link_notice()
    if not keeps_answer:
        headline(settings, run)
    with common.focus_here(st.session_state.pop("view_focus", False)):
        st.segmented_control(
            "View", VIEWS, key="view", required=True, label_visibility="collapsed", width="stretch"
        )
    if keeps_answer and st.session_state.view not in ("Quiz", "Teach"):
        st.info("Class mode keeps the answer: until the reveal, no view shows a run.")
    else:
        SHOW[st.session_state.view](settings, page)

    # The controls come last: their values are already in session state, read above, and drawn
    # last they reach the browser after the charts, which is what a student waits for.
    with st.sidebar:
        common.lesson_choice()
        controls.show(settings, hidden, with_forecast=not keeps_answer)


def lesson_two(page: common.Page, hidden: set[str]) -> None:
    """Lesson 2: a line, weight and bias, learns from many points."""
    points = points_from(st.session_state)
    settings = line_settings_from(st.session_state)
    run = line_common.train(points, settings)
    quizzing = st.session_state.line_view == "Quiz" and line_quiz.keeps_answer()
    keeps_answer = quizzing or teacher.keeps_answer()

    st.title("How a line learns from many points")
    if not page.presenter:
        st.caption(
            "prediction = weight·x + bias; error = the mean of (prediction − y)² over the "
            "points; training lowers it."
        )
    if st.session_state.link_problems:
        link_notice()
    if not keeps_answer:
        line_common.headline(points, settings, run)
    with common.focus_here(st.session_state.pop("view_focus", False)):
        st.segmented_control(
            "View",
            LINE_VIEWS,
            key="line_view",
            required=True,
            label_visibility="collapsed",
            width="stretch",
        )
    if keeps_answer and st.session_state.line_view not in ("Quiz", "Teach", "Points"):
        st.info("Class mode keeps the answer: until the reveal, no view shows a run.")
    else:
        LINE_SHOW[st.session_state.line_view](points, settings, page)

    with st.sidebar:
        common.lesson_choice()
        line_controls.show(points, settings, hidden, with_forecast=not keeps_answer)


read_link()
st.set_page_config(
    page_title="tinynet: gradient descent lab",
    page_icon="🎯",
    layout="wide",
    initial_sidebar_state="collapsed" if st.session_state.presenter else "auto",
)
st.html(common.STYLE)
# The page's own buttons and keys; it takes no room. Its key tells the stylesheet which look.
with st.container(key="page_script_presenter" if st.session_state.presenter else "page_script"):
    st.html(common.PAGE, unsafe_allow_javascript=True)
    common.watch_width()
if student.requested():  # a phone in class mode: the class's question alone, no sidebar
    student.show()
    st.stop()
for key in FIELDS:  # keeps a hidden control's value while its widget is not drawn
    st.session_state[key] = st.session_state[key]
page = common.Page(presenter=st.session_state.presenter, phone=common.is_phone())
(lesson_two if st.session_state.lesson == "2" else lesson_one)(page, set(st.session_state.hide))

query = to_query(st.session_state)
if st.query_params.to_dict() != query:
    st.query_params.from_dict(query)

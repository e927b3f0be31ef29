"""Class mode against misuse: only the teacher runs a class and their key never shows, hostile
join codes get one plain message, one vote per student per round, nothing a student sends
becomes HTML, and a database fault leaves the rest of the app working."""

from __future__ import annotations

import ast

import pytest
import streamlit as st
from streamlit.runtime.secrets import secrets_singleton

from class_support import (
    COOKIES,
    ask,
    buttons,
    cookies,  # noqa: F401 (a fixture)
    database,  # noqa: F401 (a fixture)
    database_url,
    phone,
    press,
    ran,
    said,
    sent,
    start,
    store,
    teacher,
    verdict_shown,
    vote,
)
from dashboard import class_store
from dashboard.class_store import NotTeacherError, StoreUnavailableError
from dashboard.harness import ROOT
from dashboard.views import classes

pytestmark = pytest.mark.usefixtures("database", "cookies")
MESSAGES = {  # what a phone may say about a code it cannot use
    class_store.UNKNOWN,
    "A class code is 6 letters and digits, like K7XQ2M.",
    "This class is over.",
}
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "x" * 10_000,
    "\x00",
    "%00",
    "PQR789\x00",
    "' OR '1'='1",
    "'); DROP TABLE tinynet_classes; --",
    "hello",
    "**PQR789**",
    "PQR789",  # well formed, and no class has it
]
MINE = [f"dashboard/views/{name}.py" for name in ("classes", "teacher", "student", "teach")]


def refused(app, hostile: str) -> None:
    """One plain message, the code field to try again, and nothing of the input echoed."""
    (error,) = app.error
    assert error.value in MESSAGES
    assert not app.warning
    assert "Join" in buttons(app)
    if len(hostile) > 3:
        assert hostile not in said(app) and hostile not in sent(app)


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda text: repr(text[:20]))
def test_a_bad_join_link_gets_one_plain_message(hostile):
    refused(phone(hostile), hostile)


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda text: repr(text[:20]))
@pytest.mark.parametrize("link", ["", "<b>bad</b>"], ids=["no code", "a bad code"])
def test_a_bad_typed_code_gets_one_plain_message(hostile, link):
    mine = phone(link)
    mine.text_input(key="class_typed").set_value(hostile)
    mine.button(key="FormSubmitter:class_join-Join").click()
    refused(ran(mine), hostile)
    assert mine.query_params["join"] == ""


def test_an_ended_class_code_gets_one_plain_message():
    projector = teacher()
    code = start(projector)
    press(projector, "class_end_class")
    press(projector, "class_yes_end_the_class")
    (error,) = phone(code).error
    assert error.value == class_store.UNKNOWN


def test_the_teacher_key_never_reaches_the_page_or_the_link():
    """Not even a part of it: only the element that hands it to the browser's cookie carries
    it, as data."""
    projector = teacher()
    code = start(projector)
    key = projector.session_state["class_running"].key
    parts = {key[at : at + 10] for at in range(len(key) - 9)}
    mine = phone(code)

    def hidden() -> None:
        for app in (ran(projector), ran(mine)):
            page = sent(app, leave_out=f"remember_{classes.TEACHER}") + str(app.query_params)
            assert not [part for part in parts if part in page]
        assert key in sent(projector)  # the test can see it where it is: in the cookie's data

    hidden()
    ask(projector, bonus=True)
    hidden()
    vote(ran(mine), "diverges", bonus=8)
    press(projector, "class_close_voting")
    hidden()
    press(projector, "class_reveal")
    hidden()


@pytest.mark.parametrize("kind", ["join code", "student key", "not a key", "a guessed key"])
def test_a_student_with_the_code_cannot_take_over_the_class(kind):
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    assert set(buttons(mine)) == set()  # nothing to press while the class waits
    ask(projector)
    assert {button.key for button in ran(mine).button} == {
        f"class_vote_{outcome}" for outcome in classes.CHOICES
    }
    student_key = mine.session_state["class_seat"].key
    held = {
        "join code": code,
        "student key": student_key,
        "not a key": "<script>",
        "a guessed key": "A" * 43,
    }[kind]
    COOKIES[classes.TEACHER] = held  # as if their browser had kept it as a teacher's
    intruder = teacher()
    assert intruder.session_state["class_running"] is None
    assert buttons(intruder) == ["Start a class"]
    for step in ("close_voting", "vote_again", "reveal", "next_question", "end"):
        with pytest.raises(class_store.ClassError):
            getattr(store(), step)(code, held)
    assert store().state(code).phase == "voting"


def test_the_store_tells_a_wrong_key_from_a_malformed_one():
    projector = teacher()
    code = start(projector)
    with pytest.raises(NotTeacherError):
        store().close_voting(code, "B" * 43)


def test_one_vote_per_student_per_round_even_after_a_reload():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    vote(ran(mine), "diverges")
    vote(mine, "converges")
    vote(mine, "converges")
    COOKIES[classes.STUDENT] = mine.session_state["class_seat"].key
    vote(phone(code), "bounces")
    state = store().state(code)
    assert (state.students, state.votes) == (1, 1)
    press(projector, "class_close_voting")
    assert store().tally(code).counts == (
        {"converges": 0, "bounces": 1, "diverges": 0, "stalls": 0},
    )


def test_a_phone_cannot_vote_on_a_question_it_was_not_shown():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    ran(mine)
    press(projector, "class_close_voting")
    press(projector, "class_next_question")
    ask(projector, "up_and_down")
    press(mine, "class_vote_diverges")  # the button of question 1, pressed on a stale page
    assert store().state(code).votes == 0
    assert [box.value for box in mine.error] == [class_store.LATE]
    assert "Question 2: Up and down" in said(mine)  # the question now, to vote again
    vote(mine, "diverges")
    assert "Your vote is in" in said(mine) and store().state(code).votes == 1


def test_a_vote_from_round_one_is_not_counted_in_round_two():
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    ran(mine)
    press(projector, "class_close_voting")
    press(projector, "class_vote_again")
    press(mine, "class_vote_diverges")  # round 1's button, pressed as round 2 opened
    assert [box.value for box in mine.error] == [class_store.LATE]
    assert "Round 2" in said(mine) and store().state(code).votes == 0
    vote(mine, "converges")
    press(projector, "class_close_voting")
    assert store().tally(code).counts[1]["converges"] == 1


def _html_arguments(path: str) -> list[ast.expr]:
    tree = ast.parse((ROOT / path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            pytest.fail(f"{path}: unsafe_allow_html at line {node.value.lineno}")
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    found = [call.args[0] for call in calls if getattr(call.func, "attr", "") == "html"]
    for call in calls:  # a component's own HTML, CSS and JavaScript
        if getattr(call.func, "attr", "") == "component":
            found += [word.value for word in call.keywords if word.arg in {"html", "css", "js"}]
    return found


@pytest.mark.parametrize("path", MINE)
def test_class_mode_sends_html_and_javascript_only_from_its_own_constants(path):
    """Nothing a student or the database sends is formatted into HTML or a script: what goes
    to ``st.html`` or into a component is an upper-case constant (``STYLE``, ``common.PAGE``);
    a key reaches the browser only as a component's data."""
    for argument in _html_arguments(path):
        name = argument.attr if isinstance(argument, ast.Attribute) else getattr(argument, "id", "")
        assert name.isupper(), f"{path}: {ast.unparse(argument)}"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/a-file/classes.db",  # its folder is a file: cannot be made or written
        "sqlite:///{tmp}/garbage.db",  # a file that is not a database
        "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=2",  # nothing listens
    ],
    ids=["unwritable", "not a database", "PostgreSQL down"],
)
def test_a_database_fault_shows_a_message_and_the_rest_keeps_working(url, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("a file, not a folder")
    (tmp_path / "garbage.db").write_bytes(b"this is not SQLite" * 100)
    monkeypatch.setenv("TINYNET_DATABASE_URL", url.format(tmp=tmp_path))
    projector = teacher()
    press(projector, "class_start")
    assert [box.value for box in projector.warning] == [class_store.UNAVAILABLE]
    assert verdict_shown(projector)
    projector.session_state["view"] = "Lesson"
    assert ran(projector).get("plotly_chart")
    mine = phone("K7XQ2M")
    assert [box.value for box in mine.error] == [classes.UNREACHABLE]


def test_a_fault_during_a_question_keeps_its_answer_hidden(monkeypatch):
    projector = teacher()
    start(projector)
    ask(projector, classes.SETUP)

    def down() -> class_store.ClassStore:
        raise StoreUnavailableError(class_store.UNAVAILABLE)

    monkeypatch.setattr(classes, "store", down)
    ran(projector)
    assert [box.value for box in projector.error] == [classes.UNREACHABLE]
    assert not verdict_shown(projector)


def test_a_secrets_connection_holds_the_classes(tmp_path, monkeypatch):
    """``[connections.classes]`` in secrets.toml wins over the environment's database."""
    url = f"sqlite:///{tmp_path / 'from-secrets.db'}"
    # As if read from secrets.toml (AppTest's own secrets do not reach st.connection).
    monkeypatch.setattr(secrets_singleton, "_secrets", {"connections": {"classes": {"url": url}}})
    st.cache_resource.clear()
    projector = teacher()
    code = start(projector)
    st.cache_resource.clear()
    assert class_store.ClassStore.connect(url).state(code).phase == "waiting"
    with pytest.raises(class_store.UnknownClassError):
        class_store.ClassStore.connect(database_url()).state(code)


def type_code(app, code: str):
    app.text_input(key="class_typed").set_value(code)
    app.button(key="FormSubmitter:class_join-Join").click()
    return ran(app)


def test_past_a_limit_a_page_says_what_to_do_in_one_sentence(monkeypatch):
    """A browser session that guesses codes, or starts class after class, is refused in one
    sentence; the class already running does not notice."""
    monkeypatch.setitem(class_store.LIMITS, ("wrong", "session"), 2)
    monkeypatch.setitem(class_store.LIMITS, ("start", "session"), 1)
    projector = teacher()
    code = start(projector)
    mine = phone(code)
    ask(projector)
    vote(ran(mine), "diverges")
    guesser = phone("")
    wrong = "K7XQ2M" if code != "K7XQ2M" else "K7XQ2N"
    for _ in range(2):
        assert [box.value for box in type_code(guesser, wrong).error] == [class_store.UNKNOWN]
    for guess in (wrong, code):
        assert [box.value for box in type_code(guesser, guess).error] == [
            class_store.LIMITED["wrong"]
        ]
    type_code(phone(""), code)  # another phone joins
    again = teacher()
    press(again, "class_start")
    press(again, "class_end_class")
    press(again, "class_yes_end_the_class")
    press(again, "class_start")
    assert [box.value for box in again.warning] == [class_store.LIMITED["start"]]
    assert buttons(again) == ["Start a class"]
    press(projector, "class_close_voting")
    state = store().state(code)
    assert (state.students, state.phase) == (2, "closed")
    assert store().tally(code).counts[0]["diverges"] == 1

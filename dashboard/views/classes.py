"""What class mode's two pages share: the class store, the keys a browser keeps, the questions."""

from __future__ import annotations

import dataclasses
import math
import secrets
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
import streamlit as st

import tinynet
from dashboard import class_store
from dashboard.class_store import ClassStore, StoreUnavailableError
from dashboard.views import common, controls, lesson, line_class
from tinynet.explain import ANSWERS, graded
from tinynet.number_words import shortest_text
from tinynet.presets import PRESET_OF, PRESETS

TEACHER, STUDENT = "tinynet_teacher", "tinynet_student"  # the cookies that outlive a reload
CHOICES = tinynet.OUTCOMES  # a question's choices as the store keeps them; ANSWERS words them
SETUP = "setup"  # the question on the sidebar's own set-up, beside the article's experiments
QUESTIONS = {  # the experiments by name, without the article's numbers: "Question 2: 1. …" is odd
    **{preset.key: preset.title.split(". ", 1)[-1] for preset in PRESETS},
    SETUP: "The current set-up",
}
KEPT = 12 * 3600  # seconds a browser keeps a key: a school day; the store says if it still holds
RETRY = 3.0  # seconds between a page's tries while the database cannot be reached
UNREACHABLE = (
    "The class database cannot be reached right now: this page keeps trying, "
    "and carries on once it answers."
)
REMEMBER = """
export default function ({ data }) {
  if (!data || typeof data.name !== "string" || typeof data.value !== "string") return;
  const secure = location.protocol === "https:" ? "; Secure" : "";
  const age = data.value ? Math.round(data.seconds) : 0;  // 0 forgets the cookie
  document.cookie = `${data.name}=${encodeURIComponent(data.value)}; Max-Age=${age}; Path=/; ` +
    `SameSite=Strict${secure}`;
}
"""
"""Keeps a key in a cookie of this site. The key comes as data, never inside HTML, and is
shown nowhere; the browser sends it back when the page loads again (``st.context.cookies``)."""


def news(text: str, box: Callable[[str], object] = st.info) -> None:
    """What a class page has just come to say (a question is open, a vote is in, the answer),
    in ``box``: the page's announcer, a live region there from the start, reads it out (a
    box drawn anew is a live region that screen readers often miss)."""
    with st.container(key="class_news"):
        box(text)


def remember_key(name: str, key: str | None) -> None:
    """Have this browser keep ``key`` in the cookie ``name`` for as long as an idle class
    lives (None forgets it). Drawn as an empty element, hidden by the pages' style."""
    # Registering again with the same definition is free; a test's fresh runtime needs it.
    keeper = st.components.v2.component("tinynet_remember", js=REMEMBER)
    data = {"name": name, "value": key or "", "seconds": KEPT}
    keeper(data=data, key=f"remember_{name}", height=0)


def remembered_key(name: str) -> str | None:
    """The key this browser kept in the cookie ``name`` when the page was opened; None for
    none, or for anything else a browser may send in its place."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and class_store.KEY.fullmatch(value) else None


def client() -> class_store.Client:
    """This browser session and, where the server knows it, its network address: what the
    store's limits per client count (a reload is a new session; its address stays)."""
    if "class_client" not in st.session_state:
        st.session_state.class_client = secrets.token_urlsafe(16)
    address = st.context.ip_address  # None on localhost (and not a string in AppTest)
    known = isinstance(address, str) and address != ""
    return class_store.Client(st.session_state.class_client, address if known else None)


def unreachable() -> None:
    """Say that the database cannot be reached, and keep trying it: the page is drawn again
    once it answers."""
    st.error(UNREACHABLE)
    retry(time.monotonic())


@st.fragment(run_every=RETRY)
def retry(since: float) -> None:
    # Not at once, when drawn: a page that fails for another reason redraws once per RETRY.
    if time.monotonic() - since < RETRY:
        return
    try:
        store().check()
    except StoreUnavailableError:
        return
    st.rerun()


def _secrets_name_it() -> bool:
    return st.secrets.load_if_toml_exists() and "classes" in st.secrets.get("connections", {})


@st.cache_resource(show_spinner=False)
def _store_at(url: str) -> ClassStore:
    return ClassStore.connect(url)


@st.cache_resource(show_spinner=False)
def _store_on(engine_id: int, _engine: sa.Engine) -> ClassStore:
    # By the engine's identity: st.connection makes a new engine when the secrets change.
    return ClassStore(_engine)


def store() -> ClassStore:
    """The one store every session shares (its methods are thread-safe): the database of
    ``[connections.classes]`` in secrets.toml, else ``TINYNET_DATABASE_URL``, else an
    SQLite file. Raises StoreUnavailableError when it cannot be used (not cached: the
    next call tries again)."""
    if not _secrets_name_it():
        return _store_at(class_store.default_url())
    try:
        engine = st.connection("classes", type="sql", **class_store.ENGINE).engine
    except Exception as error:  # any fault of the configuration: class mode waits, not the app
        raise StoreUnavailableError(class_store.UNAVAILABLE) from error
    return _store_on(id(engine), engine)


Question = tinynet.Settings | line_class.LineQuestion
"""A question as the pages use it: a set-up of lesson 1, or lesson 2's question."""
SetUp = tinynet.Settings | line_class.Setup
"""What the teacher's page offers as "the current set-up": the lesson's own."""


def questions(setup: SetUp) -> dict[str, str]:
    """The questions a teacher can ask in the lesson of ``setup``, by key."""
    return line_class.QUESTIONS if isinstance(setup, line_class.Setup) else QUESTIONS


def question(source: str, settings: SetUp) -> dict[str, Any]:
    """The question on one of the experiments, or on ``settings`` for SETUP."""
    if isinstance(settings, line_class.Setup):
        return line_class.question(source, settings)
    chosen = PRESET_OF[source].settings if source in PRESET_OF else settings
    return {"source": source, "settings": dataclasses.asdict(chosen)}


def settings_of(asked: dict[str, Any] | None) -> Question:
    """The set-up of a question as the store gave it back (ValueError if it is not one)."""
    if line_class.owns(asked):
        return line_class.of(asked)
    try:
        return tinynet.Settings(**asked["settings"])
    except (KeyError, TypeError) as error:
        raise ValueError("not a question of this app") from error


def title(asked: dict[str, Any] | None) -> str:
    """A question's title: the experiment's, by its key (never text read back as it is)."""
    if line_class.owns(asked):
        return line_class.QUESTIONS.get(asked.get("source"), "A question")
    return QUESTIONS.get(asked.get("source") if isinstance(asked, dict) else None, "A question")


def choices(asked: Question) -> tuple[str, ...]:
    """The question's choices, as the store keeps them."""
    return line_class.choices(asked) if isinstance(asked, line_class.LineQuestion) else CHOICES


def answers(asked: Question | None) -> dict[str, str]:
    """Each choice of the question in words."""
    return line_class.answers(asked) if isinstance(asked, line_class.LineQuestion) else ANSWERS


def prompt(asked: Question | None) -> str:
    if isinstance(asked, line_class.LineQuestion):
        return line_class.prompt(asked)
    return "What will the weight do?"


def graded_vote(asked: Question | None, guess: str | None, answer: str) -> tuple:
    """A vote against the answer, and the sentence that says so, as Markdown."""
    if isinstance(asked, line_class.LineQuestion):
        return line_class.graded_answer(asked, guess, answer)
    return graded(guess, answer)


def reason(asked: Question) -> str:
    """Why the answer is what it is, from the run itself."""
    if isinstance(asked, line_class.LineQuestion):
        return line_class.reason(asked)
    return tinynet.verdict(common.train(asked)).reason


def unsure(asked: Question) -> str | None:
    """What to tell the teacher when the answer is only the likely one; None when it is sure."""
    if isinstance(asked, line_class.LineQuestion):
        if asked.paths or line_class.truth_is_sure(asked):
            return None
        return (
            "How this set-up ends is what its run shows when played on for thousands of "
            "iterations, not a proof: the answer the class will be given is only the likely one."
        )
    if tinynet.fate(asked).sure:
        return None
    return (
        "How this set-up ends cannot be told for sure without playing it for longer than "
        "any computer can: the answer the class will be given is only the likely one."
    )


def load(asked: Question) -> None:
    """Put a question's set-up into its lesson's controls, and open that lesson."""
    if isinstance(asked, line_class.LineQuestion):
        line_class.load(asked)
        return
    controls.load(asked)
    st.session_state.lesson = "1"


def truth(settings: Question) -> tuple[str, float | None]:
    """The right answer, and the weight after the first update (None when it is too large
    for a guess: the store bounds every number)."""
    if isinstance(settings, line_class.LineQuestion):
        return line_class.truth(settings)
    run = common.train(settings)
    weight = float(run.weights[1]) if len(run.weights) >= 2 else run.final_weight
    fits = math.isfinite(weight) and abs(weight) <= class_store.MAX_NUMBER
    return tinynet.verdict(run).outcome, weight if fits else None


def described(settings: Question) -> str:
    """A question's set-up in words: the method and the numbers it starts from, nothing
    about how it ends. Every number carries all its digits, as the answer may hang on the
    last of them (weight 1.3333333333333333 stays on the answer, 1.3333 blows up)."""
    if isinstance(settings, line_class.LineQuestion):
        return line_class.described(settings)
    if settings.method == "up_and_down":
        method = f"Up and down, with a step of {shortest_text(settings.step)}"
    else:
        method = f"Gradient descent, with alpha {shortest_text(settings.alpha)}"
        if settings.exact_derivative:
            method += " and the exact derivative"
    return (
        f"{method}. The weight starts at {shortest_text(settings.weight)}, with data "
        f"{shortest_text(settings.data)} and target {shortest_text(settings.target)}, "
        f"for {settings.iterations} iterations."
    )


def show_question(
    state: class_store.ClassState, heading: Callable[[str], object]
) -> Question | None:
    """A question's number, title and set-up, under ``heading`` (nothing about how it
    ends); None, after saying so, when it is not a question of this app."""
    try:
        settings = settings_of(state.question)
    except ValueError:
        st.error("This question cannot be shown: wait for the next one.")
        return None
    heading(f"Question {state.question_number}: {title(state.question)}")
    st.markdown(described(settings))
    if isinstance(settings, line_class.LineQuestion) and settings.paths:
        look = common.Page(bool(st.session_state.get("presenter")), common.is_phone())
        line_class.paths_chart(settings, look, revealed=state.phase == "revealed")
    return settings


def show_run(settings: Question, page: common.Page) -> None:
    """The lesson's charts of a revealed question's run, with the player to step them."""
    if isinstance(settings, line_class.LineQuestion):
        line_class.show_run(settings, page)
        return
    run = common.train(settings)
    if not len(run.errors):
        st.info(common.NO_ITERATION)
        return
    lesson.draw(settings, 1, page)

"""What the tests of class mode share: a teacher's and students' pages through AppTest, each
class in its own SQLite file, and the cookies a browser would send."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.class_store import ClassStore
from dashboard.harness import ROOT
from dashboard.views import classes, student
from tinynet.explain import ANSWERS

CHOICES = ("converges", "zig-zags in", "bounces for ever", "diverges")  # a store question's
QUESTION = {"title": "What will the weight do?", "alpha": 0.1, "weight": 0.5}
SITE = "http://tinynet.test:8501"  # the address AppTest's pages say they were opened at


COOKIES: dict[str, str] = {}
"""The cookies the next page opened sends: set ``COOKIES[classes.TEACHER]`` before opening it.
AppTest sends none of its own, so the ``cookies`` fixture points the app's one reader here."""


@pytest.fixture
def database(tmp_path, monkeypatch) -> Iterator[None]:
    """A fresh SQLite file for this test's classes, and caches emptied around it."""
    monkeypatch.setenv("TINYNET_DATABASE_URL", f"sqlite:///{tmp_path / 'classes.db'}")
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def cookies(monkeypatch) -> Iterator[None]:
    COOKIES.clear()
    monkeypatch.setattr(classes, "remembered_key", COOKIES.get)
    yield
    COOKIES.clear()


def database_url() -> str:
    return os.environ["TINYNET_DATABASE_URL"]


def ran(app: AppTest) -> AppTest:
    """Run the page again as its browser would (the phones' shared state read afresh)."""
    student.shared_state.clear()
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def page(query: dict[str, str]) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.context["url"] = SITE
    for key, value in query.items():
        app.query_params[key] = value
    return ran(app)


def teacher(**query: str) -> AppTest:
    """A projector's page, on the Teach view."""
    return page({"view": "Teach", **query})


def phone(code: str) -> AppTest:
    """A student's page opened from the join link."""
    return page({"join": code})


def press(app: AppTest, key: str) -> AppTest:
    """Press the button ``key``: ``class_start``, ``class_open_voting``, ``class_vote_stalls``…"""
    app.button(key=key).click()
    return ran(app)


def start(app: AppTest) -> str:
    """Start a class on a teacher's page; its join code."""
    press(app, "class_start")
    return app.session_state["class_running"].code


def ask(app: AppTest, source: str = "without_alpha", bonus: bool = False) -> AppTest:
    """Open voting on a question: one of the article's experiments, or "setup"."""
    app.radio(key="class_source").set_value(source)
    app.toggle(key="class_bonus").set_value(bonus)
    ran(app)
    return press(app, "class_open_voting")


def vote(app: AppTest, outcome: str, bonus: float | None = None) -> AppTest:
    if bonus is not None:
        app.number_input(key="class_guess").set_value(bonus)
        ran(app)
    return press(app, f"class_vote_{outcome}")


def buttons(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def said(app: AppTest) -> str:
    """Everything a page says, in the main area and the sidebar: words, numbers, labels."""
    parts = [element.value for element in [*app.markdown, *app.caption, *app.code]]
    parts += [element.value for element in [*app.title, *app.header, *app.subheader]]
    parts += [box.value for box in [*app.success, *app.info, *app.warning, *app.error]]
    parts += [f"{metric.label} {metric.value}" for metric in app.metric]
    parts += buttons(app)
    return "\n".join(str(part) for part in parts)


def sent(app: AppTest, leave_out: str = "") -> str:
    """Every element the page sent to its browser, as text: its whole protobuf, hidden parts
    and all, leaving out elements whose key is ``leave_out``."""
    return "\n".join(
        str(getattr(node, "proto", ""))
        for node in app._tree
        if getattr(node, "key", None) != leave_out
    )


def verdict_shown(app: AppTest) -> bool:
    """Whether the header's verdict, its numbers or the sidebar's forecast badge are drawn."""
    headline = any(metric.label == "Final weight" for metric in app.metric)
    badge = any("This alpha" in caption.value for caption in app.sidebar.caption)
    return headline or badge


def store() -> ClassStore:
    """The store of this test's database, as another replica of the app would reach it."""
    return ClassStore.connect(database_url())


def answer_words(outcome: str) -> str:
    return ANSWERS[outcome].lower()

"""Lesson 2's questions, for the quiz and for class mode: what a set-up will do (converge,
hop, blow up or stop short), and which of several paths is stochastic gradient descent's.

A question travels as a plain dict, which the class store keeps as JSON: its points by name
(or, for a few points of one's own, by value), its settings, and for the paths question the
method behind each letter. Nothing in it is shown before the reveal but its set-up.
"""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import class_store, line_charts
from dashboard.class_store import ClassError
from dashboard.link import DATA_SETS, WRITTEN_POINTS, Points, own_points, preset_values
from dashboard.views import common, line_common, line_controls, line_lesson
from tinynet.analysis import OUTCOMES
from tinynet.explain import ANSWERS, graded
from tinynet.line import LINE_PRESETS, LineSettings, line_data, line_fate, train_line
from tinynet.line_words import paths_answer, paths_text, setup_text

LESSON = "2"
SETUP = "setup"
PATHS = "paths"
PRESET_OF = {preset.key: preset for preset in LINE_PRESETS}
QUESTIONS = {
    **{preset.key: preset.title.split(". ", 1)[-1] for preset in LINE_PRESETS},
    PATHS: "Which of these paths is SGD's?",
    SETUP: "The current set-up",
}
"""Lesson 2's questions by key, named without the experiments' numbers."""
PATH_RUNS = {  # the paths to tell apart, all from one start on the patients' points
    "batch": LineSettings(0.5, 0.0, 0.02, 60),
    "momentum": LineSettings(0.5, 0.0, 0.02, 60, momentum=0.9),
    "stochastic": LineSettings(0.5, 0.0, 0.02, 60, batch_size=1, seed=3),
    "adam": LineSettings(0.5, 0.0, 0.1, 60, adam=True),
}
LETTERS = ("A", "B", "C", "D")
NAMES = {"patients": "the patients' 8 points", "city": "the city hospital's 8 points"}


@dataclass(frozen=True)
class Setup:
    """Lesson 2's current set-up, as the teacher's page offers it for a question."""

    points: Points
    settings: LineSettings


@dataclass(frozen=True)
class LineQuestion:
    """A lesson-2 question read back from its dict: its key, its points and settings (for the
    paths question, SGD's), and for the paths question the method behind each letter."""

    source: str
    points: Points
    settings: LineSettings
    order: tuple[str, ...] = ()

    @property
    def paths(self) -> bool:
        return bool(self.order)


def owns(asked: object) -> bool:
    """Whether a question dict is lesson 2's."""
    return isinstance(asked, dict) and asked.get("lesson") == LESSON


def question(source: str, setup: Setup, draw: random.Random | None = None) -> dict[str, Any]:
    """The question ``source`` as a dict: an experiment, the current set-up, or the paths in
    an order drawn by ``draw``. Points of one's own go in by value, up to a hundred."""
    if source == PATHS:
        order = list(PATH_RUNS)
        (draw or random.SystemRandom()).shuffle(order)
        return {"lesson": LESSON, "source": PATHS, "order": order}
    if source in PRESET_OF:
        values = preset_values(PRESET_OF[source])
        points = {"name": values["line_data"], "centre": values["line_centre"]}
        settings = PRESET_OF[source].settings
    else:
        points = {"name": setup.points.name, "centre": setup.points.centre}
        settings = setup.settings
        if setup.points.own is not None:
            if setup.points.own.count > WRITTEN_POINTS:
                raise ClassError(
                    f"A question carries at most {WRITTEN_POINTS} points of your own: ask on "
                    "named points, or on fewer of yours."
                )
            points |= {"xs": setup.points.own.xs.tolist(), "ys": setup.points.own.ys.tolist()}
    return {
        "lesson": LESSON,
        "source": source,
        "points": points,
        "settings": dataclasses.asdict(settings),
    }


def of(asked: dict[str, Any]) -> LineQuestion:
    """The question a dict holds (ValueError if it is not one of lesson 2's)."""
    try:
        if asked["source"] == PATHS:
            order = tuple(asked["order"])
            if sorted(order) != sorted(PATH_RUNS):
                raise ValueError("not the paths of this app")
            return LineQuestion(PATHS, Points("patients"), PATH_RUNS["stochastic"], order)
        kept = asked["points"]
        if kept["name"] == "own":
            points = own_points(line_data(kept["xs"], kept["ys"]))
            points = dataclasses.replace(points, centre=bool(kept["centre"]))
        elif kept["name"] in DATA_SETS:
            points = Points(kept["name"], bool(kept["centre"]))
        else:
            raise ValueError("no such points")
        return LineQuestion(asked["source"], points, LineSettings(**asked["settings"]))
    except (KeyError, TypeError) as error:
        raise ValueError("not a question of this app") from error


def title(question: LineQuestion) -> str:
    return QUESTIONS.get(question.source, "A question")


def choices(question: LineQuestion) -> tuple[str, ...]:
    return LETTERS[: len(question.order)] if question.paths else OUTCOMES


def answers(question: LineQuestion) -> dict[str, str]:
    """Each choice in words."""
    if question.paths:
        return {letter: f"Path {letter}" for letter in choices(question)}
    return ANSWERS


def prompt(question: LineQuestion) -> str:
    return "Which of these paths is SGD's?" if question.paths else "What will the line do?"


def _runs(question: LineQuestion) -> list:
    data = question.points.data()
    return [train_line(data, PATH_RUNS[method]) for method in question.order]


def truth(question: LineQuestion) -> tuple[str, float | None]:
    """The right answer, and the weight after the first update (None for the paths, or when
    it is too large for a guess: the store bounds every number)."""
    if question.paths:
        return LETTERS[question.order.index("stochastic")], None
    run = line_common.train(question.points, question.settings)
    weight = float(run.weights[1]) if len(run.weights) >= 2 else run.final_weight
    fits = math.isfinite(weight) and abs(weight) <= class_store.MAX_NUMBER
    judged, _ = line_common.judged(question.points, question.settings)
    return judged.outcome, weight if fits else None


def truth_is_sure(question: LineQuestion) -> bool:
    """Whether the answer is proved (by a cycle or a closed form), not only what a run shows."""
    return line_fate(question.points.data(), question.settings).certain


def graded_answer(question: LineQuestion, guess: str | None, truth: str) -> tuple[bool | None, str]:
    """A guess against the truth, and the sentence that says so, as Markdown."""
    if not question.paths:
        return graded(guess, truth)
    said = f"path {truth} is SGD's"
    if guess is None:
        return None, f"**The answer: {said}.**"
    if guess == truth:
        return True, f"**Right: {said}.**"
    return False, f"**Not quite: {said}**, not path {guess}."


def described(question: LineQuestion) -> str:
    """The set-up in words, nothing about how it ends."""
    if question.paths:
        return (
            "Four runs from the same start on the patients' 8 points: one steps on all the "
            "points, one with momentum, one with Adam, and one on a single point per step "
            "(stochastic gradient descent, SGD). Which path is SGD's?"
        )
    data = question.points.data()
    points = NAMES.get(question.points.name, f"{data.count:,} points of your own")
    if question.points.centre:
        points += ", x centred and scaled"
    return f"On {points}. {setup_text(data, question.settings)}"


def reason(question: LineQuestion) -> str:
    """Why the answer is what it is, from the runs themselves."""
    if question.paths:
        runs = _runs(question)
        return paths_answer(runs, list(LETTERS[: len(runs)]), question.order.index("stochastic"))
    judged, _ = line_common.judged(question.points, question.settings)
    return judged.reason


def paths_chart(question: LineQuestion, page: common.Page, revealed: bool) -> None:
    """The paths, by letter until the reveal and then by how each steps."""
    runs = _runs(question)
    letters = list(LETTERS[: len(runs)])
    names = [f"path {letter}" for letter in letters]
    if revealed:
        names = [
            f"{name}: {PATH_NAMES[method]}"
            for name, method in zip(names, question.order, strict=True)
        ]
    figure = line_charts.paths_figure(runs, names, page.look)
    common.chart(figure, "class_paths", paths_text(runs, letters))


PATH_NAMES = {
    "batch": "all the points",
    "momentum": "momentum 0.9",
    "stochastic": "one point per step (SGD)",
    "adam": "Adam",
}


def load(question: LineQuestion) -> None:
    """Show the question's run in lesson 2 (for the paths question, SGD's)."""
    points, settings = question.points, question.settings
    values = {"lesson": LESSON, "line_data": points.name, "line_centre": points.centre}
    if points.own is not None:
        st.session_state.line_own = own_points(points.own)
    method = "batch"
    if settings.batch_size is not None:
        method = "stochastic" if settings.batch_size == 1 else "mini-batch"
        values |= {"line_batch": settings.batch_size, "line_seed": settings.seed}
    values["line_method"] = method
    for name in ("weight", "bias", "alpha", "iterations", "momentum", "adam", "beta1", "beta2"):
        values[f"line_{name}"] = getattr(settings, name)
    for name in ("exact_derivative", "freeze_weight", "freeze_bias"):
        values[f"line_{name}"] = getattr(settings, name)
    line_controls.load(values)


def show_run(question: LineQuestion, page: common.Page) -> None:
    """The revealed question's run: the lesson's charts to play (the paths question's own
    chart, which names them once revealed, is its run)."""
    if question.paths:
        return
    run = line_common.train(question.points, question.settings)
    if not len(run.weights):
        st.info(common.NO_ITERATION)
        return
    line_lesson.draw(question.points, question.settings, 1, page)

"""Lesson 2 measured: training on 100,000 points, the server's rerun after a control change
with them, its charts' bytes, and page load and round trip beside lesson 1's."""

from __future__ import annotations

import gc
import statistics
import time
from unittest import mock
from urllib.parse import urlencode

import numpy as np

import tinynet
from dashboard.harness import (
    EVERY_CHART_DRAWN,
    IDLE,
    ROOT,
    chromium,
    redrawn_after,
    streamlit_server,
    wait_drawn,
)

POINTS = 100_000
ITERATIONS = 1_000
LESSON_TWO = {"lesson": "2"}
SGD = {"line_method": "mini-batch", "line_batch": "8", "line_alpha": "0.01"}


def median_ms(timings: list[float]) -> float:
    return round(statistics.median(timings) * 1000, 1)


def many_points() -> tuple[np.ndarray, np.ndarray]:
    """100,000 points about the line y = 1.3x + 0.5, from a fixed seed."""
    generator = np.random.default_rng(0)
    xs = generator.normal(5, 2, POINTS)
    return xs, 1.3 * xs + 0.5 + generator.normal(0, 1, POINTS)


def training(repeats: int) -> float:
    """Milliseconds of ``fit_line`` on 100,000 points, 1,000 mini-batch steps of 8, the full
    error logged at each (the check of the points included)."""
    xs, ys = many_points()

    def work() -> object:
        return tinynet.fit_line(
            xs, ys, weight=0, bias=0, alpha=0.01, iterations=ITERATIONS, batch_size=8
        )

    work()
    timings = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return median_ms(timings)


def server(repeats: int) -> dict[str, float | int]:
    """Through AppTest, with the script compiled once as the server keeps it: lesson 2 on
    100,000 uploaded points with 1,000 mini-batch steps, its rerun after a control change
    (a new alpha each time, so nothing is cached) and with warm caches; and the bytes of its
    chart, and of the chart of the patients' points at 1,000 iterations."""
    import streamlit as st
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, local_script_runner

    from dashboard.link import own_points

    def timed(test: AppTest) -> float:
        start = time.perf_counter()
        test.run()
        return time.perf_counter() - start

    def chart_bytes(test: AppTest) -> int:
        return sum(len(chart.proto.spec) for chart in test.get("plotly_chart"))

    shared = ScriptCache()
    with mock.patch.object(local_script_runner, "ScriptCache", lambda: shared):
        st.cache_data.clear()
        test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in {**LESSON_TWO, **SGD, "line_iterations": str(ITERATIONS)}.items():
            test.query_params[key] = value
        test.run()
        test.session_state["line_own"] = own_points(tinynet.line_data(*many_points()))
        test.session_state["line_data"] = "own"
        test.run()
        many_bytes = chart_bytes(test)
        changed, warm = [], []
        for turn in range(repeats):
            test.number_input(key="line_alpha").set_value(0.01 + 0.0001 * (turn + 1))
            changed.append(timed(test))
            warm.append(timed(test))
        assert not test.exception, [error.value for error in test.exception]
        plain = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in {**LESSON_TWO, "line_iterations": str(ITERATIONS)}.items():
            plain.query_params[key] = value
        plain.run()
        assert not plain.exception, [error.value for error in plain.exception]
    return {
        "rerun_changed_ms": median_ms(changed),
        "rerun_warm_ms": median_ms(warm),
        "chart_bytes_many_points": many_bytes,
        "chart_bytes": chart_bytes(plain),
    }


def _round_trip(page: object, count: int) -> float:
    """Type an iteration count; time until the first chart on screen shows the new run, as
    the main benchmark times lesson 1's. The script's going idle and the other charts are
    waited for after, untimed."""
    taken = redrawn_after(page, page.get_by_label("Iterations", exact=True), str(count))
    page.wait_for_selector(IDLE)
    page.wait_for_function(EVERY_CHART_DRAWN)
    return taken


def browser(repeats: int) -> dict[str, dict[str, float]]:
    """Lesson 1 and lesson 2 side by side against one server, taking turns: page load until
    every chart is drawn, and a control change's round trip (a new iteration count)."""
    lessons = {"lesson_1": {}, "lesson_2": LESSON_TWO}
    loads: dict[str, list[float]] = {name: [] for name in lessons}
    trips: dict[str, list[float]] = {name: [] for name in lessons}
    with streamlit_server() as running, chromium() as launched:
        for turn in range(repeats + 1):  # the first turn warms the server, and is not counted
            for name, query in lessons.items():
                context = launched.new_context(viewport={"width": 1280, "height": 720})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"{running.url}/?{urlencode(query)}")
                wait_drawn(page, timeout=120_000)
                loads[name].append(time.perf_counter() - start)
                default = 20 if name == "lesson_1" else 200
                for count in (default + 1 + turn % 2, default):
                    trips[name].append(_round_trip(page, count))
                context.close()
    return {
        name: {"load_ms": median_ms(loads[name][1:]), "round_trip_ms": median_ms(trips[name][2:])}
        for name in lessons
    }


def measure(quick: bool) -> dict[str, object]:
    repeats = 3 if quick else 15
    sides = browser(1 if quick else 9)
    return {
        "train_ms": training(repeats),
        **server(repeats),
        **{f"{name}_{key}": value for name, both in sides.items() for key, value in both.items()},
    }


TARGETS = {  # figure: (limit, compared with) — a number, or a ratio to lesson 1's figure
    "train_ms": (200, None),
    "rerun_changed_ms": (200, None),
    "chart_bytes": (150_000, None),
    "chart_bytes_many_points": (150_000, None),
    "lesson_2_load_ms": (1.2, "lesson_1_load_ms"),
    "lesson_2_round_trip_ms": (1.2, "lesson_1_round_trip_ms"),
}


def met(results: dict[str, object]) -> dict[str, bool]:
    """Whether each figure with a target met it."""
    verdicts = {}
    for key, (limit, against) in TARGETS.items():
        value = results[key]
        verdicts[key] = value <= limit * results[against] if against else value <= limit
    return verdicts


def report(results: dict[str, object]) -> list[str]:
    """Lesson 2's lines of the benchmark's report."""
    done = met(results)

    def flag(key: str) -> str:
        return "met" if done[key] else "NOT met"

    load_ratio = results["lesson_2_load_ms"] / results["lesson_1_load_ms"]
    trip_ratio = results["lesson_2_round_trip_ms"] / results["lesson_1_round_trip_ms"]
    return [
        f"- Lesson 2, fit_line on {POINTS:,} points, {ITERATIONS:,} mini-batch steps of 8: "
        f"{results['train_ms']} ms (target < 200 ms: {flag('train_ms')}).",
        f"- Lesson 2, server rerun after a control change, {POINTS:,} points and {ITERATIONS:,} "
        f"mini-batch steps: {results['rerun_changed_ms']} ms (target < 200 ms: "
        f"{flag('rerun_changed_ms')}); with warm caches {results['rerun_warm_ms']} ms.",
        f"- Lesson 2's chart data at {ITERATIONS:,} iterations: {results['chart_bytes']:,} bytes "
        f"on the patients' points ({flag('chart_bytes')}), {results['chart_bytes_many_points']:,}"
        f" on {POINTS:,} points ({flag('chart_bytes_many_points')}); target ≤ 150,000.",
        f"- Lesson 2 beside lesson 1, one server: page load {results['lesson_2_load_ms']} ms "
        f"against {results['lesson_1_load_ms']} ms ({load_ratio:.2f}×), a control change's "
        f"round trip {results['lesson_2_round_trip_ms']} ms against "
        f"{results['lesson_1_round_trip_ms']} ms ({trip_ratio:.2f}×); target ≤ 1.2×: "
        f"{flag('lesson_2_load_ms')}, {flag('lesson_2_round_trip_ms')}.",
    ]

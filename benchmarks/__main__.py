"""Measure the dashboard beside a naive reference and an empty app: `python -m benchmarks`.

Every figure comes from one run on one machine, so the ratios compare like with like;
absolute times vary from machine to machine. `--quick` takes few samples (for CI, to
keep the benchmark from rotting); `--output FILE` also writes the results as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import numpy as np

import tinynet
from benchmarks import (
    class_at_once,
    class_flood,
    class_servers,
    class_sessions,
    class_store,
    lesson_two,
)
from dashboard.harness import (
    EVERY_CHART_DRAWN,
    IDLE,
    ROOT,
    chromium,
    redrawn_after,
    streamlit_server,
    wait_drawn,
    wait_until,
)
from tinynet.sweep import alpha_grid, sweep

HERE = Path(__file__).resolve().parent

APPS = {"tinynet": ROOT / "app.py", "naive": HERE / "naive_app.py", "empty": HERE / "empty_app.py"}
LONG = 10_000  # iterations of the "long run" figures


def median_ms(timings: list[float]) -> float:
    return round(statistics.median(timings) * 1000, 1)


# -------------------------------------------------------------- the server, through AppTest
def server_reruns(repeats: int, long: bool, compiled_once: bool) -> dict[str, dict]:
    """For every app: median milliseconds of a rerun with warm caches, of one with cold
    caches, of one after a control change (new settings, so nothing is cached: what a
    student causes), and the bytes of chart data the rerun sends. The apps take turns,
    sample by sample, so that the machine's ups and downs hit them alike.

    AppTest compiles the script afresh on every run; ``streamlit run`` compiles it once
    and keeps the bytecode. With ``compiled_once`` AppTest keeps it too, as the server does.
    """
    import streamlit as st
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, local_script_runner

    def timed(test: AppTest) -> float:
        start = time.perf_counter()
        test.run()
        return time.perf_counter() - start

    shared = ScriptCache()
    cache = (lambda: shared) if compiled_once else ScriptCache
    with mock.patch.object(local_script_runner, "ScriptCache", cache):
        tests = {
            app: AppTest.from_file(str(script), default_timeout=120) for app, script in APPS.items()
        }
        if long:
            tests["tinynet"].query_params["iterations"] = str(LONG)
        st.cache_data.clear()
        for test in tests.values():
            test.run()
        if long:
            tests["naive"].number_input(key="iterations").set_value(LONG).run()
        timings = {app: {"warm": [], "cold": [], "changed": []} for app in APPS}
        for _ in range(repeats):
            for app, test in tests.items():
                timings[app]["warm"].append(timed(test))
        for _ in range(repeats):
            for app, test in tests.items():
                st.cache_data.clear()
                timings[app]["cold"].append(timed(test))
        sizes = {
            app: sum(len(chart.proto.spec) for chart in test.get("plotly_chart"))
            for app, test in tests.items()
        }
        count = LONG if long else 20
        for turn in range(repeats):
            for app, test in tests.items():
                if app != "empty":  # the empty app has no control
                    test.number_input(key="iterations").set_value(count + 1 + turn)
                    timings[app]["changed"].append(timed(test))
        for test in tests.values():
            assert not test.exception, [error.value for error in test.exception]
    return {
        app: {
            "warm": median_ms(taken["warm"]),
            "cold": median_ms(taken["cold"]),
            "changed": median_ms(taken["changed"]) if taken["changed"] else None,
            "bytes": sizes[app],
        }
        for app, taken in timings.items()
    }


# -------------------------------------------------------------- the browser
def browser_figures(repeats: int) -> dict[str, dict[str, float | None]]:
    """For every app: page load until every chart is drawn and the script idle, and a control
    change's round trip; for tinynet also scrubbing the iterations (time, and messages sent
    to the server). The apps take turns, so that the machine's ups and downs hit them alike.
    """
    results = {app: {"load": None, "round_trip": None, "scrub": None} for app in APPS}
    loads: dict[str, list[float]] = {app: [] for app in APPS}
    trips: dict[str, list[float]] = {app: [] for app in APPS if app != "empty"}
    with contextlib.ExitStack() as stack:
        servers = {app: stack.enter_context(streamlit_server(script=APPS[app])) for app in APPS}
        browser = stack.enter_context(chromium())
        for turn in range(repeats + 1):  # the first turn warms the servers, and is not counted
            for app, server in servers.items():
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(server.url)
                _drawn(page, app)
                loads[app].append(time.perf_counter() - start)
                if app in trips:
                    trips[app] += _round_trips(page, turn)
                context.close()
        for app in APPS:
            results[app]["load"] = median_ms(loads[app][1:])
            if app in trips:
                results[app]["round_trip"] = median_ms(trips[app][2:])
        results["tinynet"]["scrub"], results["tinynet"]["scrub_messages"] = _scrub(
            browser, servers["tinynet"].url, repeats
        )
        browser.close()
    return results


def _drawn(page: object, app: str, timeout: float = 120_000) -> None:
    """Wait until the script is idle and every chart it sent has been drawn."""
    wait_drawn(page, charts=app != "empty", timeout=timeout)


def _round_trips(page: object, turn: int) -> list[float]:
    """Type a new iteration count, twice; time until the first chart on screen shows the new
    run (a line of it has changed), which is what a student waits for. The script may go
    idle before or after that; the next change waits for it, untimed."""
    box = page.get_by_label("Iterations", exact=True)
    timings = []
    for count in (21 + turn % 2, 20):
        timings.append(redrawn_after(page, box, str(count)))
        page.wait_for_selector(IDLE)
        page.wait_for_function(EVERY_CHART_DRAWN)
    return timings


def _scrub(browser: object, url: str, repeats: int) -> tuple[float, int]:
    """Click along the player's scrubber; time until the frame shows, count server messages."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sent: list[object] = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    page.goto(f"{url}/?{urlencode({'alpha': '0.03'})}")
    _drawn(page, "tinynet")
    label = page.locator(".tinynet-player .tinynet-at").first
    scrubber = page.locator(".tinynet-player input[type=range]").first
    scrubber.scroll_into_view_if_needed()
    rail = scrubber.bounding_box()
    before = len(sent)
    timings = []
    for turn in range(repeats):
        shown = label.text_content()
        share = 0.1 + 0.8 * ((turn * 0.37) % 1)
        start = time.perf_counter()
        page.mouse.click(rail["x"] + rail["width"] * share, rail["y"] + rail["height"] / 2)
        wait_until(lambda: label.text_content() != shown, page)  # noqa: B023
        timings.append(time.perf_counter() - start)
    messages = len(sent) - before
    context.close()
    return median_ms(timings), messages


def server_memory(app: str, sessions: int) -> float:
    """Growth of the server's resident memory per extra open session, in MiB."""
    with streamlit_server(script=APPS[app]) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        first = context.new_page()
        first.goto(server.url)
        _drawn(first, app)
        time.sleep(1)
        alone = _resident(server.pid)
        pages = []
        for number in range(sessions):  # each tab is a session of its own
            page = context.new_page()
            page.goto(f"{server.url}/?{urlencode({'weight': str(0.1 * number)})}")
            pages.append(page)
        for page in pages:
            page.bring_to_front()  # headless Chromium paints only the page in front
            _drawn(page, app)
        time.sleep(2)
        crowded = _resident(server.pid)
        browser.close()
    return round((crowded - alone) / sessions / 2**20, 3)


def _resident(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (Linux's /proc)."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) * 1024
    return total


def classroom(app: str, students: int) -> dict[str, float]:
    """A class at once: as many sessions with different links against one server.

    On a machine with two cores or more the server gets one core to itself (a Community
    Cloud container has less than one) and the browsers the others, so that thirty
    Chromium tabs loading at once do not eat the server's time. Per session: from its
    connection until the server has sent the whole page (the "script finished" message),
    and, since headless Chromium paints only the tab in front, from bringing the tab to
    the front until its charts are drawn. Also the time until every session has drawn.
    The empty app, under the same load, shows what the framework alone costs.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    def finished(payload: bytes | str) -> bool:
        message = ForwardMsg()
        message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        return message.WhichOneof("type") == "script_finished"

    own_cores = os.sched_getaffinity(0)
    with streamlit_server(script=APPS[app]) as server, contextlib.ExitStack() as stack:
        cores = sorted(own_cores)
        if len(cores) > 1:
            for thread in Path(f"/proc/{server.pid}/task").iterdir():
                os.sched_setaffinity(int(thread.name), {cores[0]})
            os.sched_setaffinity(0, set(cores[1:]))  # this process, and the browser it starts
        try:
            browser = stack.enter_context(chromium())
        finally:
            os.sched_setaffinity(0, own_cores)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        pages, connected, served = [], {}, {}
        opened = time.perf_counter()
        for student in range(students):
            page = context.new_page()

            def listen(socket: object, student: int = student) -> None:
                connected.setdefault(student, time.perf_counter())

                def received(payload: bytes | str) -> None:
                    if student not in served and finished(payload):
                        served[student] = time.perf_counter()

                socket.on("framereceived", received)

            page.on("websocket", listen)
            query = urlencode({"alpha": f"{0.004 * (student + 1):.3f}"})
            page.goto(f"{server.url}/?{query}", wait_until="commit")
            pages.append(page)
        drawn = []
        for page in pages:
            start = time.perf_counter()
            page.bring_to_front()
            _drawn(page, app, timeout=600_000)
            drawn.append(time.perf_counter() - start)
        everyone = time.perf_counter() - opened
        memory = _resident(server.pid) / 2**20
        browser.close()
    sent = [served[student] - connected[student] for student in range(students)]
    served_p50, served_p95 = np.percentile(sent, [50, 95])
    drawn_p50, drawn_p95 = np.percentile(drawn, [50, 95])
    return {
        "students": students,
        "server_own_core": len(own_cores) > 1,
        "served_p50_s": round(float(served_p50), 2),
        "served_p95_s": round(float(served_p95), 2),
        "drawn_p50_s": round(float(drawn_p50), 2),
        "drawn_p95_s": round(float(drawn_p95), 2),
        "everyone_s": round(everyone, 1),
        "server_mib": round(memory, 1),
    }


# -------------------------------------------------------------- the maths
def maths(repeats: int) -> dict[str, float]:
    """The alpha sweep (300 alphas x 10,000 iterations) and 1,000,000 iterations of training."""

    def timed(work: Callable[[], object]) -> float:
        work()  # once untimed: first calls pay for numpy's own warming up
        timings = []
        for _ in range(repeats):
            gc.collect()
            start = time.perf_counter()
            work()
            timings.append(time.perf_counter() - start)
        return median_ms(timings)

    grid = alpha_grid(3.0, 0.1)
    article = {"weight": 0.5, "data": 3.0, "target": 4.0}
    return {
        "sweep_ms": timed(lambda: sweep(grid, **article, iterations=LONG)),
        # Neither run settles early: every iteration does its work.
        "train_gd_ms": timed(
            lambda: tinynet.train("gradient_descent", **article, iterations=10**6, alpha=1e-8)
        ),
        "train_up_down_ms": timed(
            lambda: tinynet.train("up_and_down", **article, iterations=10**6, step=1e-7)
        ),
    }


def chart_costs(repeats: int) -> dict[str, float]:
    """What one lesson chart costs on its way to the browser, step by step (20 iterations):
    building its spec, what Plotly's objects would add (Streamlit validates a dict into a
    go.Figure, and copies a go.Figure back into a dict), and encoding it as JSON with the
    standard library and with orjson (Plotly's choice when orjson is installed)."""
    import plotly.graph_objects as go
    import plotly.io

    from dashboard import charts

    run = tinynet.train("gradient_descent", weight=0.5, data=3.0, target=4.0, iterations=20)
    spec = charts.lesson_figure(run, 1)

    def timed(work: Callable[[], object]) -> float:
        work()
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            work()
            timings.append(time.perf_counter() - start)
        return round(statistics.median(timings) * 1000, 2)

    figure = go.Figure(spec)
    return {
        "spec_ms": timed(lambda: charts.lesson_figure(run, 1)),
        "validated_ms": timed(lambda: go.Figure(spec)),
        "copied_ms": timed(figure.to_dict),
        "json_ms": timed(lambda: plotly.io.to_json(spec, validate=False, engine="json")),
        "orjson_ms": timed(lambda: plotly.io.to_json(spec, validate=False, engine="orjson")),
    }


def curve_view_bytes() -> dict[str, int]:
    """Chart data of the heaviest view, the error curve with its animation frames."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    sizes = {}
    for iterations in (20, LONG):
        st.cache_data.clear()
        test = AppTest.from_file(str(APPS["tinynet"]), default_timeout=120)
        test.query_params["view"] = "Error curve"
        test.query_params["iterations"] = str(iterations)
        test.run()
        sizes[str(iterations)] = sum(len(chart.proto.spec) for chart in test.get("plotly_chart"))
    return sizes


def class_votes(students: int, wait: float) -> dict[str, dict]:
    """A class voting in class mode, on every database this machine offers: SQLite always,
    PostgreSQL under ``pg_virtualenv`` (libpq's PG* variables). Through the app (real
    Streamlit sessions on its websocket, the server on one core) and through the class
    store's API alone (a thread per student)."""
    databases = {"sqlite": None}
    if any(map(os.environ.get, class_store.LIBPQ)):
        databases["postgresql"] = "postgresql+psycopg://"
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, url in databases.items():
            app_url = url or f"sqlite:///{folder}/sessions.db"
            store_url = url or f"sqlite:///{folder}/store.db"
            results[name] = {
                "sessions": class_sessions.measure(app_url, students, wait),
                "store": class_store.store_load(store_url, students),
            }
    return results


def class_abuse(students: int) -> dict[str, dict]:
    """A flood of starts and wrong codes beside a class of ``students``, on SQLite, and on
    PostgreSQL when this machine offers it; and, on PostgreSQL, the class split over two
    app servers."""
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/flood.db"
        results["flood"] = class_flood.measure(database, students, lead=3 if students < 50 else 10)
    if any(map(os.environ.get, class_store.LIBPQ)):
        results["servers"] = class_servers.measure("postgresql+psycopg://", students)
    return results


def measure(quick: bool) -> dict[str, object]:
    repeats = 3 if quick else 25
    machine = f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}"
    results: dict[str, object] = {"machine": machine}
    results["maths"] = maths(1 if quick else 15)  # first, while nothing else runs
    short = server_reruns(repeats, long=False, compiled_once=True)
    recompiled = server_reruns(repeats, long=False, compiled_once=False)
    lengthy = server_reruns(repeats, long=True, compiled_once=True)
    for app in APPS:
        results[app] = {
            "rerun_ms": short[app]["warm"],
            "rerun_cold_ms": short[app]["cold"],
            "rerun_changed_ms": short[app]["changed"],
            "rerun_recompiled_ms": recompiled[app]["warm"],
            "chart_bytes": short[app]["bytes"],
            "long_rerun_ms": lengthy[app]["warm"],
            "long_rerun_cold_ms": lengthy[app]["cold"],
            "long_chart_bytes": lengthy[app]["bytes"],
        }
    results["curve_view_bytes"] = curve_view_bytes()
    results["chart_costs"] = chart_costs(5 if quick else 50)
    for app, figures in browser_figures(1 if quick else 11).items():
        results[app].update(figures)
    for app in APPS:
        results[app]["memory_per_session_mib"] = server_memory(app, 2 if quick else 10)
    results["classroom"] = {app: classroom(app, 3 if quick else 30) for app in ("tinynet", "empty")}
    results["class_at_once"] = {
        app: class_at_once.measure(app, 3 if quick else 30) for app in class_at_once.APPS
    }
    results["class_votes"] = class_votes(10 if quick else 200, 3 if quick else 30)
    results["class_abuse"] = class_abuse(10 if quick else 200)
    results["lesson_2"] = lesson_two.measure(quick)
    return results


def _cores() -> int:
    return len(os.sched_getaffinity(0))


ROWS = [
    # label, key, unit, target as (limit, compared with), for the tinynet column
    ("server rerun, 20 iterations, warm caches", "rerun_ms", "ms", (1.0, "naive")),
    ("server rerun, 20 iterations, cold caches", "rerun_cold_ms", "ms", (1.0, "naive")),
    (
        "server rerun after a control change (new settings)",
        "rerun_changed_ms",
        "ms",
        (1.0, "naive"),
    ),
    ("the same, script recompiled every run (AppTest's way)", "rerun_recompiled_ms", "ms", None),
    ("server rerun, 10,000 iterations, warm caches", "long_rerun_ms", "ms", (100, None)),
    ("server rerun, 10,000 iterations, cold caches", "long_rerun_cold_ms", "ms", (100, None)),
    ("chart data sent, 20 iterations", "chart_bytes", "bytes", None),
    ("chart data sent, 10,000 iterations", "long_chart_bytes", "bytes", (2**20, None)),
    ("page load until every chart is drawn", "load", "ms", (1.1, "naive")),
    ("round trip after a control changes", "round_trip", "ms", (1.2, "naive")),
    ("scrubbing one iteration, in the browser", "scrub", "ms", None),
    ("messages to the server while scrubbing", "scrub_messages", "", (0, None)),
    ("server memory per extra session", "memory_per_session_mib", "MiB", (1.0, None)),
]


def report(results: dict[str, object]) -> str:
    lines = [
        f"Measured on {results['machine']}.",
        "",
        "| figure | tinynet | naive | empty | tinynet ÷ naive | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for label, key, unit, target in ROWS:
        values = [results[app].get(key) for app in APPS]
        ours, naive = values[0], values[1]
        ratio = f"{ours / naive:.2f}" if ours is not None and naive else "–"
        shown = ["–" if value is None else f"{value:,}" for value in values]
        goal, met = "", ""
        if target is not None and ours is not None:
            limit, against = target
            if against:
                goal, met = (
                    f"≤ {limit}× {against}",
                    "yes" if naive and ours <= limit * naive else "no",
                )
            else:
                goal, met = f"≤ {limit:,} {unit}".strip(), "yes" if ours <= limit else "no"
        lines.append(
            f"| {label} ({unit}) | {' | '.join(shown)} | {ratio} | {goal} | {met} |".replace(
                " ()", ""
            )
        )
    curve = results["curve_view_bytes"]
    maths_ = results["maths"]
    costs = results["chart_costs"]
    lines += [
        "",
        f"- Error curve view (its animation frames included): {curve['20']:,} bytes of chart "
        f"data at 20 iterations, {curve[str(LONG)]:,} at {LONG:,}.",
        f"- Alpha sweep, 300 alphas x {LONG:,} iterations: {maths_['sweep_ms']} ms "
        "(target < 50 ms).",
        f"- 1,000,000 iterations of tinynet.train: gradient descent {maths_['train_gd_ms']} ms, "
        f"up and down {maths_['train_up_down_ms']} ms (target < 1,000 ms).",
        f"- One lesson chart on its way to the browser (20 iterations): its spec is built in "
        f"{costs['spec_ms']} ms; Plotly's objects would add {costs['validated_ms']} ms to "
        f"validate it and {costs['copied_ms']} ms to copy it; JSON takes {costs['json_ms']} ms "
        f"with the standard library and {costs['orjson_ms']} ms with orjson.",
    ]
    for app, room in results["classroom"].items():
        lines.append(
            f"- A class at once, {room['students']} sessions with different links against one "
            f"{app} server{' on a core of its own' if room['server_own_core'] else ''}: the "
            f"server sent each whole page within p50 {room['served_p50_s']} s, p95 "
            f"{room['served_p95_s']} s; a tab brought to the front drew within p50 "
            f"{room['drawn_p50_s']} s, p95 {room['drawn_p95_s']} s; all had drawn after "
            f"{room['everyone_s']} s. Server memory after: {room['server_mib']} MiB."
        )
    rooms = results["classroom"]
    ratio = rooms["tinynet"]["served_p95_s"] / rooms["empty"]["served_p95_s"]
    lines.append(
        f"- The same, tinynet's p95 against the empty app's: {ratio:.2f}× (every tab on one "
        "shared core: a bound no class meets, whose phones bring their own processors)."
    )
    rooms = results["class_at_once"]
    for app, room in rooms.items():
        lines.append(
            f"- A class at once as the server sees it, {room['students']} students each "
            f"fetching the page's {room['files']} files and opening a session with a link of "
            f"their own, all at once, against one {app} server"
            f"{' on a core of its own' if room['server_own_core'] else ''}: each had its whole "
            f"page within p50 {room['served_p50_s']} s, p95 {room['served_p95_s']} s."
        )
    ratio = rooms["tinynet"]["served_p95_s"] / rooms["empty"]["served_p95_s"]
    lines.append(
        f"- A class at once as the server sees it, tinynet's p95 against the empty app's: "
        f"{ratio:.2f}× (target ≤ 2×)."
    )
    for database, both in results["class_votes"].items():
        app, store = both["sessions"], both["store"]
        own = " on a core of its own" if app["server_own_core"] else ""
        lines.append(
            f"- Class mode on {database}, {app['students']} students voting through real "
            f"sessions against one app server{own}: from a vote to the projector's count p50 "
            f"{app['vote_to_tally_p50_s']} s, p95 {app['vote_to_tally_p95_s']} s (target p95 "
            f"< 2 s); the reveal reached each phone within p50 {app['reveal_to_phone_p50_s']} s, "
            f"p95 {app['reveal_to_phone_p95_s']} s; the server's CPU per student per minute "
            f"{app['cpu_s_per_student_per_minute_waiting']} s while waiting "
            f"({app['server_core_share_waiting']:.0%} of a core) and "
            f"{app['cpu_s_per_student_per_minute_voted']} s after voting "
            f"({app['server_core_share_voted']:.0%}). Through the store's API alone, "
            f"{store['students']} threads: p50 {store['vote_to_tally_p50_s']} s, p95 "
            f"{store['vote_to_tally_p95_s']} s. Every tally equalled the votes cast."
        )
    abuse = results["class_abuse"]
    flood = abuse["flood"]
    lines.append(
        f"- A flood beside a real class, on {flood['database']}: {flood['teachers_started']} "
        f"teachers behind one address started classes within "
        f"{flood['teachers_started_within_s']} s and {flood['students']} students joined within "
        f"{flood['students_joined_within_s']} s, none refused, while a script from another "
        f"address tried {flood['flood_starts']} starts ({flood['flood_starts_refused']} "
        f"refused) and {flood['flood_codes']} wrong codes ({flood['flood_codes_refused']} "
        f"refused). From a vote to the projector's count p50 {flood['vote_to_tally_p50_s']} s, "
        f"p95 {flood['vote_to_tally_p95_s']} s (target p95 < 2 s); every tally exact."
    )
    if "servers" in abuse:
        split = abuse["servers"]
        lines.append(
            f"- One class on {split['servers']} app servers sharing PostgreSQL, "
            f"{split['students']} phones split between them: from a vote to the projector's "
            f"count p50 {split['vote_to_tally_p50_s']} s, p95 {split['vote_to_tally_p95_s']} s "
            f"(target p95 < 2 s); the reveal reached each phone within p50 "
            f"{split['reveal_to_phone_p50_s']} s, p95 {split['reveal_to_phone_p95_s']} s "
            "(target p95 < 3 s); every tally exact."
        )
    return "\n".join(lines + lesson_two.report(results["lesson_2"]))


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="few samples: checks that it runs")
    parser.add_argument("--output", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--lesson-2", action="store_true", help="only lesson 2's figures, beside lesson 1's"
    )
    arguments = parser.parse_args()
    # AppTest runs the scripts without a server, and Streamlit warns about it on every run.
    logging.disable(logging.WARNING)
    if arguments.lesson_2:
        print("\n".join(lesson_two.report(lesson_two.measure(arguments.quick))))
        return
    results = measure(arguments.quick)
    table = report(results)
    print(table)
    if arguments.output:
        rows = [[label, key] for label, key, _unit, _target in ROWS]
        saved = {**results, "report": table, "apps": list(APPS), "rows": rows}
        arguments.output.write_text(json.dumps(saved, indent=2) + "\n")


if __name__ == "__main__":
    main()

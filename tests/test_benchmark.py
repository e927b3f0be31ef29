"""The benchmark keeps working: `python -m benchmarks --quick` runs end to end and reports
every figure. It asserts no times (those vary from machine to machine), only that each
figure was measured and that scrubbing the iterations never reaches the server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.harness import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow("the quick benchmark and the redraw profile take about two minutes"),
]

# Figures an app cannot have: the empty app has no control to change, and only
# tinynet's charts can be scrubbed in the browser.
NOT_MEASURED = {
    "naive": {"scrub", "scrub_messages"},
    "empty": {"round_trip", "rerun_changed_ms", "scrub", "scrub_messages"},
}


def _ran(module: str, *arguments: str) -> subprocess.CompletedProcess:
    """``python -m module arguments`` from the project's root, which must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, browser) -> dict:
    output = tmp_path_factory.mktemp("benchmark") / "results.json"
    done = _ran("benchmarks", "--quick", "--output", str(output))
    saved = json.loads(output.read_text())
    assert saved["report"] in done.stdout  # the table printed is the table saved
    return saved


def test_every_figure_is_measured_for_every_app(results):
    assert results["apps"] == ["tinynet", "naive", "empty"]
    for _label, key in results["rows"]:
        for app in results["apps"]:
            if key in NOT_MEASURED.get(app, ()):
                continue
            value = results[app].get(key)
            assert isinstance(value, int | float) and value >= 0, (app, key, value)
    assert results["tinynet"]["load"] > 0 and results["naive"]["round_trip"] > 0
    maths = results["maths"]
    assert all(maths[key] > 0 for key in ("sweep_ms", "train_gd_ms", "train_up_down_ms"))
    for room in results["classroom"].values():
        assert room["students"] == 3
        assert room["served_p95_s"] >= room["served_p50_s"] > 0
        assert room["drawn_p95_s"] >= room["drawn_p50_s"] > 0
        assert room["server_mib"] > 0
    for room in results["class_at_once"].values():  # the page's files and a session each
        assert room["students"] == 3 and room["files"] > 10
        assert room["served_p95_s"] >= room["served_p50_s"] > 0
    assert results["class_at_once"]["tinynet"]["files"] > results["class_at_once"]["empty"]["files"]
    costs = results["chart_costs"]
    assert all(costs[key] > 0 for key in ("spec_ms", "validated_ms", "copied_ms", "json_ms"))
    assert costs["orjson_ms"] > 0
    assert "sqlite" in results["class_votes"]  # and PostgreSQL too, where CI provides it
    for both in results["class_votes"].values():
        app, store = both["sessions"], both["store"]
        assert app["students"] == store["students"] == 10
        assert app["vote_to_tally_p95_s"] >= app["vote_to_tally_p50_s"] > 0
        assert app["cpu_s_per_student_per_minute_waiting"] > 0
        assert store["vote_to_tally_p95_s"] >= store["vote_to_tally_p50_s"] >= 0
    abuse = results["class_abuse"]
    flood = abuse["flood"]
    assert flood["students"] == 10 and flood["teachers_started"] == 20
    assert flood["flood_starts"] > 0 and flood["flood_codes"] > 0 and flood["flood_other"] == 0
    assert flood["vote_to_tally_p95_s"] >= flood["vote_to_tally_p50_s"] > 0
    if "postgresql" in results["class_votes"]:  # two servers need PostgreSQL
        split = abuse["servers"]
        assert split["servers"] == 2 and split["votes"] == 10
        assert split["reveal_to_phone_p95_s"] >= split["reveal_to_phone_p50_s"] > 0


def test_the_report_names_every_figure(results):
    assert results["rows"]
    for label, _key in results["rows"]:
        assert label in results["report"]


def test_scrubbing_sends_nothing_to_the_server(results):
    assert results["tinynet"]["scrub_messages"] == 0


LESSON_2 = (
    "train_ms",
    "rerun_changed_ms",
    "rerun_warm_ms",
    "lesson_1_load_ms",
    "lesson_2_load_ms",
    "lesson_1_round_trip_ms",
    "lesson_2_round_trip_ms",
)


def test_lesson_2_is_measured_beside_lesson_1_and_its_charts_stay_small(results):
    lesson = results["lesson_2"]
    assert all(lesson[key] > 0 for key in LESSON_2)
    assert 0 < lesson["chart_bytes"] <= 150_000  # bytes, unlike times, do not vary
    assert 0 < lesson["chart_bytes_many_points"] <= 150_000
    assert "Lesson 2 beside lesson 1" in results["report"]


def test_the_redraw_profile_names_where_each_app_spends_a_change(browser):
    done = _ran("benchmarks.redraw_profile", "--changes", "2", "--top", "3")
    heads = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in heads] == ["tinynet", "naive"]
    assert len(done.stdout.splitlines()) == 2 + 2 * 3  # each app's three costliest functions

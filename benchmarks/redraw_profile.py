"""Where a control change's redraw goes in the browser: `python -m benchmarks.redraw_profile`.

For tinynet and the naive app in turn: headless Chromium at 1280x720 types a new iteration
count a dozen times, and Chrome's own CPU profiler (DevTools protocol, sampling every 0.1 ms)
records from the Enter key until a line of the first chart has changed, as the benchmark's
round trip does. Prints the median round trip and the functions with the most time of their
own per change; "(program)" is the browser's native work (style, layout, paint). Profiling
slows the page, so the times are larger than the benchmark's; compare the two apps' shares.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.harness import IDLE, ROOT, chromium, streamlit_server, wait_drawn, wait_until

LINES = (
    "chart => [...chart.querySelectorAll('g.trace path.js-line')]"
    ".map(line => line.getAttribute('d')).join('')"
)
APPS = {"tinynet": ROOT / "app.py", "naive": ROOT / "benchmarks" / "naive_app.py"}


def _where(node: dict) -> str:
    frame = node["callFrame"]
    name = frame["functionName"] or "(anonymous)"
    source = frame["url"].split("/")[-1].split("?")[0]
    return f"{name} ({source}:{frame['lineNumber']})" if source else name


def profile(script: Path, changes: int) -> tuple[float, list[tuple[str, float]]]:
    """The median round trip (ms) and each function's own time per change (ms), most first."""
    with streamlit_server(script=script) as server, chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(server.url)
        wait_drawn(page)
        devtools = page.context.new_cdp_session(page)
        devtools.send("Profiler.enable")
        devtools.send("Profiler.setSamplingInterval", {"interval": 100})
        box = page.get_by_label("Iterations", exact=True)
        chart = page.locator("[data-testid=stPlotlyChart]").first
        own: collections.Counter[str] = collections.Counter()
        trips = []
        for turn in range(changes):
            before = chart.evaluate(LINES)
            box.fill(str(20 if turn % 2 else 21 + turn // 2))
            devtools.send("Profiler.start")
            start = time.perf_counter()
            box.press("Enter")
            wait_until(lambda: chart.evaluate(LINES) not in ("", before), page)  # noqa: B023
            trips.append(time.perf_counter() - start)
            found = devtools.send("Profiler.stop")["profile"]
            nodes = {node["id"]: node for node in found["nodes"]}
            for sample, delta in zip(found["samples"], found["timeDeltas"], strict=True):
                own[_where(nodes[sample])] += delta / 1000
            page.wait_for_selector(IDLE)
            wait_drawn(page)
    ranked = [(name, spent / changes) for name, spent in own.most_common()]
    return statistics.median(trips) * 1000, ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--top", type=int, default=12, help="functions shown per app")
    options = parser.parse_args()
    os.environ.setdefault("TINYNET_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/classes.db")
    for app, script in APPS.items():
        trip, ranked = profile(script, options.changes)
        total = sum(spent for _, spent in ranked)
        print(f"{app}: round trip {trip:.0f} ms (profiled), {total:.0f} ms of samples per change")
        for name, spent in ranked[: options.top]:
            print(f"  {spent:7.1f} ms  {name}")


if __name__ == "__main__":
    main()

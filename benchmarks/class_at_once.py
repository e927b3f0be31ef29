"""A class opening the link at once, as the server sees it: `python -m benchmarks.class_at_once`.

Thirty students open the teacher's link together, each on a phone of their own: what they
share is the app's server. Headless Chromium opens each app once and records every file the
page fetches from the server (the framework's code, fonts, and for charts Plotly's 4.6 MB);
then the students, all at once, each fetch those files over HTTP and open a session on the
app's websocket with a link of their own (Streamlit's own messages, as in
``benchmarks.class_sessions``), as a browser would. The server is held to one core, the
students to the others. Per student: from the first request until the server has sent the
whole page (the script's "finished" message). What a phone then spends drawing is its own
processor's work, measured apart by the page load in ``python -m benchmarks``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

from dashboard.harness import ROOT, chromium, open_session, streamlit_server, wait_drawn

APPS = {"tinynet": ROOT / "app.py", "empty": ROOT / "benchmarks" / "empty_app.py"}


def page_files(url: str, charts: bool) -> list[str]:
    """Every file a first visit fetches from the server at ``url``, in the order asked."""
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(url)
        wait_drawn(page, charts=charts)
        page.wait_for_timeout(1000)  # fonts and icons come a moment after the page is drawn
    return [address for address in fetched if address.startswith(url)]


def _student(url: str, files: list[str], query: str, start: threading.Barrier) -> float:
    start.wait()
    began = time.perf_counter()
    for address in files:
        with urllib.request.urlopen(address, timeout=600) as response:
            response.read()

    async def session() -> None:
        page = await open_session(url, "student", query)
        await page.close()

    asyncio.run(session())
    return time.perf_counter() - began


def measure(app: str, students: int) -> dict[str, float]:
    """p50 and p95 of the time until each of ``students`` got the whole page of ``app``."""
    own_cores = os.sched_getaffinity(0)
    cores = sorted(own_cores)
    with streamlit_server(script=APPS[app]) as server:
        files = page_files(server.url, charts=app != "empty")  # also warms the server
        if len(cores) > 1:
            for thread in Path(f"/proc/{server.pid}/task").iterdir():
                os.sched_setaffinity(int(thread.name), {cores[0]})
            os.sched_setaffinity(0, set(cores[1:]))
        try:
            start = threading.Barrier(students)
            times: list[float] = [0.0] * students

            def run(number: int) -> None:
                query = urlencode({"alpha": f"{0.004 * (number + 1):.3f}"})
                times[number] = _student(server.url, files, query, start)

            threads = [threading.Thread(target=run, args=(n,)) for n in range(students)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            os.sched_setaffinity(0, own_cores)
    p50, p95 = np.percentile(times, [50, 95])
    return {
        "students": students,
        "files": len(files),
        "server_own_core": len(cores) > 1,
        "served_p50_s": round(float(p50), 2),
        "served_p95_s": round(float(p95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    options = parser.parse_args()
    os.environ.setdefault("TINYNET_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/classes.db")
    found = {app: measure(app, options.students) for app in APPS}
    for app, figures in found.items():
        print(app, figures)
    ratio = found["tinynet"]["served_p95_s"] / found["empty"]["served_p95_s"]
    print(f"tinynet's p95 against the empty app's: {ratio:.2f}x (target 2x at most)")


if __name__ == "__main__":
    main()

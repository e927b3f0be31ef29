"""A class of 200 on the app itself: `python -m benchmarks.class_sessions [--url URL]`.

One app server, held to one core, serves a projector's page and 200 phones. Each is a real
Streamlit session on the app's websocket (``/_stcore/stream``), driven with Streamlit's own
BackMsg and ForwardMsg protobufs as a browser drives it: a button press is a rerun with the
button's trigger (its id read from the page's deltas), and every fragment that asks for it
(``st.fragment(run_every=...)``) is rerun at its interval. The teacher starts a class, the
phones join, wait (the server's CPU is measured then), and vote once the question opens.

Vote to tally: from a phone sending its vote to the answer of the first projector count
asked for after that phone was told its vote is in (so the count must include it: checked),
an upper bound of what a class sees. The tally the projector draws when voting closes must
equal the votes cast. SQLite (a fresh file) by default; PostgreSQL with ``--url``, or under
``pg_virtualenv -t`` through libpq's PG* variables.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.class_store import LIBPQ, percentile
from dashboard.harness import (
    CODE,
    COUNT,
    TIMEOUT,
    Server,
    Session,
    open_session,
    streamlit_server,
)
from tinynet.explain import ANSWERS

HERE = Path(__file__).resolve().parent


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, all its threads, user and system (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Ballot:
    choice: str
    sent: float = 0.0  # when the phone sent its vote
    told: float = 0.0  # when the phone was told it is in
    counted: float = 0.0  # seconds from sending it to the projector's count that has it


async def vote(phone: Session, ballot: Ballot, spread: float) -> None:
    """See the question, think for up to ``spread`` seconds, vote, and wait to be told."""
    label = ANSWERS[ballot.choice]
    await phone.until(lambda: label in phone.buttons)
    await asyncio.sleep(random.uniform(0, spread))  # a class's pace, not a secret
    phone.texts.clear()
    ballot.sent = time.perf_counter()
    await phone.rerun(button=label)
    await phone.until(lambda: any("Your vote is in" in text for text in phone.texts))
    ballot.told = time.perf_counter()


async def poll_projector(projector: Session, polls: list, stop: asyncio.Event) -> None:
    """The projector's count, asked for at its fragment's interval and timed: when asked,
    when answered, and the count it showed. One at a time, to pair them exactly."""
    every = projector.every
    while not stop.is_set():
        asked = time.perf_counter()
        await projector.rerun(fragment=projector.fragment)
        await asyncio.wait_for(projector.finished.wait(), TIMEOUT)
        shown = COUNT.fullmatch(projector.metrics.get("Votes in", ""))
        polls.append((asked, time.perf_counter(), int(shown.group(1)) if shown else -1))
        await asyncio.sleep(max(0.0, every - (time.perf_counter() - asked)))


def pin(pid: int) -> bool:
    """Hold the server to one core and this process to the others, when there are two or
    more (as benchmarks.__main__.classroom does): the phones' work must not eat its time."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return False
    for thread in Path(f"/proc/{pid}/task").iterdir():  # threads made later inherit it
        os.sched_setaffinity(int(thread.name), {cores[0]})
    os.sched_setaffinity(0, set(cores[1:]))
    return True


async def cpu_share(pid: int, seconds: float) -> float:
    """The share of a core the server used over the next ``seconds``."""
    before, began = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / (time.perf_counter() - began)


async def walk_in(
    url: str, code: str, students: int, address: str | None = None, others: tuple[str, ...] = ()
) -> list[Session]:
    """The phones open the join link, twenty at a time, and wait for the question; from
    ``address`` if given, and spread over ``url`` and the ``others`` servers' addresses."""
    servers = (url, *others)
    phones: list[Session] = []
    for start in range(0, students, 20):
        batch = range(start, min(students, start + 20))
        phones += await asyncio.gather(
            *(
                open_session(servers[n % len(servers)], f"phone {n}", f"join={code}", address)
                for n in batch
            )
        )
    for phone in phones:
        await phone.until(lambda phone=phone: bool(phone.polls))
    return phones


async def votes_counted(projector: Session, phones: list[Session], spread: float) -> list[Ballot]:
    """Open voting, let every phone vote while the projector's count is timed, and return
    the ballots with each one's time from vote to count."""
    projector.stop()  # from now on the benchmark asks for the projector's count itself
    projector.timers = False
    await projector.press("Open voting")
    choices = list(ANSWERS)
    ballots = [Ballot(choices[number % len(choices)]) for number in range(len(phones))]
    polls: list[tuple[float, float, int]] = []
    stop = asyncio.Event()
    polling = asyncio.create_task(poll_projector(projector, polls, stop))
    await asyncio.gather(*map(vote, phones, ballots, [spread] * len(phones)))
    last = max(ballot.told for ballot in ballots)
    await projector.until(lambda: bool(polls) and polls[-1][0] > last)
    stop.set()
    await polling
    for ballot in ballots:
        asked, answered, shown = next(poll for poll in polls if poll[0] >= ballot.told)
        told_before = sum(other.told <= asked for other in ballots)
        if shown < told_before:
            raise RuntimeError(f"the projector showed {shown} votes after {told_before} were in")
        ballot.counted = answered - ballot.sent
    return ballots


async def tally_checked(projector: Session, ballots: list[Ballot]) -> None:
    """Close voting; the projector's bars must be the votes cast, no more and no fewer."""
    projector.charts.clear()
    await projector.press("Close voting")
    specs = map(json.loads, projector.charts)
    (chart,) = [one for one in specs if one["data"][0].get("name") == "Round 1"]
    cast = Counter(ballot.choice for ballot in ballots)
    drawn = dict(zip(ANSWERS, chart["data"][0]["x"], strict=True))
    if drawn != {choice: cast[choice] for choice in ANSWERS}:
        raise RuntimeError(f"the projector's tally {drawn} is not the votes cast {dict(cast)}")


async def revealed(projector: Session, phones: list[Session]) -> list[float]:
    """Reveal; how long until each phone says right or wrong."""
    for phone in phones:
        phone.texts.clear()
    began = time.perf_counter()
    await projector.press("Reveal")

    async def told(phone: Session) -> float:
        await phone.until(
            lambda: any(t.startswith(("**Right", "**Not quite")) for t in phone.texts)
        )
        return time.perf_counter() - began

    return list(await asyncio.gather(*map(told, phones)))


async def run_class(url: str, pid: int, students: int, wait: float, spread: float) -> dict:
    projector = await open_session(url, "projector", "view=Teach")
    await projector.press("Start a class")
    (code,) = {text for text in projector.texts if CODE.fullmatch(text)}
    phones = await walk_in(url, code, students)
    await asyncio.sleep(5)  # let the joining settle
    waiting = await cpu_share(pid, wait)
    ballots = await votes_counted(projector, phones, spread)
    voted = await cpu_share(pid, wait)  # the phones show their vote while voting stays open
    await tally_checked(projector, ballots)
    told = await revealed(projector, phones)
    await projector.press("End class")
    await projector.press("Yes, end the class")
    for page in (projector, *phones):
        await page.close()
    counted = [ballot.counted for ballot in ballots]
    per_minute = 60 / students  # a core's share, as CPU seconds per student per minute
    return {
        "students": students,
        "votes": len(ballots),
        "vote_to_tally_p50_s": round(statistics.median(counted), 3),
        "vote_to_tally_p95_s": round(percentile(counted, 0.95), 3),
        "reveal_to_phone_p50_s": round(statistics.median(told), 2),
        "reveal_to_phone_p95_s": round(percentile(told, 0.95), 2),
        "server_core_share_waiting": round(waiting, 3),
        "cpu_s_per_student_per_minute_waiting": round(waiting * per_minute, 4),
        "server_core_share_voted": round(voted, 3),
        "cpu_s_per_student_per_minute_voted": round(voted * per_minute, 4),
    }


@contextlib.contextmanager
def class_server(database: str, pinned: bool = True) -> Iterator[tuple[Server, bool]]:
    """An app server whose class store is ``database``, and whether it has a core of its
    own: with ``pinned``, where the machine has two or more (see ``pin``)."""
    own_cores = os.sched_getaffinity(0)
    try:
        with streamlit_server(environment={**os.environ, "TINYNET_DATABASE_URL": database}) as up:
            yield up, pinned and pin(up.pid)
    finally:
        os.sched_setaffinity(0, own_cores)


def measure(database: str, students: int = 200, wait: float = 30, spread: float = 5) -> dict:
    """A class of ``students`` on one app server whose class store is ``database``."""
    with class_server(database) as (server, alone):
        results = asyncio.run(run_class(server.url, server.pid, students, wait, spread))
    name = database.split(":", 1)[0].split("+")[0]
    return {"database": name, "server_own_core": alone, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database URL (default: PG* variables, else SQLite)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--wait", type=float, default=30, help="seconds of waiting measured")
    parser.add_argument("--spread", type=float, default=5, help="seconds over which they vote")
    options = parser.parse_args()
    postgres = any(map(os.environ.get, LIBPQ))
    with tempfile.TemporaryDirectory() as folder:
        url = options.url or ("postgresql+psycopg://" if postgres else f"sqlite:///{folder}/c.db")
        print(json.dumps(measure(url, options.students, options.wait, options.spread), indent=2))


if __name__ == "__main__":
    main()

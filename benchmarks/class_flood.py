"""A flood beside a real class: `python -m benchmarks.class_flood [--url URL]`.

One app server, held to one core, serves a school behind one network address: 20 teachers
start classes within a minute, and 200 phones join one of them and vote. Meanwhile a script
from another address floods the same server with starts and wrong join codes, each from a
session of its own, as fast as a few connections at once allow. The real class must not
notice: vote to tally as in ``benchmarks.class_sessions`` (p95 < 2 s), every tally exact,
and no teacher or student of the school refused; the flood must be refused past the limits
per address. Addresses reach the server as a proxy on this machine would say them
(X-Forwarded-For). SQLite (a fresh file) by default; PostgreSQL with ``--url``, or under
``pg_virtualenv -t`` through libpq's PG* variables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from collections import Counter

from benchmarks.class_sessions import (
    class_server,
    revealed,
    tally_checked,
    votes_counted,
    walk_in,
)
from benchmarks.class_store import LIBPQ, percentile
from dashboard import class_store
from dashboard.harness import CODE, Session, open_session

SCHOOL = "203.0.113.7"  # the school's one address (an address for documentation)
SCRIPT = "198.51.100.66"  # the flood's
TEACHERS = 20


async def start(url: str, address: str) -> tuple[str, Session]:
    """A teacher's page presses Start a class: ("started", its page), or how it was refused."""
    page = await open_session(url, "teacher", "view=Teach", address)
    await page.press("Start a class")
    if any(CODE.fullmatch(text) for text in page.texts):
        return "started", page
    refused = {class_store.LIMITED["start"]: "refused"}
    return next((refused[t] for t in page.texts if t in refused), "other"), page


async def wrong_code(url: str, address: str) -> str:
    """A page opened with a join code of no class: "unknown", or "refused" past the limit."""
    page = await open_session(url, "guess", f"join={_guess()}", address)
    said = {class_store.UNKNOWN: "unknown", class_store.LIMITED["wrong"]: "refused"}
    await page.close()
    return next((said[text] for text in page.texts if text in said), "other")


def _guess() -> str:
    return "".join(secrets.choice(class_store.ALPHABET) for _ in range(class_store.CODE_LENGTH))


async def flood(url: str, stop: asyncio.Event, tally: Counter, connections: int) -> None:
    """Starts and wrong codes from SCRIPT, ``connections`` at a time, a new session each."""

    async def one(number: int) -> None:
        while not stop.is_set():
            if number % 2:
                outcome, page = await start(url, SCRIPT)
                await page.close()
                tally[f"start {outcome}"] += 1
            else:
                tally[f"code {await wrong_code(url, SCRIPT)}"] += 1

    await asyncio.gather(*(one(number) for number in range(connections)))


async def run(url: str, students: int, spread: float, connections: int, lead: float) -> dict:
    teachers = []
    began = time.perf_counter()
    for _ in range(TEACHERS):  # the school's teachers, all within a minute
        outcome, page = await start(url, SCHOOL)
        if outcome != "started":
            raise RuntimeError(f"a teacher of the school was {outcome}: {page.texts[-3:]}")
        teachers.append(page)
    teachers_s = time.perf_counter() - began
    projector = teachers[0]
    (code,) = {text for text in projector.texts if CODE.fullmatch(text)}
    for page in teachers[1:]:
        await page.close()

    stop, tally = asyncio.Event(), Counter()
    flooding = asyncio.create_task(flood(url, stop, tally, connections))
    await asyncio.sleep(lead)  # the flood is at its limits before the class walks in
    began = time.perf_counter()
    phones = await walk_in(url, code, students, SCHOOL)
    joined_s = time.perf_counter() - began
    if any(not any("You are in" in text for text in phone.texts) for phone in phones):
        raise RuntimeError("a student of the school was refused")
    ballots = await votes_counted(projector, phones, spread)
    await tally_checked(projector, ballots)
    told = await revealed(projector, phones)
    stop.set()
    await flooding
    await projector.press("End class")
    await projector.press("Yes, end the class")
    for page in (projector, *phones):
        await page.close()
    if tally["start started"] > class_store.LIMITS["start", "address"]:
        raise RuntimeError(f"the flood started {tally['start started']} classes")
    if tally["code unknown"] > class_store.LIMITS["wrong", "address"]:
        raise RuntimeError(f"the flood tried {tally['code unknown']} wrong codes unrefused")
    counted = [ballot.counted for ballot in ballots]
    return {
        "students": students,
        "teachers_started": TEACHERS,
        "teachers_started_within_s": round(teachers_s, 1),
        "students_joined_within_s": round(joined_s, 1),
        "vote_to_tally_p50_s": round(statistics.median(counted), 3),
        "vote_to_tally_p95_s": round(percentile(counted, 0.95), 3),
        "reveal_to_phone_p95_s": round(percentile(told, 0.95), 2),
        "flood_starts": tally["start started"] + tally["start refused"],
        "flood_starts_refused": tally["start refused"],
        "flood_codes": tally["code unknown"] + tally["code refused"],
        "flood_codes_refused": tally["code refused"],
        "flood_other": sum(tally[key] for key in ("start other", "code other")),
    }


def measure(
    database: str, students: int = 200, spread: float = 5, connections: int = 4, lead: float = 10
) -> dict:
    """The flood beside a class of ``students``, on one app server whose store is ``database``;
    the flood begins ``lead`` seconds before the students walk in."""
    with class_server(database) as (server, alone):
        results = asyncio.run(run(server.url, students, spread, connections, lead))
    name = database.split(":", 1)[0].split("+")[0]
    return {"database": name, "server_own_core": alone, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database URL (default: PG* variables, else SQLite)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--spread", type=float, default=5, help="seconds over which they vote")
    parser.add_argument("--connections", type=int, default=4, help="the flood's, at once")
    options = parser.parse_args()
    postgres = any(map(os.environ.get, LIBPQ))
    with tempfile.TemporaryDirectory() as folder:
        url = options.url or ("postgresql+psycopg://" if postgres else f"sqlite:///{folder}/f.db")
        results = measure(url, options.students, options.spread, options.connections)
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

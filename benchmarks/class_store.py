"""A class of 200 on the class store alone: `python -m benchmarks.class_store [--url URL]`.

Every student is a thread that joins and votes at the same moment, a quarter change their
vote, and a teacher thread polls ``state`` and ``tally`` as the projector's page would.
SQLite (a fresh file) by default; PostgreSQL with ``--url`` or libpq's PG* variables.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from dashboard.class_store import ClassStore

LIBPQ = ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE")  # as pg_virtualenv sets
CHOICES = ("converges", "zig-zags in", "bounces for ever", "diverges")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def store_load(url: str, students: int = 200, poll_seconds: float = 1.0) -> dict:
    """Students join and vote at once through the store's API while a teacher polls.

    Vote to tally: from a student's ``vote`` returning (committed) to the end of the first
    teacher poll that began after it, which must count it. Raises if a poll misses a vote
    committed before it began, or if the final tally differs from the votes cast.
    """
    store = ClassStore.connect(url)
    code, teacher = store.start()
    store.ask(code, teacher, {"title": "benchmark"}, CHOICES, CHOICES[1], 0.5)
    together = threading.Barrier(students + 1)
    committed: list[tuple[float, int]] = []  # when a vote returned, and the student's number
    polls: list[tuple[float, float, int]] = []  # a poll's start and end, and the votes it saw
    done = threading.Event()

    def student(number: int) -> str:
        together.wait()
        key = store.join(code)
        choice = CHOICES[number % len(CHOICES)]
        store.vote(code, key, choice, bonus=number / students)
        committed.append((time.perf_counter(), number))  # list.append is atomic
        if number % 4 == 0:  # a quarter change their mind
            choice = CHOICES[(number + 1) % len(CHOICES)]
            store.vote(code, key, choice)
            committed.append((time.perf_counter(), number))
        return choice

    def teach() -> None:
        while True:
            last = done.is_set()  # one more poll after the last vote
            start = time.perf_counter()
            seen = store.state(code).votes
            store.tally(code)
            polls.append((start, time.perf_counter(), seen))
            if last:
                return
            done.wait(poll_seconds)

    poller = threading.Thread(target=teach)
    with ThreadPoolExecutor(students) as pool:
        futures = [pool.submit(student, number) for number in range(students)]
        poller.start()
        together.wait()
        began = time.perf_counter()
        cast = Counter(future.result() for future in futures)
    total = time.perf_counter() - began
    done.set()
    poller.join()
    tally = store.tally(code)
    store.end(code, teacher)
    store.engine.dispose()

    if tally.counts != ({choice: cast[choice] for choice in CHOICES},):
        raise RuntimeError(f"the tally {tally.counts} is not the votes cast {dict(cast)}")
    latencies = []
    for when, _ in committed:
        end = next((end for start, end, _ in polls if start >= when), None)
        latencies.append(end - when)
    for start, _, seen in polls:
        voters = {number for when, number in committed if when <= start}
        if seen < len(voters):
            raise RuntimeError(f"a poll saw {seen} votes after {len(voters)} had committed")
    durations = [end - start for start, end, _ in polls]
    return {
        "database": store.engine.dialect.name,
        "students": students,
        "votes": len(committed),
        "seconds": round(total, 3),
        "poll_every_s": poll_seconds,
        "vote_to_tally_p50_s": round(statistics.median(latencies), 3),
        "vote_to_tally_p95_s": round(percentile(latencies, 0.95), 3),
        "poll_ms_p50": round(statistics.median(durations) * 1000, 1),
        "poll_ms_p95": round(percentile(durations, 0.95) * 1000, 1),
        "polls": len(polls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database URL (default: PG* variables, else SQLite)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between teacher polls")
    options = parser.parse_args()
    postgres = any(map(os.environ.get, LIBPQ))
    with tempfile.TemporaryDirectory() as folder:
        url = options.url or ("postgresql+psycopg://" if postgres else f"sqlite:///{folder}/b.db")
        print(json.dumps(store_load(url, options.students, options.poll), indent=2))


if __name__ == "__main__":
    main()

"""Class mode on real app servers and a real PostgreSQL: two servers sharing one class, and a
database that goes away in the middle of a vote and comes back. The pages are real Streamlit
sessions on the servers' websockets, driven as a browser drives them (the benchmark's driver,
``benchmarks.class_sessions``), fragments and all."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

import tinynet
from class_support import CHOICES, QUESTION
from dashboard import class_store
from dashboard.harness import CODE, Session, free_port, open_session, run_apart, streamlit_server
from dashboard.views import classes
from tinynet.explain import ANSWERS
from tinynet.presets import PRESETS

SCHEMA = "tinynet_servers"
ASKED = PRESETS[0]  # the question the projector offers first
TRUTH = tinynet.verdict(tinynet.train(ASKED.settings)).outcome
WAIT = 60  # seconds for a page to show what it should: a phone looks every 3 s


# ---------------------------------------------------------------- pages, as a browser has them
async def until(page: Session, condition: object, what: str) -> None:
    try:
        await asyncio.wait_for(page.until(condition), WAIT)
    except TimeoutError:
        raise AssertionError(f"{page.name} did not show {what}: {page.texts[-5:]}") from None


def says(page: Session, words: str) -> bool:
    return any(words in text for text in page.texts)


async def start(url: str) -> tuple[Session, str]:
    projector = await open_session(url, "projector", "view=Teach")
    await projector.press("Start a class")
    (code,) = {text for text in projector.texts if CODE.fullmatch(text)}
    return projector, code


async def vote(phone: Session, choice: str, round_number: int = 1) -> None:
    """Wait for the round's buttons, tap ``choice``, and wait to be told the vote is in."""
    label = ANSWERS[choice]
    shown = "Round 2" if round_number == 2 else "What will the weight do?"
    await until(phone, lambda: label in phone.buttons and says(phone, shown), shown)
    phone.texts.clear()
    await phone.rerun(button=label)
    await until(phone, lambda: says(phone, "Your vote is in"), "that the vote is in")


def drawn_tally(projector: Session) -> list[dict[str, int]]:
    """The projector's votes chart as it last drew it: every round's bars, by answer (none
    before the chart is drawn)."""
    specs = map(json.loads, projector.charts[-3:])
    tallies = [spec for spec in specs if spec["data"][0].get("name") == "Round 1"]
    if not tallies:
        return []
    return [dict(zip(ANSWERS, trace["x"], strict=True)) for trace in tallies[-1]["data"]]


async def shows_tally(projector: Session, rounds: list[list[str]]) -> None:
    """Wait for the projector's chart to show exactly these votes, round by round. A live
    panel's tick can end just before the press's own run draws the chart, so the chart is
    waited for, not read at once."""
    expected = [counted(choices) for choices in rounds]
    await until(projector, lambda: drawn_tally(projector) == expected, f"the tally {expected}")


def counted(choices: list[str]) -> dict[str, int]:
    cast = Counter(choices)
    return {choice: cast[choice] for choice in ANSWERS}


async def close(pages: list[Session]) -> None:
    for page in pages:
        await page.close()


# ---------------------------------------------------------------- two servers, one class
def schema_url(server: str) -> str:
    """A fresh schema of the test server's database, as a URL the app servers can use."""
    engine = sa.create_engine(server)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()
    inside = sa.make_url(server).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return inside.render_as_string(hide_password=False)


async def one_class(teacher_url: str, phone_urls: list[str]) -> None:
    """The teacher on the first server, a phone on each of ``phone_urls``: two rounds, then
    the reveal; every count, tally and result exact."""
    projector, code = await start(teacher_url)
    phones = [
        await open_session(url, f"phone {number}", f"join={code}")
        for number, url in enumerate(phone_urls)
    ]
    await until(projector, lambda: projector.metrics.get("Students joined") == "6", "6 joined")
    await projector.press("Open voting")
    first = [list(ANSWERS)[number % 4] for number in range(len(phones))]
    await asyncio.gather(
        *(vote(phone, choice) for phone, choice in zip(phones, first, strict=True))
    )
    await until(projector, lambda: projector.metrics.get("Votes in") == "6 of 6", "6 votes")
    await projector.press("Close voting")
    await shows_tally(projector, [first])

    await projector.press("Vote again")
    second = [TRUTH if number % 3 else "stalls" for number in range(len(phones))]
    await asyncio.gather(
        *(vote(phone, choice, 2) for phone, choice in zip(phones, second, strict=True))
    )
    await projector.press("Close voting")
    await shows_tally(projector, [first, second])

    for phone in phones:
        phone.texts.clear()
    await projector.press("Reveal")
    for phone, choice in zip(phones, second, strict=True):
        verdict = "**Right" if choice == TRUTH else "**Not quite"
        await until(phone, lambda phone=phone, v=verdict: says(phone, v), verdict)
    await projector.press("End class")
    await projector.press("Yes, end the class")
    await close([projector, *phones])


def test_two_servers_share_one_class_through_postgresql(postgres, monkeypatch):
    monkeypatch.setenv("TINYNET_DATABASE_URL", schema_url(postgres))
    with streamlit_server() as first, streamlit_server() as second:
        urls = [first.url, second.url]
        run_apart(one_class(first.url, [urls[number % 2] for number in range(6)]))
    store = class_store.ClassStore.connect(os.environ["TINYNET_DATABASE_URL"])
    with store.engine.connect() as connection:  # the ended class left nothing behind
        assert not connection.scalar(sa.select(sa.func.count()).select_from(class_store.students))
    store.engine.dispose()


# ---------------------------------------------------------------- a database that goes away
@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL server of the test's own, which it can stop and start."""

    url: str
    stop: object
    start: object


@contextlib.contextmanager
def own_cluster(missing: Callable[[str, str], None]) -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port, run by
    the ``postgres`` user when the tests run as root (PostgreSQL refuses root); deleted after."""
    versions = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found = sorted(versions, key=lambda path: int(path.split("/")[4]))
    if not found:
        missing("PostgreSQL's server", "apt-get install -y postgresql")
    tools = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="tinynet-postgres-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        as_owner = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    port, data = free_port(), folder / "data"
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def control(*arguments: str) -> None:
        run = [*as_owner, str(tools / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
        subprocess.run([*run, *arguments], check=True, capture_output=True, timeout=60)

    try:
        subprocess.run(
            [
                *as_owner,
                str(tools / "initdb"),
                "-D",
                str(data),
                "-U",
                "tinynet",
                "-A",
                "trust",
                "-N",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        control("-w", "-o", options, "start")
        yield Cluster(
            url=f"postgresql+psycopg://tinynet@127.0.0.1:{port}/postgres",
            stop=lambda: control("-w", "-m", "immediate", "stop"),
            start=lambda: control("-w", "-o", options, "start"),
        )
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            control("-w", "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(postgres, missing) -> Iterator[Cluster]:  # PostgreSQL is installed: CI has it
    with own_cluster(missing) as running:
        yield running


@pytest.fixture
def fresh(cluster: Cluster) -> str:
    """The cluster, emptied of classes."""
    engine = sa.create_engine(cluster.url)
    class_store.metadata.drop_all(engine)
    engine.dispose()
    return cluster.url


def test_votes_told_in_stay_in_when_the_database_goes_away_and_comes_back(cluster, fresh):
    """Phones vote, each until it is told its vote is in, while the database stops and
    starts again under them: every phone is told in the end, and its vote is the tally's."""
    store = class_store.ClassStore.connect(fresh)
    code, teacher = store.start()
    keys = [store.join(code) for _ in range(40)]
    store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    refused, told = Counter(), {}
    halfway = threading.Barrier(len(keys) + 1)

    def phone(number: int) -> None:
        choice = CHOICES[number % 4]
        for attempt in range(1_000):
            if attempt == 1:
                halfway.wait()  # every phone has voted once; now the database goes
            try:
                store.vote(code, keys[number], choice, None, 1, 1)
            except class_store.StoreUnavailableError:
                refused[number] += 1
                threading.Event().wait(0.05)
                continue
            told[number] = choice
            if attempt:
                return

    with ThreadPoolExecutor(len(keys)) as pool:
        voting = [pool.submit(phone, number) for number in range(len(keys))]
        halfway.wait()
        cluster.stop()
        threading.Event().wait(1)
        cluster.start()
        for future in voting:
            future.result()
    assert refused and len(told) == len(keys)
    store.close_voting(code, teacher)
    assert store.tally(code).counts == (
        {choice: Counter(told.values())[choice] for choice in CHOICES},
    )
    store.engine.dispose()


async def outage(url: str, cluster: Cluster) -> None:
    projector, code = await start(url)
    phones = [await open_session(url, f"phone {number}", f"join={code}") for number in range(4)]
    await projector.press("Open voting")
    await vote(phones[0], "diverges")
    await vote(phones[1], "converges")
    await until(projector, lambda: projector.metrics.get("Votes in") == "2 of 4", "2 votes")

    for page in (projector, *phones):
        page.texts.clear()
    await asyncio.to_thread(cluster.stop)
    for page in (projector, *phones):  # each says so, and keeps looking
        await until(page, lambda page=page: says(page, classes.UNREACHABLE), "the outage")
    phones[2].texts.clear()
    await phones[2].rerun(button=ANSWERS["stalls"])  # refused: the phone is not told it is in
    await until(phones[2], lambda: says(phones[2], class_store.UNAVAILABLE), "the refusal")
    assert not says(phones[2], "Your vote is in")

    await asyncio.to_thread(cluster.start)
    await until(projector, lambda: projector.metrics.get("Votes in") == "2 of 4", "the count")
    await vote(phones[2], "stalls")
    await vote(phones[3], "stalls")
    await until(projector, lambda: projector.metrics.get("Votes in") == "4 of 4", "4 votes")
    await projector.press("Close voting")
    await shows_tally(projector, [["diverges", "converges", "stalls", "stalls"]])
    await close([projector, *phones])


def test_pages_wait_for_a_database_that_went_away_and_the_class_goes_on(
    cluster, fresh, monkeypatch
):
    monkeypatch.setenv("TINYNET_DATABASE_URL", fresh)
    with streamlit_server() as server:
        run_apart(outage(server.url, cluster))

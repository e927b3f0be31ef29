"""The class store, the same tests on each database it supports: SQLite and PostgreSQL."""

from __future__ import annotations

import math
import os
import random
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from class_support import CHOICES, QUESTION
from dashboard import class_store
from dashboard.class_store import (
    ClassError,
    ClassStore,
    Client,
    InputError,
    LimitError,
    NotTeacherError,
    PhaseError,
    StoreUnavailableError,
    UnknownClassError,
)
from dashboard.harness import free_port

SCHEMA = "tinynet_test"  # each PostgreSQL test gets it afresh; nothing else is touched
NEXT_WEIGHT = 0.4372519  # a number that appears nowhere else
HOSTILE = [
    "",
    " ",
    "<script>alert(1)</script>",
    "x" * 10_000,
    "%00",
    "\x00",
    "K7X\x00QM",
    "' OR '1'='1",
    "'; DROP TABLE tinynet_classes; --",
    "\ud800",
    None,
    7,
    1.5,
    True,
    b"K7XQ2M",
    ["K7XQ2M"],
    {"code": "K7XQ2M"},
]


class Clock:
    """The store's time, which a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: os.PathLike) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/classes.db"
    server = request.getfixturevalue("postgres")
    engine = sa.create_engine(server)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()
    inside = sa.make_url(server).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return inside.render_as_string(hide_password=False)


@pytest.fixture
def stores(url: str) -> Iterator[Callable[..., ClassStore]]:
    """Makes stores on the test's database (as app processes would) and closes them."""
    made, clock = [], Clock()  # one time for every store, as for processes on one machine

    def make(url: str = url) -> ClassStore:
        made.append(ClassStore.connect(url, clock=clock))
        return made[-1]

    yield make
    for store in made:
        store.engine.dispose()


@pytest.fixture
def store(stores: Callable[..., ClassStore]) -> ClassStore:
    return stores()


@pytest.fixture
def asked(store: ClassStore) -> tuple[str, str, list[str]]:
    """A class of three students with a question asked: its code, teacher key, student keys."""
    code, teacher = store.start()
    pupils = [store.join(code) for _ in range(3)]
    store.ask(code, teacher, QUESTION, CHOICES, "zig-zags in", NEXT_WEIGHT)
    return code, teacher, pupils


def rows(store: ClassStore) -> dict[str, int]:
    """The rows of classes, students and votes."""
    with store.engine.connect() as connection:
        count = sa.select(sa.func.count()).select_from
        return {
            table.name: connection.scalar(count(table))
            for table in (class_store.classes, class_store.students, class_store.votes)
        }


def test_a_class_runs_from_start_to_end(store, asked):
    code, teacher, (ada, bob, cy) = asked
    assert store.resume(teacher) == code
    state = store.state(code)
    assert (state.phase, state.question_number, state.round_number) == ("voting", 1, 1)
    assert (state.question, state.choices, state.asks_bonus) == (QUESTION, CHOICES, True)
    assert (state.students, state.votes) == (3, 0)

    store.vote(code, ada, "converges", 0.3)
    store.vote(code, bob, "converges")
    store.vote(code, cy, "diverges", -2)
    store.close_voting(code, teacher)
    store.vote_again(code, teacher)
    assert store.my_vote(code, ada) is None  # nothing yet in round 2
    store.vote(code, ada, "zig-zags in", 0.44)
    store.vote(code, bob, "zig-zags in")
    store.close_voting(code, teacher)
    tally = store.tally(code)
    assert tally.counts == (
        {"converges": 2, "zig-zags in": 0, "bounces for ever": 0, "diverges": 1},
        {"converges": 0, "zig-zags in": 2, "bounces for ever": 0, "diverges": 0},
    )
    assert tally.bonuses == ((-2.0, 0.3), (0.44,))

    store.reveal(code, teacher)
    state = store.state(code)
    assert (state.phase, state.answer, state.next_weight) == (
        "revealed",
        "zig-zags in",
        NEXT_WEIGHT,
    )
    assert store.my_vote(code, ada) == class_store.Vote("zig-zags in", 0.44, 2)
    assert store.my_vote(code, cy) == class_store.Vote("diverges", -2.0, 1)  # their last vote

    store.next_question(code, teacher)
    state = store.state(code)
    assert (state.phase, state.question, state.choices, state.votes) == ("waiting", None, (), 0)
    assert store.tally(code).counts == () and rows(store)["tinynet_votes"] == 0
    store.end(code, teacher)
    with pytest.raises(UnknownClassError):
        store.state(code)
    assert store.resume(teacher) is None
    assert rows(store) == {"tinynet_classes": 0, "tinynet_students": 0, "tinynet_votes": 0}


def test_join_codes_are_typeable_and_keys_are_stored_only_hashed(store):
    together = threading.Barrier(20)

    def start(_: int) -> tuple[str, str]:
        together.wait()  # teachers start at once: no code twice, no "database is locked"
        return store.start()

    with ThreadPoolExecutor(20) as pool:
        started = list(pool.map(start, range(20)))
    codes = {code for code, _ in started}
    assert len(codes) == 20
    assert all(
        len(code) == 6 and set(code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for code in codes
    )
    code, teacher = started[0]
    pupil = store.join(f"  {code.lower()} ")  # as typed on a phone
    with store.engine.connect() as connection:
        stored = repr(
            [connection.execute(sa.select(t)).all() for t in class_store.metadata.sorted_tables]
        )
    assert code in stored and teacher not in stored and pupil not in stored


def test_the_answer_stays_hidden_until_the_reveal(store, asked):
    code, teacher, (ada, *_) = asked
    steps = [
        lambda: store.vote(code, ada, "zig-zags in", NEXT_WEIGHT),
        lambda: store.close_voting(code, teacher),
        lambda: store.vote_again(code, teacher),
        lambda: store.close_voting(code, teacher),
    ]
    for step in steps:
        step()
        state = store.state(code)
        assert state.answer is None and state.next_weight is None
        assert str(NEXT_WEIGHT) not in repr(state)
    store.reveal(code, teacher)
    assert store.state(code).answer == "zig-zags in"


def test_a_student_who_rejoins_keeps_their_seat_and_vote(store, asked):
    code, _, (ada, *_) = asked
    store.vote(code, ada, "diverges")
    assert store.join(code, ada) == ada
    assert store.state(code).students == 3
    assert store.my_vote(code, ada).choice == "diverges"
    other, _ = store.start()
    assert store.join(other, ada) != ada  # a key from another class: a new seat, a new key


def test_a_new_vote_replaces_the_old_one(store, asked):
    code, _, (ada, *_) = asked
    for choice in ("converges", "diverges", "bounces for ever"):
        store.vote(code, ada, choice, 1.0)
    assert store.state(code).votes == 1
    assert store.tally(code).counts[0]["bounces for ever"] == 1
    assert sum(store.tally(code).counts[0].values()) == 1
    assert store.tally(code).bonuses == ((1.0,),)


def test_200_students_join_and_vote_at_once_and_none_is_lost_or_doubled(store):
    code, teacher = store.start()
    students = 200
    together = threading.Barrier(students)

    def join(_: int) -> str:
        together.wait()
        return store.join(code)

    with ThreadPoolExecutor(students) as pool:
        keys = list(pool.map(join, range(students)))
    assert len(set(keys)) == students == store.state(code).students
    store.ask(code, teacher, QUESTION, CHOICES, "converges", None)

    def vote(number: int) -> str:
        """Every student votes; every third changes their mind at once."""
        together.wait()
        store.vote(code, keys[number], CHOICES[number % 4])
        if number % 3 == 0:
            store.vote(code, keys[number], CHOICES[(number + 1) % 4])
            return CHOICES[(number + 1) % 4]
        return CHOICES[number % 4]

    with ThreadPoolExecutor(students) as pool:
        cast = Counter(pool.map(vote, range(students)))
    assert store.tally(code).counts == ({choice: cast[choice] for choice in CHOICES},)
    assert store.state(code).votes == students == rows(store)["tinynet_votes"]


def test_stores_made_at_once_make_the_tables_once(stores):
    together = threading.Barrier(4)

    def make(_: int) -> ClassStore:
        together.wait()
        return stores()

    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(make, range(4)))
    code, _ = made[0].start()
    assert all(store.state(code).phase == "waiting" for store in made)


def test_only_the_teacher_runs_the_class(store, asked):
    code, teacher, (ada, *_) = asked
    other_code, other_teacher = store.start()
    steps = ["close_voting", "vote_again", "reveal", "next_question", "end"]
    for key in (ada, secrets.token_urlsafe(32), other_teacher):
        for step in steps:
            with pytest.raises(NotTeacherError):
                getattr(store, step)(code, key)
        with pytest.raises(NotTeacherError):
            store.ask(code, key, QUESTION, CHOICES, "converges", None)
    assert store.resume(ada) is None and store.resume(other_teacher) == other_code
    assert store.state(code).phase == "voting"
    with pytest.raises(UnknownClassError):
        store.close_voting("K7XQ2M" if code != "K7XQ2M" else "K7XQ2N", teacher)


def test_steps_out_of_turn_are_refused(store, asked):
    code, teacher, (ada, *_) = asked
    for step in ("vote_again", "reveal"):
        with pytest.raises(PhaseError):
            getattr(store, step)(code, teacher)
    with pytest.raises(PhaseError):
        store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    store.close_voting(code, teacher)
    with pytest.raises(PhaseError, match="Voting is not open"):
        store.vote(code, ada, "converges")
    store.vote_again(code, teacher)
    with pytest.raises(PhaseError):  # a page still showing question 0
        store.vote(code, ada, "converges", question_number=0)
    store.vote(code, ada, "converges", question_number=1)
    with pytest.raises(UnknownClassError, match="join it again"):
        store.vote(code, secrets.token_urlsafe(16), "converges")
    store.next_question(code, teacher)
    with pytest.raises(PhaseError):
        store.close_voting(code, teacher)


def test_a_class_nobody_joined_ends_within_minutes_and_an_idle_one_within_an_hour(store, asked):
    assert class_store.MAX_EMPTY <= 15 * 60 and class_store.MAX_IDLE <= 3600
    code, teacher, (ada, *_) = asked
    store.vote(code, ada, "converges")  # the last touch of a class with students
    empty, empty_teacher = store.start()
    store.clock.now += class_store.MAX_EMPTY - 1
    assert store.state(empty).students == 0
    store.clock.now += 2
    with pytest.raises(UnknownClassError):  # ended at once, before anything deletes it
        store.state(empty)
    assert store.resume(empty_teacher) is None
    store.clock.now += class_store.MAX_IDLE - class_store.MAX_EMPTY - 2
    assert store.state(code).votes == 1  # students have joined: it waits for its teacher
    store.clock.now += 2
    with pytest.raises(UnknownClassError):
        store.state(code)
    assert store.resume(teacher) is None
    assert store.expire() == 2
    assert rows(store) == {"tinynet_classes": 0, "tinynet_students": 0, "tinynet_votes": 0}
    store.start()  # start deletes the ended classes itself
    store.clock.now += class_store.MAX_EMPTY + 1
    store.start()
    assert rows(store)["tinynet_classes"] == 1


def test_a_class_its_teachers_page_still_shows_never_ends(store):
    code, teacher = store.start()  # nobody has joined, and nobody will for hours
    for _ in range(4 * 3600 // 30):  # four hours of talk; the page looks every 30 s
        store.clock.now += 30
        store.seen(code, teacher)
    assert store.state(code).phase == "waiting"
    store.expire()
    assert store.state(code).students == 0
    pupil = store.join(code)
    store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    store.vote(code, pupil, "converges")
    with pytest.raises(NotTeacherError):
        store.seen(code, pupil)
    store.clock.now += class_store.MAX_IDLE + 1  # the page has gone, and nobody touched it
    with pytest.raises(UnknownClassError):
        store.seen(code, teacher)


def test_open_classes_scale_with_the_database_and_are_bounded(store, monkeypatch):
    dialect = store.engine.dialect.name
    assert class_store.MAX_CLASSES[dialect] >= 2_000
    monkeypatch.setitem(class_store.MAX_CLASSES, dialect, 5)  # the same check, sooner
    started = [store.start() for _ in range(5)]
    with pytest.raises(LimitError, match="Too many classes"):
        store.start()
    store.end(*started[0])
    store.start()


def test_a_class_of_200_fits_and_students_are_bounded(store):
    code, _ = store.start()
    assert class_store.MAX_STUDENTS >= 200
    for _ in range(class_store.MAX_STUDENTS):
        store.join(code)
    with pytest.raises(LimitError, match="full"):
        store.join(code)
    assert store.state(code).students == class_store.MAX_STUDENTS


def test_questions_and_rounds_are_bounded(store, asked, monkeypatch):
    code, teacher, _ = asked
    store.close_voting(code, teacher)
    store.vote_again(code, teacher)
    store.close_voting(code, teacher)
    with pytest.raises(LimitError, match="2 rounds"):
        store.vote_again(code, teacher)
    monkeypatch.setattr(class_store, "MAX_QUESTIONS", 3)
    for _ in range(2):
        store.next_question(code, teacher)
        store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    store.next_question(code, teacher)
    with pytest.raises(LimitError, match="3 questions"):
        store.ask(code, teacher, QUESTION, CHOICES, "converges", None)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_codes_and_keys_get_a_plain_message(store, asked, value):
    code, teacher, (ada, *_) = asked
    attempts = [
        lambda: store.join(value),
        lambda: store.join(code, value if value is not None else "%00"),  # None: a new seat
        lambda: store.state(value),
        lambda: store.tally(value),
        lambda: store.resume(value),
        lambda: store.my_vote(code, value),
        lambda: store.vote(value, ada, "converges"),
        lambda: store.vote(code, value, "converges"),
        lambda: store.vote(code, ada, value),
        lambda: store.close_voting(code, value),
        lambda: store.end(value, teacher),
    ]
    for attempt in attempts:
        with pytest.raises(ClassError) as refused:
            attempt()
        message = str(refused.value)  # plain words, never an echo of the input
        assert len(message) < 200 and "<" not in message and "\x00" not in message
        assert not isinstance(value, str) or len(value) < 3 or value not in message
    assert store.state(code).votes == 0 and store.state(code).phase == "voting"


@pytest.mark.parametrize(
    "bonus", [math.nan, math.inf, -math.inf, 1e16, -1e16, 10**400, True, "1.5", "NaN", [1.0]]
)
def test_a_bonus_guess_is_a_finite_number_in_range(store, asked, bonus):
    code, _, (ada, *_) = asked
    with pytest.raises(InputError, match="number"):
        store.vote(code, ada, "converges", bonus)
    store.vote(code, ada, "converges", -1e15)
    assert store.my_vote(code, ada).bonus == -1e15


def test_a_question_and_its_choices_are_bounded(store):
    code, teacher = store.start()
    deep: dict = {}
    for _ in range(10_000):
        deep = {"inner": deep}
    wrong = [
        (QUESTION, (), "converges", None),
        (QUESTION, ("converges",), "converges", None),
        (QUESTION, ("converges", "converges"), "converges", None),
        (QUESTION, tuple("abcdefghi"), "a", None),
        (QUESTION, "converges", "c", None),  # a string is not a tuple of choices
        (QUESTION, ("x" * 201, "y"), "y", None),
        (QUESTION, ("a\x00", "b"), "b", None),
        (QUESTION, CHOICES, "none of them", None),
        (QUESTION, CHOICES, "converges", math.nan),
        (QUESTION, CHOICES, "converges", "0.5"),
        ({"title": "x" * 10_000}, CHOICES, "converges", None),
        ({"alpha": math.nan}, CHOICES, "converges", None),
        ({"run": object()}, CHOICES, "converges", None),
        (deep, CHOICES, "converges", None),
        ("What will the weight do?", CHOICES, "converges", None),
    ]
    for question, choices, answer, weight in wrong:
        with pytest.raises(InputError):
            store.ask(code, teacher, question, choices, answer, weight)
    store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    with pytest.raises(InputError, match="no bonus"):
        store.vote(code, store.join(code), "converges", 0.5)


def test_quotes_and_markup_are_kept_as_text_never_run(store):
    code, teacher = store.start()
    choices = ("'; DROP TABLE tinynet_votes; --", "<b>bold</b>", 'say "hi"')
    question = {"title": "' OR 1=1 --", "note": "\x00%00"}
    store.ask(code, teacher, question, choices, choices[0], None)
    pupil = store.join(code)
    store.vote(code, pupil, choices[0])
    state = store.state(code)
    assert (state.question, state.choices) == (question, choices)
    assert store.tally(code).counts[0][choices[0]] == 1


def unreachable(url: str, tmp_path: os.PathLike) -> str:
    if url.startswith("sqlite"):
        (tmp_path / "a-file").write_text("")
        return f"sqlite:///{tmp_path}/a-file/classes.db"  # its folder cannot be made
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/postgres?connect_timeout=5"


def test_a_database_that_cannot_be_reached_is_unavailable(url, tmp_path):
    with pytest.raises(StoreUnavailableError, match="cannot be reached or written") as fault:
        ClassStore.connect(unreachable(url, tmp_path))
    assert isinstance(fault.value.__cause__, sa.exc.SQLAlchemyError | OSError)


def test_a_database_that_cannot_be_written_is_unavailable(store, stores, asked, url):
    code, teacher, (ada, *_) = asked
    if url.startswith("sqlite"):
        read_only = url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    else:
        read_only = sa.make_url(url).update_query_dict(
            {"options": f"-csearch_path={SCHEMA} -cdefault_transaction_read_only=on"}
        )
        read_only = read_only.render_as_string(hide_password=False)
    frozen = stores(read_only)
    assert frozen.state(code).phase == "voting"  # reading still works
    for write in (
        frozen.start,
        lambda: frozen.join(code),
        lambda: frozen.vote(code, ada, "converges"),
    ):
        with pytest.raises(StoreUnavailableError):
            write()
    store.close_voting(code, teacher)  # and the database is whole


def test_the_default_database_is_an_sqlite_file_made_where_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("TINYNET_DATABASE_URL", raising=False)
    assert class_store.default_url().startswith(
        "sqlite:///"
    ) and class_store.default_url().endswith(".db")
    url = f"sqlite:///{tmp_path}/new/folder/classes.db"
    monkeypatch.setenv("TINYNET_DATABASE_URL", url)
    assert class_store.default_url() == url
    store = ClassStore.connect(class_store.default_url())
    code, _ = store.start()
    assert store.state(code).phase == "waiting" and (tmp_path / "new/folder/classes.db").exists()
    store.engine.dispose()


# ---------------------------------------------------------------- limits per client
SCHOOL = "203.0.113.7"  # one address for a whole school (a documentation address)


def clients(count: int, address: str | None = SCHOOL) -> list[Client]:
    """Browser sessions of their own, behind one address."""
    return [Client(session=secrets.token_urlsafe(16), address=address) for _ in range(count)]


def test_a_school_behind_one_address_never_meets_a_limit(store):
    """20 teachers start classes within a minute; 200 students join one of them within a
    minute, 20 of them mistyping the code first; they all vote, in both rounds."""
    started = []
    for teacher in clients(20):
        store.clock.now += 2.5
        started.append(store.start(teacher))
    code, teacher = started[0]
    keys = []
    for number, student in enumerate(clients(200)):
        store.clock.now += 0.3
        if number % 10 == 0:
            with pytest.raises(UnknownClassError):
                store.join("K7XQ2M" if code != "K7XQ2M" else "K7XQ2N", client=student)
        keys.append(store.join(code, client=student))
    assert store.state(code).students == 200
    store.ask(code, teacher, QUESTION, CHOICES, "converges", None)
    for key in keys:
        store.vote(code, key, "converges", question_number=1, round_number=1)
    assert store.tally(code).counts == ({**dict.fromkeys(CHOICES, 0), "converges": 200},)


def test_starts_are_limited_per_session_and_per_address(store):
    flood, *others = clients(8, address="198.51.100.66")
    kept = store.start(Client(session="a teacher", address=SCHOOL))
    allowed = class_store.LIMITS["start", "session"]
    for _ in range(allowed):
        store.start(flood)
    with pytest.raises(LimitError) as refused:
        store.start(flood)
    assert str(refused.value) == class_store.LIMITED["start"]
    made = allowed
    with pytest.raises(LimitError, match="wait 11 minutes"):  # new sessions, one address
        for other in others:
            for _ in range(allowed):
                store.start(other)
                made += 1
    assert made == class_store.LIMITS["start", "address"]
    store.start(Client(session="another teacher", address=SCHOOL))  # other addresses start
    assert store.state(kept[0]).phase == "waiting"  # and nothing is lost for those already in
    store.clock.now += class_store.WINDOW / 2  # the window slides: half of it counts still
    with pytest.raises(LimitError):
        store.start(others[-1])
    store.clock.now += class_store.WINDOW + class_store.PERIOD  # 11 minutes after it
    store.start(flood)


def test_no_ten_minutes_ever_hold_more_attempts_than_the_limit(store):
    """A burst at the end of a counter's period still counts whole after it: a window that
    guessed the burst spread evenly over its period would let half as many again through
    five minutes later."""
    flood = clients(1, address="198.51.100.66")[0]
    window = class_store.WINDOW
    store.clock.now = (store.clock.now // window + 1) * window - 1  # ends a period of each
    for _ in range(class_store.LIMITS["start", "session"]):
        store.start(flood)
    for _ in range(class_store.WINDOW // 60 - 1):  # a minute at a time, nine times
        store.clock.now += 60
        with pytest.raises(LimitError):
            store.start(flood)


def test_classes_open_from_one_address_are_bounded(store, monkeypatch):
    monkeypatch.setattr(class_store, "OPEN_PER_ADDRESS", 3)
    started = [store.start(teacher) for teacher in clients(3)]
    with pytest.raises(LimitError, match="end one, then start yours"):
        store.start(clients(1)[0])
    store.start(clients(1, address="198.51.100.1")[0])
    store.end(*started[0])
    store.start(clients(1)[0])


def test_wrong_codes_are_limited_and_then_no_code_tells_right_from_wrong(store, asked):
    code, _, (ada, *_) = asked
    wrong = "K7XQ2M" if code != "K7XQ2M" else "K7XQ2N"
    guesser = Client(session="a script", address="198.51.100.66")
    for _ in range(class_store.LIMITS["wrong", "session"]):
        with pytest.raises(UnknownClassError):
            store.join(wrong, client=guesser)
    for guess in (wrong, code):  # the right code gets the same refusal: it reveals nothing
        with pytest.raises(LimitError) as refused:
            store.join(guess, client=guesser)
        assert str(refused.value) == class_store.LIMITED["wrong"]
    with pytest.raises(InputError):  # a malformed code is no guess: told so, not counted
        store.join("K7X", client=guesser)
    store.vote(code, ada, "diverges")  # those already in carry on
    store.join(code, client=Client(session="a student", address=SCHOOL))
    made = class_store.LIMITS["wrong", "session"]
    with pytest.raises(LimitError):  # new sessions, one address
        for script in clients(100, address="198.51.100.66"):
            for _ in range(class_store.LIMITS["wrong", "session"]):
                with pytest.raises(UnknownClassError):
                    store.join(wrong, client=script)
                made += 1
    assert made == class_store.LIMITS["wrong", "address"]
    store.clock.now += 2 * class_store.WINDOW
    store.join(code, client=guesser)
    assert store.state(code).votes == 1


def test_fake_joins_cannot_fill_a_class(store, monkeypatch):
    assert 200 <= class_store.SEATS_PER_ADDRESS < class_store.MAX_STUDENTS
    monkeypatch.setattr(class_store, "SEATS_PER_ADDRESS", 4)  # the same checks, sooner
    monkeypatch.setattr(class_store, "MAX_STUDENTS", 6)
    code, _ = store.start()
    for script in clients(4, address="198.51.100.66"):
        store.join(code, client=script)
    with pytest.raises(LimitError, match="4 students from one network"):
        store.join(code, client=clients(1, address="198.51.100.66")[0])
    for student in clients(2):
        store.join(code, client=student)
    with pytest.raises(LimitError, match="full"):
        store.join(code, client=clients(1, address="192.0.2.1")[0])
    phone = Client(session="one phone")
    others = [store.start()[0] for _ in range(class_store.LIMITS["join", "session"])]
    kept = [store.join(other, client=phone) for other in others]
    with pytest.raises(LimitError) as refused:
        store.join(store.start()[0], client=phone)
    assert str(refused.value) == class_store.LIMITED["join"]
    assert store.join(others[0], kept[0], client=phone) == kept[0]  # a kept seat is no join


# ---------------------------------------------------------------- votes racing the teacher
def test_a_vote_counts_in_the_round_it_was_cast_in_or_is_refused(store):
    """Phones vote as fast as they can on the question and round they last saw, while the
    teacher opens voting, closes it, opens round 2, closes it and moves on, question after
    question. Each bonus guess says the question, round, phone and attempt it was cast in:
    each round's tally must hold exactly the last vote each phone was told is in."""
    code, teacher = store.start()
    phones = 6
    keys = [store.join(code) for _ in range(phones)]
    confirmed: dict[tuple[int, int, int], tuple[str, float]] = {}  # question, round, phone
    refused: Counter = Counter()
    accepted: Counter = Counter()
    tallies: dict[int, class_store.Tally] = {}
    done = threading.Event()

    def phone(number: int) -> None:
        """Taps every millisecond or so on what the page shows, which is up to 20 ms old."""
        chance = random.Random(number)  # noqa: S311 (a test's own pace)
        attempt, shown, looked = 0, store.state(code), time.monotonic()
        while not done.is_set():
            time.sleep(chance.uniform(0, 0.002))
            if time.monotonic() - looked > chance.uniform(0, 0.02):
                shown, looked = store.state(code), time.monotonic()
            if shown.phase != "voting":
                continue
            attempt += 1
            question, round_number = shown.question_number, shown.round_number
            choice = CHOICES[attempt % len(CHOICES)]
            bonus = question * 100_000 + round_number * 10_000 + number * 100 + attempt % 100
            try:
                store.vote(code, keys[number], choice, bonus, question, round_number)
            except class_store.LateVoteError:
                refused["late"] += 1
                continue
            except PhaseError:
                refused["closed"] += 1
                continue
            confirmed[question, round_number, number] = choice, bonus
            accepted["votes"] += 1

    def tapped() -> int:
        return accepted["votes"] + refused.total()

    def teach(questions: int) -> None:
        """Each step after the phones tapped a few times more: thousands of taps in all."""
        pause = random.Random(17).uniform  # noqa: S311 (a test's own pace)
        for question in range(1, questions + 1):
            store.ask(code, teacher, QUESTION, CHOICES, "converges", NEXT_WEIGHT)
            for step in (store.close_voting, store.vote_again, store.close_voting):
                since, deadline = tapped(), time.monotonic() + 5
                while step == store.close_voting and tapped() < since + 12:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.001)
                time.sleep(pause(0, 0.005))
                step(code, teacher)
            tallies[question] = store.tally(code)
            store.next_question(code, teacher)

    with ThreadPoolExecutor(phones + 1) as pool:
        voting = [pool.submit(phone, number) for number in range(phones)]
        try:
            teach(50)
        finally:
            done.set()
        for future in voting:
            future.result()
    for question, tally in tallies.items():
        for round_number in (1, 2):
            cast = [
                vote
                for (asked, voted_in, _), vote in confirmed.items()
                if (asked, voted_in) == (question, round_number)
            ]
            counted = Counter(choice for choice, _ in cast)
            assert tally.counts[round_number - 1] == {c: counted[c] for c in CHOICES}
            assert tally.bonuses[round_number - 1] == tuple(sorted(b for _, b in cast))
    outcomes = (refused["late"], refused["closed"], accepted["votes"])
    assert tapped() >= 1_200 and min(outcomes) >= 10, outcomes  # races, and of each kind


def test_tables_of_an_older_version_are_made_afresh(url):
    """Classes last an hour at most: an upgrade starts with empty tables of the new shape."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE tinynet_classes (id INTEGER PRIMARY KEY, code VARCHAR(6) NOT NULL)"
        )
        connection.exec_driver_sql("INSERT INTO tinynet_classes VALUES (1, 'K7XQ2M')")
    engine.dispose()
    store = ClassStore.connect(url)
    code, _ = store.start(Client(session="a teacher", address=SCHOOL))
    store.join(code, client=Client(session="a student", address=SCHOOL))
    assert store.state(code).students == 1 and rows(store)["tinynet_classes"] == 1
    store.engine.dispose()


def test_a_postgresql_server_that_never_answers_is_given_up_on(monkeypatch):
    """A port that takes the connection and says nothing: the store gives up after its
    connect timeout, rather than leaving a page waiting for ever."""
    monkeypatch.setattr(class_store, "CONNECT_TIMEOUT", 2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        began = time.monotonic()
        with pytest.raises(StoreUnavailableError):
            ClassStore.connect(f"postgresql+psycopg://nobody@127.0.0.1:{silent.getsockname()[1]}/x")
    assert time.monotonic() - began < 10

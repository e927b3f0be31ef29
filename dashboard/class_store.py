"""The class store of class mode: join codes, students and votes, in SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tinynet.training import checked_number

# Everything a browser or a script can send is bounded, and so is the database: at most
# MAX_CLASSES * (1 + MAX_STUDENTS * (1 + ROUNDS)) rows, whatever a script does in a loop.
MAX_CLASSES = {"sqlite": 2_000, "postgresql": 20_000}  # open at once: one file, or a server
MAX_STUDENTS = 300  # per class: a class of 200 fits
MAX_QUESTIONS = 100  # per class
ROUNDS = 2  # per question: vote, discuss, vote again
# A class ends when nothing has touched it for MAX_IDLE seconds, or for MAX_EMPTY while nobody
# has joined it. The teacher's page touches it every SEEN_EVERY seconds at most, in every phase
# (``seen``): a class on a projector never ends, however long the talk between questions.
MAX_IDLE = 3600
MAX_EMPTY = 600
SEEN_EVERY = 60
# Limits per client, which a script meets and a class never does. A client is a browser
# session, or a network address where the server knows it: a whole school may share one, so
# that 20 teachers starting classes and 200 students joining one, within a minute, fit.
WINDOW = 600  # seconds: no span of this long holds more attempts than a limit
PERIOD = 60  # seconds a counter's row covers: the last WINDOW // PERIOD rows and the current
LIMITS = {  # attempts per WINDOW, by action and kind of client
    ("start", "session"): 10,
    ("start", "address"): 60,
    ("join", "session"): 10,  # new seats; a seat kept by its key is not a join
    ("wrong", "session"): 10,  # join codes of no open class
    ("wrong", "address"): 300,
}
OPEN_PER_ADDRESS = 100  # classes open at once, started from one address
SEATS_PER_ADDRESS = 250  # seats of one class taken from one address: fewer than MAX_STUDENTS
MAX_CHOICES = 8  # per question, and at least 2
MAX_CHOICE = 200  # characters of a choice
MAX_QUESTION = 10_000  # characters of a question as JSON
MAX_NUMBER = 1e15  # the largest |weight| of a bonus guess or of the true next weight
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O or 1/I/L to misread
CODE_LENGTH = 6  # 31**6: about 9e8 codes
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")  # the store's own keys have 22 and 43 characters
PHASES = {  # what a class is doing, as a teacher who tries the wrong step is told
    "waiting": "no question is asked",
    "voting": "voting is open",
    "closed": "voting is closed",
    "revealed": "the answer is revealed",
}
UNKNOWN = "No open class has this code: check it with your teacher (idle classes end)."
UNAVAILABLE = "The class database cannot be reached or written right now; try again in a moment."
LIMITED = {  # a refusal at a limit per client, by action: what happened and what to do
    "start": "Many classes were started from here lately: wait 11 minutes, then start yours.",
    "join": "This browser joined many classes lately: wait 11 minutes, then join yours.",
    "wrong": "Many wrong class codes came from here lately: wait 11 minutes, then type yours.",
}
LATE = "Your vote came after that round closed, so it did not count: vote again now."

metadata = sa.MetaData()
classes = sa.Table(
    "tinynet_classes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(CODE_LENGTH), nullable=False, unique=True),
    sa.Column("teacher", sa.String(64), nullable=False, unique=True),  # SHA-256 of the key
    sa.Column("phase", sa.String(8), nullable=False, default="waiting"),
    sa.Column("question_number", sa.Integer, nullable=False, default=0),
    sa.Column("round_number", sa.Integer, nullable=False, default=0),
    sa.Column("question", sa.Text),  # JSON
    sa.Column("choices", sa.Text),  # JSON
    sa.Column("answer", sa.Text),
    sa.Column("next_weight", sa.Float),
    sa.Column("touched", sa.Float, nullable=False, index=True),  # time.time() of the last write
    sa.Column("client", sa.String(64), index=True),  # the SHA-256 of the starter's address
)
students = sa.Table(
    "tinynet_students",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.ForeignKey(classes.c.id, ondelete="CASCADE"), nullable=False),
    sa.Column("key", sa.String(64), nullable=False),  # SHA-256 of the key
    sa.Column("client", sa.String(64)),  # the SHA-256 of the joiner's address
    sa.UniqueConstraint("class_id", "key"),
    sa.Index("tinynet_students_by_client", "class_id", "client"),
)
votes = sa.Table(
    "tinynet_votes",
    metadata,
    # The primary key is the rule: one vote per student per round.
    sa.Column("student_id", sa.ForeignKey(students.c.id, ondelete="CASCADE"), primary_key=True),
    sa.Column("round_number", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.ForeignKey(classes.c.id, ondelete="CASCADE"), nullable=False),
    sa.Column("choice", sa.Text, nullable=False),
    sa.Column("bonus", sa.Float),
    sa.Index("tinynet_votes_by_round", "class_id", "round_number"),
)
attempts = sa.Table(
    "tinynet_attempts",
    metadata,
    # One counter per client, action and PERIOD: rows of the last WINDOW and a PERIOD only.
    sa.Column("client", sa.String(64), primary_key=True),  # SHA-256 of the session or address
    sa.Column("action", sa.String(8), primary_key=True),  # "start", "join" or "wrong"
    sa.Column("period", sa.Integer, primary_key=True),  # time.time() // PERIOD
    sa.Column("made", sa.Integer, nullable=False),
)
UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# A connection found dead (the database restarted) is replaced before use. A process keeps
# up to 30 connections: at a reveal, every phone's session reads at once; a page waits at
# most 30 seconds for one, then says the database cannot be reached.
ENGINE = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20, "pool_timeout": 30}
CONNECT_TIMEOUT = 5  # seconds, for PostgreSQL: a server that does not answer is down


class ClassError(ValueError):
    """A refusal to show as it is: ``str(error)`` is a plain sentence for the user."""


class UnknownClassError(ClassError):
    """No open class has this code (unknown, ended or expired), or the student is not in it."""


class NotTeacherError(ClassError):
    """The key given does not run this class."""


class PhaseError(ClassError):
    """The step does not fit what the class is doing, such as a vote when voting is closed."""


class InputError(ClassError):
    """Input of the wrong type, length or range."""


class LimitError(ClassError):
    """A bound is reached: classes open at once, students in a class, questions or rounds,
    or a client's attempts."""


class LateVoteError(PhaseError):
    """A vote for a round that is no longer open, while another one is: the page should show
    the class as it is now, for the student to vote again."""


class StoreUnavailableError(RuntimeError):
    """The database cannot be reached or written; the cause is chained, for the logs."""


@dataclass(frozen=True)
class ClassState:
    """What a page may show of a class: the answer and next weight only once revealed."""

    code: str
    phase: str  # one of PHASES
    question_number: int  # 0 before the first question
    round_number: int  # 1 or 2 while a question is asked, else 0
    question: dict[str, Any] | None
    choices: tuple[str, ...]
    asks_bonus: bool
    students: int
    votes: int  # in the current round
    answer: str | None
    next_weight: float | None


@dataclass(frozen=True)
class Client:
    """Who asks, for the limits per client: a browser session's own name, and the network
    address the server saw, where it knows one (the store keeps only their hashes)."""

    session: str | None = None
    address: str | None = None

    def counters(self, action: str) -> list[tuple[str, int]]:
        """The counters an attempt at ``action`` adds to, with their limits per WINDOW."""
        named = {"session": self.session, "address": self.address}
        return [
            (_name(kind, name), LIMITS[action, kind])
            for kind, name in named.items()
            if name is not None and (action, kind) in LIMITS
        ]

    def network(self) -> str | None:
        return None if self.address is None else _name("address", self.address)


@dataclass(frozen=True)
class Vote:
    choice: str
    bonus: float | None
    round_number: int


@dataclass(frozen=True)
class Tally:
    """The current question's votes, one entry per round so far."""

    choices: tuple[str, ...]
    counts: tuple[dict[str, int], ...]  # every choice, 0 when nobody chose it
    bonuses: tuple[tuple[float, ...], ...]  # the guesses, sorted


def default_url() -> str:
    """``TINYNET_DATABASE_URL``, or else an SQLite file in the system's temporary folder."""
    path = Path(tempfile.gettempdir()) / "tinynet" / "classes.db"
    return os.environ.get("TINYNET_DATABASE_URL") or f"sqlite:///{path}"


class ClassStore:
    """Every class in one database, shared by all sessions: each method is one short
    transaction, so that any number of threads may call it at once."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], float] = time.time) -> None:
        """Make the tables if missing (StoreUnavailableError if the database is down).
        ``clock`` gives the time in seconds; tests move it."""
        if engine.dialect.name not in UPSERTS:
            wrong = f"Class mode runs on SQLite or PostgreSQL, not {engine.name}."
            raise StoreUnavailableError(wrong)
        self.engine, self.clock, self.upsert = engine, clock, UPSERTS[engine.dialect.name]
        if engine.dialect.name == "sqlite" and not sa.event.contains(engine, "begin", _begin):
            sa.event.listen(engine, "connect", _configure)
            sa.event.listen(engine, "begin", _begin)
            engine.dispose()  # connections made before the hooks would lack them
        if not sa.event.contains(engine, "do_connect", _timeout):
            sa.event.listen(engine, "do_connect", _timeout)
        with self._transaction(write=True) as connection:
            _one_at_a_time(connection)  # two processes starting at once make the tables once
            made = sa.inspect(connection).get_columns(classes.name) if _has(connection) else []
            if made and "client" not in {column["name"] for column in made}:
                # Tables of an older version: classes last an hour, so they start afresh.
                metadata.drop_all(connection)
            metadata.create_all(connection)

    @classmethod
    def connect(cls, url: str, clock: Callable[[], float] = time.time) -> ClassStore:
        """A store on the database at ``url``, making an SQLite file's folder if missing."""
        try:
            parsed = sa.make_url(url)
            file = parsed.database or ":memory:"
            # Not for ":memory:", nor for an SQLite URI ("file:..."), which sets its own rules.
            if parsed.get_backend_name() == "sqlite" and not file.startswith((":", "file:")):
                Path(file).parent.mkdir(parents=True, exist_ok=True)
            # SQLite in memory has a connection per thread, and no pool to size.
            memory = parsed.get_backend_name() == "sqlite" and file == ":memory:"
            engine = sa.create_engine(parsed, **({"pool_pre_ping": True} if memory else ENGINE))
        except (sa.exc.SQLAlchemyError, OSError, ImportError) as error:
            raise StoreUnavailableError(UNAVAILABLE) from error
        return cls(engine, clock)

    @contextlib.contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sa.Connection]:
        """One transaction; a database fault comes out as StoreUnavailableError."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(tinynet_write=write)
                with connection.begin():
                    yield connection
        except sa.exc.SQLAlchemyError as error:
            raise StoreUnavailableError(UNAVAILABLE) from error

    def _live(self) -> sa.ColumnElement[bool]:
        """Touched within MAX_EMPTY, or within MAX_IDLE once a student has joined."""
        now = self.clock()
        joined = sa.exists().where(students.c.class_id == classes.c.id)
        return sa.or_(
            classes.c.touched >= now - MAX_EMPTY,
            sa.and_(classes.c.touched >= now - MAX_IDLE, joined),
        )

    def _class(self, connection: sa.Connection, code: str) -> sa.Row:
        found = connection.execute(sa.select(classes).where(classes.c.code == code, self._live()))
        return _found(found.first())

    def _touched(self, connection: sa.Connection, code: str) -> sa.Row | None:
        """The class, marked active and locked until the transaction ends: the writers of a
        class queue here, so what they check (phase, counts) stays true until they commit."""
        query = sa.update(classes).where(classes.c.code == code, self._live())
        return connection.execute(query.values(touched=self.clock()).returning(*classes.c)).first()

    def _touch(self, connection: sa.Connection, code: str, teacher: str | None = None) -> sa.Row:
        """The class, touched and locked (``_touched``), checking the teacher's key if given."""
        row = _found(self._touched(connection, code))
        if teacher is not None and not hmac.compare_digest(row.teacher, teacher):
            raise NotTeacherError("Only the teacher who started this class can do that.")
        return row

    def _attempted(self, connection: sa.Connection, action: str, client: Client) -> None:
        """Count an attempt at ``action`` for each of the client's counters, or raise
        LimitError (its transaction rolled back, uncounted) if that takes one past its
        limit (see ``_attempts``). The counter's row queues attempts of one client."""
        period = int(self.clock() // PERIOD)
        for client_name, limit in client.counters(action):
            made = self.upsert(attempts).values(
                client=client_name, action=action, period=period, made=1
            )
            made = made.on_conflict_do_update(
                index_elements=[attempts.c.client, attempts.c.action, attempts.c.period],
                set_={"made": attempts.c.made + 1},
            )
            connection.execute(made)
            if _attempts(connection, client_name, action, period) > limit:
                raise LimitError(LIMITED[action])

    def _refused(self, connection: sa.Connection, action: str, client: Client) -> bool:
        """Whether one more attempt at ``action`` would take a counter past its limit."""
        period = int(self.clock() // PERIOD)
        return any(
            _attempts(connection, client_name, action, period) + 1 > limit
            for client_name, limit in client.counters(action)
        )

    @contextlib.contextmanager
    def _teacher(
        self, code: str, teacher_key: str, *phases: str
    ) -> Iterator[tuple[sa.Connection, sa.Row]]:
        """A teacher's step from one of ``phases``: its transaction, and the class before it."""
        code, teacher = _code(code), _digest(teacher_key, "A teacher key")
        with self._transaction(write=True) as connection:
            row = self._touch(connection, code, teacher)
            if row.phase not in phases:
                raise PhaseError(f"That is not possible now: {PHASES[row.phase]}.")
            yield connection, row

    @staticmethod
    def _set(connection: sa.Connection, row: sa.Row, **values: Any) -> None:
        connection.execute(sa.update(classes).where(classes.c.id == row.id).values(**values))

    def start(self, client: Client = Client()) -> tuple[str, str]:
        """A new class: its join code, and the teacher's key (the store keeps only its hash).
        LimitError past a limit: the client's starts, the classes open from its address, or
        all the classes open at once."""
        self.expire()
        teacher_key = secrets.token_urlsafe(32)
        network = client.network()
        with self._transaction(write=True) as connection:
            _one_at_a_time(connection)
            self._attempted(connection, "start", client)
            if network is not None and _open(connection, classes.c.client == network) >= (
                OPEN_PER_ADDRESS
            ):
                raise LimitError(
                    f"{OPEN_PER_ADDRESS} classes are open from here: end one, then start yours."
                )
            if _open(connection) >= MAX_CLASSES[connection.dialect.name]:
                raise LimitError("Too many classes are open at the moment: try again later.")
            code = _new_code()
            while connection.scalar(sa.select(classes.c.id).where(classes.c.code == code)):
                code = _new_code()
            teacher = _digest(teacher_key, "A teacher key")
            connection.execute(
                sa.insert(classes).values(
                    code=code, teacher=teacher, touched=self.clock(), client=network
                )
            )
        return code, teacher_key

    def resume(self, teacher_key: str) -> str | None:
        """The code of the open class that this teacher key runs, if any."""
        teacher = _digest(teacher_key, "A teacher key")
        with self._transaction() as connection:
            query = sa.select(classes.c.code).where(classes.c.teacher == teacher, self._live())
            return connection.scalar(query)

    def seen(self, code: str, teacher_key: str) -> None:
        """The teacher's page still shows the class: its heartbeat, in every phase, which
        keeps the class open however long nobody votes. It writes once a SEEN_EVERY at most."""
        code, teacher = _code(code), _digest(teacher_key, "A teacher key")
        with self._transaction() as connection:
            row = self._class(connection, code)
        if not hmac.compare_digest(row.teacher, teacher):
            raise NotTeacherError("Only the teacher who started this class can do that.")
        if row.touched < self.clock() - SEEN_EVERY:
            with self._transaction(write=True) as connection:
                self._touch(connection, code, teacher)

    def join(
        self,
        code: str,
        student_key: str | None = None,
        client: Client = Client(),
    ) -> str:
        """A seat in the class and its key; the key a browser kept keeps its seat. Refused
        (LimitError) past the client's limits of joins and of wrong codes, whether the code
        is right or not, and when the class is full, for everyone or for the client's address."""
        code = _code(code)
        kept = None if student_key is None else _digest(student_key, "A student key")
        network = client.network()
        with self._transaction(write=True) as connection:
            row = self._touched(connection, code)
            if row is None:
                self._attempted(connection, "wrong", client)  # the error comes once committed
            elif kept and _count(connection, students, row.id, students.c.key == kept):
                return student_key
            else:
                if self._refused(connection, "wrong", client):
                    raise LimitError(LIMITED["wrong"])
                self._attempted(connection, "join", client)
                if _count(connection, students, row.id) >= MAX_STUDENTS:
                    raise LimitError(
                        f"This class is full with {MAX_STUDENTS} students: "
                        "ask your teacher to start a second one."
                    )
                mine = students.c.client == network
                if network and _count(connection, students, row.id, mine) >= SEATS_PER_ADDRESS:
                    raise LimitError(
                        f"This class takes {SEATS_PER_ADDRESS} students from one network: "
                        "ask your teacher to start a second one."
                    )
                key = secrets.token_urlsafe(16)
                seat = {"class_id": row.id, "key": _digest(key, ""), "client": network}
                connection.execute(sa.insert(students).values(**seat))
        if row is None:
            raise UnknownClassError(UNKNOWN)
        return key

    def ask(
        self,
        code: str,
        teacher_key: str,
        question: dict[str, Any],
        choices: tuple[str, ...],
        answer: str,
        next_weight: float | None,
    ) -> None:
        """Pose a question (the app's JSON-able dict) and open its first round of voting.
        ``answer`` is the right choice; ``next_weight`` None when there is no bonus guess."""
        if not isinstance(choices, tuple | list) or not 2 <= len(choices) <= MAX_CHOICES:
            raise InputError(f"A question needs 2 to {MAX_CHOICES} choices.")
        choices = tuple(_text(choice, MAX_CHOICE, "A choice") for choice in choices)
        if len(set(choices)) < len(choices) or answer not in choices:
            raise InputError("The choices must differ, and the answer must be one of them.")
        try:
            asked = json.dumps(question, allow_nan=False) if isinstance(question, dict) else ""
        except (TypeError, ValueError, RecursionError):
            asked = ""
        if not 0 < len(asked) <= MAX_QUESTION:
            raise InputError(f"A question is a dict of at most {MAX_QUESTION} characters of JSON.")
        weight = None if next_weight is None else _number(next_weight, "The next weight")
        posed = dict(question=asked, choices=json.dumps(choices), answer=answer, next_weight=weight)
        with self._teacher(code, teacher_key, "waiting") as (connection, row):
            if row.question_number >= MAX_QUESTIONS:
                raise LimitError(f"A class asks at most {MAX_QUESTIONS} questions.")
            number = row.question_number + 1
            self._set(
                connection, row, phase="voting", question_number=number, round_number=1, **posed
            )

    def close_voting(self, code: str, teacher_key: str) -> None:
        with self._teacher(code, teacher_key, "voting") as (connection, row):
            self._set(connection, row, phase="closed")

    def vote_again(self, code: str, teacher_key: str) -> None:
        """Open the next round on the same question, after the class has discussed it."""
        with self._teacher(code, teacher_key, "closed") as (connection, row):
            if row.round_number >= ROUNDS:
                raise LimitError(f"A question has at most {ROUNDS} rounds of voting.")
            self._set(connection, row, phase="voting", round_number=row.round_number + 1)

    def reveal(self, code: str, teacher_key: str) -> None:
        with self._teacher(code, teacher_key, "closed") as (connection, row):
            self._set(connection, row, phase="revealed")

    def next_question(self, code: str, teacher_key: str) -> None:
        """Back to waiting for a question; the last question's votes are deleted."""
        with self._teacher(code, teacher_key, "voting", "closed", "revealed") as (connection, row):
            connection.execute(sa.delete(votes).where(votes.c.class_id == row.id))
            unposed = dict.fromkeys(("question", "choices", "answer", "next_weight"))
            self._set(connection, row, phase="waiting", round_number=0, **unposed)

    def end(self, code: str, teacher_key: str) -> None:
        """End the class: its rows, students and votes are deleted."""
        with self._teacher(code, teacher_key, *PHASES) as (connection, row):
            connection.execute(sa.delete(classes).where(classes.c.id == row.id))

    def vote(
        self,
        code: str,
        student_key: str,
        choice: str,
        bonus: float | None = None,
        question_number: int | None = None,
        round_number: int | None = None,
    ) -> None:
        """Vote in the current round, replacing this student's earlier vote in it. A page
        gives the question and round it showed: the vote counts only while that round is
        open (LateVoteError when another round is open, to vote again; PhaseError when none)."""
        code, student = _code(code), _digest(student_key, "A student key")
        choice = _text(choice, MAX_CHOICE, "A choice")
        bonus = None if bonus is None else _number(bonus, "A bonus guess")
        with self._transaction(write=True) as connection:
            row = self._touch(connection, code)
            if row.phase != "voting":
                raise PhaseError("Voting is not open right now.")
            if question_number not in (None, row.question_number) or round_number not in (
                None,
                row.round_number,
            ):
                raise LateVoteError(LATE)
            if choice not in json.loads(row.choices):
                raise InputError("That is not one of this question's choices.")
            if bonus is not None and row.next_weight is None:
                raise InputError("This question asks for no bonus guess.")
            seat = students.c.class_id == row.id, students.c.key == student
            student_id = connection.scalar(sa.select(students.c.id).where(*seat))
            if student_id is None:
                raise UnknownClassError("You are not in this class: join it again with its code.")
            ballot = self.upsert(votes).values(
                student_id=student_id, round_number=row.round_number, class_id=row.id
            )
            ballot = ballot.values(choice=choice, bonus=bonus)
            again = {"choice": ballot.excluded.choice, "bonus": ballot.excluded.bonus}
            key = [votes.c.student_id, votes.c.round_number]
            connection.execute(ballot.on_conflict_do_update(index_elements=key, set_=again))

    def state(self, code: str) -> ClassState:
        """The class as a page shows it (the answer and next weight None until revealed)."""
        code = _code(code)
        with self._transaction() as connection:
            row = self._class(connection, code)
            joined = _count(connection, students, row.id)
            voted = _count(connection, votes, row.id, votes.c.round_number == row.round_number)
        revealed = row.phase == "revealed"
        return ClassState(
            code=row.code,
            phase=row.phase,
            question_number=row.question_number,
            round_number=row.round_number,
            question=None if row.question is None else json.loads(row.question),
            choices=tuple(json.loads(row.choices or "[]")),
            asks_bonus=row.next_weight is not None,
            students=joined,
            votes=voted,
            answer=row.answer if revealed else None,
            next_weight=row.next_weight if revealed else None,
        )

    def my_vote(self, code: str, student_key: str) -> Vote | None:
        """This student's vote in the current round; after the reveal, their last vote."""
        code, student = _code(code), _digest(student_key, "A student key")
        with self._transaction() as connection:
            row = self._class(connection, code)
            mine = connection.execute(
                sa.select(votes.c.choice, votes.c.bonus, votes.c.round_number)
                .join(students, students.c.id == votes.c.student_id)
                .where(students.c.class_id == row.id, students.c.key == student)
                .order_by(votes.c.round_number.desc())
            ).first()
        if mine is None or (row.phase != "revealed" and mine.round_number != row.round_number):
            return None
        return Vote(mine.choice, mine.bonus, mine.round_number)

    def tally(self, code: str) -> Tally:
        """The current question's votes per choice and its bonus guesses, round by round."""
        code = _code(code)
        with self._transaction() as connection:
            row = self._class(connection, code)
            query = sa.select(votes.c.round_number, votes.c.choice, votes.c.bonus)
            found = connection.execute(query.where(votes.c.class_id == row.id)).all()
        choices = tuple(json.loads(row.choices or "[]"))
        counts = [dict.fromkeys(choices, 0) for _ in range(row.round_number)]
        bonuses: list[list[float]] = [[] for _ in range(row.round_number)]
        for round_number, choice, bonus in found:
            counts[round_number - 1][choice] += 1
            if bonus is not None:
                bonuses[round_number - 1].append(bonus)
        return Tally(choices, tuple(counts), tuple(tuple(sorted(b)) for b in bonuses))

    def expire(self) -> int:
        """Delete the classes that have ended (see ``_live``), with their students and votes,
        and the counters of attempts older than a WINDOW; say how many classes. ``start``
        calls it, so that no cron job is needed."""
        with self._transaction(write=True) as connection:
            old = attempts.c.period < int(self.clock() // PERIOD) - WINDOW // PERIOD
            connection.execute(sa.delete(attempts).where(old))
            return connection.execute(sa.delete(classes).where(sa.not_(self._live()))).rowcount

    def check(self) -> None:
        """Nothing, if the database answers; else StoreUnavailableError."""
        with self._transaction() as connection:
            connection.execute(sa.select(1))


def _configure(dbapi_connection: Any, _record: Any) -> None:
    """SQLite for many threads: WAL lets readers run beside the writer, a writer waits for
    the lock instead of failing, and SQLAlchemy, not the sqlite3 module, emits BEGIN."""
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA busy_timeout = 30000")
    for attempt in range(100):  # switching a new file to WAL says "locked" at once, not waiting
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")  # with WAL: no fsync per commit
    dbapi_connection.execute("PRAGMA foreign_keys = ON")  # deleting a class deletes its rows


def _begin(connection: sa.Connection) -> None:
    # A writer takes the write lock at BEGIN: one that read first and then wanted to write
    # could find another writer ahead and fail with "database is locked", whatever the timeout.
    write = connection.get_execution_options().get("tinynet_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _timeout(dialect: sa.Dialect, _record: Any, _arguments: Any, options: dict) -> None:
    """A connection's time limit, unless its URL sets one: SQLite waits for its lock instead."""
    if dialect.name == "postgresql":
        options.setdefault("connect_timeout", CONNECT_TIMEOUT)


def _has(connection: sa.Connection) -> bool:
    return sa.inspect(connection).has_table(classes.name)


def _one_at_a_time(connection: sa.Connection) -> None:
    """Hold one lock until the transaction ends, so that the transactions that call this
    run one at a time (on SQLite, BEGIN IMMEDIATE already makes every writer wait its turn)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(7461747)"))


def _count(connection: sa.Connection, table: sa.Table, class_id: int, *where: Any) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    return connection.scalar(query.where(table.c.class_id == class_id, *where))


def _open(connection: sa.Connection, *where: Any) -> int:
    return connection.scalar(sa.select(sa.func.count()).select_from(classes).where(*where))


def _attempts(connection: sa.Connection, client: str, action: str, period: int) -> int:
    """A client's attempts at ``action`` in every PERIOD that a WINDOW ending now overlaps,
    counted whole: no span of WINDOW seconds ever holds more than a limit, and a client
    refused waits WINDOW seconds, and at most a PERIOD more."""
    mine = attempts.c.client == client, attempts.c.action == action
    recent = attempts.c.period >= period - WINDOW // PERIOD
    query = sa.select(sa.func.coalesce(sa.func.sum(attempts.c.made), 0)).where(*mine, recent)
    return int(connection.scalar(query))


def _found(row: sa.Row | None) -> sa.Row:
    if row is None:
        raise UnknownClassError(UNKNOWN)
    return row


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _code(value: object) -> str:
    """A join code as typed: in any case, with spaces around it."""
    code = value.strip().upper() if isinstance(value, str) and len(value) <= 64 else ""
    if len(code) != CODE_LENGTH or not set(code) <= set(ALPHABET):
        raise InputError(f"A class code is {CODE_LENGTH} letters and digits, like K7XQ2M.")
    return code


def _name(kind: str, name: object) -> str:
    """A client's name as the store keeps it: the SHA-256 of its kind and name."""
    name = _text(name, 200, f"A client's {kind}")
    return hashlib.sha256(f"{kind}:{name}".encode()).hexdigest()


def _digest(key: object, what: str) -> str:
    """A key's SHA-256: the database never holds a key itself."""
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise InputError(f"{what} is not valid here.")
    return hashlib.sha256(key.encode()).hexdigest()


def _text(value: object, limit: int, what: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= limit or not value.isprintable():
        raise InputError(f"{what} must be printable text of 1 to {limit} characters.")
    return value


def _number(value: object, what: str) -> float:
    """A finite float within MAX_NUMBER; not a bool, a string, NaN or an infinity."""
    try:
        return checked_number(what, value, -MAX_NUMBER, MAX_NUMBER)
    except ValueError:
        raise InputError(
            f"{what} must be a number from {-MAX_NUMBER:g} to {MAX_NUMBER:g}."
        ) from None

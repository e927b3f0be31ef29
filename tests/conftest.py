"""Shared fixtures: the article's logs and its JavaScript, a real app server, a real browser,
and the rules for tests that need a tool from outside Python or take minutes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.harness import CHROMIUM, ROOT, chromium, streamlit_server

REFERENCE = ROOT / "tests" / "reference"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LIBPQ = ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE")  # as pg_virtualenv sets


def _missing(what: str, how: str) -> None:
    """Skip for a missing tool on a developer's machine; in CI, fail instead."""
    message = f"{what} is not installed: {how}"
    if IN_CI:
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow(why): minutes long; runs in CI, or here with TINYNET_SLOW=1"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``slow`` runs in CI, or on a developer's machine when asked for."""
    slow = item.get_closest_marker("slow")
    if slow and not IN_CI and not os.environ.get("TINYNET_SLOW"):
        why = slow.args[0] if slow.args else "a long test"
        pytest.skip(f"{why}: runs in CI, or here with TINYNET_SLOW=1")


@pytest.fixture(scope="session")
def missing() -> Callable[[str, str], None]:
    """``missing(what, how)``: skip for a tool this machine lacks; in CI, fail."""
    return _missing


@pytest.fixture(scope="session")
def article_logs() -> dict[str, list[str]]:
    """The console output printed in the article, by experiment."""
    logs: dict[str, list[str]] = {}
    name = None
    for line in (REFERENCE / "article_logs.txt").read_text().splitlines():
        if line.startswith("["):
            name = line.strip("[]")
            logs[name] = []
        elif line.startswith("iteration") and name:
            logs[name].append(line)
    return logs


@pytest.fixture(scope="session")
def javascript() -> object:
    """Runs the article's programs in Node.js: ``javascript(list_of_settings)``."""
    node = shutil.which("node")
    if node is None:
        _missing("Node.js", "apt-get install -y nodejs")

    def run(settings: list[dict]) -> list[dict]:
        done = subprocess.run(
            [node, str(REFERENCE / "article.js")],
            input=json.dumps(settings),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return json.loads(done.stdout)

    return run


@pytest.fixture(scope="session")
def postgres() -> str:
    """A PostgreSQL server's URL: TINYNET_TEST_POSTGRES_URL, or libpq's PG* variables
    (which pg_virtualenv sets). None found: skip here, fail in CI."""
    how = (
        "run the tests inside `pg_virtualenv` (postgresql-common) or set TINYNET_TEST_POSTGRES_URL"
    )
    url = os.environ.get("TINYNET_TEST_POSTGRES_URL")
    if not url and any(map(os.environ.get, LIBPQ)):
        url = "postgresql+psycopg://"  # an empty host: psycopg reads the PG* variables
    if not url:
        _missing("a PostgreSQL server", how)
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect():
            pass
        engine.dispose()
    except (sa.exc.SQLAlchemyError, ImportError) as error:
        _missing("a PostgreSQL server", f"{how} (none answered at {url}: {error})")
    return url


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    with streamlit_server() as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _missing("Chromium", "apt-get update && apt-get install -y chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("Playwright", "pip install -r requirements-dev.txt")
    with chromium() as launched:
        yield launched

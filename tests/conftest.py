"""Shared fixtures: the JavaScript reference, a real app server, and a real browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_FLAGS, ROOT, streamlit_server

REFERENCE = ROOT / "tests" / "reference"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str, how: str) -> None:
    """Skip for a missing tool on a developer's machine; in CI, fail instead."""
    message = f"{what} is not installed: {how}"
    if IN_CI:
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


def only_in_ci(what: str) -> None:
    """Skip a long test on a developer's machine unless asked for; CI always runs it."""
    if not IN_CI and not os.environ.get("TINYNET_SLOW"):
        pytest.skip(f"{what}: runs in CI, or here with TINYNET_SLOW=1")


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
        missing("Node.js", "apt-get install -y nodejs")

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
def app_url() -> Iterator[str]:
    with streamlit_server() as server:
        yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        missing("Chromium", "apt-get update && apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright", "pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()

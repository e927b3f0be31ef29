"""The README's run command on a new machine: a clean virtual environment from
requirements.txt alone, `streamlit run app.py`, and a browser that sees the charts."""

from __future__ import annotations

import subprocess
import urllib.request
import venv
from pathlib import Path

import pytest

from dashboard.harness import ROOT, streamlit_server, wait_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow("installs every requirement into a new environment"),
]


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fresh")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements.txt"],
        check=True,
        timeout=900,
    )
    return python


def test_requirements_alone_run_the_app_and_draw_its_charts(fresh_python, browser):
    found = subprocess.run([fresh_python, "-c", "import pytest"], capture_output=True, check=False)
    assert found.returncode != 0  # nothing of the test tools leaked into the environment
    with streamlit_server(python=str(fresh_python)) as server:
        with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as answer:
            assert answer.read() == b"ok"
        page = browser.new_page()
        try:
            page.goto(server.url)
            wait_drawn(page, timeout=120_000)
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.locator("[data-testid=stPlotlyChart] g.trace").count() > 0
        finally:
            page.close()

"""The code stays as the project's style asks: ruff-clean and ruff-formatted."""

import subprocess
import sys

from dashboard.harness import ROOT


def test_ruff_finds_nothing_to_complain_about():
    subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "."], cwd=ROOT, check=True)


def test_ruff_would_not_reformat_anything():
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--quiet", "."], cwd=ROOT, check=True
    )

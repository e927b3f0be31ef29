"""tinynet is the model and its words: numpy and the standard library, nothing of the app.
What it imports is what pyproject.toml declares, and `pip install .` gives a working package."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from dashboard.harness import ROOT

PACKAGE = ROOT / "tinynet"
APP_ONLY = {"streamlit", "plotly", "sqlalchemy", "pandas", "psycopg", "segno", "dashboard"}


def imported(path: Path) -> set[str]:
    """The top-level names of every module a file imports (relative imports aside)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def declared() -> set[str]:
    """The distributions pyproject.toml says the package needs, by name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        requirement.split(">")[0].split("<")[0].split("=")[0].strip()
        for requirement in project["dependencies"]
    }


def test_tinynet_imports_only_numpy_and_the_standard_library():
    for path in sorted(PACKAGE.glob("*.py")):
        outside = imported(path) - set(sys.stdlib_module_names) - {"tinynet", "numpy"}
        assert not outside, f"{path.name} imports {sorted(outside)}"


def test_every_dependency_declared_is_used_and_every_one_used_is_declared():
    used = set().union(*map(imported, PACKAGE.glob("*.py")))
    assert used - set(sys.stdlib_module_names) - {"tinynet"} == declared() == {"numpy"}


def test_importing_tinynet_loads_nothing_of_the_app():
    found = subprocess.run(
        [sys.executable, "-c", "import sys, tinynet; print(' '.join(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {name.split(".")[0] for name in found.stdout.split()}
    assert "tinynet" in loaded and "numpy" in loaded
    assert not loaded & APP_ONLY


@pytest.mark.slow("installs the package into a new environment")
def test_pip_install_gives_a_package_that_trains(tmp_path):
    home = tmp_path / "fresh"
    venv.create(home, with_pip=True)
    python = str(home / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(ROOT)], check=True, timeout=900)
    script = (
        "import tinynet\n"
        "run = tinynet.train('gradient_descent', weight=0.5, data=3, target=4, iterations=20)\n"
        "assert run.errors[16] == 0 and run.final_weight == 4 / 3, run\n"
        "print(tinynet.verdict(run).headline)\n"
    )
    done = subprocess.run(  # from elsewhere: the installed package, not the source folder
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "Converged"
    for app_only in ("plotly", "streamlit", "sqlalchemy"):
        missing = subprocess.run([python, "-c", f"import {app_only}"], capture_output=True)
        assert missing.returncode != 0, f"{app_only} came with the package"


def test_the_readmes_example_runs_and_its_comments_are_true():
    """Each line of the README's Python example that ends in a comment starting with a value
    evaluates to that value."""
    readme = (ROOT / "README.md").read_text()
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    names: dict[str, object] = {}
    checked = 0
    for line in example.splitlines():
        code, _, comment = line.partition("  # ")
        said = re.match(r"(\S+?)(?::|\s|$)", comment.strip())
        try:
            value = ast.literal_eval(said.group(1)) if said else None
        except (ValueError, SyntaxError):
            value = None
        if value is None or "=" in code or code.startswith(("import", "print")):
            exec(line, names)  # noqa: S102 - the project's own README
            continue
        assert eval(code, names) == value, line  # noqa: S307 - the project's own README
        checked += 1
    assert checked >= 3

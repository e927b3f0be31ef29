"""What the app trusts: nothing a visitor sends is run, unpickled or rendered as HTML, and a
deployment shows no stack traces."""

from __future__ import annotations

import ast
import shutil
import tomllib
from pathlib import Path

import pytest

from dashboard.harness import IDLE, ROOT, streamlit_server
from tinynet.line import MAX_BYTES

APP = [ROOT / "app.py", *sorted((ROOT / "dashboard" / "views").glob("*.py"))]
# Everything the deployed app runs. Not the harness, which starts servers for the tests.
SOURCES = [
    *APP,
    *sorted(set((ROOT / "dashboard").glob("*.py")) - {ROOT / "dashboard" / "harness.py"}),
    *sorted((ROOT / "tinynet").glob("*.py")),
]
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "getattr_static"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "subprocess"}
FORBIDDEN_OS = {"system", "popen", "spawnl", "spawnv", "execv", "execl", "fork", "startfile"}


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in SOURCES]


@pytest.mark.parametrize(("path", "tree"), _trees(), ids=lambda value: getattr(value, "name", ""))
def test_nothing_is_evaluated_unpickled_or_shelled_out(path, tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
            assert not FORBIDDEN_MODULES & {name.split(".")[0] for name in names}, path.name
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert not (node.value.id == "os" and node.attr in FORBIDDEN_OS), path.name


def _constant(node: ast.expr) -> bool:
    """An upper-case name, or a module's upper-case name: a constant of the app's own."""
    if isinstance(node, ast.Attribute):
        return node.attr.isupper()
    return isinstance(node, ast.Name) and node.id.isupper()


@pytest.mark.parametrize("path", APP, ids=lambda path: path.name)
def test_html_and_scripts_are_only_ever_the_apps_own_constants(path):
    """What runs or renders as HTML is written in the source, never built from a value:
    every ``st.html`` body and every component's script is a constant."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            pytest.fail(f"unsafe_allow_html at line {node.value.lineno}")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "html":
            (argument,) = node.args
            assert _constant(argument), ast.unparse(node)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "component":
            scripts = [keyword.value for keyword in node.keywords if keyword.arg in {"js", "html"}]
            assert scripts and all(map(_constant, scripts)), ast.unparse(node)


def test_the_deployment_settings_are_safe():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    # The one upload, lesson 2's points: as large as tinynet reads (MB), and no larger.
    assert config["server"]["maxUploadSize"] * 1_000_000 <= MAX_BYTES * 1.05
    assert config["server"]["enableStaticServing"] is False
    assert config["client"]["showErrorDetails"] in {"none", "type"}
    assert config["browser"]["gatherUsageStats"] is False


@pytest.mark.browser
def test_a_failure_shows_no_stack_trace_to_a_viewer(browser, tmp_path):
    shutil.copytree(ROOT / ".streamlit", tmp_path / ".streamlit")
    script = tmp_path / "app.py"
    script.write_text('raise RuntimeError("the secret inner workings")\n')
    with streamlit_server(script=script, cwd=tmp_path) as server:
        page = browser.new_page()
        try:
            page.goto(server.url)
            page.wait_for_selector("[data-testid=stException]", timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            shown = page.locator("[data-testid=stException]").inner_text()
            assert "secret inner workings" not in shown and "Traceback" not in shown
            assert "app.py" not in shown
        finally:
            page.close()

"""The README's promises about how to run things hold, and so do the layout's rules: the
generated package never imports the client, the client compiles no code at run time, and the
hand-written modules stay small."""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "overlay" / "vonage_conversation"
GENERATED = ROOT / "generated" / "vonage_conversation_api"
#: What the pipeline writes into the client package (never edited by hand).
WRITTEN = (CLIENT / "_generated", CLIENT / "_sync")


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert first_block is not None
    assert text.index("```sh") < text.index("\n## "), "the commands come before any section"
    return [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]


def test_readme_begins_with_the_main_job_and_the_test_command() -> None:
    main_job, test_command = _readme_commands()
    assert main_job.startswith("python3 ")
    assert test_command.startswith("python3 ")


def test_ci_runs_the_readme_test_command() -> None:
    _, test_command = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in [line.strip() for line in ci]


def _modules(top: Path) -> Iterator[Path]:
    yield from sorted(path for path in top.rglob("*.py") if "__pycache__" not in path.parts)


def _imported(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _imports_the_client(name: str) -> bool:
    return name == "vonage_conversation" or name.startswith("vonage_conversation.")


def test_the_import_check_sees_an_import_of_the_client() -> None:
    tree = ast.parse("import os\nfrom vonage_conversation._fixes import describe\n")
    assert [name for name in _imported(tree) if _imports_the_client(name)] == [
        "vonage_conversation._fixes"
    ]
    assert not _imports_the_client("vonage_conversation_api.models")


def test_the_generated_package_imports_nothing_of_the_client() -> None:
    """Dependencies run client -> generated, never back (ARCHITECTURE.md)."""
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules(GENERATED)
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
        if _imports_the_client(name)
    ]
    assert list(_modules(GENERATED)), "no generated package to check"
    assert found == []


_RUNTIME_CODE = {"exec", "eval", "compile"}


def _runs_code(tree: ast.AST) -> list[str]:
    """The calls of the builtins that run source code (``re.compile`` is not one)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _RUNTIME_CODE:
            found.append(func.id)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in _RUNTIME_CODE
            and ast.unparse(func.value) == "builtins"
        ):
            found.append(ast.unparse(func))
    return found


def test_the_run_time_code_check_sees_exec_compile_and_eval() -> None:
    tree = ast.parse("exec(compile(s, '<x>', 'exec'), ns)\neval('1')\nbuiltins.exec(s)\n")
    assert sorted(_runs_code(tree)) == ["builtins.exec", "compile", "eval", "exec"]
    assert _runs_code(ast.parse("re.compile('x')\n")) == []


def test_the_client_package_compiles_no_code_at_run_time() -> None:
    """Code is generated at build time into reviewable files, never exec'd at run time."""
    found = {
        str(path.relative_to(ROOT)): calls
        for path in _modules(CLIENT)
        if (calls := _runs_code(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def _hand_written(path: Path) -> bool:
    return not any(path.is_relative_to(folder) for folder in WRITTEN)


def _every_hand_written_module() -> list[Path]:
    """Every Python file of the repository that a person writes: not openapi-python-client's
    output, and not what the pipeline renders into the client package."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    paths = [ROOT / name for name in tracked] if tracked else sorted(ROOT.rglob("*.py"))
    return [
        path
        for path in paths
        if path.is_file()
        and not path.is_relative_to(GENERATED)
        and _hand_written(path)
        and not {".venv", ".cache", "node_modules"} & set(path.parts)
    ]


@pytest.mark.parametrize(
    "path", _every_hand_written_module(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_a_hand_written_module_is_small(path: Path) -> None:
    assert path.is_file()
    """At most 600 lines; one over 400 says why in its docstring ("over 400 lines")."""
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= 600
    if lines > 400:
        assert "over 400 lines" in (ast.get_docstring(ast.parse(text)) or "")

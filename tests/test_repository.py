"""The README's promises about how to run things hold."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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

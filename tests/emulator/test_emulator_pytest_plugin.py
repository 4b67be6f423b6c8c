"""The `emulator` fixture as a user's test suite gets it: named in `pytest_plugins`, as the
README says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_TEST = """
import httpx


def test_lists_conversations(emulator):
    headers = {"Authorization": f"Bearer {emulator.token()}"}
    response = httpx.get(f"{emulator.base_url}/v0.3/conversations", headers=headers)
    assert response.status_code == 200
"""


def test_a_user_suite_gets_a_running_emulator_from_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["vonage_conversation_emulator.testing"]\n', encoding="utf-8"
    )
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout

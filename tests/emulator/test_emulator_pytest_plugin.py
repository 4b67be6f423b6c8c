"""The `emulator` and `conversation_client` fixtures as a user's test suite gets them: from the
package's pytest plugin, with no `pytest_plugins` line; still from `pytest_plugins`, as the
README said before the plugin; a suite's own fixture of that name first; and none with
``-p no:vonage_conversation_pytest``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
EMULATOR_SECTION = README[README.index("## The emulator") : README.index("## Conformance")]

USER_TEST = """
import httpx


def test_lists_conversations(emulator):
    headers = {"Authorization": f"Bearer {emulator.token()}"}
    response = httpx.get(f"{emulator.base_url}/v0.3/conversations", headers=headers)
    assert response.status_code == 200
"""

CLIENT_TEST = """
def test_the_client_is_bound_to_the_emulator(conversation_client, emulator):
    assert conversation_client.base_url == emulator.base_url
"""
# The README's examples, as written: the fixtures, and testing an app's webhooks.
README_TEST = re.findall(r"```python\n(.*?)```", EMULATOR_SECTION, re.DOTALL)[0]
README_CONTROLS_TEST = next(
    block
    for block in re.findall(r"```python\n(.*?)```", EMULATOR_SECTION, re.DOTALL)
    if "emulator.fail(" in block
)
README_WEBHOOK_TEST = next(
    block
    for block in re.findall(r"```python\n(.*?)```", EMULATOR_SECTION, re.DOTALL)
    if "webhook_receiver" in block
)

OWN_FIXTURE = """
import pytest


@pytest.fixture
def emulator():
    return "the suite's own"
"""

OWN_FIXTURE_TEST = """
def test_the_suite_s_own_fixture_wins(emulator):
    assert emulator == "the suite's own"
"""


def pytest_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A plain pytest run of `folder`, as a user's suite runs with the package installed."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_user_suite_gets_both_fixtures_from_the_installed_plugin(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TEST + CLIENT_TEST, encoding="utf-8")
    (tmp_path / "test_readme.py").write_text(README_TEST, encoding="utf-8")
    (tmp_path / "test_readme_controls.py").write_text(README_CONTROLS_TEST, encoding="utf-8")
    own = tmp_path / "own"
    own.mkdir()
    (own / "conftest.py").write_text(OWN_FIXTURE, encoding="utf-8")
    (own / "test_own.py").write_text(OWN_FIXTURE_TEST, encoding="utf-8")
    done = pytest_run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


def test_the_plugin_can_be_left_out(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    done = pytest_run(tmp_path, "-p", "no:vonage_conversation_pytest")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "fixture 'emulator' not found" in done.stdout


def test_a_pytest_plugins_line_still_works_alongside_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["vonage_conversation_emulator.testing"]\n', encoding="utf-8"
    )
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    done = pytest_run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


WEBHOOK_TEST = """
import httpx


def test_joins_reach_the_receiver_signed(emulator, conversation_client, webhook_receiver,
                                         webhook_secret):
    assert webhook_secret == emulator.signature_secret == webhook_receiver.secret
    assert len(webhook_secret) >= 32
    headers = {"Authorization": f"Bearer {emulator.token()}"}
    httpx.post(f"{emulator.base_url}/_emulator/users", json={"name": "alice"}, headers=headers)
    conversation = conversation_client.conversations.create(
        callback={"url": webhook_receiver.url, "event_mask": "member:*"}
    )
    conversation_client.members.create(conversation.id, user={"name": "alice"}, state="joined")
    (joined,) = webhook_receiver.wait_for(type="member:joined", timeout=10)
    assert joined.conversation_id == conversation.id
    assert joined.claims is not None and joined.claims.application_id == emulator.application_id


def test_without_the_emulator_the_receiver_reads_unsigned(webhook_receiver, webhook_secret):
    assert webhook_secret is None and webhook_receiver.secret is None
    assert webhook_receiver.url.startswith("http://127.0.0.1:")
"""


def test_the_plugin_s_webhook_receiver_verifies_the_emulator_s_signed_deliveries(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_webhooks.py").write_text(WEBHOOK_TEST, encoding="utf-8")
    (tmp_path / "test_readme_webhooks.py").write_text(README_WEBHOOK_TEST, encoding="utf-8")
    done = pytest_run(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout

"""A user's script type-checks against the project as installed in its own environment.

`scripts/bootstrap.py` installs the project editable; setuptools' import hook for that is
invisible to mypy, which would then see every name of the project as `Any`. These run the
environment's own mypy, from a folder outside the repository (no project configuration), on a
script such as a user would write.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

USER_SCRIPT = """\
from vonage_conversation import ConversationClient

client = ConversationClient(application_id="app", private_key="pem")
conversation = client.conversations.get("CON-1")
reveal_type(conversation)
for event in client.events.list("CON-1"):
    reveal_type(event)
"""


def _mypy(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(folder / ".cache")]
    return subprocess.run(
        [*command, *arguments], cwd=folder, capture_output=True, text=True, check=False
    )


def test_a_users_script_sees_the_clients_real_types(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(USER_SCRIPT, encoding="utf-8")
    done = _mypy(tmp_path, "app.py")
    assert done.returncode == 0, done.stdout + done.stderr
    revealed = [
        line.split("Revealed type is ")[1]
        for line in done.stdout.splitlines()
        if "Revealed type is " in line
    ]
    assert revealed == [
        '"vonage_conversation_api.models.conversation.Conversation"',
        '"vonage_conversation_api.models.event.Event"',
    ]


def test_the_generated_package_passes_mypy_strict_on_its_own(tmp_path: Path) -> None:
    # No project configuration here (it silences the generated package): plain --strict.
    done = _mypy(tmp_path, "-p", "vonage_conversation_api")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout

"""The README's instructions work as written: the two emulator lines and the quickstart code."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from vonage_conversation_emulator.embedded import run_emulator

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUICKSTART = README[README.index("## Quickstart") : README.index("\n## The client")]
TOOLS = Path(sys.executable).parent


def _block(text: str, language: str, number: int = 0) -> str:
    found = re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)
    return str(found[number])


def _command(line: str) -> str:
    return line.split("  #", 1)[0].strip()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def emulator_started_as_the_readme_says(tmp_path: Path) -> Iterator[dict[str, str]]:
    start, _ = _block(QUICKSTART, "sh", 1).strip().splitlines()
    assert _command(start) == "vonage-conversation emulator"
    env = {**os.environ, "VONAGE_CONVERSATION_EMULATOR_HOME": str(tmp_path)}
    env["PATH"] = f"{TOOLS}{os.pathsep}{env['PATH']}"
    command = [*_command(start).split(), "--port", str(_free_port())]  # 8080 may be taken here
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        assert server.stdout is not None
        for line in server.stdout:
            if "ready at http://127.0.0.1:" in line or time.monotonic() > deadline:
                break
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_second_line_points_the_client_at_the_emulator(
    emulator_started_as_the_readme_says: dict[str, str],
) -> None:
    _, point = _block(QUICKSTART, "sh", 1).strip().splitlines()
    check = (
        "from vonage_conversation import ConversationClient as C; "
        "print(len(list(C.from_env().conversations.list())))"
    )
    done = subprocess.run(
        ["sh", "-c", f'{_command(point)} && "{sys.executable}" -c "{check}"'],
        env=emulator_started_as_the_readme_says,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "0\n"), done.stderr


def test_the_quickstart_runs_as_written_against_the_emulator() -> None:
    code = _block(QUICKSTART, "python")
    with run_emulator() as emulator:
        for _ in range(2):  # twice: the second run meets the users the first one made
            done = subprocess.run(
                [sys.executable, "-c", code],
                env={**os.environ, **emulator.env},
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "member:joined",
        "member:joined",
        "text: Hello Bob!",
        "custom: {'amount': 42.5}",
        "404 conversation:error:not-found conversation CON-does-not-exist does not exist",
    ]

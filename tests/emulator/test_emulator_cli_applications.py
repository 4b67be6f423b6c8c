"""The console command with several applications (``--application ID=PEM_PATH``, repeatable,
with or without the ``--application-id``/``--public-key`` pair), its errors for a bad
``--application`` or ``--db`` (one line, exit status 2), and what ``--help`` says."""

from __future__ import annotations

import argparse
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from test_emulator_cli import EmulatorProcess
from vonage_conversation_emulator import cli
from vonage_conversation_emulator.keys import generate_private_key_pem, public_key_pem


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two private keys, the public half of the first, and files that are no RSA key."""
    folder = tmp_path_factory.mktemp("keys")
    first, second = generate_private_key_pem(), generate_private_key_pem()
    ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files = {
        "first.key": first,
        "first.pub": public_key_pem(first),
        "second.key": second,
        "ec.key": ec_key,
        "text.pem": b"not a key\n",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return {name: folder / name for name in files}


def _token(private_key: Path, application_id: str) -> str:
    now = int(time.time())
    claims = {"application_id": application_id, "iat": now, "exp": now + 600}
    return jwt.encode({**claims, "jti": str(uuid.uuid4())}, private_key.read_bytes(), "RS256")


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("VONAGE_CONVERSATION_EMULATOR_HOME", str(tmp_path / "state"))
    status = cli.main(["--port", "0", *args], environ={})
    out, err = capsys.readouterr()
    return status, out, err


def test_bad_application_options_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    keys: dict[str, Path],
) -> None:
    first = str(keys["first.pub"])
    for args, message in (
        (["--application", "app-1"], "'app-1' is not ID=PEM_PATH"),
        (["--application", f"={first}"], "has an empty application id"),
        (["--application", "app-1="], "has no PEM file"),
        (["--application", f"app-1={tmp_path / 'missing.pem'}"], "missing.pem: cannot be read"),
        (["--application", f"app-1={tmp_path}"], "cannot be read"),  # a directory
        (["--application", f"app-1={keys['text.pem']}"], "text.pem: not an RSA key in PEM"),
        (["--application", f"app-1={keys['ec.key']}"], "ec.key: not an RSA key in PEM"),
        (
            ["--application", f"app-1={first}", "--application", f"app-1={keys['second.key']}"],
            "'app-1' is served twice",
        ),
        (
            ["--application-id", "app-1", "--public-key", first, "--application", f"app-1={first}"],
            "'app-1' is served twice",
        ),
        (["--applic", f"app-1={first}"], "unrecognized arguments: --applic"),  # no abbreviation
    ):
        status, out, err = _run(capsys, monkeypatch, tmp_path, *args)
        assert status == 2, (args, err)
        assert "argument --application" in err or "--applic" in err, (args, err)
        assert message in err, (args, err)
        assert len(err.strip().splitlines()) == 1, (args, err)  # one line, no traceback
        assert out == ""


@pytest.mark.parametrize("case", ["missing folder", "a directory", "under a file"])
def test_a_db_path_that_cannot_hold_a_database_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    case: str,
) -> None:
    (tmp_path / "plain.txt").write_text("text")
    db, message = {
        "missing folder": (tmp_path / "nowhere" / "e.db", "does not exist"),
        "a directory": (tmp_path, "is a directory"),
        "under a file": (tmp_path / "plain.txt" / "e.db", "is not a folder"),
    }[case]
    status, _, err = _run(capsys, monkeypatch, tmp_path, "--db", str(db))
    assert status == 2, err
    assert err.startswith(f"vonage-conversation emulator: --db {db}: "), err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file: nothing is unwritable")
def test_an_unwritable_db_file_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "locked.db"
    db.write_bytes(b"")
    db.chmod(0o400)
    status, _, err = _run(capsys, monkeypatch, tmp_path, "--db", str(db))
    assert status == 2, err
    assert "cannot be read and written" in err and len(err.strip().splitlines()) == 1


def test_help_shows_every_default_the_environment_the_env_file_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    status, out, _ = _run(capsys, monkeypatch, tmp_path, "--help")
    assert status == 0
    options = [
        action
        for action in cli._parser()._actions
        if action.option_strings and not isinstance(action, argparse._HelpAction)
    ]
    assert {"--application", "--db", "--seed"} <= {a.option_strings[0] for a in options}
    for action in options:
        assert "default: " in (action.help or ""), action.option_strings
    flat = " ".join(out.split())
    for expected in (
        "(default: 127.0.0.1)",
        "(default: 8080)",
        "(default: in memory",
        "(default: 10)",
        "(default: 1)",
        "(default: 3600)",
        "VONAGE_SIGNATURE_SECRET",
        "VONAGE_CONVERSATION_EMULATOR_HOME",
        "$XDG_STATE_HOME/vonage-conversation-emulator",
        "~/.local/state/vonage-conversation-emulator",
        "<state folder>/env",
        "0 stopped cleanly",
        "1 cannot listen",
        "2 bad arguments, or a --db that cannot be used",
    ):
        assert expected in flat, expected


def test_one_process_serves_every_application_given_each_apart(
    tmp_path: Path, keys: dict[str, Path]
) -> None:
    state = tmp_path / "state"
    process = EmulatorProcess(
        [
            "--port",
            "0",
            "--application",
            f"by-public={keys['first.pub']}",
            "--application",
            f"by-private={keys['second.key']}",
            "--application-id",
            "kept",
        ],
        state,
    )
    try:
        url = process.wait_ready()
        listed = [
            line.split(":", 1)[1].strip() for line in process.output if "application id" in line
        ]
        assert listed == ["kept", "by-public", "by-private"]
        assert process.exports()["VONAGE_APPLICATION_ID"] == "kept"
        assert "VONAGE_APPLICATION_ID=kept" in (state / "env").read_text()
        tokens = {
            "by-public": _token(keys["first.key"], "by-public"),
            "by-private": _token(keys["second.key"], "by-private"),
            "kept": _token(state / "private.key", "kept"),
        }
        made: dict[str, Any] = {}
        for application, token in tokens.items():
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
                answer = http.post("/v0.3/conversations", json={"name": "same name"})
                assert answer.status_code == 201, (application, answer.text)
                made[application] = answer.json()["id"]
        for application, token in tokens.items():
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
                page = http.get("/v0.3/conversations").json()
                ids = [c["id"] for c in page["_embedded"]["conversations"]]
                assert ids == [made[application]], application
        # A key of one application does not make a token of another.
        forged = _token(keys["first.key"], "by-private")
        answer = httpx.get(f"{url}/v0.3/legs", headers={"Authorization": f"Bearer {forged}"})
        assert answer.status_code == 401
    finally:
        assert process.stop(signal.SIGTERM) == 0

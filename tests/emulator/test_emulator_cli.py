"""The console command, started as a user would: credentials, seeding, restarts, signals.

Why over 400 lines: every test here starts a real process (its flags, its state folder, a
SIGKILL and a restart with deliveries pending), and they share its start-up helpers.
"""

from __future__ import annotations

import json
import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from emulator_support import SpecChecker, event_request, json_of
from vonage_conversation import webhooks
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import get_conversation, list_conversations
from vonage_conversation_api.api.event import create_event, list_events
from vonage_conversation_api.api.leg import list_legs
from vonage_conversation_api.api.member import create_member
from vonage_conversation_api.api.user import list_user_sessions, list_users
from vonage_conversation_api.models import CreateMemberRequest

COMMAND = Path(sys.executable).with_name("vonage-conversation")
READY = "Vonage Conversation API emulator ready at "


class EmulatorProcess:
    """`vonage-conversation emulator ...` in a subprocess, read line by line."""

    def __init__(
        self, args: list[str], state_dir: Path, environ: dict[str, str] | None = None
    ) -> None:
        env = {**os.environ, **(environ or {})}
        env["VONAGE_CONVERSATION_EMULATOR_HOME"] = str(state_dir)
        self.process = subprocess.Popen(
            [str(COMMAND), "emulator", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.output: list[str] = []

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_ready(self, timeout: float = 30) -> str:
        """The URL from the ready line (every line before it is kept in `output`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            self.output.append(line)
            if line.startswith(READY):
                return line.removeprefix(READY)
        self.process.kill()
        _, stderr = self.process.communicate()
        raise AssertionError(f"no ready line; output {self.output}, stderr {stderr}")

    def exports(self) -> dict[str, str]:
        """The variables of the `export` lines, unquoted as a shell would."""
        assignments = [
            shlex.split(line.removeprefix("export "))[0]
            for line in self.output
            if line.startswith("export ")
        ]
        return dict(assignment.split("=", 1) for assignment in assignments)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def start(state_dir: Path) -> Iterator[Any]:
    started: list[EmulatorProcess] = []

    def run(*args: str, environ: dict[str, str] | None = None) -> EmulatorProcess:
        process = EmulatorProcess(["--port", "0", *args], state_dir, environ)
        started.append(process)
        return process

    yield run
    for process in started:
        process.stop(signal.SIGKILL)


def _client(url: str, token: str, checker: SpecChecker) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=url,
        token=token,
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"response": [checker.check]}},
    )


def _token(private_key: str | bytes, application_id: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {"application_id": application_id, "iat": now, "exp": now + 600, **claims}
    payload["jti"] = str(uuid.uuid4())
    return jwt.encode(payload, private_key, algorithm="RS256")


def test_the_command_makes_credentials_seeds_users_and_stops_on_sigint(
    start: Any, tmp_path: Path, state_dir: Path, spec_checker: SpecChecker
) -> None:
    seed = tmp_path / "users.json"
    seed.write_text(json.dumps([{"name": "alice", "display_name": "Alice"}, {"name": "bob"}]))
    emulator = start("--seed", str(seed))
    url = emulator.wait_ready()
    assert url.startswith("http://127.0.0.1:")
    exports = emulator.exports()
    assert exports["VONAGE_API_HOST"] == url
    key_path = Path(exports["VONAGE_PRIVATE_KEY_PATH"])
    assert key_path.parent == state_dir.resolve()
    assert key_path.stat().st_mode & 0o077 == 0  # the private key is private
    application_id = exports["VONAGE_APPLICATION_ID"]
    assert f"application id: {application_id}" in emulator.output
    assert f"private key:    {key_path}" in emulator.output
    # The same lines, ready to source, in the state folder.
    env_file = (state_dir / "env").read_text().splitlines()
    assert env_file == [line for line in emulator.output if line.startswith("export ")]

    client = _client(url, _token(key_path.read_bytes(), application_id), spec_checker)
    users = json_of(list_users.sync_detailed(client=client))["_embedded"]["data"]["users"]
    assert [(u["name"], u.get("display_name")) for u in users] == [
        ("alice", "Alice"),
        ("bob", None),
    ]
    assert all(u["id"].startswith("USR-") for u in users)
    client.get_httpx_client().close()
    assert emulator.stop(signal.SIGINT) == 0


def test_a_restart_with_db_file_keeps_everything(
    start: Any, tmp_path: Path, spec_checker: SpecChecker
) -> None:
    db = tmp_path / "emulator.db"
    seed = tmp_path / "users.json"
    seed.write_text(json.dumps([{"name": "alice"}]))
    first = start("--db", str(db), "--seed", str(seed))
    url = first.wait_ready()
    exports = first.exports()
    key = Path(exports["VONAGE_PRIVATE_KEY_PATH"]).read_bytes()
    application_id = exports["VONAGE_APPLICATION_ID"]
    client = _client(url, _token(key, application_id), spec_checker)
    http = client.get_httpx_client()
    conversation_ids = [
        http.post("/v0.3/conversations", json={"name": f"c{i}"}).json()["id"] for i in range(3)
    ]
    member = create_member.sync_detailed(
        conversation_ids[0],
        client=client,
        body=CreateMemberRequest.from_dict(
            {"user": {"name": "alice"}, "state": "joined", "channel": {"leg_id": "leg-1"}}
        ),
    ).parsed
    for text in ("one", "two"):
        create_event.sync_detailed(
            conversation_ids[0],
            client=client,
            body=event_request({"type": "text", "from": member.id, "body": {"text": text}}),
        )
    http.get(
        "/v0.3/legs",
        headers={"Authorization": f"Bearer {_token(key, application_id, sub='alice')}"},
    )
    page = json_of(list_conversations.sync_detailed(client=client, page_size=2))
    next_href = page["_links"]["next"]["href"]
    before = {
        "conversation": http.get(f"/v0.3/conversations/{conversation_ids[0]}").json(),
        "members": http.get(f"/v0.3/conversations/{conversation_ids[0]}/members").json(),
        "events": http.get(f"/v0.3/conversations/{conversation_ids[0]}/events").json(),
        "users": http.get("/v0.2/users").json(),
        "legs": http.get("/v0.3/legs").json(),
    }
    client.get_httpx_client().close()
    assert first.stop(signal.SIGTERM) == 0

    second = start("--db", str(db), "--seed", str(seed))
    new_url = second.wait_ready()
    assert second.exports()["VONAGE_APPLICATION_ID"] == application_id  # same credentials
    client = _client(new_url, _token(key, application_id), spec_checker)
    http = client.get_httpx_client()

    def moved(document: Any) -> Any:  # links follow the new port
        return json.loads(json.dumps(document).replace(url, new_url))

    assert http.get(f"/v0.3/conversations/{conversation_ids[0]}").json() == moved(
        before["conversation"]
    )
    assert http.get(f"/v0.3/conversations/{conversation_ids[0]}/members").json() == moved(
        before["members"]
    )
    assert http.get(f"/v0.3/conversations/{conversation_ids[0]}/events").json() == moved(
        before["events"]
    )
    assert http.get("/v0.2/users").json() == moved(before["users"])  # seeding again: no twin
    assert http.get("/v0.3/legs").json() == moved(before["legs"])
    # A cursor made before the restart still reads the next page.
    rest = json_of(http.get(next_href.replace(url, new_url)))
    assert [c["name"] for c in rest["_embedded"]["conversations"]] == ["c2"]
    alice_id = before["users"]["_embedded"]["data"]["users"][0]["id"]
    sessions = json_of(list_user_sessions.sync_detailed(alice_id, client=client))
    assert len(sessions["_embedded"]["sessions"]) == 1
    # Numbering carries on where it stopped.
    sent = create_event.sync_detailed(
        conversation_ids[0],
        client=client,
        body=event_request({"type": "custom:x", "from": member.id}),
    )
    assert sent.parsed.id == "4"
    assert (
        get_conversation.sync_detailed(conversation_ids[0], client=client).parsed.sequence_number
        == 4
    )
    assert (
        len(
            json_of(list_events.sync_detailed(conversation_ids[0], client=client))["_embedded"][
                "events"
            ]
        )
        == 4
    )
    client.get_httpx_client().close()
    assert second.stop(signal.SIGINT) == 0


def test_given_application_id_and_public_key_only_that_key_is_accepted(
    start: Any, tmp_path: Path, state_dir: Path, spec_checker: SpecChecker
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_path = tmp_path / "public.pem"
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    emulator = start("--application-id", "my-app", "--public-key", str(public_path))
    url = emulator.wait_ready()
    assert emulator.exports() == {"VONAGE_APPLICATION_ID": "my-app", "VONAGE_API_HOST": url}
    assert not state_dir.exists()  # nothing made: the user brought the key
    good = _client(url, _token(private_pem, "my-app"), spec_checker)
    assert list_legs.sync_detailed(client=good).status_code == 200
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    bad = _client(url, _token(other_pem, "my-app"), spec_checker)
    assert list_legs.sync_detailed(client=bad).status_code == 401
    for client in (good, bad):
        client.get_httpx_client().close()
    assert emulator.stop(signal.SIGTERM) == 0


def test_bad_arguments_exit_2_with_a_message(start: Any, tmp_path: Path) -> None:
    public_path = tmp_path / "public.pem"
    public_path.write_text("not a key")
    seed = tmp_path / "users.json"
    seed.write_text('{"name": "alice"}')
    for args, message in (
        (["--public-key", str(public_path)], "--public-key needs --application-id"),
        (["--application-id", "a", "--public-key", str(public_path)], "public.pem"),
        (["--seed", str(seed)], "expected a JSON list"),
        (["--seed", str(tmp_path / "missing.json")], "missing.json"),
        (["--port", "eighty"], "argument --port: not a port number: 'eighty' (see --help)"),
        (["--port", "99999"], "argument --port: 99999 is not a port: 0 to 65535"),
        (["--port", "-1"], "argument --port: -1 is not a port: 0 to 65535"),
        (["--signature-secret", " "], "--signature-secret: a signature secret is not empty"),
        (["--sig", "s"], "unrecognized arguments: --sig s"),  # never abbreviated
        (["--delivery-attempts", "0"], "--delivery-attempts must be 1 or more, not 0"),
        (["--delivery-attempts", "two"], "argument --delivery-attempts: not a number: 'two'"),
        (["--delivery-backoff", "0"], "--delivery-backoff must be more than 0 seconds"),
        (["--delivery-window", "-1"], "--delivery-window must be 0 or more seconds"),
    ):
        process = start(*args).process
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 2, (args, stderr)
        assert message in stderr, (args, stderr)
        assert len(stderr.strip().splitlines()) == 1, (args, stderr)  # one line, no traceback


def test_a_db_file_that_is_no_emulator_database_exits_2(start: Any, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("shopping list\n" * 200)
    process = start("--db", str(other)).process
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2, stderr
    assert f"--db {other}: not an emulator database" in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr  # one line, no traceback
    assert other.read_text() == "shopping list\n" * 200


def test_a_busy_port_exits_1(start: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = start("--port", str(busy.getsockname()[1])).process
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "cannot listen" in stderr


class Hook:
    """A webhook receiver on a port chosen before it listens (it is down at first)."""

    def __init__(self, secret: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.secret = secret
        self.events: list[tuple[str, str]] = []
        self.changed = threading.Condition()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                delivery = webhooks.unwrap(body, dict(self.headers.items()), secret=hook.secret)
                with hook.changed:
                    hook.events.append((str(delivery.event.id), str(delivery.event.type_)))
                    hook.changed.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def wait_for(self, count: int, timeout: float = 30) -> list[tuple[str, str]]:
        with self.changed:
            self.changed.wait_for(lambda: len(set(self.events)) >= count, timeout)
            return list(dict.fromkeys(self.events))

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def test_deliveries_pending_when_the_process_is_killed_are_sent_after_a_restart(
    start: Any, tmp_path: Path
) -> None:
    secret = "a-signature-secret-of-32-bytes!!"
    db, seed = tmp_path / "emulator.db", tmp_path / "users.json"
    seed.write_text(json.dumps([{"name": "alice"}]))
    options = ("--db", str(db), "--delivery-backoff", "0.2")
    environ = {"VONAGE_SIGNATURE_SECRET": secret}  # the variable, as a shell would set it
    hook = Hook(secret)
    first = start(*options, "--seed", str(seed), environ=environ)
    url = first.wait_ready()
    exports = first.exports()
    token = _token(
        Path(exports["VONAGE_PRIVATE_KEY_PATH"]).read_bytes(), exports["VONAGE_APPLICATION_ID"]
    )
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
        conversation = http.post(
            "/v0.3/conversations", json={"callback": {"url": hook.url}}
        ).json()["id"]
        member = http.post(
            f"/v0.3/conversations/{conversation}/members",
            json={"user": {"name": "alice"}, "state": "joined", "channel": {"type": "app"}},
        ).json()["id"]
        for text in ("one", "two"):
            event = {"type": "text", "from": member, "body": {"text": text}}
            assert http.post(f"/v0.3/conversations/{conversation}/events", json=event).is_success
        deadline = time.monotonic() + 30
        while not _logged(http, conversation) and time.monotonic() < deadline:
            time.sleep(0.05)
        refused = _logged(http, conversation)
    assert refused and refused[0]["status"] is None  # tried, and the receiver was down
    first.process.kill()
    first.process.wait(timeout=30)
    hook.start()
    try:
        start(*options, environ=environ).wait_ready()
        assert hook.wait_for(3) == [("1", "member:joined"), ("2", "text"), ("3", "text")]
    finally:
        hook.stop()


def _logged(http: httpx.Client, conversation_id: str) -> list[Any]:
    answer = http.get("/_emulator/deliveries", params={"conversation_id": conversation_id})
    entries: list[Any] = answer.json()["_embedded"]["deliveries"]
    return entries

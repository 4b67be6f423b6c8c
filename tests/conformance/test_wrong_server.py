"""A conformance run that must fail: a server that is the emulator but for one wrong field.

A suite that cannot fail proves nothing. The wrong server answers `POST /v0.3/conversations`
with `sequence_number` as a string (the spec says integer); the run must report exactly that:
one failure, on that operation, by the response schema check, at that field, with a curl
command, in the summary and in the JUnit report, and exit with status 1.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from vonage_conversation_conformance.cli import main
from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key
from vonage_conversation_emulator.seed import SeedUser, seed_users
from vonage_conversation_emulator.server import BackgroundServer

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
APPLICATION_ID = "wrong-server"


class StringSequenceNumber:
    """ASGI middleware: a created conversation's `sequence_number` is sent as a string."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Message, receive: Any, send: Send) -> None:
        wanted = scope["type"] == "http" and (scope["method"], scope["path"]) == (
            "POST",
            "/v0.3/conversations",
        )
        if not wanted:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if start["status"] == 201:
                created = json.loads(body)
                created["sequence_number"] = str(created["sequence_number"])
                body = json.dumps(created).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


@pytest.fixture(scope="module")
def wrong_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    pem = generate_private_key_pem()
    key = tmp_path_factory.mktemp("wrong") / "private.key"
    key.write_bytes(pem)
    app = create_app(application_id=APPLICATION_ID, public_key=load_public_key(pem))
    seed_users(app.store, [SeedUser(name="someone")])
    with BackgroundServer(StringSequenceNumber(app)) as server:  # type: ignore[arg-type]
        yield server.url, key


def test_the_run_fails_reporting_exactly_the_wrong_field(
    wrong_server: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, key = wrong_server
    junit = tmp_path / "junit.xml"
    status = main(
        [
            *("--url", url, "--application-id", APPLICATION_ID, "--private-key", str(key)),
            *("--max-examples", "3", "--seed", "1", "--junit-xml", str(junit)),
        ]
    )
    report = capsys.readouterr().out.split(f"conformance of {url}:", 1)[1]
    assert status == 1
    assert "; 1 distinct failures" in report.splitlines()[0]
    failure = report.split("failures:\n", 1)[1]
    assert failure.startswith(
        "1. POST /v0.3/conversations: response_schema_conformance (Response violates schema)"
    )
    assert (
        "at fault: Conversation.sequence_number "
        "(/components/schemas/Conversation/properties/sequence_number)"
    ) in failure
    assert 'curl -X POST -H "Authorization: Bearer $VONAGE_JWT"' in failure
    assert f'"{url}/v0.3/conversations"' in failure
    rows = [line for line in report.splitlines() if "FAIL" in line]
    assert len(rows) == 1 and rows[0].startswith("POST /v0.3/conversations ")
    # One JUnit file, a suite per schemathesis process: both found the one wrong operation.
    failed = {
        suite.get("name"): [
            case for case in suite.iter("testcase") if case.find("failure") is not None
        ]
        for suite in ET.parse(junit).getroot()
    }
    (stateless,) = failed["schemathesis (run 1: examples, coverage, fuzzing)"]
    (stateful,) = failed["schemathesis (run 2: stateful)"]  # a run that fails is not repeated
    assert stateless.get("name") == "POST /v0.3/conversations"
    reproduced = ET.tostring(stateful, encoding="unicode")  # the chain's curl commands
    assert "-X POST" in reproduced and f"{url}/v0.3/conversations" in reproduced

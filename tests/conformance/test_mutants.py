"""The conformance command's mutation score: servers wrong in exactly one way must fail the run
(exit 1) with their operation and check named, and servers that are not the API at all must
stop it before any phase (exit 2, one line) and never pass.

Each run is small (few examples, the phases and operations its mutant needs) but goes through
the command's own code path; one control run with every mutant's selection against the
unbroken emulator passes, so each failure is the mutation's doing. One run is the installed
console script, end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mutant_servers as servers
import pytest
from mutant_servers import App, Reply
from replay import base_url, failure_blocks, replay, reproduction
from vonage_conversation_conformance.cli import main

SMALL = ["--max-examples", "5", "--seed", "1"]
ENVIRON: dict[str, str] = {}  # no VONAGE_* from the machine running the tests


def _wrong_type(reply: Reply) -> Reply:
    if reply.status != 201:
        return reply
    created = reply.json()
    created["sequence_number"] = str(created["sequence_number"])
    return reply.replace(body=json.dumps(created).encode())


def _without_id(reply: Reply) -> Reply:
    if reply.status != 200:
        return reply
    found = reply.json()
    del found["id"]
    return reply.replace(body=json.dumps(found).encode())


def _status(new: int) -> Callable[[Reply], Reply]:
    return lambda reply: reply.replace(status=new) if 200 <= reply.status < 300 else reply


def _text_plain(reply: Reply) -> Reply:
    return reply.replace(content_type=b"text/plain") if reply.status == 200 else reply


@dataclass(frozen=True)
class Mutant:
    """A server wrong in one way, the run that must catch it, and what it must name."""

    name: str
    wrap: Callable[[App], App]
    operation_ids: tuple[str, ...]
    phases: str
    operation: str
    check: str


MUTANTS = [
    Mutant(
        "a response field of the wrong type",
        servers.rewrite_response("POST", "/v0.3/conversations", _wrong_type),
        ("createConversation",),
        "examples",
        "POST /v0.3/conversations",
        "response_schema_conformance",
    ),
    Mutant(
        "a required field missing",
        servers.rewrite_response("GET", "/v0.3/conversations/{conversation_id}", _without_id),
        ("getConversation",),
        "examples",
        "GET /v0.3/conversations/{conversation_id}",
        "response_schema_conformance",
    ),
    Mutant(
        "a status the spec does not list (200 for a create)",
        servers.rewrite_response(
            "POST", "/v0.3/conversations/{conversation_id}/events", _status(200)
        ),
        ("createEvent",),
        "examples",
        "POST /v0.3/conversations/{conversation_id}/events",
        "status_code_conformance",
    ),
    Mutant(
        "a wrong content type",
        servers.rewrite_response("GET", "/v0.3/legs", _text_plain),
        ("listLegs",),
        "examples",
        "GET /v0.3/legs",
        "content_type_conformance",
    ),
    Mutant(
        "an operation that answers without a token",
        servers.let_in_without_token("GET", "/v0.3/conversations/{conversation_id}/members"),
        ("listMembers",),
        "examples",
        "GET /v0.3/conversations/{conversation_id}/members",
        "ignored_auth",
    ),
    Mutant(
        "a 5xx on valid input",
        servers.rewrite_response(
            "GET", "/v0.3/conversations/{conversation_id}/events/{event_id}", _status(500)
        ),
        ("getEvent",),
        "examples",
        "GET /v0.3/conversations/{conversation_id}/events/{event_id}",
        "not_a_server_error",
    ),
    Mutant(
        "an invalid body accepted",
        servers.accept_invalid_bodies("PUT", "/v0.3/conversations/{conversation_id}", b"{}"),
        ("updateConversation",),
        "coverage",
        "PUT /v0.3/conversations/{conversation_id}",
        "negative_data_rejection",
    ),
    Mutant(
        "a delete acknowledged but not done",
        servers.acknowledge_without_doing("DELETE", "/v0.3/conversations/{conversation_id}"),
        ("createConversation", "deleteConversation", "getConversation"),
        "stateful",
        "GET /v0.3/conversations/{conversation_id}",
        "use_after_free",
    ),
    Mutant(
        "valid credentials refused on one operation",
        servers.rewrite_response(
            "GET", "/v0.3/conversations/{conversation_id}/members/me", _status(401)
        ),
        ("getMyMember",),
        "examples",
        "GET /v0.3/conversations/{conversation_id}/members/me",
        "valid_token_accepted",
    ),
]


def _selection(operation_ids: tuple[str, ...], phases: str) -> list[str]:
    chosen = [arg for operation in operation_ids for arg in ("--operation-id", operation)]
    return [*chosen, "--phases", phases]


def _failures(out: str) -> list[str]:
    """The headings of the report's failures: `1. OPERATION: check (title)`."""
    listed = out.split("\nfailures:\n", 1)[1] if "\nfailures:\n" in out else ""
    return [line for line in listed.splitlines() if line[:1].isdigit()]


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_mutant_fails_the_run_naming_its_operation_and_check(
    mutant: Mutant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with servers.serve(tmp_path, mutant.wrap) as server:
        status = main(
            [*server.args(), *SMALL, *_selection(mutant.operation_ids, mutant.phases)],
            environ=ENVIRON,
        )
    out = capsys.readouterr().out
    assert status == 1, out
    assert "the server does not conform" in out
    assert any(
        heading.split(". ", 1)[1].startswith(f"{mutant.operation}: {mutant.check} (")
        for heading in _failures(out)
    ), out


def test_the_same_runs_pass_against_the_unbroken_emulator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    operation_ids = tuple(dict.fromkeys(op for mutant in MUTANTS for op in mutant.operation_ids))
    phases = ",".join(dict.fromkeys(mutant.phases for mutant in MUTANTS))
    with servers.serve(tmp_path) as server:
        status = main([*server.args(), *SMALL, *_selection(operation_ids, phases)], environ=ENVIRON)
    out = capsys.readouterr().out
    assert status == 0, out
    assert f"{len(operation_ids)} of {len(operation_ids)} operations verified" in out


MEMBERS = "/v0.3/conversations/{conversation_id}/members"
IGNORED_AUTH = {
    # schemathesis's first probe, without a token, is let in
    "no token": servers.let_in_without_token("GET", MEMBERS),
    # refused without a token, but any token at all is let in: its second probe, a bad token
    "any token": servers.accept_token_when(
        "GET", MEMBERS, lambda authorization: authorization != ""
    ),
}


@pytest.mark.skipif(shutil.which("curl") is None, reason="the reproductions are curl commands")
@pytest.mark.parametrize("kind", list(IGNORED_AUTH))
def test_an_ignored_auth_failure_reproduces_as_printed(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its printed curl sends no valid token (not `$VONAGE_JWT`): the mutant lets it in again,
    where the unbroken emulator refuses it."""
    with servers.serve(tmp_path, IGNORED_AUTH[kind]) as server:
        status = main(
            [*server.args(), *SMALL, *_selection(("listMembers",), "examples")], environ=ENVIRON
        )
        out = capsys.readouterr().out
        assert status == 1, out
        blocks = failure_blocks(out)
        lines = next(found for name, found in blocks.items() if ": ignored_auth (" in name)
        commands = reproduction(lines)
        assert not any("VONAGE_JWT" in line for line in commands), commands
        assert replay(commands) not in ("", "401", "403"), commands
    with servers.serve(tmp_path) as unbroken:
        again = [line.replace(base_url(commands), unbroken.url) for line in commands]
        assert replay(again) == "401", again


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


NOT_THE_API = {
    "401 to everything": (
        servers.not_the_api(401, b"application/json", b'{"title": "Invalid Token"}'),
        "vonage-conversation conformance: the server refused the credentials: 401 Invalid Token",
    ),
    "404 to everything": (
        servers.not_the_api(404, b"text/plain", b"nothing here"),
        "vonage-conversation conformance: not a Conversation API at {url}: "
        "GET /v0.3/conversations answered 404",
    ),
    "HTML to everything": (
        servers.not_the_api(200, b"text/html", b"<html><body>hello</body></html>"),
        "vonage-conversation conformance: not a Conversation API at {url}: "
        "GET /v0.3/conversations answered 200 with text/html, not JSON",
    ),
}


@pytest.mark.parametrize("kind", list(NOT_THE_API))
def test_a_server_that_is_not_the_api_stops_the_run_before_any_phase(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app, reason = NOT_THE_API[kind]
    with servers.serve(tmp_path, app=app) as server:
        status = main([*server.args(), *SMALL], environ=ENVIRON)
    captured = capsys.readouterr()
    assert status == 2
    (line,) = captured.err.strip().splitlines()[-1:]
    assert line.startswith(reason.format(url=server.url)), captured.err
    assert "examples" not in captured.err and "conforms" not in captured.out


def test_an_unreachable_server_stops_the_run_before_any_phase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    key = tmp_path / "k.pem"
    key.write_bytes(servers.PEM)
    status = main(["--url", url, "--application-id", "x", "--private-key", str(key)], environ={})
    err = capsys.readouterr().err
    assert status == 2
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(f"vonage-conversation conformance: cannot reach {url}: ")
    )


def test_the_console_script_fails_a_mutant_end_to_end(tmp_path: Path) -> None:
    mutant = MUTANTS[0]
    junit = tmp_path / "report.xml"
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("VONAGE_")}
    script = Path(sys.executable).with_name("vonage-conversation")
    with servers.serve(tmp_path, mutant.wrap) as server:
        done = subprocess.run(
            [
                str(script),
                "conformance",
                *server.args(),
                *SMALL,
                *_selection(mutant.operation_ids, mutant.phases),
                "--junit-xml",
                str(junit),
            ],
            capture_output=True,
            text=True,
            env={**env, "COLUMNS": "120"},
            cwd=workdir,
            timeout=300,
            check=False,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"1. {mutant.operation}: {mutant.check} (" in done.stdout
    assert f"JUnit report: {junit}" in done.stdout
    assert f'name="{mutant.operation}"' in junit.read_text()
    assert list(workdir.iterdir()) == []  # no .hypothesis/ or .schemathesis/ left behind

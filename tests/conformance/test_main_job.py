"""The main job: a short conversation through the client that checks what it shows, then the
conformance suite, against the same server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import mutant_servers as servers
import pytest
from vonage_conversation import ConversationClient
from vonage_conversation_conformance._scenario import ScenarioError, run_scenario
from vonage_conversation_conformance._target import Target
from vonage_conversation_conformance._verdict import ExitCode
from vonage_conversation_conformance.main_job import (
    ScenarioOutcome,
    exit_status,
    main,
    scenario_users,
)
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.seed import SeedUser


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorInstance]:
    with run_emulator(seed=[SeedUser(name="ann"), SeedUser(name="ben")]) as running:
        yield running


def _client(emulator: EmulatorInstance) -> ConversationClient:
    return ConversationClient.from_env(environ=emulator.env)


def test_the_scenario_runs_a_whole_conversation(emulator: EmulatorInstance) -> None:
    said: list[str] = []
    with _client(emulator) as client:
        result = run_scenario(client, ("ann", "ben"), said.append)
        remaining = [c.id for c in client.conversations.list()]
    assert result.event_types == [
        *("member:joined", "member:joined", "text", "text", "custom:order_paid")
    ]
    assert result.pages == 3
    assert result.member_states == {"ann": "JOINED", "ben": "LEFT"}
    assert result.conversation_id not in remaining
    assert said[-1].endswith("404 conversation:error:not-found")
    assert "page 2: text: 'Hello ben!'; text: 'Hi ann!'" in said


def _rejoin(reply: servers.Reply) -> servers.Reply:
    if reply.status != 200:
        return reply
    member = reply.json()
    member["state"] = "JOINED"
    return reply.replace(body=json.dumps(member).encode())


def _reversed_pages(reply: servers.Reply) -> servers.Reply:
    if reply.status != 200:
        return reply
    page = reply.json()
    page["_embedded"]["events"].reverse()
    return reply.replace(body=json.dumps(page).encode())


@pytest.mark.parametrize(
    ("wrong", "step"),
    [
        (
            servers.rewrite_response(
                "GET", "/v0.3/conversations/{conversation_id}/members/{member_id}", _rejoin
            ),
            "mutant-user-2 leaves",
        ),
        (
            servers.rewrite_response(
                "GET", "/v0.3/conversations/{conversation_id}/events", _reversed_pages
            ),
            "page through the events",
        ),
        (
            servers.acknowledge_without_doing("DELETE", "/v0.3/conversations/{conversation_id}"),
            "read the deleted conversation",
        ),
    ],
)
def test_the_scenario_fails_naming_the_step_that_saw_a_wrong_answer(
    wrong: Callable[[servers.App], servers.App], step: str, tmp_path: Path
) -> None:
    with servers.serve(tmp_path, wrong) as server:
        client = ConversationClient(
            application_id=servers.APPLICATION_ID,
            private_key=servers.PEM,
            base_url=server.url,
        )
        with client, pytest.raises(ScenarioError) as failed:
            run_scenario(client, servers.USERS[:2], lambda _: None)
    assert failed.value.step == step


def _remote(emulator: EmulatorInstance) -> Target:
    return Target(emulator.base_url, emulator.application_id, "", users=(), embedded=False)


def test_a_remote_scenario_takes_the_users_it_is_told(emulator: EmulatorInstance) -> None:
    with _client(emulator) as client:
        told = scenario_users(_remote(emulator), client, {"VONAGE_TOUR_USERS": "x, y"})
        listed = scenario_users(_remote(emulator), client, {})
    assert told == ("x", "y")
    assert listed == ("ann", "ben")


def test_a_remote_scenario_without_two_users_is_skipped() -> None:
    with run_emulator(seed=[SeedUser(name="only")]) as lonely, _client(lonely) as client:
        assert scenario_users(_remote(lonely), client, {}) is None


@pytest.mark.parametrize(
    ("scenario", "conformance", "status"),
    [
        ("passed", ExitCode.CONFORMS, 0),
        ("skipped", ExitCode.CONFORMS, 3),  # a skipped scenario is not a success
        ("failed", ExitCode.CONFORMS, 1),
        ("failed", ExitCode.INCOMPLETE, 1),
        ("passed", ExitCode.INCOMPLETE, 3),
        ("skipped", ExitCode.FAILED, 1),
        ("passed", ExitCode.COULD_NOT_RUN, 2),
    ],
)
def test_the_jobs_status_is_the_suites_made_worse_by_the_scenario(
    scenario: str, conformance: ExitCode, status: int
) -> None:
    assert exit_status(ScenarioOutcome(scenario), conformance) == status


def test_the_main_job_runs_the_scenario_then_the_suite(
    capfd: pytest.CaptureFixture[str],
) -> None:
    status = main(["--max-examples", "2", "--seed", "3"], environ={})
    printed = capfd.readouterr()
    assert status == 0, printed.out
    # Progress on stderr (the scenario's steps, then the suite's), the report on stdout.
    scenario, suite = printed.err.split("== 2. the conformance suite, on the embedded emulator")
    assert "alice joined as MEM-" in scenario and "bob left" in scenario
    assert "scenario: passed" in scenario
    assert "  examples: the spec's examples ..." in suite
    report = printed.out
    assert report.lstrip().startswith("conformance of the embedded emulator: the server conforms")
    assert "22 of 22 operations verified" in report
    assert "alice joined" not in report and "preflight:" not in report
    assert report.rstrip().endswith("the scenario passed; the conformance suite exited 0")


def test_the_main_job_refuses_credentials_without_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--private-key", "k.pem"], environ={}) == 2
    assert "go with --url" in capsys.readouterr().err

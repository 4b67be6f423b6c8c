"""The main job: a short conversation through the client, then the conformance suite."""

from __future__ import annotations

import pytest
from vonage_conversation import ConversationClient
from vonage_conversation_conformance._scenario import run_scenario
from vonage_conversation_conformance._target import Target
from vonage_conversation_conformance.main_job import main, scenario_users
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.seed import SeedUser


@pytest.fixture(scope="module")
def emulator() -> EmulatorInstance:
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


def test_the_main_job_runs_the_scenario_then_the_suite(
    capfd: pytest.CaptureFixture[str],
) -> None:
    status = main(["--max-examples", "2", "--seed", "3"], environ={})
    out = capfd.readouterr().out
    assert status == 0
    scenario, suite = out.split("== 2. the conformance suite, on the embedded emulator")
    assert "alice joined as MEM-" in scenario and "bob left" in scenario
    assert "no failures: the server conforms to the spec" in suite


def test_the_main_job_refuses_credentials_without_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--private-key", "k.pem"], environ={}) == 2
    assert "go with --url" in capsys.readouterr().err

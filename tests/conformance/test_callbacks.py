"""The callbacks phase: a server that delivers every event its mask covers, and nothing else,
each one the event read back and signed, passes it; each way of delivering wrong fails it,
naming the check; a receiver out of reach skips it with the reason, never passing it."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutant_servers as servers
import pytest
from delivering_servers import Delivering
from vonage_conversation import ConversationClient
from vonage_conversation_conformance import Options, Plan
from vonage_conversation_conformance._report import Summary, console
from vonage_conversation_conformance._runner import check
from vonage_conversation_conformance._target import Target, open_target
from vonage_conversation_conformance.callbacks import (
    CALLBACK_CHECK_NAMES,
    Patience,
)
from vonage_conversation_conformance.callbacks import _run as callbacks_run
from vonage_conversation_conformance.callbacks._address import is_loopback, unreachable_reason
from vonage_conversation_conformance.cli import main
from vonage_conversation_emulator import embedded

SECRET = "the-callbacks-secret-of-32-bytes-or-more"
CREATE = "POST /v0.3/conversations"


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test server delivers before it answers: what is due has come by the time waiting
    # starts; the deadline only runs out for a mutant that never delivers an event.
    monkeypatch.setattr(callbacks_run, "PATIENCE", Patience(deadline=2.0, quiet=0.3))


@pytest.fixture
def delivering(tmp_path: Path) -> Iterator[servers.Server]:
    with servers.serve(tmp_path, Delivering(secret=SECRET)) as server:
        yield server


def _check(
    server: servers.Server, users: tuple[str, ...] = servers.USERS, **options: Any
) -> Summary:
    target = Target(
        base_url=server.url,
        application_id=servers.APPLICATION_ID,
        private_key_pem=servers.PEM.decode(),
        users=users,
        embedded=False,
    )
    plan = Plan.of(Options(url=server.url, phases=("callbacks",), **options))
    return check(target, plan, environ={}, progress_out=console(file=io.StringIO()))


def _verdicts(summary: Summary) -> dict[str, tuple[int, int, int, int]]:
    checks = summary.result.operations[CREATE].checks
    return {
        name: (tally.passed, tally.failed, tally.errored, tally.skipped)
        for name, tally in checks.items()
        if name in CALLBACK_CHECK_NAMES
    }


def test_a_server_delivering_as_the_rules_say_passes_every_callback_check(
    delivering: servers.Server,
) -> None:
    summary = _check(delivering, signature_secret=SECRET)
    assert summary.result.failures == [] and summary.result.errors == []
    assert _verdicts(summary) == {name: (1, 0, 0, 0) for name in CALLBACK_CHECK_NAMES}
    assert summary.result.phases["callbacks"] == "success"
    assert summary.result.warnings == []
    assert summary.verdict.code == 0


def test_without_a_secret_the_signature_check_could_not_tell(delivering: servers.Server) -> None:
    summary = _check(delivering)
    verdicts = _verdicts(summary)
    assert verdicts.pop("callback_signature_verifies") == (0, 0, 0, 1)
    assert set(verdicts.values()) == {(1, 0, 0, 0)}
    assert (
        CREATE,
        "callback_signature_verifies",
        "no --signature-secret given: the signatures cannot be checked",
    ) in summary.result.skips


@dataclass(frozen=True)
class Mutant:
    """A server delivering wrong in one way, and the one check that must name it."""

    name: str
    server: Delivering
    check: str


MUTANTS = [
    Mutant(
        "a masked-out event delivered",
        Delivering(secret=SECRET, every_event=True),
        "callback_skips_unmasked_events",
    ),
    Mutant(
        "a matching event never delivered",
        Delivering(secret=SECRET, never="text"),
        "callback_delivers_masked_events",
    ),
    Mutant(
        "a body that differs from the read-back",
        Delivering(secret=SECRET, body={"text": "not what was sent"}),
        "callback_body_is_event",
    ),
    Mutant(
        "a bad signature",
        Delivering(secret=SECRET, signed_with="another-secret-also-32-bytes-long"),
        "callback_signature_verifies",
    ),
]


def test_every_callback_check_has_a_mutant() -> None:
    assert {mutant.check for mutant in MUTANTS} == set(CALLBACK_CHECK_NAMES)


def _failures(out: str) -> list[str]:
    listed = out.split("\nfailures:\n", 1)[1] if "\nfailures:\n" in out else ""
    return [line.split(". ", 1)[1] for line in listed.splitlines() if line[:1].isdigit()]


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_callback_mutant_fails_the_run_naming_its_check(
    mutant: Mutant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with servers.serve(tmp_path, mutant.server) as server:
        args = [*server.args(), "--phases", "callbacks", "--signature-secret", SECRET]
        status = main(args, environ={})
    out = capsys.readouterr().out
    assert status == 1, out
    failed = [heading.split(" (", 1)[0] for heading in _failures(out)]
    assert failed == [f"{CREATE}: {mutant.check}"], out
    assert "The sources say (" in out


def test_events_out_of_id_order_are_a_warning_not_a_failure(tmp_path: Path) -> None:
    with servers.serve(tmp_path, Delivering(secret=SECRET, late="text")) as server:
        summary = _check(server, signature_secret=SECRET)
    assert summary.result.failures == [] and summary.verdict.code == 0
    (warning,) = summary.result.warnings
    assert "arrived after event" in warning and "not in id order" in warning


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_public_callback_url_forwarded_to_the_listen_address_is_used(
    delivering: servers.Server,
) -> None:
    port = _free_port()
    summary = _check(
        delivering,
        signature_secret=SECRET,
        callback_url=f"http://localhost:{port}/hooks/vonage",
        callback_listen=("127.0.0.1", port),
    )
    assert _verdicts(summary) == {name: (1, 0, 0, 0) for name in CALLBACK_CHECK_NAMES}


def test_a_receiver_out_of_reach_skips_the_phase_with_the_reason(
    delivering: servers.Server, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere, listen = _free_port(), _free_port()
    while listen == nowhere:
        listen = _free_port()
    args = [
        *delivering.args(),
        "--phases",
        "callbacks",
        "--callback-url",
        f"http://127.0.0.1:{nowhere}/hook",
        "--callback-listen",
        f"127.0.0.1:{listen}",
    ]
    status = main(args, environ={})
    out = capsys.readouterr().out
    assert status == 3, out  # incomplete: nothing passed
    assert "no check could tell" in out.splitlines()[1]
    (phase,) = [line for line in out.splitlines() if line.strip().startswith("callbacks ")]
    assert phase.split()[-3] == "skipped"
    reason = f"a request to http://127.0.0.1:{nowhere}/hook got no answer"
    for name in CALLBACK_CHECK_NAMES:
        assert f"{CREATE}: {name}: {reason}" in out


def test_a_loopback_receiver_is_out_of_reach_of_a_server_elsewhere() -> None:
    receiver = "http://127.0.0.1:8123/callbacks"
    reason = unreachable_reason("https://api.nexmo.com", receiver)
    assert reason is not None and "give --callback-url" in reason
    assert unreachable_reason("http://127.0.0.1:8080", receiver) is None
    assert unreachable_reason("https://api.nexmo.com", "https://hooks.example.com/x") is None
    assert [is_loopback(url) for url in ("http://localhost:1", "http://[::1]:1", "http://a.b")] == [
        True,
        True,
        False,
    ]


def test_the_embedded_emulator_passes_the_callbacks_phase(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["--phases", "callbacks", "--verbose"], environ={})
    out = capsys.readouterr().out
    assert status == 0, out
    assert "\nfailures:" not in out and "could not tell" not in out


def test_the_embedded_emulator_is_given_the_run_s_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real, given = embedded.run_emulator, []

    def delivering_run_emulator(*, signature_secret: str, **options: Any) -> Any:
        given.append(signature_secret)
        return real(**options)

    monkeypatch.setattr(embedded, "run_emulator", delivering_run_emulator)
    chosen = Options(signature_secret=SECRET)
    with open_target(chosen, environ={}) as target:
        assert target.embedded and target.signature_secret == SECRET
    with open_target(Options(), environ={"VONAGE_SIGNATURE_SECRET": "from-the-environment"}) as t:
        assert t.signature_secret == "from-the-environment"
    with open_target(Options(), environ={}) as own:
        assert own.signature_secret and own.signature_secret not in (SECRET, given[1])
    assert given == [SECRET, "from-the-environment", own.signature_secret]


def test_a_user_that_does_not_exist_skips_the_phase_and_leaves_nothing_behind(
    delivering: servers.Server,
) -> None:
    summary = _check(delivering, users=("nobody",), signature_secret=SECRET)
    assert summary.result.phases["callbacks"] == "skip" and summary.verdict.code == 3
    reasons = {reason for _, _, reason in summary.result.skips}
    assert len(reasons) == 1 and "the user 'nobody' does not exist" in reasons.pop()
    with ConversationClient(
        application_id=servers.APPLICATION_ID, private_key=servers.PEM, base_url=delivering.url
    ) as client:
        assert list(client.conversations.list()) == []

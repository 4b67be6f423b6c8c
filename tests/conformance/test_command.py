"""The conformance command's parts around schemathesis: options and what they select, the
schemathesis command line and processes, and the command line itself (`conformance`, `token`,
`--version`). The preflight, targets, users and the fixture are in test_preflight_and_targets.py.

Why over 400 lines: the command's options each need a case of their own (checked before
anything runs), beside the schemathesis processes they shape.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from conformance_events import OK, answer, case, failed, ndjson, scenario, typed
from cryptography.hazmat.primitives import serialization
from fake_processes import fake_processes as _fake_run
from vonage_conversation._cli import main as vonage_conversation
from vonage_conversation_conformance import OptionError, Options, Plan
from vonage_conversation_conformance._options import available_checks, select_operations
from vonage_conversation_conformance._schemathesis import (
    STATEFUL_RUNS,
    ConformanceError,
    Processes,
    ProcessReport,
    schemathesis_command,
)
from vonage_conversation_conformance.cli import main
from vonage_conversation_emulator.keys import generate_private_key_pem

PEM = generate_private_key_pem().decode()


def test_operations_are_selected_by_id_or_path_less_those_excluded() -> None:
    def ids(**filters: tuple[str, ...]) -> list[str]:
        return [operation.operation_id for operation in select_operations(Options(**filters))]

    assert len(ids()) == 22
    assert ids(paths=("/v0.3/legs",), operation_ids=("getEvent",)) == ["getEvent", "listLegs"]
    assert ids(paths=("/v0.3/legs/{leg_id}",)) == ["deleteLeg"]
    assert "listLegs" not in ids(exclude_operation_ids=("listLegs",))
    assert len(ids(exclude_paths=("/v0.3/conversations",))) == 20
    with pytest.raises(OptionError, match="no operationId 'getUser' in the spec; known: list"):
        ids(operation_ids=("getUser",))
    with pytest.raises(OptionError, match="leave no operation"):
        ids(operation_ids=("getEvent",), exclude_operation_ids=("getEvent",))


def test_checks_and_phases_are_checked_before_anything_runs() -> None:
    assert "valid_token_accepted" in available_checks()
    assert "response_schema_conformance" in available_checks()
    plan = Plan.of(Options(phases=("stateful", "examples"), exclude_checks=("ignored_auth",)))
    assert plan.options.phases == ("examples", "stateful")  # in the order they run
    assert "ignored_auth" not in plan.checks and "valid_token_accepted" in plan.checks
    assert not plan.filtered
    for wrong, message in (
        ({"checks": ("typo_check",)}, "no check 'typo_check' to run"),
        ({"phases": ("fuzz",)}, "no phase 'fuzz' to run"),
        ({"phases": ()}, "names no phase"),
        ({"checks": ("ignored_auth",), "exclude_checks": ("ignored_auth",)}, "no check to run"),
    ):
        with pytest.raises(OptionError, match=message):
            Plan.of(Options(**wrong))  # type: ignore[arg-type]


def test_the_schemathesis_command_line_carries_the_options() -> None:
    plan = Plan.of(
        Options(
            max_examples=7,
            workers=2,
            seed=42,
            rate_limit="100/m",
            request_timeout=2.5,
            max_failures=3,
            operation_ids=("getEvent", "listLegs"),
        )
    )
    command = schemathesis_command(
        Path("spec.yaml"),
        Path("st.toml"),
        "http://h:1",
        plan.options,
        events=Path("e.ndjson"),
        checks=plan.schemathesis_checks,
        operations=plan.operations,
    )
    flags = dict(itertools.pairwise(command))  # each flag to the word after it
    assert flags["--config-file"] == "st.toml"
    assert (flags["--url"], flags["--max-examples"], flags["--workers"], flags["--seed"]) == (
        "http://h:1",
        "7",
        "2",
        "42",
    )
    assert (flags["--rate-limit"], flags["--request-timeout"], flags["--max-failures"]) == (
        "100/m",
        "2.5",
        "3",
    )
    assert flags["--checks"].split(",") == list(plan.schemathesis_checks)
    assert "member_listed" in plan.checks and "member_listed" not in flags["--checks"]
    assert flags["--phases"] == "examples,coverage,fuzzing,stateful"  # not semantic: ours
    assert (flags["--report"], flags["--report-ndjson-path"]) == ("ndjson", "e.ndjson")
    included = [
        command[i + 1] for i, word in enumerate(command) if word == "--include-operation-id"
    ]
    assert included == ["getEvent", "listLegs"]  # in the spec's order
    bare = schemathesis_command(
        Path("s"),
        Path("c"),
        "http://h",
        Options(),
        events=Path("e"),
        checks=("x",),
        operations=None,
    )
    assert not {"--seed", "--rate-limit", "--include-operation-id"} & set(bare)


def _writer(events: list[tuple[str, dict[str, object]]], code: int) -> str:
    return f"import sys; open(sys.argv[1], 'w').write({ndjson(events)!r}); sys.exit({code})"


def test_schemathesis_failing_without_a_failure_in_its_stream_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _fake_run(tmp_path, monkeypatch, _writer([("EngineStarted", {})], 1))
    assert not run.run(("examples",), None).explains(1)
    (error,) = run.result.errors
    assert error.message.startswith("exited with code 1 with no failure in its report")


SERVER_ERROR = failed("not_a_server_error", "500 Internal Server Error", title="Server error")


def _failing_scenario(phase: str, case_id: str) -> tuple[str, dict[str, object]]:
    return scenario(
        "Stateful tests" if phase == "stateful" else "POST /v0.3/conversations",
        phase,
        {case_id: case("POST", "/v0.3/conversations", [SERVER_ERROR], answer(500))},
    )


def test_a_failure_found_again_explains_the_exit_code_without_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: the same failure twice in the stateful phase, and already found by the
    process before, is kept once, and schemathesis's exit code 1 adds no error."""
    started = ("EngineStarted", {})
    first = _writer([started, _failing_scenario("examples", "a")], 1)
    run = _fake_run(tmp_path, monkeypatch, first)
    run.run(("examples",), None)
    again = [started, _failing_scenario("stateful", "b"), _failing_scenario("stateful", "c")]
    monkeypatch.setattr(
        "vonage_conversation_conformance._schemathesis.schemathesis_command",
        lambda *args, events, **kwargs: [sys.executable, "-c", _writer(again, 1), str(events)],
    )
    report = run.run(("stateful",), None)
    assert len(report.failures) == 1  # distinct, as schemathesis counts them
    assert report.explains(1)
    assert run.result.errors == []
    assert [(f.operation, f.check) for f in run.result.failures] == [
        ("POST /v0.3/conversations", "not_a_server_error")
    ]


def test_a_stream_tells_what_explains_a_failing_exit_code() -> None:
    def report(*records: tuple[str, dict[str, object]]) -> ProcessReport:
        done = ProcessReport()
        for event in typed([("EngineStarted", {}), *records]):
            done.handle_event(event)
        return done

    assert report().explains(0) and not report().explains(1)
    assert report(_failing_scenario("fuzzing", "a")).explains(1)
    error = {"name": "not_a_server_error", "status": "error"}
    crashed = scenario("GET /v0.3/legs", "fuzzing", {"a": case("GET", "/v0.3/legs", [error], None)})
    assert report(crashed).explains(1)
    failed_phase = ("PhaseFinished", {"phase": {"name": "fuzzing"}, "status": "error"})
    assert report(failed_phase).explains(1)
    assert report(("NonFatalError", {"value": {"type": "X"}})).explains(1)
    after_run = ("EngineFinished", {"stop_reason": "completed", "failures": [{"title": "t"}]})
    assert report(after_run).explains(1)
    skipped = ("PhaseFinished", {"phase": {"name": "coverage"}, "status": "skip"})
    assert not report(skipped, ("EngineFinished", {"stop_reason": "completed"})).explains(1)


def test_a_report_that_cannot_be_read_means_the_run_could_not_happen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "import sys; open(sys.argv[1], 'w').write('{\"EngineStarted\": {}}\\n[1]\\n')"
    run = _fake_run(tmp_path, monkeypatch, script)
    with pytest.raises(ConformanceError, match="schemathesis's report cannot be read: not a"):
        run.run(("examples",), None)


def test_schemathesis_stopping_before_it_started_means_the_run_could_not_happen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _fake_run(tmp_path, monkeypatch, "import sys; print('bad config'); sys.exit(2)")
    with pytest.raises(
        ConformanceError, match="stopped before testing \\(exit code 2\\):\nbad config"
    ):
        run.run(("examples",), None)


@pytest.mark.parametrize(
    ("seed", "found", "seeds"),
    [
        (7, [15, 50, 40, 99], [7, 8, 9]),  # until 100 scenarios have run
        (None, [120], [None]),  # one run when it runs them all
        (None, [1, 1, 1, 1, 1], [None] * STATEFUL_RUNS),  # at most this many runs
        (7, [15, -15], [7, 8]),  # not after a run that failed (a negative count here)
    ],
)
def test_the_stateful_phase_runs_again_until_it_ran_its_scenarios(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seed: int | None,
    found: list[int],
    seeds: list[int | None],
) -> None:
    given = iter(found)
    asked: list[int | None] = []
    run = _fake_run(tmp_path, monkeypatch, "")
    run.options = Plan.of(Options(max_examples=100, seed=seed)).options

    def one_process(self: Processes, phases: tuple[str, ...], seed: int | None) -> ProcessReport:
        """Stands in for a schemathesis process that ran `next(given)` scenarios."""
        assert phases == ("stateful",)
        asked.append(seed)
        scenarios = next(given)
        checks = [failed("not_a_server_error", "500")] if scenarios < 0 else [OK]
        one = scenario("", "stateful", {"a": case("GET", "/v0.3/legs", checks, answer(200))})
        report = ProcessReport()
        for event in typed([one] * abs(scenarios)):
            report.handle_event(event)
        return report

    monkeypatch.setattr(Processes, "run", one_process)
    run.stateful()
    assert asked == seeds


def test_credentials_without_a_url_and_counts_below_one_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--application-id", "a"], environ={}) == 2
    assert "go with --url" in capsys.readouterr().err
    assert main(["--max-examples", "0"], environ={}) == 2
    assert capsys.readouterr().err.strip() == (
        "vonage-conversation conformance: argument --max-examples: must be at least 1 (see --help)"
    )
    assert main(["--url", "http://127.0.0.1:9", "--application-id", "a"], environ={}) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("vonage-conversation conformance: give --private-key")


def test_callback_options_are_checked_in_one_line_before_the_preflight(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # An unreachable --url: a bad callback option must be refused before it is asked.
    target = ["--url", "http://127.0.0.1:9", "--application-id", "a", "--private-key", "k"]
    for options, message in (
        (
            ["--callback-url", "ftp://hooks.example.com/x", "--callback-listen", "0.0.0.0:8080"],
            "vonage-conversation conformance: argument --callback-url: not an http(s) URL with "
            "a host: 'ftp://hooks.example.com/x' (see --help)",
        ),
        (
            ["--callback-url", "https://hooks.example.com/x", "--callback-listen", "h:99999"],
            "vonage-conversation conformance: argument --callback-listen: not HOST:PORT with a "
            "port of 1 to 65535: 'h:99999' (see --help)",
        ),
        (
            ["--callback-url", "https://hooks.example.com/x"],
            "vonage-conversation conformance: --callback-url and --callback-listen go together: "
            "the public URL, and the address it is forwarded to",
        ),
        (
            ["--callback-listen", "127.0.0.1:8080"],
            "vonage-conversation conformance: --callback-url and",
        ),
    ):
        assert main([*target, *options], environ={}) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert line.startswith(message)


def test_the_callbacks_phase_runs_last_and_alone_when_asked() -> None:
    assert Plan.of(Options()).options.phases[-2:] == ("semantic", "callbacks")
    plan = Plan.of(Options(phases=("callbacks",)))
    assert plan.callbacks and not plan.semantic and not plan.schemathesis_phases
    assert "callback_signature_verifies" in available_checks()
    assert not Plan.of(Options(exclude_checks=plan.callback_checks)).callbacks


def test_help_documents_the_options_the_environment_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for option in (
        "--rate-limit",
        "--request-timeout",
        "--max-failures",
        "--checks",
        "--exclude-checks",
        "--operation-id",
        "--path",
        "--phases",
        "--verbose",
        "--callback-url",
        "--callback-listen",
        "--signature-secret",
    ):
        assert option in text
    for variable in (
        "VONAGE_APPLICATION_ID",
        "VONAGE_PRIVATE_KEY_PATH",
        "VONAGE_PRIVATE_KEY",
        "VONAGE_CONFORMANCE_USER",
        "VONAGE_SIGNATURE_SECRET",
    ):
        assert variable in text
    assert "exit status:\n  0  the server conforms" in text
    assert "\n  3  no failure found, but incomplete" in text
    listed = text.split("checks (schemathesis's phases):\n", 1)[1]
    schemathesis, semantic = listed.split("semantic checks (", 1)
    assert "valid_token_accepted" in schemathesis and "response_schema_conformance" in schemathesis
    assert "paging_covers_every_item_once" in semantic
    assert "callback_delivers_masked_events" in semantic.split("callback checks (", 1)[1]


def test_the_token_command_prints_a_jwt_for_the_configured_application(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "k.pem"
    key.write_text(PEM)
    monkeypatch.setenv("VONAGE_APPLICATION_ID", "app-3")
    monkeypatch.setenv("VONAGE_PRIVATE_KEY_PATH", str(key))
    monkeypatch.delenv("VONAGE_PRIVATE_KEY", raising=False)
    assert vonage_conversation(["token", "--sub", "ann", "--ttl", "60"]) == 0
    token = capsys.readouterr().out.strip()
    public = serialization.load_pem_private_key(PEM.encode(), None).public_key()
    claims = jwt.decode(token, public, algorithms=["RS256"])  # type: ignore[arg-type]
    assert (claims["application_id"], claims["sub"], claims["exp"] - claims["iat"]) == (
        "app-3",
        "ann",
        60,
    )
    monkeypatch.delenv("VONAGE_APPLICATION_ID")
    assert vonage_conversation(["token"]) == 2
    assert capsys.readouterr().err.startswith("vonage-conversation token: give --application-id")


def test_the_version_and_bad_flag_values_get_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert vonage_conversation(["--version"]) == 0
    assert capsys.readouterr().out.startswith("vonage-conversation 0.")
    assert vonage_conversation(["emulator", "--port", "99999"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        "vonage-conversation emulator: argument --port: 99999 is not a port: "
        "0 to 65535 (0: any free port) (see --help)"
    )


def test_the_client_package_loads_no_server_or_schemathesis_code() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, vonage_conversation\n"
            "from vonage_conversation import ConversationClient\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    modules = set(json.loads(loaded.replace("'", '"')))
    assert "vonage_conversation" in modules
    assert not modules & {
        "vonage_conversation_emulator",
        "vonage_conversation_conformance",
        "starlette",
        "uvicorn",
        "schemathesis",
        "hypothesis",
        "openapi_core",
    }


def test_importing_conformance_without_its_extra_says_which_to_install() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nsys.modules['schemathesis'] = None\n"
            "import vonage_conversation_conformance",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: vonage_conversation_conformance needs the `conformance` extra: "
        "pip install 'vonage-conversation[conformance]'"
    )

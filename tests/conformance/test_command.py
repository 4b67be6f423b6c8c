"""The conformance command's parts around schemathesis: options and what they select, the
schemathesis command line and processes, the preflight, targets and users, the fixture, and
the command line itself (`conformance`, `token`, `--version`)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import jwt
import mutant_servers as servers
import pytest
from conformance_events import OK, answer, case, failed, ndjson, scenario, typed
from cryptography.hazmat.primitives import serialization
from fake_processes import fake_processes as _fake_run
from vonage_conversation import ConversationClient
from vonage_conversation._cli import main as vonage_conversation
from vonage_conversation_conformance import OptionError, Options, Plan
from vonage_conversation_conformance._api import Api
from vonage_conversation_conformance._fixture import build_fixture
from vonage_conversation_conformance._maker import FIXTURE_CHECK, Maker, UserError
from vonage_conversation_conformance._options import available_checks, select_operations
from vonage_conversation_conformance._preflight import PreflightError, preflight
from vonage_conversation_conformance._results import RunResult
from vonage_conversation_conformance._schemathesis import (
    STATEFUL_RUNS,
    ConformanceError,
    Processes,
    ProcessReport,
    schemathesis_command,
)
from vonage_conversation_conformance._target import (
    Target,
    TargetError,
    remote_target,
    with_listed_users,
)
from vonage_conversation_conformance.cli import main
from vonage_conversation_emulator.embedded import run_emulator
from vonage_conversation_emulator.keys import generate_private_key_pem
from vonage_conversation_emulator.seed import SeedUser

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


def _transport(respond: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(respond)


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            httpx.Response(401, json={"title": "Invalid Token"}),
            "the server refused the credentials: 401 Invalid Token",
        ),
        (httpx.Response(403, text="no"), "the server refused the credentials: 403 Forbidden"),
        (
            httpx.Response(404, text="nope"),
            "not a Conversation API at http://h: GET /v0.3/conversations answered 404 Not Found",
        ),
        (
            httpx.Response(200, html="<p>hi</p>"),
            "not a Conversation API at http://h: GET /v0.3/conversations answered 200 with "
            "text/html; charset=utf-8, not JSON",
        ),
        (
            httpx.Response(200, json=[1, 2]),
            "answered 200 with JSON that is not a page of conversations",
        ),
        (
            httpx.Response(503, json={"title": "Down"}),
            "the server failed the first request (GET /v0.3/conversations answered 503 Down)",
        ),
    ],
)
def test_the_preflight_says_in_one_line_why_a_server_cannot_be_checked(
    response: httpx.Response, reason: str
) -> None:
    with pytest.raises(PreflightError) as refused:
        preflight("http://h", "app", PEM, transport=_transport(lambda request: response))
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_preflight_signs_one_cheap_read_then_sends_it_signed_by_another_key() -> None:
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) > 1:  # the second request's token is signed by another key
            return httpx.Response(401, json={"title": "Invalid Token"})
        return httpx.Response(200, json={"page_size": 1, "_embedded": {"conversations": []}})

    passed = preflight("http://h/", "app-7", PEM, transport=_transport(respond))
    signed, forged = seen
    for request in (signed, forged):
        assert (request.method, str(request.url)) == (
            "GET",
            "http://h/v0.3/conversations?page_size=1",
        )
    public = serialization.load_pem_private_key(PEM.encode(), password=None).public_key()
    token = signed.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, public, algorithms=["RS256"])["application_id"] == "app-7"
    forgery = forged.headers["Authorization"].removeprefix("Bearer ")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forgery, public, algorithms=["RS256"])
    assert jwt.decode(forgery, options={"verify_signature": False})["application_id"] == "app-7"
    assert not passed.accepts_forged
    assert passed.describe().startswith(
        "reached http://h/v0.3/conversations, credentials accepted and a token signed by another "
        "key refused"
    )


def test_the_preflight_says_when_the_server_accepts_a_token_it_should_refuse() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"page_size": 1, "_embedded": {"conversations": []}})

    passed = preflight("http://h/", "app-7", PEM, transport=_transport(respond))
    assert passed.accepts_forged
    assert "the server accepts a token it should refuse" in passed.describe()
    assert "credentials accepted" not in passed.describe()


def test_the_preflight_names_an_unreachable_server() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(PreflightError, match=r"^cannot reach http://h: \[Errno 111\] Connection"):
        preflight("http://h", "app", PEM, transport=_transport(refuse))


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        ("ftp://x", {}, "must be an http"),
        ("http://x", {}, "VONAGE_APPLICATION_ID"),
        ("http://x", {"VONAGE_APPLICATION_ID": "a"}, "VONAGE_PRIVATE_KEY_PATH"),
        (
            "http://x",
            {"VONAGE_APPLICATION_ID": "a", "VONAGE_PRIVATE_KEY_PATH": "/nonexistent"},
            "cannot read",
        ),
        (
            "http://x",
            {"VONAGE_APPLICATION_ID": "a", "VONAGE_PRIVATE_KEY": "not a key"},
            "cannot be used",
        ),
    ],
)
def test_a_remote_target_without_usable_credentials_is_refused(
    url: str, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(TargetError, match=message):
        remote_target(url, application_id=None, private_key=None, environ=environ)


def test_a_remote_target_takes_the_users_it_is_told_or_the_first_it_lists() -> None:
    seed = [SeedUser(name=name) for name in ("dana", "eve", "fay", "gus", "hal", "ida")]
    with run_emulator(private_key_pem=PEM, seed=seed) as emulator:
        environ = {"VONAGE_APPLICATION_ID": emulator.application_id, "VONAGE_PRIVATE_KEY": PEM}
        found = with_listed_users(
            remote_target(
                emulator.base_url + "/", application_id=None, private_key=None, environ=environ
            )
        )
        told = with_listed_users(
            remote_target(
                emulator.base_url,
                application_id=None,
                private_key=None,
                environ={**environ, "VONAGE_CONFORMANCE_USER": "erin, fred"},
            )
        )
    assert found.base_url == emulator.base_url
    assert (found.users, told.users) == (("dana", "eve", "fay", "gus", "hal"), ("erin", "fred"))
    assert PEM not in repr(found)


def test_a_failing_users_list_or_no_users_at_all_stops_the_run(tmp_path: Path) -> None:
    with run_emulator(private_key_pem=PEM) as emulator:
        empty = Target(emulator.base_url, emulator.application_id, PEM, users=(), embedded=False)
        with pytest.raises(TargetError, match="has no users to make members of"):
            with_listed_users(empty)
    with servers.serve(
        tmp_path, servers.rewrite_response("GET", "/v0.2/users", lambda r: r.replace(status=500))
    ) as broken:
        target = Target(
            broken.url, servers.APPLICATION_ID, servers.PEM.decode(), users=(), embedded=False
        )
        with pytest.raises(
            TargetError, match=r"cannot list the server's users .*VONAGE_CONFORMANCE_USER"
        ):
            with_listed_users(target)


def _maker(url: str, application_id: str, pem: str) -> Maker:
    return Maker(Api(url, application_id, pem, RunResult(), phase="setup"), "test")


def test_the_fixture_makes_every_resource_the_valid_requests_use() -> None:
    with run_emulator(private_key_pem=PEM, seed=[SeedUser(name="ann")]) as emulator:
        maker = _maker(emulator.base_url, emulator.application_id, PEM)
        fixture = build_fixture(maker, ("ann",))
        assert maker.api.result.failures == [] and fixture.notes == ()
        assert fixture.user_id is not None and fixture.deletable_leg_id is not None
        with ConversationClient.from_env(environ=emulator.env) as client:
            event = client.events.get(fixture.conversation_id, fixture.event_id)  # type: ignore[arg-type]
            assert str(event.from_) == fixture.member_id
            member = client.members.get(
                fixture.updatable_conversation_id,  # type: ignore[arg-type]
                fixture.updatable_member_id,  # type: ignore[arg-type]
            )
            assert str(member.state) == "JOINED"
            assert [leg.uuid for leg in client.legs.list()] == [fixture.deletable_leg_id]
            assert list(client.members.list(fixture.joinable_conversation_id)) == []  # type: ignore[arg-type]
            assert len(set(fixture.conversations)) == 5
            assert maker.delete() == 5
            assert list(client.conversations.list()) == []


def test_a_refused_setup_request_is_a_failure_of_its_operation_and_the_rest_goes_on(
    tmp_path: Path,
) -> None:
    refuse = servers.rewrite_response(
        "POST", "/v0.3/conversations/{conversation_id}/members", lambda r: r.replace(status=500)
    )
    with servers.serve(tmp_path, refuse) as server:
        maker = _maker(server.url, servers.APPLICATION_ID, servers.PEM.decode())
        fixture = build_fixture(maker, servers.USERS)
    failures = maker.api.result.failures
    members = "POST /v0.3/conversations/{conversation_id}/members"
    assert {failure.operation for failure in failures} == {members}
    assert {(failure.check, failure.status) for failure in failures} == {(FIXTURE_CHECK, 500)}
    assert failures[0].request is not None and failures[0].request.method == "POST"
    assert (fixture.member_id, fixture.event_id, fixture.deletable_leg_id) == (None, None, None)
    assert fixture.conversation_id is not None and len(fixture.conversations) == 5


def test_a_user_that_does_not_exist_stops_the_setup() -> None:
    with run_emulator(private_key_pem=PEM) as emulator:
        maker = _maker(emulator.base_url, emulator.application_id, PEM)
        with pytest.raises(UserError, match="the user 'nobody' does not exist on the server"):
            build_fixture(maker, ("nobody",))


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

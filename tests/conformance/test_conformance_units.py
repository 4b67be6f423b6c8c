"""The conformance command's parts, each on its own: reading results, reporting, hooks,
targets and arguments. (Whole runs: test_wrong_server.py and the main job.)"""

from __future__ import annotations

import base64
import itertools
import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from vonage_conversation_conformance import PHASES, Options, _junit, hooks
from vonage_conversation_conformance._report import summary, table
from vonage_conversation_conformance._results import Request, collect, read_events
from vonage_conversation_conformance._runner import (
    STATEFUL_RUNS,
    _Runs,
    phase_groups,
    schemathesis_command,
)
from vonage_conversation_conformance._target import Target, TargetError, remote_target
from vonage_conversation_conformance.cli import main
from vonage_conversation_emulator.embedded import run_emulator
from vonage_conversation_emulator.keys import generate_private_key_pem
from vonage_conversation_emulator.seed import SeedUser

PEM = generate_private_key_pem().decode()


def _scenario(label: str, phase: str, cases: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A ScenarioFinished event: cases maps an id to (method, path, checks, response)."""
    recorder: dict[str, Any] = {"label": label, "cases": {}, "checks": {}, "interactions": {}}
    for case_id, (method, path, checks, response) in cases.items():
        recorder["cases"][case_id] = {"value": {"method": method, "path": path}}
        recorder["checks"][case_id] = checks
        recorder["interactions"][case_id] = {
            "request": {"method": method, "uri": f"http://x{path}", "headers": {}},
            "response": response,
        }
    return "ScenarioFinished", {"phase": phase, "recorder": recorder}


def _failed(name: str, message: str, title: str = "Broken") -> dict[str, Any]:
    failure = {"title": title, "message": message}
    return {"name": name, "status": "failure", "failure_info": {"failure": failure}}


def _body(document: dict[str, Any]) -> dict[str, Any]:
    content = base64.b64encode(json.dumps(document).encode()).decode()
    return {"status_code": 400, "content": {"$base64": content}}


OK = {"name": "not_a_server_error", "status": "success"}
EVENTS = [
    ("PhaseFinished", {"phase": {"name": "examples"}, "status": "failure"}),
    _scenario(
        "GET /v0.3/legs",
        "coverage",
        {
            "a": (
                "GET",
                "/v0.3/legs",
                [OK, _failed("positive_data_acceptance", "x")],
                _body({"detail": "page_size: bad"}),
            ),
            # Probing another method on the path still counts for the operation tested.
            "b": ("DELETE", "/v0.3/legs", [OK], {"status_code": 405}),
            # The same failure again is one distinct failure, counted twice.
            "c": (
                "GET",
                "/v0.3/legs",
                [_failed("positive_data_acceptance", "x")],
                _body({"detail": "page_size: bad"}),
            ),
        },
    ),
    _scenario(
        "Stateful tests",
        "stateful",
        {
            "d": (
                "POST",
                "/v0.3/conversations",
                [
                    _failed(
                        "response_schema_conformance",
                        "Schema at /components/schemas/Conversation/properties/state:",
                    )
                ],
                {"status_code": 201},
            ),
            "e": ("GET", "/v0.3/conversations/{conversation_id}", [OK], {"status_code": 200}),
        },
    ),
]


def test_results_tally_every_check_per_operation() -> None:
    result = collect(EVENTS)
    assert result.phases == {"examples": "failure"}
    assert result.cases == 5
    legs = result.tallies["GET /v0.3/legs"]
    assert (legs["not_a_server_error"].passed, legs["positive_data_acceptance"].failed) == (2, 2)
    assert "DELETE /v0.3/legs" not in result.tallies
    assert (
        result.tallies["GET /v0.3/conversations/{conversation_id}"]["not_a_server_error"].passed
        == 1
    )
    assert result.stateless == {"GET /v0.3/legs": 3}
    assert result.stateful == {
        "POST /v0.3/conversations": 1,
        "GET /v0.3/conversations/{conversation_id}": 1,
    }


def test_results_keep_one_of_each_failure_naming_the_field() -> None:
    first, second = collect(EVENTS).failures
    assert (first.operation, first.check, first.field, first.status) == (
        "GET /v0.3/legs",
        "positive_data_acceptance",
        "page_size: bad",
        400,
    )
    assert second.operation == "POST /v0.3/conversations"
    assert second.field == "Conversation.state (/components/schemas/Conversation/properties/state)"
    assert second.phase == "stateful"


def _phase(name: str, status: str, skip_reason: str | None = None) -> tuple[str, dict[str, Any]]:
    return "PhaseFinished", {"phase": {"name": name, "skip_reason": skip_reason}, "status": status}


def test_results_of_several_runs_report_each_phase_once() -> None:
    stateless_run = [_phase("probing", "success"), _phase("fuzzing", "failure")]
    stateless_run.append(_phase("stateful", "skip", "disabled"))
    stateful_run = [_phase("probing", "success"), _phase("fuzzing", "skip", "disabled")]
    stateful_run.append(_phase("stateful", "success"))
    assert collect(stateless_run + stateful_run).phases == {
        "probing": "success",
        "fuzzing": "failure",
        "stateful": "success",
    }


@pytest.mark.parametrize(
    ("phases", "groups"),
    [
        (PHASES, [("examples", "coverage", "fuzzing"), ("stateful",)]),
        (("stateful", "fuzzing"), [("fuzzing",), ("stateful",)]),
        (("examples",), [("examples",)]),
        (("stateful",), [("stateful",)]),
    ],
)
def test_the_stateful_phase_runs_in_a_process_of_its_own(
    phases: tuple[str, ...], groups: list[tuple[str, ...]]
) -> None:
    assert phase_groups(phases) == groups


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
    broken = [_failed("not_a_server_error", "500")]

    def run(self: _Runs, phases: tuple[str, ...], seed: int | None) -> Path:
        """Stands in for a schemathesis process: an event stream of `next(given)` scenarios."""
        assert phases == ("stateful",)
        asked.append(seed)
        scenarios = next(given)
        checks = broken if scenarios < 0 else [OK]
        case = {"a": ("GET", "/v0.3/legs", checks, {"status_code": 200})}
        stream = tmp_path / f"events-{len(asked)}.ndjson"
        lines = (json.dumps(dict([_scenario("", "stateful", case)])) for _ in range(abs(scenarios)))
        stream.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return stream

    monkeypatch.setattr(_Runs, "run", run)
    runs = object.__new__(_Runs)  # no processes: `run` is the stand-in above
    runs.options = Options(max_examples=100, seed=seed)
    runs.stateful()
    assert asked == seeds


def test_results_count_the_stateful_scenarios() -> None:
    assert (
        collect(EVENTS).stateful_scenarios
        == sum(
            payload["phase"] == "stateful" for name, payload in EVENTS if name == "ScenarioFinished"
        )
        > 0
    )


def test_junit_reports_of_several_runs_become_one(tmp_path: Path) -> None:
    def report(name: str, failures: int, cases: str) -> Path:
        path = tmp_path / f"{name}.xml"
        suite = (
            f'<testsuite name="schemathesis" tests="2" failures="{failures}" errors="0" '
            f'skipped="0" time="1.5">{cases}</testsuite>'
        )
        path.write_text(f"<testsuites>{suite}</testsuites>", encoding="utf-8")
        return path

    failed = '<testcase name="POST /v0.3/conversations"><failure message="x"/></testcase>'
    stateless = report("a", 1, failed + '<testcase name="GET /v0.3/legs"/>')
    stateful = report("b", 0, '<testcase name="Stateful tests"/>')
    merged = tmp_path / "junit.xml"
    _junit.merge([("examples, fuzzing", stateless), ("stateful", stateful)], merged)
    root = ET.parse(merged).getroot()
    assert [suite.get("name") for suite in root] == [
        "schemathesis (examples, fuzzing)",
        "schemathesis (stateful)",
    ]
    assert (root.get("tests"), root.get("failures"), root.get("time")) == ("4", "1", "3.000000")
    assert [case.get("name") for case in root.iter("testcase")] == [
        "POST /v0.3/conversations",
        "GET /v0.3/legs",
        "Stateful tests",
    ]


def test_results_read_an_event_stream_file(tmp_path: Path) -> None:
    stream = tmp_path / "events.ndjson"
    stream.write_text("".join(json.dumps({n: p}) + "\n" for n, p in EVENTS), encoding="utf-8")
    assert collect(read_events(stream)) == collect(EVENTS)


def test_curl_sends_the_same_request_with_a_placeholder_token() -> None:
    body = '{"name": "a \\"b\\" $HOME `x` \\\\ end"}'
    request = Request(
        method="POST",
        url="http://127.0.0.1:1/v0.3/conversations?a=1&b=2",
        headers=(("Authorization", "[Filtered]"), ("Content-Type", "application/json")),
        body=body.encode(),
    )
    command = request.as_curl()
    assert command.startswith("curl -X POST ")
    # What a POSIX shell hands to curl: each argument on its own line.
    arguments = subprocess.run(
        ["sh", "-c", "printf '%s\\n' " + command.removeprefix("curl ")],
        capture_output=True,
        text=True,
        check=True,
        env={"VONAGE_JWT": "t0k3n", "HOME": "/nowhere"},
    ).stdout.splitlines()
    assert arguments == [
        *("-X", "POST", "-H", "Authorization: Bearer t0k3n"),
        *("-H", "Content-Type: application/json", "-d", body),
        "http://127.0.0.1:1/v0.3/conversations?a=1&b=2",
    ]


def test_table_shows_each_check_as_ok_fail_or_not_run() -> None:
    rows = {
        line.split()[0] + " " + line.split()[1]: line
        for line in table(collect(EVENTS)).splitlines()[2:]
        if line.startswith(("GET", "POST"))
    }
    assert "FAIL 2" in rows["GET /v0.3/legs"]
    assert rows["GET /v0.3/legs"].split()[2] == "3+0"
    assert rows["GET /v0.3/conversations/{conversation_id}"].split()[2:] == ["0+1", "ok", "-", "-"]


def test_summary_says_whether_the_server_conforms() -> None:
    failing = summary(collect(EVENTS), target="T")
    assert failing.startswith("conformance of T: 5 test cases; 2 distinct failures")
    assert "1. GET /v0.3/legs: positive_data_acceptance (Broken)" in failing
    assert "reproduce (export VONAGE_JWT=<a token> first):" in failing
    passing = summary(collect([EVENTS[0]]), target="T")
    assert "no failures: the server conforms to the spec" in passing
    assert "\nfailures:\n" not in passing


def _case(
    operation_id: str, positive: bool, phase: str = "fuzzing", **fields: Any
) -> SimpleNamespace:
    mode = SimpleNamespace(is_positive=positive)
    return SimpleNamespace(
        operation=SimpleNamespace(definition=SimpleNamespace(raw={"operationId": operation_id})),
        meta=SimpleNamespace(
            generation=SimpleNamespace(mode=mode), phase=SimpleNamespace(name=phase)
        ),
        query=fields.get("query", {}),
        path_parameters=fields.get("path", {}),
        body=fields.get("body"),
        headers={},
    )


@pytest.fixture
def run_identity() -> Iterator[None]:
    with hooks.using(hooks.RunSettings("app-1", PEM, ("carol", "dave"))):
        yield


@pytest.mark.usefixtures("run_identity")
def test_hooks_make_positive_requests_actionable() -> None:
    member = _case(
        "createMember",
        True,
        body={"user": {"id": "USR-random"}, "member_id_inviting": "MEM-x", "state": "joined"},
    )
    assert hooks.map_case(None, member).body == {"user": {"name": "carol"}, "state": "joined"}  # type: ignore[arg-type]

    # The first user until the server says it is a member, then the others in turn.
    def new_member(conversation: str, status: int | None = None) -> str:
        case = _case(
            "createMember", True, body={"user": {}}, path={"conversation_id": conversation}
        )
        name = str(hooks.map_case(None, case).body["user"]["name"])  # type: ignore[arg-type]
        if status is not None:
            hooks.after_call(None, case, SimpleNamespace(status_code=status))  # type: ignore[arg-type]
        return name

    assert new_member("CON-1", status=400) == "carol"
    assert new_member("CON-1", status=201) == "carol"
    assert [new_member("CON-1") for _ in range(2)] == ["dave", "dave"]
    assert new_member("CON-2") == "carol"
    event = _case("createEvent", True, body={"type": "text", "to": "MEM-x", "from": "MEM-y"})
    assert hooks.map_case(None, event).body == {"type": "text", "from": "MEM-y"}  # type: ignore[arg-type]
    page = _case("listEvents", True, query={"cursor": "made-up", "page_size": 5})
    assert hooks.map_case(None, page).query == {"page_size": 5}  # type: ignore[arg-type]


@pytest.mark.usefixtures("run_identity")
def test_hooks_make_members_join_in_the_stateful_phase_only() -> None:
    def state(phase: str, positive: bool = True) -> object:
        body = {"user": {"name": "x"}, "state": "invited"}
        case = _case("createMember", positive, phase, body=body)
        return hooks.map_case(None, case).body.get("state")  # type: ignore[arg-type]

    assert (state("stateful"), state("fuzzing"), state("stateful", positive=False)) == (
        "joined",
        "invited",
        "invited",
    )
    without_state = _case("createMember", True, "stateful", body={"user": {"name": "x"}})
    assert hooks.map_case(None, without_state).body["state"] == "joined"  # type: ignore[arg-type]


@pytest.mark.usefixtures("run_identity")
def test_hooks_treat_the_specs_own_examples_as_positive() -> None:
    example = _case("createMember", True, body={"user": {"id": "USR-82e0"}})
    example.meta = None  # an explicit example carries no generation data
    assert hooks.map_case(None, example).body == {"user": {"name": "carol"}}  # type: ignore[arg-type]


@pytest.mark.usefixtures("run_identity")
def test_hooks_leave_negative_requests_as_generated() -> None:
    body = {"user": 5, "member_id_inviting": []}
    case = _case("createMember", False, body=dict(body), query={"cursor": ""})
    hooks.map_case(None, case)  # type: ignore[arg-type]
    assert (case.body, case.query) == (body, {"cursor": ""})


@pytest.mark.usefixtures("run_identity")
def test_hooks_sign_with_a_user_jwt_only_where_one_is_needed() -> None:
    provider = hooks.VonageJWT()
    for operation_id, sub in (("getMyMember", "carol"), ("listConversations", None)):
        case = _case(operation_id, True)
        provider.set(case, provider.get(case, None), None)  # type: ignore[arg-type]
        token = case.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, options={"verify_signature": False})
        assert (claims["application_id"], claims.get("sub")) == ("app-1", sub)


def test_hooks_without_an_identity_say_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(hooks.APPLICATION_ID, raising=False)
    with hooks.using(None), pytest.raises(RuntimeError, match="VONAGE_APPLICATION_ID is not set"):
        hooks.settings()


def test_an_identity_set_for_a_block_is_undone_after_it() -> None:
    outer = hooks.RunSettings("outer", PEM)
    with hooks.using(outer):
        with hooks.using(hooks.RunSettings("inner", PEM)):
            assert hooks.settings().application_id == "inner"
        assert hooks.settings() is outer


def test_the_command_line_carries_the_options(tmp_path: Path) -> None:
    target = Target("http://h:1", "app", PEM, users=(), embedded=False)
    options = Options(max_examples=7, workers=2, seed=42, junit_xml=tmp_path / "j.xml")
    command = schemathesis_command(
        Path("spec.yaml"), Path("st.toml"), target, options, Path("e.ndjson")
    )
    flags = dict(itertools.pairwise(command))  # each flag to the word after it
    assert flags["--config-file"] == "st.toml"
    assert (flags["--url"], flags["--max-examples"], flags["--workers"], flags["--seed"]) == (
        "http://h:1",
        "7",
        "2",
        "42",
    )
    assert (flags["--checks"], flags["--generation-codec"]) == ("all", "utf-8")
    assert flags["--phases"] == "examples,coverage,fuzzing,stateful"
    assert flags["--report"] == "ndjson,junit" and flags["--report-junit-path"] == str(
        tmp_path / "j.xml"
    )
    assert "--seed" not in schemathesis_command(Path("s"), Path("c"), target, Options(), Path("e"))


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


def test_a_remote_target_finds_users_unless_told_them() -> None:
    seed = [SeedUser(name=name) for name in ("dana", "eve", "fay", "gus", "hal", "ida")]
    with run_emulator(private_key_pem=PEM, seed=seed) as emulator:
        environ = {"VONAGE_APPLICATION_ID": emulator.application_id, "VONAGE_PRIVATE_KEY": PEM}
        found = remote_target(
            emulator.base_url + "/", application_id=None, private_key=None, environ=environ
        )
        told = remote_target(
            emulator.base_url,
            application_id=None,
            private_key=None,
            environ={**environ, "VONAGE_CONFORMANCE_USER": "erin, fred"},
        )
    assert found.base_url == emulator.base_url
    assert (found.users, told.users) == (("dana", "eve", "fay", "gus", "hal"), ("erin", "fred"))
    assert PEM not in repr(found)


def test_credentials_without_a_url_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--application-id", "a"]) == 2
    assert "go with --url" in capsys.readouterr().err


def test_a_run_that_cannot_start_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--url", "http://127.0.0.1:9", "--application-id", "a"]) == 2
    assert capsys.readouterr().err.startswith("conformance: give --private-key")


def test_counts_must_be_positive() -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--max-examples", "0"])
    assert refused.value.code == 2

"""The verdict (exit status) a run's counts make, and the report and JUnit file that show it."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance_events import VERIFYING_OK, answer, case, failed, scenario, typed
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._events import RunFinished
from vonage_conversation_conformance._junit import JUnitReport, write_junit
from vonage_conversation_conformance._options import spec_operations
from vonage_conversation_conformance._report import Summary, console, render
from vonage_conversation_conformance._results import (
    VERIFYING_CHECKS,
    Request,
    RunError,
    RunResult,
)
from vonage_conversation_conformance._verdict import ExitCode, judge

VERIFYING = frozenset(VERIFYING_CHECKS)
LEGS = "GET /v0.3/legs"
DELETE_LEG = "DELETE /v0.3/legs/{leg_id}"
ALL = tuple(operation.label for operation in spec_operations())


def _result(
    *answers: tuple[str, int],
    checks: list[dict[str, object]] = VERIFYING_OK,
    selected: tuple[str, ...] = VERIFYING_CHECKS,
) -> RunResult:
    """A result where each (operation, status) got one answer passing `checks`."""
    collector = Collector(selected)
    for number, (operation, status) in enumerate(answers):
        method, path = operation.split(" ", 1)
        collector.feed(
            typed(
                [
                    scenario(
                        operation,
                        "fuzzing",
                        {str(number): case(method, path, checks, answer(status))},
                    )
                ]
            )
        )
    return collector.result


def test_every_operation_verified_and_nothing_failed_conforms() -> None:
    verdict = judge(_result((LEGS, 200), (DELETE_LEG, 204)), (LEGS, DELETE_LEG), VERIFYING)
    assert (verdict.code, verdict.unverified) == (ExitCode.CONFORMS, ())


def test_an_operation_never_verified_makes_the_run_incomplete_and_says_why() -> None:
    result = _result((LEGS, 200), (DELETE_LEG, 404), (DELETE_LEG, 404))
    verdict = judge(result, (LEGS, DELETE_LEG, "GET /v0.2/users"), VERIFYING)
    assert verdict.code == ExitCode.INCOMPLETE == 3
    assert [(item.operation, item.reason) for item in verdict.unverified] == [
        (DELETE_LEG, "every request answered 404"),
        ("GET /v0.2/users", "no request was sent to it"),
    ]
    mixed = judge(
        _result((DELETE_LEG, 404), (DELETE_LEG, 400), (DELETE_LEG, 404)), (DELETE_LEG,), VERIFYING
    )
    assert mixed.unverified[0].reason == "no request answered 2xx (404 x2, 400 x1)"
    unchecked = judge(_result((LEGS, 200), checks=[]), (LEGS,), VERIFYING)
    assert (
        unchecked.unverified[0].reason == "no 2xx response passed the checks of success responses"
    )
    nothing = judge(_result((LEGS, 200), selected=("not_a_server_error",)), (LEGS,), frozenset())
    assert nothing.unverified[0].reason.startswith("no check of success responses is selected")


def test_a_failure_or_an_error_fails_the_run_whatever_was_verified() -> None:
    failing = _result((LEGS, 500), checks=[*VERIFYING_OK, failed("not_a_server_error", "500")])
    assert judge(failing, (LEGS,), VERIFYING).code == ExitCode.FAILED == 1
    erring = _result((LEGS, 200))
    erring.add_error(RunError(LEGS, "fuzzing", "ConnectionError", "reset"))
    verdict = judge(erring, (LEGS,), VERIFYING)
    assert verdict.code == ExitCode.FAILED
    assert verdict.headline == "the server does not conform: 1 errors"


def _render(summary: Summary, *, width: int = 120, verbose: bool = False) -> str:
    buffer = io.StringIO()
    render(summary, console(file=buffer, width=width), verbose=verbose)
    return buffer.getvalue()


def test_the_report_of_every_operation_fits_120_columns() -> None:
    result = _result(*((operation, 200) for operation in ALL))
    for tally in result.operations.values():  # counts as large as a long run makes
        tally.requests, tally.checks["response_schema_conformance"].passed = 9999, 99999
    text = _render(Summary("the embedded emulator", result, judge(result, ALL, VERIFYING), ALL))
    lines = text.splitlines()
    assert lines[0] == "conformance of the embedded emulator: the server conforms to the spec"
    assert "22 of 22 operations verified" in lines[1]
    assert max(len(line) for line in lines) <= 120
    operations_table = text.split("sent: requests, probes included")[0].splitlines()
    rows = [
        line
        for line in operations_table
        if line.split(" ", 1)[0] in ("GET", "POST", "PUT", "PATCH", "DELETE")
    ]
    assert [row.split()[1] for row in rows] == [operation.split()[1] for operation in ALL]
    assert all(row.rstrip().endswith("yes") for row in rows)


def test_the_report_lists_what_was_not_verified_the_errors_and_the_failures() -> None:
    result = _result(
        (LEGS, 400), checks=[failed("positive_data_acceptance", "Valid data was refused")]
    )
    result.add_error(RunError(DELETE_LEG, "fuzzing", "ConnectionError", "reset by peer"))
    summary = Summary(
        "http://h",
        result,
        judge(result, (LEGS, DELETE_LEG), VERIFYING),
        (LEGS, DELETE_LEG),
        junit_xml="/tmp/r.xml",
        token_command=lambda operation, sub: "vonage-conversation token --sub ann",
    )
    text = _render(summary, verbose=True)
    assert text.startswith(
        "conformance of http://h: the server does not conform: 1 failures and 1 errors"
    )
    assert f"not verified:\n  {LEGS}: every request answered 400\n  {DELETE_LEG}: " in text
    assert f"errors:\n1. {DELETE_LEG} (fuzzing): ConnectionError: reset by peer" in text
    assert f"failures:\n1. {LEGS}: positive_data_acceptance (Broken)" in text
    assert "   | Valid data was refused" in text
    assert "   export VONAGE_JWT=$(vonage-conversation token --sub ann)\n   curl -X GET" in text
    assert text.rstrip().endswith("JUnit report: /tmp/r.xml")
    verbose = text.split("checks, by verdict", 1)[1]
    assert re.search(r"\nGET /v0.3/legs +FAIL 1: positive\s*\n", verbose)


def test_the_junit_report_has_a_case_per_operation_with_its_failures_and_errors(
    tmp_path: Path,
) -> None:
    result = _result(
        (LEGS, 400), (DELETE_LEG, 404), checks=[failed("positive_data_acceptance", "refused")]
    )
    stateful = scenario(
        "Stateful tests",
        "stateful",
        {
            "s": case(
                "POST",
                "/v0.3/conversations",
                [failed("use_after_free", "still there")],
                answer(200),
            )
        },
    )
    Collector(VERIFYING_CHECKS, result).feed(typed([stateful]))
    result.add_error(RunError(None, None, "schemathesis", "exited with code 2"))
    operations = (LEGS, "GET /v0.2/users")
    path = tmp_path / "nested" / "report.xml"
    write_junit(path, Summary("T", result, judge(result, operations, VERIFYING), operations))
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [
        LEGS,
        "GET /v0.2/users",
        DELETE_LEG,
        "POST /v0.3/conversations",
        "the run",
    ]
    legs_failure = cases[LEGS].find("failure")
    assert legs_failure is not None and legs_failure.get("message") == "positive_data_acceptance"
    assert "reproduce:" in (legs_failure.text or "")
    skipped = cases["GET /v0.2/users"].find("skipped")
    assert (
        skipped is not None and skipped.get("message") == "not verified: no request was sent to it"
    )
    stateful_failure = cases["POST /v0.3/conversations"].find("failure")
    assert stateful_failure is not None and stateful_failure.get("message") == "use_after_free"
    assert cases["the run"].find("error") is not None
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == ("5", "3", "1", "1")


def test_curl_sends_the_same_request_with_the_token_from_the_environment() -> None:
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


def test_the_junit_report_is_written_by_its_handler_when_the_run_finishes(tmp_path: Path) -> None:
    result = _result((LEGS, 200))
    summary = Summary("T", result, judge(result, (LEGS,), VERIFYING), (LEGS,))
    path = tmp_path / "run.xml"
    handler = JUnitReport(path)
    for event in typed([scenario(LEGS, "fuzzing", {}), ("EngineFinished", {})]):
        handler.handle_event(event)
    assert not path.exists()  # the run is not over
    handler.handle_event(RunFinished(summary))
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None and [c.get("name") for c in suite.iter("testcase")] == [LEGS]

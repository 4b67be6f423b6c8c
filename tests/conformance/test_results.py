"""Counting what a run did, from schemathesis's event stream: only what happened counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conformance_events import (
    CTYPE_OK,
    OK,
    SCHEMA_OK,
    STATUS_OK,
    VERIFYING_OK,
    answer,
    case,
    failed,
    phase_finished,
    scenario,
    typed,
)
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._results import VERIFYING_CHECKS, RunError
from vonage_conversation_conformance._stream import (
    EngineStarted,
    Initialize,
    StreamError,
    StreamFollower,
    read_events,
)

SELECTED = ("not_a_server_error", *VERIFYING_CHECKS)
LEGS = "GET /v0.3/legs"
CONVERSATION = "GET /v0.3/conversations/{conversation_id}"


def _collect(*events: tuple[str, dict[str, object]], selected: tuple[str, ...] = SELECTED):
    return Collector(selected).feed(typed(events))


def test_requests_and_answers_are_counted_per_operation_by_class() -> None:
    result = _collect(
        scenario(
            LEGS,
            "fuzzing",
            {
                "a": case("GET", "/v0.3/legs", [OK], answer(200)),
                "b": case("GET", "/v0.3/legs", [OK], answer(400)),
                "c": case("GET", "/v0.3/legs", [], None),  # no answer: a request, no test case
                "d": case("DELETE", "/v0.3/legs", [OK], answer(405)),  # another method probed
                "e": case("GET", "/v0.3/legs", [], answer(401), parent="a"),  # a check's probe
            },
        )
    )
    legs = result.operations[LEGS]
    assert legs.requests == 5
    assert dict(legs.responses) == {"2xx": 1, "4xx": 3, "none": 1}
    assert legs.test_cases == 3  # a, b, d: not the probe, not the unanswered one
    assert dict(legs.statuses) == {200: 1, 400: 1}  # its own method only
    assert result.test_cases == 3
    assert result.phase_requests == {"fuzzing": 5}


def test_check_verdicts_are_kept_apart_and_a_silent_check_is_a_skip() -> None:
    checks = [
        OK,
        {"name": "status_code_conformance", "status": "error"},
        failed(SCHEMA_OK["name"], "x"),
    ]
    result = _collect(
        scenario(LEGS, "fuzzing", {"a": case("GET", "/v0.3/legs", checks, answer(200))})
    )
    tally = result.operations[LEGS]
    assert (tally.total("passed"), tally.total("failed"), tally.total("errored")) == (1, 1, 1)
    # content_type_conformance was selected and said nothing about this response.
    assert tally.checks["content_type_conformance"].skipped == 1
    assert tally.total("skipped") == 1
    assert result.errors == [
        RunError(LEGS, "fuzzing", "check error", "the check status_code_conformance crashed")
    ]


def test_a_verdict_recorded_on_a_probe_counts_for_the_operation() -> None:
    result = _collect(
        scenario(
            LEGS,
            "examples",
            {
                "a": case("GET", "/v0.3/legs", [OK, *VERIFYING_OK], answer(200)),
                "b": case(
                    "GET",
                    "/v0.3/legs",
                    [failed("ignored_auth", "no auth")],
                    answer(200),
                    parent="a",
                ),
            },
        )
    )
    (failure,) = result.failures
    assert (failure.operation, failure.check) == (LEGS, "ignored_auth")
    assert result.operations[LEGS].checks["ignored_auth"].failed == 1


def test_an_operation_is_verified_by_a_2xx_that_passed_every_check_of_success_responses() -> None:
    def verified(
        checks: list[dict[str, object]], status: int = 200, method: str = "GET"
    ) -> str | None:
        events = scenario(
            LEGS, "coverage", {"a": case(method, "/v0.3/legs", checks, answer(status))}
        )
        return _collect(events).operations[LEGS].verified_in

    assert verified(VERIFYING_OK) == "coverage"
    assert verified([STATUS_OK, CTYPE_OK]) is None  # the body was not validated
    assert verified([*VERIFYING_OK[:2], failed(SCHEMA_OK["name"], "bad")]) is None
    assert verified(VERIFYING_OK, status=404) is None
    assert verified(VERIFYING_OK, method="DELETE") is None  # a probe of another method


def test_a_stateful_case_counts_for_its_own_operation() -> None:
    result = _collect(
        scenario(
            "Stateful tests",
            "stateful",
            {
                "a": case("POST", "/v0.3/conversations", VERIFYING_OK, answer(201)),
                "b": case(
                    "GET",
                    "/v0.3/conversations/{conversation_id}",
                    VERIFYING_OK,
                    answer(200),
                    parent="a",
                    transition=True,
                ),
            },
        )
    )
    assert result.operations[CONVERSATION].verified_in == "stateful"
    assert result.operations[CONVERSATION].stateful_requests == 1
    assert result.stateful_scenarios == 1


def test_failures_are_kept_once_each_naming_the_field_at_fault() -> None:
    bad = failed(
        "response_schema_conformance",
        "Schema at /components/schemas/Conversation/properties/state:",
    )
    result = _collect(
        scenario(
            LEGS,
            "coverage",
            {
                "a": case(
                    "GET",
                    "/v0.3/legs",
                    [failed("positive_data_acceptance", "x")],
                    answer(400, {"detail": "page_size: bad"}),
                ),
                "b": case(
                    "GET",
                    "/v0.3/legs",
                    [failed("positive_data_acceptance", "x")],
                    answer(400, {"detail": "page_size: bad"}),
                ),
            },
        ),
        scenario(
            "Stateful tests",
            "stateful",
            {"c": case("POST", "/v0.3/conversations", [bad], answer(201))},
        ),
    )
    first, second = result.failures
    assert (first.operation, first.check, first.field, first.status) == (
        LEGS,
        "positive_data_acceptance",
        "page_size: bad",
        400,
    )
    assert result.operations[LEGS].checks["positive_data_acceptance"].failed == 2
    assert second.field == "Conversation.state (/components/schemas/Conversation/properties/state)"
    assert (second.operation, second.phase) == ("POST /v0.3/conversations", "stateful")


def test_schemathesis_errors_are_kept_with_their_operation() -> None:
    result = _collect(
        (
            "NonFatalError",
            {
                "value": {"type": "ConnectionError", "message": "refused"},
                "phase": "examples",
                "label": LEGS,
                "related_to_operation": True,
            },
        ),
        (
            "NonFatalError",
            {
                "value": {"type": "ConfigError", "message": "bad auth"},
                "phase": "examples",
                "label": "Authentication",
                "related_to_operation": False,
            },
        ),
        ("FatalError", {"exception": {"type": "SchemaError", "message": "broken"}}),
        (
            "EngineFinished",
            {
                "stop_reason": "server_unavailable",
                "failures": [{"type": "CustomFailure", "operation": None, "title": "After run"}],
            },
        ),
    )
    assert result.errors == [
        RunError(LEGS, "examples", "ConnectionError", "refused"),
        RunError(None, "examples", "ConfigError", "bad auth"),  # names no operation
        RunError(None, None, "SchemaError", "broken"),
    ]
    assert result.stop_reasons == ["server_unavailable"]
    # A check schemathesis ran after the run failed: its failure is the run's.
    ((operation, check, title),) = [(f.operation, f.check, f.title) for f in result.failures]
    assert (operation, check, title) == ("the run", "after_run", "After run")


def test_a_phase_run_by_several_processes_reports_its_worst_status() -> None:
    result = _collect(
        phase_finished("fuzzing", "failure"),
        phase_finished("stateful", "skip", "disabled"),
        phase_finished("fuzzing", "skip", "disabled"),
        phase_finished("stateful", "success"),
        phase_finished("examples", "success"),
        phase_finished("examples", "error"),
    )
    assert result.phases == {"fuzzing": "failure", "stateful": "success", "examples": "error"}


def test_a_stream_is_followed_a_whole_line_at_a_time(tmp_path: Path) -> None:
    stream = tmp_path / "events.ndjson"
    follower = StreamFollower(stream)
    assert follower.poll() == []  # not written yet
    first = json.dumps({"Initialize": {"seed": 1}})
    second = json.dumps({"EngineStarted": {}})
    stream.write_text(first + "\n" + second[:5], encoding="utf-8")
    assert follower.poll() == [Initialize(1)]
    with stream.open("a", encoding="utf-8") as more:
        more.write(second[5:])  # the last line without its newline
    assert follower.poll() == []
    assert follower.finish() == [EngineStarted()]
    assert list(read_events(stream)) == [Initialize(1), EngineStarted()]


def test_events_nothing_reads_are_skipped_and_a_line_that_is_no_event_is_an_error(
    tmp_path: Path,
) -> None:
    stream = tmp_path / "events.ndjson"
    stream.write_text('{"SuiteStarted": {"phase": "examples"}}\n\n{"EngineStarted": {}}\n')
    assert list(read_events(stream)) == [EngineStarted()]
    for wrong in ("[1, 2]", '{"A": {}, "B": {}}', "not json"):
        stream.write_text(wrong + "\n")
        with pytest.raises(StreamError, match="not a schemathesis event"):
            list(read_events(stream))

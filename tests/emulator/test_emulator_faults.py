"""Faults set with ``POST /_emulator/faults`` and the rate limit (``--rate-limit``): what a call
of the API gets in place of its answer, and what the emulator's own routes never get."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from emulator_support import assert_error
from test_emulator_admin import created, http_for, serve
from vonage_conversation import ConversationClient, RetryPolicy
from vonage_conversation_emulator import app as app_module
from vonage_conversation_emulator.cli import _parser
from vonage_conversation_emulator.control import EmulatorControl
from vonage_conversation_emulator.embedded import EmulatorInstance
from vonage_conversation_emulator.faults import Fault, FaultTable
from vonage_conversation_emulator.ratelimit import DEFAULT_RATE, RateLimiter


@pytest.fixture
def control(emulator: EmulatorInstance) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator.base_url, emulator.token) as control:
        yield control


@pytest.fixture
def conversation(raw: httpx.Client) -> str:
    return str(created(raw.post("/v0.3/conversations", json={"name": "support"}))["id"])


# Faults over HTTP (`raw` checks every API answer against the spec, the injected ones too)


def test_a_fault_of_count_2_answers_twice_then_the_real_answer_comes(
    raw: httpx.Client, control: EmulatorControl, conversation: str
) -> None:
    fault = control.fail("getConversation", status=503, count=2, retry_after=1)
    assert fault == {
        "id": fault["id"],
        "operation": "getConversation",
        "status": 503,
        "count": 2,
        "retry_after": 1,
    }
    for left in (1, 0):
        answer = raw.get(f"/v0.3/conversations/{conversation}")
        body = assert_error(answer, 503, "emulator:error:injected-fault")
        assert fault["id"] in body["detail"] and "injected" in body["detail"]
        assert answer.headers["Retry-After"] == "1"
        assert [f.get("count") for f in control.faults()] == ([left] if left else [])
    assert raw.get(f"/v0.3/conversations/{conversation}").status_code == 200


def test_a_fault_answers_only_its_operation_before_validation(
    raw: httpx.Client, control: EmulatorControl, conversation: str
) -> None:
    control.fail("createConversation", status=429, retry_after=7)
    # Without a count it answers every call, a malformed one too (before validation).
    for body in ({"name": "a"}, {"name": 5}):
        answer = raw.post("/v0.3/conversations", json=body)
        assert_error(answer, 429, "emulator:error:injected-fault")
        assert answer.headers["Retry-After"] == "7"
    assert raw.get(f"/v0.3/conversations/{conversation}").status_code == 200
    assert len(control.faults()) == 1


def test_the_client_s_retries_get_through_a_503_fault_waiting_its_retry_after(
    emulator: EmulatorInstance, control: EmulatorControl, conversation: str
) -> None:
    sleeps: list[float] = []
    control.fail("getConversation", status=503, count=2, retry_after=1)
    with ConversationClient(
        application_id=emulator.application_id,
        private_key=emulator.private_key_pem,
        base_url=emulator.base_url,
        retry=RetryPolicy(sleep=sleeps.append),
    ) as client:
        assert client.conversations.get(conversation).name == "support"
    assert sleeps == [1.0, 1.0]
    assert control.faults() == []


def test_a_fault_of_probability_1_and_star_answers_every_api_call_but_no_emulator_route(
    raw: httpx.Client, control: EmulatorControl, conversation: str
) -> None:
    control.fail("*", status=500, probability=1)
    for path in (f"/v0.3/conversations/{conversation}", "/v0.3/legs", "/v0.2/users"):
        assert_error(raw.get(path), 500, "emulator:error:injected-fault")
    assert "Retry-After" not in raw.get("/v0.3/legs").headers
    # The emulator's own routes never take a fault, so it can always be cleared.
    assert raw.get(f"/_emulator/deliveries?conversation_id={conversation}").status_code == 200
    assert raw.post("/_emulator/users", json={"name": "alice"}).status_code == 201
    control.now()
    assert [f["probability"] for f in control.faults()] == [1]
    control.clear_faults()
    assert raw.get("/v0.3/legs").status_code == 200


def test_a_latency_only_fault_waits_then_gives_the_real_answer(
    raw: httpx.Client, control: EmulatorControl, conversation: str, monkeypatch: Any
) -> None:
    waits: list[float] = []
    real_sleep = anyio.sleep

    async def recording_sleep(seconds: float) -> None:
        waits.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(app_module.anyio, "sleep", recording_sleep)
    control.fail("getConversation", latency_ms=250, count=1)
    assert raw.get(f"/v0.3/conversations/{conversation}").status_code == 200
    assert raw.get(f"/v0.3/conversations/{conversation}").status_code == 200
    assert waits == [0.25]


BAD_FAULTS = {
    "unknown operation": ({"operation": "getConversaton", "status": 500}, "operation: "),
    "an emulator route": ({"operation": "emulatorReset", "status": 500}, "operation: "),
    "no operation": ({"status": 500}, ""),
    "not an error status": ({"operation": "*", "status": 302}, "status: "),
    "count 0": ({"operation": "*", "status": 500, "count": 0}, "count: "),
    "probability 0": ({"operation": "*", "status": 500, "probability": 0}, "probability: "),
    "probability over 1": ({"operation": "*", "status": 500, "probability": 1.5}, "probability"),
    "count and probability": (
        {"operation": "*", "status": 500, "count": 1, "probability": 0.5},
        "count, probability: give one of them at most",
    ),
    "does nothing": ({"operation": "*", "count": 1}, "status: required unless latency_ms"),
    "negative latency": ({"operation": "*", "latency_ms": -1}, "latency_ms: "),
    "retry_after without a status": (
        {"operation": "*", "latency_ms": 1, "retry_after": 1},
        "retry_after: ",
    ),
    "unknown field": ({"operation": "*", "status": 500, "when": "now"}, ""),
}


@pytest.mark.parametrize(("body", "detail"), BAD_FAULTS.values(), ids=BAD_FAULTS.keys())
def test_a_bad_fault_is_refused_naming_the_field(
    raw: httpx.Client, control: EmulatorControl, body: dict[str, Any], detail: str
) -> None:
    answer = raw.post("/_emulator/faults", json=body)
    refused = assert_error(answer, 400, "http:error:validation-fail")
    assert refused["detail"].startswith(detail), refused["detail"]
    assert control.faults() == []


def test_an_unknown_operation_is_named_with_the_one_meant(raw: httpx.Client) -> None:
    answer = raw.post("/_emulator/faults", json={"operation": "getConversaton", "status": 500})
    detail = assert_error(answer, 400, "http:error:validation-fail")["detail"]
    assert "'getConversaton'" in detail and "did you mean getConversation?" in detail


# The fault table itself


def test_a_probability_fault_fires_on_its_draws_and_lets_the_others_pass_to_the_next() -> None:
    draws = iter([0.7, 0.2])
    table = FaultTable(chance=lambda: next(draws))
    half = table.add("app", Fault("getConversation", status=500, probability=0.5))
    always = table.add("app", Fault("*", status=503))
    assert table.take("app", "getConversation") == always  # 0.7: the first lets it pass
    assert table.take("app", "getConversation") == half  # 0.2: it fires
    assert table.take("other-app", "getConversation") is None


def test_a_count_is_used_exactly_once_per_call_across_threads() -> None:
    table = FaultTable()
    table.add("app", Fault("listLegs", status=500, count=100))
    fired: list[Fault] = []

    def call() -> None:
        for _ in range(50):
            found = table.take("app", "listLegs")
            if found is not None:
                fired.append(found)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fired) == 100
    assert table.of("app") == []


# Rate limits


def test_over_the_rate_limit_an_api_call_is_429_with_retry_after_and_admin_routes_go_on() -> None:
    with serve(rate_limit=2) as emulator, http_for(emulator) as http:
        statuses = []
        for _ in range(20):
            answer = http.get("/v0.3/legs")
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                refused = answer
        assert statuses[:2] == [200, 200]  # the burst
        assert 429 in statuses
        assert_error(refused, 429, "system:error:too-many-requests")
        assert int(refused.headers["Retry-After"]) >= 1
        for _ in range(5):
            assert http.get("/_emulator/clock").status_code == 200


def test_the_bucket_refills_at_its_rate_and_each_application_has_its_own() -> None:
    now = [100.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert [limiter.take("a"), limiter.take("a")] == [None, None]
    assert limiter.take("a") == 1  # half a second to the next token: whole seconds, at least 1
    assert limiter.take("b") is None
    now[0] += 0.5
    assert limiter.take("a") is None
    assert limiter.take("a") == 1
    now[0] += 10
    assert [limiter.take("a") for _ in range(3)] == [None, None, 1]  # the burst stays 2


@pytest.mark.parametrize("rate", [0, -1, 1.5, True])
def test_a_rate_limit_below_one_request_a_second_is_refused(rate: Any) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        RateLimiter(rate)


def test_the_cli_s_rate_limit_is_off_by_default_and_15_when_given_alone() -> None:
    parser = _parser()
    assert parser.parse_args([]).rate_limit is None
    assert parser.parse_args(["--rate-limit"]).rate_limit == DEFAULT_RATE == 15
    assert parser.parse_args(["--rate-limit", "40"]).rate_limit == 40
    with pytest.raises(SystemExit):
        parser.parse_args(["--rate-limit", "0"])

"""Retries: which requests, on what, how long between, and what the log shows."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from overlay_helpers import CONVERSATION, CREATED_EVENT, MEMBER, FakeAPI, ok
from vonage_conversation import (
    APIConnectionError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from vonage_conversation._retry import parse_retry_after

PATH = "/v0.3/conversations/CON-1"

IDEMPOTENT_CALLS = {
    "GET": ("GET", PATH, ok(CONVERSATION), lambda c: c.conversations.get("CON-1")),
    "PUT": ("PUT", PATH, ok(CONVERSATION), lambda c: c.conversations.update("CON-1", name="n")),
    "PATCH": (
        "PATCH",
        f"{PATH}/members/MEM-1",
        ok(MEMBER),
        lambda c: c.members.update("CON-1", "MEM-1", state="left"),
    ),
    "DELETE": ("DELETE", PATH, httpx.Response(204), lambda c: c.conversations.delete("CON-1")),
}


def failure(status: int, **headers: str) -> httpx.Response:
    return ok({"title": "try later"}, status, **headers)


@pytest.mark.parametrize("method", list(IDEMPOTENT_CALLS))
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_idempotent_methods_are_retried_on_transient_statuses(
    make_api: Any, fake: FakeAPI, method: str, status: int
) -> None:
    api = make_api()
    verb, path, success, call = IDEMPOTENT_CALLS[method]
    fake.add(verb, path, failure(status), failure(status), success)
    api.call(call)
    assert [r.method for r in fake.requests] == [verb] * 3
    # Exponential backoff: 0.5 s then 1 s (jitter pinned to its top by random() == 1.0).
    assert api.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
def test_other_statuses_are_not_retried(make_api: Any, fake: FakeAPI, status: int) -> None:
    # A token of the user's: one the client mints is sent again once after a 401, with a
    # fresh one (test_overlay_reauth.py), which is re-auth, not a retry.
    api = make_api(token="user.supplied.token")
    fake.add("GET", PATH, failure(status))
    with pytest.raises(Exception) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.status == status  # type: ignore[attr-defined]
    assert len(fake.requests) == 1
    assert api.sleeps == []


def test_retries_give_up_after_max_retries(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=3)
    fake.add("GET", PATH, failure(503))
    with pytest.raises(ServerError):
        api.call(lambda c: c.conversations.get("CON-1"))
    assert len(fake.requests) == 4
    assert api.sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped_and_jittered(make_api: Any, fake: FakeAPI) -> None:
    draws = iter([0.0, 1.0, 0.5, 0.0])
    api = make_api(
        retry_options={
            "max_retries": 4,
            "initial_delay": 1.0,
            "max_delay": 3.0,
            "random": lambda: next(draws),
        }
    )
    fake.add("GET", PATH, failure(503), failure(503), failure(503), failure(503), ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    # Bases 1, 2, 3 (capped), 3; each scaled into [half, all of it] by the draw.
    assert api.sleeps == [0.5, 2.0, 2.25, 1.5]


def test_retry_after_seconds_is_honoured(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    fake.add("GET", PATH, failure(429, **{"Retry-After": "3"}), ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    assert api.sleeps == [3.0]


def test_retry_after_http_date_is_honoured(make_api: Any, fake: FakeAPI) -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
    when = format_datetime(datetime(2024, 5, 1, 12, 0, 12, tzinfo=timezone.utc), usegmt=True)
    api = make_api(retry_options={"clock": now.timestamp})
    fake.add("GET", PATH, failure(503, **{"Retry-After": when}), ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    assert api.sleeps == [12.0]


def test_retry_after_beyond_the_cap_raises_at_once(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    fake.add("GET", PATH, failure(429, **{"Retry-After": "3600"}), ok(CONVERSATION))
    with pytest.raises(RateLimitError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.retry_after == 3600.0
    assert len(fake.requests) == 1
    assert api.sleeps == []


def test_post_is_not_retried(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    fake.add("POST", "/v0.3/conversations/CON-1/events", failure(503), ok(CREATED_EVENT, 201))
    with pytest.raises(ServerError):
        api.call(lambda c: c.events.send_text("CON-1", from_="MEM-1", text="hi"))
    assert len(fake.requests) == 1


def test_post_is_not_retried_after_a_connection_error(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    fake.add("POST", "/v0.3/conversations", httpx.ConnectError("refused"), ok(CONVERSATION, 201))
    with pytest.raises(APIConnectionError):
        api.call(lambda c: c.conversations.create(name="x"))
    assert len(fake.requests) == 1


def test_post_is_retried_when_asked(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(retry_options={"retry_post": True})
    fake.add("POST", "/v0.3/conversations", failure(503), ok(CONVERSATION, 201))
    api.call(lambda c: c.conversations.create(name="x"))
    assert len(fake.requests) == 2
    assert api.sleeps == [0.5]


def test_max_retries_zero_turns_retries_off(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, failure(503), ok(CONVERSATION))
    with pytest.raises(ServerError):
        api.call(lambda c: c.conversations.get("CON-1"))
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadError("reset"), httpx.ConnectTimeout("slow")],
    ids=["connect", "read", "timeout"],
)
def test_connection_errors_are_retried_for_get(
    make_api: Any, fake: FakeAPI, error: Exception
) -> None:
    api = make_api()
    fake.add("GET", PATH, error, ok(CONVERSATION))
    assert api.call(lambda c: c.conversations.get("CON-1")).id == CONVERSATION["id"]
    assert len(fake.requests) == 2
    assert api.sleeps == [0.5]


def test_a_retried_request_gets_a_fresh_auth_header(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    fake.add("GET", PATH, failure(503), ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    assert all(r.headers["authorization"].startswith("Bearer ") for r in fake.requests)


def test_each_retry_is_logged_at_debug_with_authorization_redacted(
    make_api: Any, fake: FakeAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_api()
    fake.add("GET", PATH, failure(503), httpx.ConnectError("refused"), ok(CONVERSATION))
    with caplog.at_level(logging.DEBUG, logger="vonage_conversation"):
        api.call(lambda c: c.conversations.get("CON-1"))
    token = fake.last.headers["authorization"].removeprefix("Bearer ")
    retries = [
        r for r in caplog.records if r.name == "vonage_conversation" and r.levelno == logging.DEBUG
    ]
    assert len(retries) == 2
    text = caplog.text
    assert "status 503" in text
    assert "ConnectError" in text
    assert "'authorization': '[redacted]'" in text
    assert token not in text
    assert "Bearer" not in text


def test_nothing_secret_in_any_log_line_at_all(
    make_api: Any, fake: FakeAPI, caplog: pytest.LogCaptureFixture, private_pem: bytes
) -> None:
    api = make_api()
    fake.add("GET", PATH, failure(502), ok(CONVERSATION))
    with caplog.at_level(logging.DEBUG):
        api.call(lambda c: c.conversations.get("CON-1"))
    token = fake.last.headers["authorization"].removeprefix("Bearer ")
    assert caplog.records  # httpx and this client did log
    assert token not in caplog.text
    assert private_pem.decode().splitlines()[1] not in caplog.text


# The policy on its own


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Wed, 01 May 2024 12:00:30 GMT", 30.0),
        ("Wed, 01 May 2024 11:00:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after(header, now=now) == expected


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(TypeError, match="max_retries"):
        RetryPolicy(max_retries=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="initial_delay"):
        RetryPolicy(initial_delay=-1)

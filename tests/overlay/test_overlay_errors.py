"""Errors: every status to its class, whatever the body, plus transport and parse failures."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from overlay_helpers import CONVERSATION, Api, FakeAPI, ok
from vonage_conversation import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConversationAPIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
)

PATH = "/v0.3/conversations/CON-1"

NOT_FOUND = {
    "type": "https://developer.vonage.com/api-errors/conversation#not-found",
    "title": "Not found.",
    "detail": "Conversation with id CON-1 not found",
    "instance": "bf0ca0bf927b3b52e3cb03217e1a1ddf",
    "code": "conversation:error:not-found",
}


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, BadRequestError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, ServerError),
        (501, ServerError),
        (599, ServerError),
        (405, ConversationAPIError),
        (302, ConversationAPIError),
    ],
)
def test_each_status_raises_its_class(
    make_api: Any, fake: FakeAPI, status: int, cls: type[ConversationAPIError]
) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, ok({**NOT_FOUND, "title": "Oops"}, status))
    with pytest.raises(cls) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, ConversationAPIError)
    assert error.status == status
    assert error.title == "Oops"
    assert error.response is not None
    assert error.response.status_code == status


def test_error_fields_come_from_the_body(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, ok(NOT_FOUND, 404))
    with pytest.raises(NotFoundError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    error = caught.value
    assert error.code == "conversation:error:not-found"
    assert error.title == "Not found."
    assert error.detail == "Conversation with id CON-1 not found"
    assert error.instance == "bf0ca0bf927b3b52e3cb03217e1a1ddf"
    assert error.type == NOT_FOUND["type"]
    assert str(error) == (
        "GET /v0.3/conversations/CON-1: 404 Not found: "
        "Conversation with id CON-1 not found (conversation:error:not-found)"
    )
    assert repr(error) == (
        "NotFoundError(status=404, code='conversation:error:not-found', title='Not found.')"
    )


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        (b"", "application/json"),
        (b"{not json", "application/json"),
        (b'["a", "list"]', "application/json"),
        (b"\xff\xfe", "application/json"),
    ],
    ids=["html", "empty", "invalid", "not-an-object", "not-utf8"],
)
def test_any_error_body_still_gives_the_class_and_status(
    make_api: Any, fake: FakeAPI, content: bytes, content_type: str
) -> None:
    api = make_api(max_retries=0)
    fake.add(
        "GET", PATH, httpx.Response(502, content=content, headers={"content-type": content_type})
    )
    with pytest.raises(ServerError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    error = caught.value
    assert error.status == 502
    assert error.title == "Bad Gateway"
    assert error.code is None
    assert error.detail is None
    assert "no error details" in str(error)


def test_older_vonage_error_fields_are_understood(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, ok({"error_title": "Invalid", "description": "bad name"}, 400))
    with pytest.raises(BadRequestError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert (caught.value.title, caught.value.detail) == ("Invalid", "bad name")


def test_rate_limit_error_has_retry_after(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, ok({"title": "Too many"}, 429, **{"Retry-After": "7"}))
    with pytest.raises(RateLimitError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.retry_after == 7.0


def test_rate_limit_error_without_retry_after(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, ok({"title": "Too many"}, 429))
    with pytest.raises(RateLimitError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.retry_after is None


def test_connection_failure_is_api_connection_error(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError, match="connection refused") as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert type(caught.value) is APIConnectionError
    assert caught.value.status is None
    assert caught.value.response is None
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_timeout_is_api_timeout_error(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(max_retries=0)
    fake.add("GET", PATH, httpx.ReadTimeout("read timed out"))
    with pytest.raises(APITimeoutError, match="timed out") as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert isinstance(caught.value, APIConnectionError)


def test_a_success_body_that_is_not_json_is_a_parse_error(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, httpx.Response(200, content=b"<html>hello</html>"))
    with pytest.raises(ResponseParseError, match="not JSON") as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.status == 200
    assert caught.value.response is not None


def test_a_success_without_a_body_is_a_parse_error(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, httpx.Response(200))
    with pytest.raises(ResponseParseError, match="no body"):
        api.call(lambda c: c.conversations.get("CON-1"))


def test_a_body_missing_a_required_field_is_a_parse_error(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", f"{PATH}/events/5", ok({"id": "5", "type": "text"}))
    with pytest.raises(ResponseParseError, match=r"getEvent.*body: missing") as caught:
        api.call(lambda c: c.events.get("CON-1", "5"))
    assert caught.value.path == "body"


def test_a_body_of_the_wrong_shape_is_a_parse_error(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, ok(["not", "an", "object"]))
    with pytest.raises(ResponseParseError, match="getConversation"):
        api.call(lambda c: c.conversations.get("CON-1"))


def test_an_unreadable_timestamp_is_a_parse_error_naming_it(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, ok({**CONVERSATION, "timestamp": {"created": "yesterday-ish"}}))
    with pytest.raises(ResponseParseError, match="yesterday-ish"):
        api.call(lambda c: c.conversations.get("CON-1"))


@pytest.mark.parametrize("status", [200, 201])
def test_a_create_answered_with_200_or_201_parses(api: Api, fake: FakeAPI, status: int) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, status))
    assert api.call(lambda c: c.conversations.create(name="x")).id == CONVERSATION["id"]


def test_a_delete_answered_with_a_json_body_or_nothing_is_fine(api: Api, fake: FakeAPI) -> None:
    fake.add("DELETE", PATH, httpx.Response(200, json={}), httpx.Response(204))
    assert api.call(lambda c: c.conversations.delete("CON-1")) is None
    assert api.call(lambda c: c.conversations.delete("CON-1")) is None

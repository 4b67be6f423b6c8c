"""`delivery.payload`: a callback read, and the request that delivers an event (POST or GET)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from vonage_conversation_emulator.delivery import Callback, build_request

EVENT: dict[str, Any] = {
    "id": "12",
    "type": "text",
    "from": "MEM-1",
    "body": {"text": "héllo & 100% {ok}"},
    "timestamp": "2030-01-01T00:00:00.000Z",
    "href": "http://127.0.0.1:9/v0.3/conversations/CON-1/events/12",
    "_links": {"self": {"href": "http://127.0.0.1:9/v0.3/conversations/CON-1/events/12"}},
}
IDS = {"conversation_id": "CON-1", "application_id": "APP-1"}


def test_a_post_sends_the_event_and_its_ids_as_json() -> None:
    request = build_request(EVENT, url="http://127.0.0.1:9/hook", **IDS)
    assert request.method == "POST"
    assert request.url == "http://127.0.0.1:9/hook"
    assert request.headers == {"Content-Type": "application/json"}
    assert json.loads(request.body) == {**EVENT, **IDS}
    assert list(json.loads(request.body))[-2:] == ["conversation_id", "application_id"]
    # Written as the emulator writes its responses: compact, UTF-8 as is.
    assert request.body.startswith(b'{"id":"12","type":"text","from":"MEM-1",')
    assert "héllo".encode() in request.body
    assert request.signed == request.body


def test_a_get_sends_each_field_s_json_text_in_the_query() -> None:
    request = build_request(EVENT, url="http://127.0.0.1:9/hook", method="GET", **IDS)
    assert request.method == "GET"
    assert request.body == b""
    query = urlsplit(request.url).query
    pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    assert [name for name, _ in pairs] == [*EVENT, *IDS]
    assert {name: json.loads(value) for name, value in pairs} == {**EVENT, **IDS}
    # The id is the JSON text of a string: quoted, so never read as a number.
    assert dict(pairs)["id"] == '"12"'
    assert request.signed == query.encode()


def test_a_get_keeps_the_callback_url_s_own_query_in_front() -> None:
    request = build_request(
        EVENT, url="http://127.0.0.1:9/hook?tenant=acme&x=1#frag", method="GET", **IDS
    )
    split = urlsplit(request.url)
    assert split.path == "/hook" and split.fragment == ""
    assert split.query.startswith("tenant=acme&x=1&id=")


def test_a_get_signs_the_query_exactly_as_httpx_sends_it() -> None:
    # A raw space and a `|` in the callback URL's own query are percent-encoded by httpx on the
    # way out: the signed bytes are those that travel.
    request = build_request(EVENT, url="http://127.0.0.1:9/hook?a=b c|d", method="GET", **IDS)
    sent = httpx.Request("GET", request.url)
    assert sent.url.query == request.signed
    assert b" " not in request.signed


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="POST or GET"):
        build_request(EVENT, url="http://x/", method="PUT", **IDS)  # type: ignore[arg-type]


def test_a_callback_is_read_with_its_defaults() -> None:
    callback = Callback.parse({"url": " http://127.0.0.1:9/hook "})
    assert callback is not None
    assert callback.url == "http://127.0.0.1:9/hook"
    assert callback.method == "POST"
    assert callback.mask.everything


def test_a_callback_s_method_and_mask() -> None:
    callback = Callback.parse(
        {"url": "http://x/h", "method": "GET", "event_mask": "member:*", "params": {"a": "b"}}
    )
    assert callback is not None
    assert callback.method == "GET"
    assert callback.wants("member:joined") and not callback.wants("text")
    request = callback.request_for(EVENT, **IDS)
    # `params` are settings of the callback: they are not sent.
    assert "a=" not in urlsplit(request.url).query
    assert request.method == "GET"


@pytest.mark.parametrize("stored", [None, {}, {"url": ""}, {"url": "  "}, {"event_mask": "x"}])
def test_a_callback_without_a_url_delivers_nothing(stored: dict[str, Any] | None) -> None:
    assert Callback.parse(stored) is None

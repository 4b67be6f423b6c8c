"""HTTP edges: unknown routes, wrong methods, oversized and malformed bodies; never a 500."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from emulator_support import assert_error, load_spec, make_token
from vonage_conversation_emulator.app import MAX_BODY_BYTES
from vonage_conversation_emulator.embedded import EmulatorInstance
from vonage_conversation_emulator.json_body import MAX_JSON_DEPTH
from vonage_conversation_emulator.server import bind_socket


def test_unknown_route_is_a_404(raw: httpx.Client) -> None:
    for path in ("/v0.3/nothing", "/", "/v0.4/conversations", "/v0.3/legs/a/b"):
        assert_error(raw.get(path), 404, "http:error:not-found")


def test_wrong_method_is_a_405_with_allow(raw: httpx.Client) -> None:
    response = raw.delete("/v0.3/conversations")
    assert_error(response, 405, "http:error:method-not-allowed")
    assert response.headers["allow"] == "GET, POST"
    assert_error(raw.put("/v0.3/legs/x", json={}), 405, "http:error:method-not-allowed")
    head = raw.head("/v0.3/legs")  # a HEAD answer has no body to check
    assert head.status_code == 405
    assert head.headers["allow"] == "GET"


# Methods the emulator may be asked for (CONNECT is not a request on a path).
PROBED_METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE")


def _spec_paths() -> dict[str, list[str]]:
    """Every path of the shipped spec and the emulator-only one, with their methods."""
    paths = {
        template: [m.upper() for m in item if m.upper() in PROBED_METHODS]
        for template, item in load_spec()["paths"].items()
    }
    return {**paths, "/_emulator/users": ["POST"]}


@pytest.mark.parametrize(("template", "methods"), sorted(_spec_paths().items()))
def test_every_undocumented_method_is_a_405_allowing_the_paths_own_methods(
    raw: httpx.Client, template: str, methods: list[str]
) -> None:
    # .../members/me is a path of its own: it allows GET only, although .../members/{member_id}
    # (GET, PATCH) would match it too, so PATCH or OPTIONS there updates no member called "me".
    path = re.sub(r"\{[^}]+\}", "1", template)
    for method in sorted(set(PROBED_METHODS) - set(methods)):
        response = raw.request(method, path)
        assert response.status_code == 405, (method, path)
        if method != "HEAD":  # a HEAD answer has no body to check
            assert_error(response, 405, "http:error:method-not-allowed")
        assert response.headers["allow"].split(", ") == methods, (method, path)


def test_an_empty_query_parameter_is_a_400_saying_so(raw: httpx.Client) -> None:
    response = raw.get("/v0.3/conversations?cursor=")
    body = assert_error(response, 400, "http:error:validation-fail")
    assert body["detail"] == "query parameter 'cursor': must not be empty" + (
        " (send it with a value, or leave it out)"
    )


def test_unknown_routes_need_no_token_but_operations_do(raw: httpx.Client) -> None:
    raw.headers.pop("Authorization")
    assert_error(raw.get("/v0.3/nothing"), 404, "http:error:not-found")
    assert_error(raw.get("/v0.3/legs"), 401, "system:error:invalid-token")


def test_body_over_1_mib_is_a_413_by_content_length(raw: httpx.Client) -> None:
    big = b'{"name": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = raw.post(
        "/v0.3/conversations", content=big, headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "http:error:payload-too-large")


def test_streamed_body_over_1_mib_is_a_413_too(raw: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    response = raw.post(
        "/v0.3/conversations", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "http:error:payload-too-large")


def test_a_body_of_exactly_1_mib_is_read(raw: httpx.Client) -> None:
    padding = MAX_BODY_BYTES - len(b'{"properties": {"custom_data": {"p": ""}}}')
    body = b'{"properties": {"custom_data": {"p": "' + b"x" * padding + b'"}}}'
    assert len(body) == MAX_BODY_BYTES
    response = raw.post(
        "/v0.3/conversations", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("content", "content_type", "field"),
    [
        (b"{bad", "application/json", "line 1 column 2"),
        (b"\xff\xfe{}", "application/json", "can't decode byte 0xff"),
        (b'{"properties": {"ttl": NaN}}', "application/json", "NaN is not JSON"),
        (b'{"properties": {"ttl": 1e400}}', "application/json", "1e400 is out of range"),
        (b'{"name": "\\ud800"}', "application/json", "surrogates not allowed"),
        (b"[]", "application/json", "is not of type 'object'"),
        (b'{"name": 5}', "application/json", "name:"),
        (b'{"name": "' + b"n" * 101 + b'"}', "application/json", "name:"),
        (b'{"numbers": [{"type": 7}]}', "application/json", "numbers[0].type:"),
        (b'{"numbers": [{"number": "1"}]}', "application/json", "numbers[0]:"),
        (b'{"image_url": "not a uri"}', "application/json", "image_url:"),
        (b'{"callback": {"method": "PUT"}}', "application/json", "callback.method:"),
        (b"{}", "text/plain", "Content-Type"),
    ],
)
def test_malformed_bodies_are_a_400_naming_the_problem(
    raw: httpx.Client, content: bytes, content_type: str, field: str
) -> None:
    response = raw.post(
        "/v0.3/conversations", content=content, headers={"content-type": content_type}
    )
    body = assert_error(response, 400, "http:error:validation-fail")
    assert field in body["detail"]


@pytest.mark.parametrize(
    ("uri", "valid"),
    [
        ("https://example.com/a.png", True),
        ("urn:isbn:0451450523", True),
        ("/images/a.png", False),  # a reference, not a URI: no scheme
        ("https://example.com/a b", False),
        ("https://example.com/%zz", False),  # not a percent-encoding
        ("https://example.com/<a>", False),
        ("https://example.com/é", False),  # an IRI, not a URI
    ],
)
def test_format_uri_is_checked_by_the_spec_validator(
    raw: httpx.Client, uri: str, valid: bool
) -> None:
    # jsonschema checks `format: uri` with rfc3986-validator; the emulator adds no check.
    for body in ({"image_url": uri}, {"callback": {"url": uri}}):
        response = raw.post("/v0.3/conversations", json=body)
        if valid:
            assert response.status_code == 201, response.text
        else:
            detail = assert_error(response, 400, "http:error:validation-fail")["detail"]
            assert detail.endswith(f"{uri!r} is not a 'uri'")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v0.3/conversations/C/members", None, "request body"),
        ("/v0.3/conversations/C/members", {}, "'user' is a required property"),
        ("/v0.3/conversations/C/members", {"user": {}}, "user:"),
        ("/v0.3/conversations/C/members", {"user": {"nick": "a"}}, "user:"),
        ("/v0.3/conversations/C/members", {"user": {"id": "U"}, "state": "left"}, "state:"),
        ("/v0.3/conversations/C/events", {"type": "text"}, "'from' is a required property"),
        ("/_emulator/users", {"display_name": "x"}, "'name' is a required property"),
        ("/_emulator/users", {"name": ""}, "name:"),
    ],
)
def test_bodies_breaking_the_spec_are_a_400_naming_the_field(
    raw: httpx.Client, path: str, body: Any, field: str
) -> None:
    response = raw.post(path, json=body) if body is not None else raw.post(path)
    assert field in assert_error(response, 400, "http:error:validation-fail")["detail"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v0.3/legs", {"record_index": "-1"}, "record_index"),
        ("/v0.3/legs", {"page_size": "ten"}, "page_size"),
        ("/v0.3/conversations/C/events", {"start_id": "1a"}, "start_id"),
        ("/v0.3/users/U/conversations", {"state": "joined"}, "state"),
        ("/v0.3/conversations/C/events/x", {}, "event_id"),
    ],
)
def test_parameters_breaking_the_spec_are_a_400_naming_them(
    raw: httpx.Client, path: str, params: dict[str, str], field: str
) -> None:
    response = raw.get(path, params=params)
    assert field in assert_error(response, 400, "http:error:validation-fail")["detail"]


@pytest.mark.parametrize("depth", [29, 30, 100_000])
def test_bodies_nest_at_most_32_levels(raw: httpx.Client, depth: int) -> None:
    # {"properties": {"custom_data": {"a": [[...]]}}}: three levels around the arrays.
    body = b'{"properties": {"custom_data": {"a": ' + b"[" * depth + b"]" * depth + b"}}}"
    response = raw.post(
        "/v0.3/conversations", content=body, headers={"content-type": "application/json"}
    )
    if depth + 3 <= MAX_JSON_DEPTH:
        assert response.status_code == 201
        assert response.json()["properties"]["custom_data"]["a"] is not None
    else:
        detail = assert_error(response, 400, "http:error:validation-fail")["detail"]
        assert f"nested deeper than {MAX_JSON_DEPTH} levels" in detail


def test_huge_numbers_in_parameters_are_no_500(raw: httpx.Client) -> None:
    huge = "9" * 60
    response = raw.get("/v0.3/legs", params={"record_index": huge, "page_size": "100"})
    assert response.status_code == 200
    assert response.json()["_embedded"]["legs"] == []
    raw.post("/v0.3/conversations", json={"name": "c"})
    conversation_id = raw.get("/v0.3/conversations").json()["_embedded"]["conversations"][0]["id"]
    events = raw.get(
        f"/v0.3/conversations/{conversation_id}/events", params={"end_id": huge, "start_id": huge}
    )
    assert events.status_code == 200


def test_the_listening_socket_disables_nagle() -> None:
    # With Nagle on, each keep-alive response waits ~40 ms for the client's delayed ACK.
    sock = bind_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()


def test_a_client_hanging_up_mid_body_is_no_error(
    emulator: EmulatorInstance, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v0.3/conversations",
        "raw_path": b"/v0.3/conversations",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"emulator.test"),
            (b"authorization", f"Bearer {make_token(emulator)}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"100"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("emulator.test", 80),
    }
    with caplog.at_level(logging.ERROR, logger="vonage_conversation_emulator"):
        asyncio.run(emulator.app(scope, receive, send))
    assert sent == []
    assert caplog.records == []

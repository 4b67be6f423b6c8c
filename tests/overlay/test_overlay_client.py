"""The clients themselves: construction, from_env, lifetime, low_level, raw responses."""

from __future__ import annotations

import asyncio
import inspect
import json
import pydoc
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from overlay_helpers import APP_ID, CONVERSATION, Api, FakeAPI, ok, page
from vonage_conversation import (
    AsyncConversationClient,
    ConversationClient,
    JWTAuth,
    NotFoundError,
    RawResponse,
    TokenAuth,
)
from vonage_conversation_api.api.conversation import get_conversation, list_conversations_v02
from vonage_conversation_api.models import Conversation

CLIENTS = [ConversationClient, AsyncConversationClient]


@pytest.fixture
def key_file(tmp_path: Path, private_pem: bytes) -> Path:
    path = tmp_path / "private.key"
    path.write_bytes(private_pem)
    return path


@pytest.mark.parametrize("cls", CLIENTS)
def test_from_env_with_a_key_path(cls: Any, key_file: Path) -> None:
    env = {
        "VONAGE_APPLICATION_ID": APP_ID,
        "VONAGE_PRIVATE_KEY_PATH": str(key_file),
        "VONAGE_API_HOST": "http://127.0.0.1:9000",
    }
    client = cls.from_env(environ=env)
    assert client.base_url == "http://127.0.0.1:9000"
    assert isinstance(client.auth, JWTAuth)
    assert client.auth.application_id == APP_ID


def test_from_env_with_the_key_text_and_escaped_newlines(private_pem: bytes) -> None:
    env = {
        "VONAGE_APPLICATION_ID": APP_ID,
        "VONAGE_PRIVATE_KEY": private_pem.decode().replace("\n", "\\n"),
    }
    client = ConversationClient.from_env(environ=env)
    assert client.base_url == "https://api.nexmo.com"
    assert isinstance(client.auth, JWTAuth)


def test_from_env_reads_os_environ_and_a_bare_host(
    monkeypatch: pytest.MonkeyPatch, key_file: Path
) -> None:
    monkeypatch.setenv("VONAGE_APPLICATION_ID", APP_ID)
    monkeypatch.setenv("VONAGE_PRIVATE_KEY_PATH", str(key_file))
    monkeypatch.setenv("VONAGE_API_HOST", "api-eu.vonage.com")
    monkeypatch.delenv("VONAGE_PRIVATE_KEY", raising=False)
    assert ConversationClient.from_env().base_url == "https://api-eu.vonage.com"


def test_from_env_keywords_override_the_environment(key_file: Path) -> None:
    env = {"VONAGE_APPLICATION_ID": APP_ID, "VONAGE_PRIVATE_KEY_PATH": str(key_file)}
    client = ConversationClient.from_env(environ=env, base_url="http://localhost:1", sub="bob")
    assert client.base_url == "http://localhost:1"
    assert isinstance(client.auth, JWTAuth)
    assert client.auth.sub == "bob"


def test_from_env_with_a_token_needs_no_key() -> None:
    client = ConversationClient.from_env(environ={"VONAGE_APPLICATION_ID": APP_ID}, token="t")
    assert isinstance(client.auth, TokenAuth)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY or VONAGE_PRIVATE_KEY_PATH"),
        ({"VONAGE_APPLICATION_ID": APP_ID}, "VONAGE_PRIVATE_KEY or VONAGE_PRIVATE_KEY_PATH"),
    ],
)
def test_from_env_names_what_is_missing(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ValueError, match=missing):
        ConversationClient.from_env(environ=env)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({}, ValueError, "needs credentials"),
        ({"application_id": APP_ID}, ValueError, "needs credentials"),
        ({"token": "t", "private_key": b"k"}, ValueError, "not both"),
        ({"auth": TokenAuth("t"), "token": "t"}, ValueError, "not both"),
        ({"auth": "t"}, TypeError, "httpx.Auth"),
        ({"token": "t", "base_url": "ftp://x"}, ValueError, "http"),
        ({"token": "t", "base_url": "https://x/?a=1"}, ValueError, "query"),
        ({"token": "t", "base_url": ""}, ValueError, "base_url"),
        ({"token": "t", "max_retries": -1}, ValueError, "max_retries"),
        ({"token": "t", "retry": 3}, TypeError, "RetryPolicy"),
        ({"token": " "}, ValueError, "token"),
        ({"application_id": "", "private_key": b"k"}, ValueError, "application_id"),
        ({"token": "t", "sub": "alice"}, ValueError, "ignored"),
        ({"auth": TokenAuth("t"), "acl": {}}, ValueError, "ignored"),
    ],
)
@pytest.mark.parametrize("cls", CLIENTS)
def test_bad_construction_is_a_clear_error(
    cls: Any, kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        cls(**kwargs)


def test_http_client_and_transport_are_exclusive_and_typed() -> None:
    with pytest.raises(ValueError, match="not both"):
        ConversationClient(
            token="t", http_client=httpx.Client(), transport=httpx.MockTransport(print)
        )
    with pytest.raises(TypeError, match="use AsyncConversationClient"):
        ConversationClient(token="t", http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="use ConversationClient"):
        AsyncConversationClient(token="t", http_client=httpx.Client())  # type: ignore[arg-type]


def test_an_injected_http_client_is_used_and_left_open(private_pem: bytes, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    http = httpx.Client(transport=fake.transport(), base_url="https://elsewhere.example")
    with ConversationClient(application_id=APP_ID, private_key=private_pem, http_client=http) as c:
        c.conversations.get("CON-1")
    assert fake.last.url.host == "api.nexmo.com"  # our base URL, not the injected client's
    assert fake.last.headers["authorization"].startswith("Bearer ")
    assert not http.is_closed
    assert http.auth is not None  # so that low_level calls through it are signed too
    http.close()


def test_sync_client_closes_its_own_http_client(fake: FakeAPI) -> None:
    client = ConversationClient(token="t", transport=fake.transport())
    with client as entered:
        assert entered is client
    assert client._http.is_closed


def test_async_client_closes_its_own_http_client(fake: FakeAPI) -> None:
    async def main() -> AsyncConversationClient:
        async with AsyncConversationClient(token="t", transport=fake.transport()) as client:
            return client

    client = asyncio.run(main())
    assert client._http.is_closed

    async def aclose_alias() -> bool:
        other = AsyncConversationClient(token="t", transport=fake.transport())
        await other.aclose()
        return bool(other._http.is_closed)

    assert asyncio.run(aclose_alias())


def test_every_resource_is_there(api: Api) -> None:
    for name in ("conversations", "users", "members", "events", "legs"):
        assert "api.nexmo.com" in repr(getattr(api.client, name))


RESOURCES = ("conversations", "members", "events", "users", "legs")


@pytest.mark.parametrize("cls", [ConversationClient, AsyncConversationClient])
def test_help_lists_every_resource_with_its_type(cls: type[Any]) -> None:
    """help(ConversationClient) shows the resources (typed class-level attributes), as IDEs do."""
    shown = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    for name in RESOURCES:
        kind = ("Async" if cls is AsyncConversationClient else "") + name.title()
        assert re.search(rf"^ \|  {name} = .*\n \|      `{kind}`: {name} ", shown, re.M), name
        assert inspect.signature(getattr(cls, name).func).return_annotation == kind


def test_with_options_resources_send_through_the_new_core(api: Api) -> None:
    """A resource made before `with_options` stays the original client's; the copy's are its own."""
    before = api.client.conversations
    changed = api.client.with_options(max_retries=0)
    assert changed.conversations is not before
    assert changed.conversations._core is changed._core is not api.client._core
    assert api.client.conversations is before
    assert changed.conversations._core.retry.max_retries == 0


def test_timeout_applies_to_every_request(make_api: Any, fake: FakeAPI) -> None:
    seen: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return ok(CONVERSATION)

    api = make_api(timeout=2.5)
    fake.add("GET", "/v0.3/conversations/CON-1", answer)
    api.call(lambda c: c.conversations.get("CON-1"))
    assert seen == [{"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}]


def test_extra_headers_are_sent(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(headers={"X-Trace": "abc"})
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    assert fake.last.headers["x-trace"] == "abc"


# low_level: the generated client, same auth


def test_low_level_sync_calls_carry_the_jwt(private_pem: bytes, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    fake.add("GET", "/v0.2/conversations", ok(page("conversations", [{"id": "C"}], v02=True)))
    with ConversationClient(
        application_id=APP_ID, private_key=private_pem, transport=fake.transport()
    ) as client:
        result = get_conversation.sync("CON-1", client=client.low_level)
        assert isinstance(result, Conversation)
        assert fake.last.headers["authorization"].startswith("Bearer ey")
        # The deprecated v0.2 twins are reached this way.
        old = list_conversations_v02.sync(client=client.low_level)
        assert old.field_embedded.data.conversations[0].id == "C"


def test_low_level_async_calls_carry_the_jwt(private_pem: bytes, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))

    async def main() -> Any:
        async with AsyncConversationClient(
            application_id=APP_ID, private_key=private_pem, transport=fake.transport()
        ) as client:
            return await get_conversation.asyncio("CON-1", client=client.low_level)

    assert isinstance(asyncio.run(main()), Conversation)
    assert fake.last.headers["authorization"].startswith("Bearer ey")


# Raw responses


def test_with_raw_response_gives_status_headers_and_parsed(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        "/v0.3/conversations/CON-1",
        httpx.Response(200, json=CONVERSATION, headers={"X-Request-Id": "req-1"}),
    )
    raw = api.call(lambda c: c.with_raw_response(c.conversations.get, "CON-1"))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-1"
    assert isinstance(raw.parsed, Conversation)
    assert raw.json()["id"] == CONVERSATION["id"]
    assert raw.http_response.request.url.path == "/v0.3/conversations/CON-1"


def test_with_raw_response_keeps_the_final_response_after_retries(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok({}, 503), ok(CONVERSATION))
    raw = api.call(lambda c: c.with_raw_response(c.conversations.get, "CON-1"))
    assert raw.status_code == 200


def test_with_raw_response_for_a_delete(api: Api, fake: FakeAPI) -> None:
    fake.add("DELETE", "/v0.3/conversations/CON-1", httpx.Response(204))
    raw = api.call(lambda c: c.with_raw_response(c.conversations.delete, "CON-1"))
    assert (raw.status_code, raw.parsed) == (204, None)


def test_with_raw_response_of_a_list_points_at_page_response(api: Api) -> None:
    with pytest.raises(TypeError, match=r"page\.response"):
        api.call(lambda c: c.with_raw_response(c.events.list, "CON-1"))


# request(): endpoints outside the spec, through the same machinery


def test_request_sends_on_the_base_url_with_auth(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/_emulator/users", ok({"id": "USR-1", "name": "alice"}, 201))
    response = api.call(
        lambda c: c.request("post", "/_emulator/users", params={"x": "1"}, json={"name": "alice"})
    )
    assert isinstance(response, httpx.Response)
    assert response.status_code == 201
    assert response.json()["id"] == "USR-1"
    sent = fake.last
    assert (sent.method, str(sent.url)) == ("POST", "https://api.nexmo.com/_emulator/users?x=1")
    assert sent.headers["authorization"].startswith("Bearer ey")
    assert json.loads(sent.content) == {"name": "alice"}


def test_request_raises_typed_errors_and_retries_gets(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v1/users/USR-1", ok({}, 503), ok({"title": "Not found"}, 404))
    with pytest.raises(NotFoundError):
        api.call(lambda c: c.request("GET", "/v1/users/USR-1"))
    assert len(fake.requests) == 2


@pytest.mark.parametrize("path", ["https://evil.example/x", "//evil.example/x", "v0.3/x"])
def test_request_refuses_anything_but_a_path(api: Api, fake: FakeAPI, path: str) -> None:
    with pytest.raises(ValueError, match="path must start with '/'"):
        api.call(lambda c: c.request("GET", path))
    assert fake.requests == []

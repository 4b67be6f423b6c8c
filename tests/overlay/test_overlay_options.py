"""Per-call options (`timeout=`, `extra_headers=` on every method) and `client.with_options`."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from overlay_helpers import CONVERSATION, LEG, Api, FakeAPI, leg_page, ok, page
from vonage_conversation import AsyncConversationClient, ConversationClient, ServerError


def timeouts(request: httpx.Request) -> dict[str, float | None]:
    return dict(request.extensions["timeout"])


def test_a_call_s_timeout_and_headers_reach_its_request(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(timeout=30.0, headers={"X-Client": "one"})
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    api.call(
        lambda c: c.conversations.get(
            "CON-1", timeout=2.5, extra_headers={"X-Trace": "abc", "X-Client": "two"}
        )
    )
    assert timeouts(fake.last) == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert fake.last.headers["x-trace"] == "abc"
    assert fake.last.headers["x-client"] == "two"  # the call's header wins over the client's
    # The next call is the client's own again.
    api.call(lambda c: c.conversations.get("CON-1"))
    assert timeouts(fake.last)["read"] == 30.0
    assert "x-trace" not in fake.last.headers


def test_an_httpx_timeout_or_none_is_taken_as_it_is(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, 201))
    api.call(lambda c: c.conversations.create(name="x", timeout=httpx.Timeout(4.0, connect=1.0)))
    assert timeouts(fake.last) == {"connect": 1.0, "read": 4.0, "write": 4.0, "pool": 4.0}
    api.call(lambda c: c.conversations.create(name="x", timeout=None))
    assert set(timeouts(fake.last).values()) == {None}


def test_the_options_of_a_list_reach_every_page(api: Api, fake: FakeAPI) -> None:
    following = "https://api.nexmo.com/v0.3/conversations?cursor=abc"
    fake.add(
        "GET",
        "/v0.3/conversations",
        ok(page("conversations", [{"id": "CON-1"}], following)),
        ok(page("conversations", [{"id": "CON-2"}])),
    )
    listed = api.client.conversations.list(timeout=7.0, extra_headers={"X-Trace": "pages"})
    assert [c.id for c in api.items(listed)] == ["CON-1", "CON-2"]
    assert [timeouts(r)["read"] for r in fake.requests] == [7.0, 7.0]
    assert [r.headers["x-trace"] for r in fake.requests] == ["pages", "pages"]


def test_helpers_pass_the_options_on(api: Api, fake: FakeAPI) -> None:
    created = {"id": "5", "timestamp": "2020-01-01T14:00:00Z", "href": "x"}
    fake.add("POST", "/v0.3/conversations/CON-1/events", ok(created, 201))
    api.call(
        lambda c: c.events.send_text(
            "CON-1", from_="MEM-1", text="hi", timeout=3.0, extra_headers={"X-Trace": "t"}
        )
    )
    assert timeouts(fake.last)["read"] == 3.0
    assert fake.last.headers["x-trace"] == "t"


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"timeout": "soon"}, TypeError, "timeout must be seconds"),
        ({"timeout": -1}, ValueError, "timeout must not be negative"),
        ({"extra_headers": {"X-N": 5}}, TypeError, "extra_headers must be a mapping"),
        ({"extra_headers": ["X-N"]}, TypeError, "extra_headers must be a mapping"),
        ({"extra_headers": {"Authorization": "x"}}, ValueError, "cannot set Authorization"),
    ],
)
def test_bad_options_are_clear_errors_and_send_nothing(
    api: Api, fake: FakeAPI, options: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        api.call(lambda c: c.conversations.get("CON-1", **options))
    assert fake.requests == []


def test_with_options_changes_the_timeout_and_retries_of_its_calls_only(
    make_api: Any, fake: FakeAPI
) -> None:
    api = make_api(timeout=30.0)
    fake.add("GET", "/v0.3/conversations/CON-1", ok({}, 503), ok({}, 503), ok(CONVERSATION))
    quick = api.client.with_options(timeout=1.0, max_retries=0)
    assert type(quick) is type(api.client)
    with pytest.raises(ServerError):
        api.run(quick.conversations.get("CON-1"))
    assert len(fake.requests) == 1
    assert timeouts(fake.last)["read"] == 1.0
    # The original client keeps its own: its retry gets the 200.
    assert api.call(lambda c: c.conversations.get("CON-1")).id == CONVERSATION["id"]
    assert len(fake.requests) == 3
    assert timeouts(fake.last)["read"] == 30.0


def test_with_options_shares_the_pool_and_the_auth(make_api: Any, fake: FakeAPI) -> None:
    api = make_api()
    derived = api.client.with_options(timeout=5)
    assert derived._http is api.client._http  # one connection pool
    assert derived.auth is api.client.auth
    assert derived.low_level is api.client.low_level
    assert derived.legs._core is not api.client.legs._core
    fake.add("GET", "/v0.3/legs", ok(leg_page([LEG], record_index=0, count=1)))
    assert len(api.items(derived.legs.list())) == 1


def test_closing_a_client_made_by_with_options_leaves_the_pool_open(fake: FakeAPI) -> None:
    with ConversationClient(token="t", transport=fake.transport()) as client:
        client.with_options(max_retries=1).close()
        assert not client._http.is_closed
    assert client._http.is_closed

    async def main() -> bool:
        async with AsyncConversationClient(token="t", transport=fake.transport()) as client:
            await client.with_options(timeout=2).close()
            return bool(client._http.is_closed)

    assert asyncio.run(main()) is False


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_retries": -1}, ValueError),
        ({"max_retries": "2"}, TypeError),
        ({"timeout": []}, TypeError),
    ],
)
def test_with_options_checks_what_it_is_given(
    api: Api, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        api.client.with_options(**options)

"""Shared test helpers: a scripted fake API on `httpx.MockTransport`, and `Api`, which runs
the same test against `ConversationClient` and `AsyncConversationClient`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import httpx
from spec_pipeline import reader_plan
from spec_pipeline.reader_plan import ObjectPlan
from vonage_conversation import AsyncConversationClient, ConversationClient, RetryPolicy

APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
BASE = "https://api.nexmo.com"

Responder = httpx.Response | Callable[[httpx.Request], httpx.Response] | Exception


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


class FakeAPI:
    """Answers requests by (method, path) from scripted responses, and records every request.

    `add` queues responses for a route; the last one keeps answering once the queue is down to
    it. A responder may be an `httpx.Response`, a function of the request, or an exception to
    raise (a transport failure). Unknown routes answer 599 so that a test notices.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Responder]] = {}
        self.requests: list[httpx.Request] = []

    def add(self, method: str, path: str, *responders: Responder) -> FakeAPI:
        self.routes.setdefault((method.upper(), path), []).extend(responders)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            return httpx.Response(599, json={"title": f"no route {request.url.path}"})
        responder = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(responder, Exception):
            raise responder
        if callable(responder):
            return responder(request)
        # A fresh copy: one scripted Response may answer several requests.
        return httpx.Response(
            responder.status_code, headers=responder.headers, content=responder.content
        )

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class Api:
    """One client, sync or async, driven by sync test code.

    ``api.call(lambda c: c.conversations.get("CON-1"))`` runs the call and, for the async
    client, awaits it on the test's own event loop; `items` and `pages` drain a paginator.
    """

    def __init__(self, mode: str, fake: FakeAPI, **kwargs: Any) -> None:
        self.mode = mode
        self.fake = fake
        self.sleeps: list[float] = []
        self.loop = asyncio.new_event_loop()

        async def async_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        # Sleeps are recorded, never slept; jitter is pinned to its top unless told otherwise.
        options = {"random": lambda: 1.0, **kwargs.pop("retry_options", {})}
        kwargs.setdefault(
            "retry", RetryPolicy(sleep=self.sleeps.append, async_sleep=async_sleep, **options)
        )
        kwargs.setdefault("transport", fake.transport())
        cls = ConversationClient if mode == "sync" else AsyncConversationClient
        self.client: Any = cls(**kwargs)

    def run(self, value: Any) -> Any:
        if self.mode == "async":
            return self.loop.run_until_complete(value)
        return value

    def call(self, fn: Callable[[Any], Any]) -> Any:
        return self.run(fn(self.client))

    def items(self, paginator: Any) -> list[Any]:
        if self.mode == "sync":
            return list(paginator)

        async def drain() -> list[Any]:
            return [item async for item in paginator]

        return self.run(drain())

    def pages(self, paginator: Any) -> list[Any]:
        if self.mode == "sync":
            return list(paginator.pages())

        async def drain() -> list[Any]:
            return [page async for page in paginator.pages()]

        return self.run(drain())

    def close(self) -> None:
        self.run(self.client.close())
        self.loop.close()


# Sample bodies, as the spec's examples show them.

CONVERSATION = {
    "id": "CON-d66d47de-5bcb-4300-94f0-0c9d4b948e9a",
    "name": "customer_chat",
    "display_name": "Customer Chat",
    "image_url": "https://example.com/image.png",
    "state": "ACTIVE",
    "sequence_number": 0,
    "timestamp": {"created": "2019-09-03T18:40:24.324Z"},
    "properties": {"ttl": 60, "type": "string", "custom_data": {"property1": "string"}},
    "numbers": {},
    "_links": {"self": {"href": f"{BASE}/v0.3/conversations/CON-d66d47de"}},
}

USER = {"id": "USR-82e028d9", "name": "my_user_name", "display_name": "My User Name"}

MEMBER = {
    "id": "MEM-63f61863",
    "conversation_id": "CON-d66d47de",
    "_embedded": {"user": USER},
    "state": "JOINED",
    "timestamp": {"invited": "2020-01-01T14:00:00.00Z", "joined": "2020-01-01T14:00:00.00Z"},
    "initiator": {"joined": {"isSystem": True, "user_id": "USR-82e028d9"}},
    "channel": {"type": "app"},
    "_links": {"self": {"href": f"{BASE}/v0.3/conversations/CON-d66d47de/members/MEM-63f61863"}},
}


def event(event_id: str | int = "5", **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "text",
        "from": "MEM-63f61863",
        "body": {"text": "My Text"},
        "timestamp": "2020-01-01T14:00:00.00Z",
        "href": f"{BASE}/v0.3/conversations/CON-1/events/{event_id}",
        **fields,
    }


CREATED_EVENT = {
    "id": "5",
    "timestamp": "2020-01-01T14:00:00.00Z",
    "href": f"{BASE}/v0.3/conversations/CON-1/events/5",
}

LEG = {
    "uuid": "a595959595959595995",
    "type": "phone",
    "conversation_uuid": "CON-d66d47de",
    "state": "terminated",
    "from": {},
    "to": {},
    "start_time": "2020-01-01T14:00:00.00Z",
    "end_time": "2020-01-01T14:00:00.00Z",
}

SESSION = {
    "id": "SES-63f61863",
    "_embedded": {"user": USER},
    "properties": {"ttl": 0},
}


def page(
    key: str,
    items: list[Any],
    next_href: str | None = None,
    *,
    v02: bool = False,
    page_size: int = 10,
) -> dict[str, Any]:
    """A list page in the v0.3 shape (`_embedded.<key>`) or the v0.2 one (`_embedded.data`)."""
    links: dict[str, Any] = {"self": {"href": f"{BASE}/self"}}
    if next_href is not None:
        links["next"] = {"href": next_href}
    embedded = {"data": {key: items}} if v02 else {key: items}
    return {"page_size": page_size, "_embedded": embedded, "_links": links}


def leg_page(legs: list[Any], *, record_index: int, count: Any, page_size: int = 2) -> dict:
    return {
        "count": count,
        "page_size": page_size,
        "record_index": record_index,
        "_links": {"self": {"href": "string"}},
        "_embedded": {"legs": legs},
    }


def ok(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@cache
def spec_document() -> dict[str, Any]:
    """The spec the generated package was built from (shipped in it as JSON)."""
    text = (resources.files("vonage_conversation_api") / "openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def object_plans() -> Mapping[str, ObjectPlan]:
    """The plans the client's readers were rendered from (`scripts/spec_pipeline`)."""
    return reader_plan.object_plans(spec_document())

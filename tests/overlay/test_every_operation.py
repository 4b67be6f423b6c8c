"""Every operation of the spec is a method of both clients.

Each public method of each resource is called (with ids, and with the spec's example body when
it needs one) against a mock API that records the request; the requests, matched against the
spec's paths, must cover every operationId of the spec the client was built from.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from importlib import resources
from typing import Any

import httpx
import pytest
from vonage_conversation import (
    AsyncConversationClient,
    AsyncPaginator,
    ConversationAPIError,
    ConversationClient,
    RetryPolicy,
    SyncPaginator,
)
from vonage_conversation._async.resource import AsyncResource
from vonage_conversation._sync.resource import SyncResource
from vonage_conversation_spec import operation_items

SPEC = json.loads((resources.files("vonage_conversation_api") / "openapi.json").read_text())


def spec_operations() -> dict[tuple[str, re.Pattern[str]], str]:
    """(HTTP method, path pattern) -> operationId, for every operation of the spec."""
    return {
        (method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")): str(
            operation["operationId"]
        )
        for path, method, operation in operation_items(SPEC)
    }


def example_bodies() -> list[Any]:
    return [
        op["requestBody"]["content"]["application/json"]["example"]
        for _, _, op in operation_items(SPEC)
        if "requestBody" in op
    ]


def operation_of(request: httpx.Request) -> str:
    for (method, pattern), operation_id in spec_operations().items():
        if request.method == method and pattern.match(request.url.path):
            return operation_id
    raise AssertionError(f"{request.method} {request.url.path} is no operation of the spec")


def public_methods(resource: object) -> list[tuple[str, Any]]:
    return [
        (name, member)
        for name, member in inspect.getmembers(resource, inspect.ismethod)
        if not name.startswith("_")
    ]


def positional(method: Any) -> list[str]:
    """Ids for the method's required positional arguments ("1" is both an id and digits)."""
    return [
        "1"
        for parameter in inspect.signature(method).parameters.values()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]


async def outcome(result: Any) -> None:
    """Run what a method returned: await it, or fetch a paginator's first page."""
    if isinstance(result, SyncPaginator):
        result.first_page()
    elif isinstance(result, AsyncPaginator):
        await result.first_page()
    elif inspect.isawaitable(result):
        await result


def reach(client: Any, sent: list[httpx.Request]) -> dict[str, set[str]]:
    """operationId -> the methods (``resource.method``) whose call sent it."""
    reached: dict[str, set[str]] = {}
    loop = asyncio.new_event_loop()
    try:
        for name in dir(type(client)):
            resource = getattr(client, name)
            if not isinstance(resource, (SyncResource, AsyncResource)):
                continue
            for method_name, method in public_methods(resource):
                ids = positional(method)
                for extra in ({}, *({"data": body} for body in example_bodies())):
                    before = len(sent)
                    try:
                        loop.run_until_complete(outcome(method(*ids, **extra)))
                    except (ValueError, TypeError):
                        continue  # refused before sending: try with a body
                    except ConversationAPIError:
                        pass  # the mock's answer does not matter, the request does
                    if len(sent) > before:
                        operation_id = operation_of(sent[-1])
                        reached.setdefault(operation_id, set()).add(f"{name}.{method_name}")
                        break
    finally:
        loop.close()
    return reached


@pytest.mark.parametrize("cls", [ConversationClient, AsyncConversationClient])
def test_every_operation_of_the_spec_is_a_method_of_both_clients(cls: Any) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(418, json={"title": "recorded"})

    client = cls(
        token="header.payload.signature",
        transport=httpx.MockTransport(answer),
        retry=RetryPolicy(max_retries=0),
    )
    reached = reach(client, sent)
    assert set(reached) == set(spec_operations().values())
    # The names of the README and of the naming rule's exceptions, and the v0.2 twins.
    assert reached["getConversation"] == {"conversations.get"}
    assert reached["listUserConversations"] == {"users.conversations"}
    assert reached["listUserSessions"] == {"users.sessions"}
    assert reached["getMyMember"] == {"members.me"}
    assert reached["listConversationsV02"] == {"conversations.list_v02"}
    assert reached["listMembersV02"] == {"members.list_v02"}
    assert reached["listEventsV02"] == {"events.list_v02"}
    assert reached["createEvent"] == {"events.create"}

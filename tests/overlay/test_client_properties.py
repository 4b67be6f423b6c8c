"""Property-based tests of the client itself (the conformance issue, part 3).

Responses: for every schema a successful response can carry, documents generated from the
spec by hypothesis-jsonschema go through what the client does to a response body: a schema a
success carries at the top is the answer of an `httpx.MockTransport` to the client's own method
(a list's first page), so the whole call path runs (one decode, the rendered reader's type
checks and fixes, the models it builds: ``vonage_conversation._generated.readers``); a
schema inside one goes through the same reader (`read_model`). Reading must succeed and
``to_dict()`` must give back JSON equivalent to the document sent
(`client_properties_support.differences` says exactly what "equivalent" allows).
The overlay's fixes exist for forms a server may send that the spec does not allow, so on a
document the spec does allow they must change nothing, with one documented exception: four
rules read a source spelling (``is_system``, ``start_end``, a member's ``_links.href``, page
links nested in ``_links.self``) that an open object of the spec also allows as an undeclared
field; there, at the schema the rule names and for a value of the right type, the document may
come back in the spec's spelling (`client_properties_support.DOCUMENTED_READINGS`). An `Event`
valid as one of the event kinds is read as that kind (a member event's body is a `Member`), as
the spec's kinds type events by their ``type``.

Requests: for every request body, bodies generated from the spec go through the overlay's public
methods, sync and async, to an `httpx.MockTransport`; the request sent (method, path, query,
headers, JSON body) must validate against the spec with openapi-core, and carry the body given.

Each property runs 200 examples (fewer only where the schema has fewer documents), derandomized
so that every run, here and in CI, tries the same examples.

Why over 400 lines: one property per thing the client does to a response or a request, each
with the strategies and expectations that belong to it alone (the shared parts are the
support modules).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import client_properties_support as support
import client_requests_support as requests_support
import httpx
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from vonage_conversation import (
    AsyncConversationClient,
    ConversationAPIError,
    ConversationClient,
    Page,
    PaginationError,
    RetryPolicy,
)
from vonage_conversation._exceptions import error_class_for
from vonage_conversation._models import read_model
from vonage_conversation_api.models import Error

EXAMPLES = 200
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run and machine
    database=None,  # nothing replayed from earlier runs: a run depends on the code alone
    suppress_health_check=[HealthCheck.too_slow],
)

BASE_URL = "https://api.nexmo.com"  # the spec's server, so openapi-core matches the paths
TOKEN = "header.payload.signature"
CONVERSATION_ID = "CON-d66d47de-5bcb-4300-94f0-0c9d4b948e9a"
MEMBER_ID = "MEM-63f61863-4a51-4f6b-86e1-46edebio0391"
USER_ID = "USR-82e028d9-5201-4f1e-8188-604b2d3471ec"
PATH_VALUES = {"conversation_id": CONVERSATION_ID, "member_id": MEMBER_ID, "user_id": USER_ID}

# What the spec holds today: 32 schemas reachable from a 2xx body, and the 5 event kinds.
EXPECTED_RESPONSE_SCHEMA_COUNT = 37
EXPECTED_EVENT_KINDS = {
    "TextEvent",
    "CustomEvent",
    "MemberInvitedEvent",
    "MemberJoinedEvent",
    "MemberLeftEvent",
}

RESPONSE_SCHEMAS = support.response_schema_names()


def expected_examples(name: str) -> int:
    documents = support.finite_documents(name)
    return EXAMPLES if documents is None else min(EXAMPLES, len(documents))


# Responses


def test_the_response_schemas_are_computed_from_the_spec() -> None:
    assert len(RESPONSE_SCHEMAS) == EXPECTED_RESPONSE_SCHEMA_COUNT, RESPONSE_SCHEMAS
    assert support.event_kinds() == EXPECTED_EVENT_KINDS
    assert set(RESPONSE_SCHEMAS) >= EXPECTED_EVENT_KINDS
    assert support.success_response_roots() <= set(RESPONSE_SCHEMAS)
    # Only what a success can carry: no request body, no error.
    assert not {"Error", "ConversationRequest", "CreateEventRequest"} & set(RESPONSE_SCHEMAS)
    for name in RESPONSE_SCHEMAS:
        assert support.generated_parser(name).name == name


# How the client reads each schema a success can carry at the top: the method that gets it
# (a list's first page). `Empty`, the body of a delete, is not read.
ROOT_READS: dict[str, Callable[[Any], Any]] = {
    "Conversation": lambda c: c.conversations.get(CONVERSATION_ID),
    "CreatedEvent": lambda c: c.events.send_text(CONVERSATION_ID, from_=MEMBER_ID, text="t"),
    "Event": lambda c: c.events.get(CONVERSATION_ID, 1),
    "Member": lambda c: c.members.get(CONVERSATION_ID, MEMBER_ID),
    "ConversationPage": lambda c: c.conversations.list().first_page(),
    "ConversationPageV02": lambda c: c.conversations.list_v02().first_page(),
    "EventPage": lambda c: c.events.list(CONVERSATION_ID).first_page(),
    "EventPageV02": lambda c: c.events.list_v02(CONVERSATION_ID).first_page(),
    "LegPage": lambda c: c.legs.list().first_page(),
    "MemberPage": lambda c: c.members.list(CONVERSATION_ID).first_page(),
    "MemberPageV02": lambda c: c.members.list_v02(CONVERSATION_ID).first_page(),
    "SessionPage": lambda c: c.users.sessions(USER_ID).first_page(),
    "UserPage": lambda c: c.users.list().first_page(),
}


def test_every_success_root_is_read_through_the_client() -> None:
    assert set(ROOT_READS) == support.success_response_roots() - {"Empty"}


@pytest.fixture
def answering_client() -> Iterator[tuple[Capture, ConversationClient]]:
    capture = Capture(200, {})
    client = ConversationClient(
        token=TOKEN,
        base_url=BASE_URL,
        retry=RetryPolicy(max_retries=0),
        transport=httpx.MockTransport(capture),
    )
    yield capture, client
    client.close()


def _read(name: str, document: Any, answering: tuple[Capture, ConversationClient]) -> Any:
    """What the client makes of `document` as a body of schema `name`: for a schema a success
    carries at the top, the result of the client's own method, answered with it over a mock
    transport (a list: its first `Page`); for a schema inside one, the client's reader of it
    (`read_model`, what the call path runs); for a string enum, the generated check."""
    capture, client = answering
    if name in ROOT_READS:
        capture.requests.clear()
        capture.body = document
        try:
            return ROOT_READS[name](client)
        finally:
            capture.take()  # one request, whatever came of it
    schema = support.component_schemas()[name]
    if schema.get("type") != "object":
        return support.generated_parser(name).from_json(support.wire(document))
    return read_model(support.wire(document), name)


def _page_items(name: str, document: Any) -> tuple[Any, list[Any]]:
    """The schema of a page's items, and the items of page `document` (v0.3 or v0.2 shape)."""
    embedded = support.resolve(support.component_schemas()[name]["properties"]["_embedded"])
    holder = document.get("_embedded", {})
    if "data" in embedded["properties"]:
        embedded = embedded["properties"]["data"]
        holder = holder.get("data", {})
    [(key, array)] = embedded["properties"].items()
    return array["items"], holder.get(key, [])


def _compare(name: str, document: Any, result: Any) -> None:
    """`result` (what the client read) is JSON-equivalent to `document` as the documented
    readings of source spellings leave it (`support.DOCUMENTED_READINGS`)."""
    if isinstance(result, Page):
        items_schema, items = _page_items(name, document)
        assert len(result.items) == len(items)
        for item, read in zip(items, result.items, strict=True):
            expected = support.documented_reading(items_schema, item)
            assert support.differences(items_schema, expected, read.to_dict()) == []
        assert result.page_size == document.get("page_size")
        # The whole page too, as the same reader read it inside the call.
        result = read_model(support.wire(document), name)
    back = result if isinstance(result, str) else result.to_dict()
    note(f"to_dict(): {back!r}")
    json.dumps(back)  # plain JSON, nothing left as a Python object
    expected = support.documented_reading(support.component_ref(name), document)
    if expected != document:
        note(f"as documented, read as: {expected!r}")
    assert support.differences(support.component_ref(name), expected, back) == []


@pytest.mark.parametrize("name", RESPONSE_SCHEMAS)
def test_a_response_parses_and_round_trips(
    name: str, answering_client: tuple[Capture, ConversationClient]
) -> None:
    """A document valid against `name` is read by the client (its type checks, fixes and model
    building: through the client's call path where `name` is a response's top schema), and the
    model's ``to_dict()`` is JSON equivalent to the document."""
    validator = support.spec_validator(name)
    seen: list[str] = []

    @PROPERTY
    @given(document=support.payloads(name))
    def round_trips(document: Any) -> None:
        note(f"document: {document!r}")  # (pytest shows Hypothesis's own listing of it empty)
        seen.append(support.canonical(document))
        # The generator's side: valid against the schema exactly as the spec writes it.
        assert validator.is_valid(document), [e.message for e in validator.iter_errors(document)]
        try:
            result = _read(name, document, answering_client)
        except PaginationError:
            # A next link the spec allows but that names no cursor cannot be followed: the
            # paginator says so at once instead of stopping silently.
            assert "cursor=" not in support.next_href(document)
            return
        _compare(name, document, result)

    round_trips()
    assert len(seen) >= expected_examples(name)
    documents = support.finite_documents(name)
    if documents is not None:
        assert set(seen) == {support.canonical(d) for d in documents}


# Requests


@dataclass(frozen=True)
class RequestCase:
    """One operation with a body: how the overlay's public method sends a generated `schema`."""

    operation_id: str
    schema: str
    send: Callable[[Any, Any], Any]
    answer: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.operation_id}-{self.schema}"


REQUEST_CASES = [
    RequestCase(
        "createConversation",
        "ConversationRequest",
        lambda client, body: client.conversations.create(data=body),
        {"id": CONVERSATION_ID},
    ),
    RequestCase(
        "updateConversation",
        "ConversationRequest",
        lambda client, body: client.conversations.update(CONVERSATION_ID, data=body),
        {"id": CONVERSATION_ID},
    ),
    RequestCase(
        "createMember",
        "CreateMemberRequest",
        lambda client, body: client.members.create(CONVERSATION_ID, data=body),
        {"id": MEMBER_ID},
    ),
    RequestCase(
        "updateMember",
        "UpdateMemberRequest",
        lambda client, body: client.members.update(CONVERSATION_ID, MEMBER_ID, data=body),
        {"id": MEMBER_ID},
    ),
    # The body is `CreateEventRequest` (anyOf text, custom); each kind also gets its own 200.
    *(
        RequestCase(
            "createEvent",
            schema,
            lambda client, body: client.events.create(CONVERSATION_ID, data=body),
            {"id": "1"},
        )
        for schema in ("CreateEventRequest", "CreateTextEventRequest", "CreateCustomEventRequest")
    ),
]


@dataclass
class Capture:
    """A mock API: records each request and answers every one with the same response."""

    status: int
    body: Any
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)

    def take(self) -> httpx.Request:
        assert len(self.requests) == 1, f"{len(self.requests)} requests sent, not 1"
        return self.requests.pop()


class Clients:
    """A `ConversationClient` and an `AsyncConversationClient` on one mock API, no retries."""

    def __init__(self, capture: Capture) -> None:
        self.capture = capture
        transport = httpx.MockTransport(capture)  # serves both: it has a sync and an async side
        options: dict[str, Any] = {
            "token": TOKEN,
            "base_url": BASE_URL,
            "retry": RetryPolicy(max_retries=0),
            "transport": transport,
        }
        self.sync = ConversationClient(**options)
        self.async_ = AsyncConversationClient(**options)
        self.loop = asyncio.new_event_loop()

    def both(self, call: Callable[[Any], Any]) -> list[tuple[str, Any, httpx.Request]]:
        """Make `call` with each client: (which, its result, the request it sent)."""
        result = call(self.sync)
        made = [("sync", result, self.capture.take())]
        result = self.loop.run_until_complete(call(self.async_))
        made.append(("async", result, self.capture.take()))
        return made

    def close(self) -> None:
        self.sync.close()
        self.loop.run_until_complete(self.async_.close())
        self.loop.close()


@pytest.fixture
def make_clients() -> Iterator[Callable[[Capture], Clients]]:
    made: list[Clients] = []

    def make(capture: Capture) -> Clients:
        made.append(Clients(capture))
        return made[-1]

    yield make
    for clients in made:
        clients.close()


def wire_form(request: httpx.Request) -> tuple[Any, ...]:
    """What a request puts on the wire: method, URL, headers (in any order), body."""
    headers = sorted((k.lower(), v) for k, v in request.headers.multi_items())
    return request.method, str(request.url), headers, request.content


def expected_request(operation_id: str) -> tuple[str, str]:
    method, template = support.operation_path(operation_id)
    return method, template.format(**PATH_VALUES)


def success_status(operation_id: str) -> int:
    for _, _, operation in support.operations():
        if operation["operationId"] == operation_id:
            return min(int(s) for s in operation["responses"] if str(s).startswith("2"))
    raise KeyError(operation_id)


def test_the_request_cases_are_the_spec_bodies() -> None:
    """Every operation with a request body has a case sending the schema the spec names."""
    with_body = {
        operation["operationId"]
        for _, _, operation in support.operations()
        if "requestBody" in operation
    }
    assert {case.operation_id for case in REQUEST_CASES} == with_body
    for case in REQUEST_CASES:
        body = support.request_body_schema(case.operation_id)
        assert case.schema in {body, *support.reachable({body})}


@pytest.mark.parametrize("case", REQUEST_CASES, ids=lambda case: case.id)
def test_a_request_body_is_sent_as_the_spec_says(
    case: RequestCase, make_clients: Callable[[Capture], Clients]
) -> None:
    """A body valid against the spec, given as ``data=`` to the overlay's method, is sent (sync
    and async alike) in a request that validates against the spec and carries that body."""
    capture = Capture(success_status(case.operation_id), case.answer)
    clients = make_clients(capture)
    method, path = expected_request(case.operation_id)
    schema = support.component_schemas()[case.schema]
    validator = support.spec_validator(case.schema)
    seen: list[str] = []

    @PROPERTY
    @given(body=support.payloads(case.schema))
    def is_sent_as_the_spec_says(body: Any) -> None:
        note(f"body: {body!r}")
        seen.append(support.canonical(body))
        assert validator.is_valid(body), [e.message for e in validator.iter_errors(body)]
        try:
            (_, result, request), (_, async_result, async_request) = clients.both(
                lambda c: case.send(c, body)
            )
        except (TypeError, ValueError) as refused:
            raise AssertionError(f"the overlay refused a body the spec allows: {refused}") from None
        assert wire_form(async_request) == wire_form(request), "sync and async requests differ"
        assert (request.method, request.url.path) == (method, path)
        assert requests_support.request_errors(request) == []
        sent_body = json.loads(request.content)
        note(f"sent: {sent_body!r}")
        assert support.differences(schema, body, sent_body) == []
        assert result.id == async_result.id == case.answer["id"]

    is_sent_as_the_spec_says()
    assert len(seen) >= EXAMPLES


# The two schemas no success body or request body carries


LIST_METHODS: dict[str, Callable[[Any, str], Any]] = {
    "listConversations": lambda client, order: client.conversations.list(order=order),
    "listUsers": lambda client, order: client.users.list(order=order),
    "listUserConversations": lambda client, order: client.users.conversations(USER_ID, order=order),
    "listUserSessions": lambda client, order: client.users.sessions(USER_ID, order=order),
    "listMembers": lambda client, order: client.members.list(CONVERSATION_ID, order=order),
    "listEvents": lambda client, order: client.events.list(CONVERSATION_ID, order=order),
}


def test_every_sort_order_is_sent_as_the_spec_says(
    make_clients: Callable[[Capture], Clients],
) -> None:
    """`SortOrder`, the ``order`` query parameter: each value, through each list method that
    takes it, is sent as given in a request that validates against the spec."""
    orders = support.component_schemas()["SortOrder"]["enum"]
    capture = Capture(200, {"page_size": 10, "_embedded": {}, "_links": {"self": {"href": "x"}}})
    clients = make_clients(capture)
    seen: set[tuple[str, str]] = set()

    async def first_page_async(paginator: Any) -> Any:
        return await paginator.first_page()

    @PROPERTY
    @given(order=st.sampled_from(orders), method=st.sampled_from(sorted(LIST_METHODS)))
    def is_sent_as_the_spec_says(order: str, method: str) -> None:
        note(f"order: {order!r}, method: {method}")
        seen.add((order, method))
        list_method = LIST_METHODS[method]
        list_method(clients.sync, order).first_page()
        request = capture.take()
        assert request.url.params.get_list("order") == [order]
        assert (request.method, request.url.path) == expected_request(method)
        assert requests_support.request_errors(request) == []
        clients.loop.run_until_complete(first_page_async(list_method(clients.async_, order)))
        assert capture.take().url == request.url

    is_sent_as_the_spec_says()
    assert seen == {(order, method) for order in orders for method in LIST_METHODS}


ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 429, 500, 503]


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def test_an_error_body_round_trips_and_reaches_the_exception(
    make_clients: Callable[[Capture], Clients],
) -> None:
    """`Error`, the body of every error response: it round-trips through the generated model
    (what `client.low_level` calls return), and the overlay's exception for its status carries
    its fields (the overlay reads an empty string as absent, and a missing title as the status's
    reason phrase)."""
    schema = support.component_schemas()["Error"]
    validator = support.spec_validator("Error")
    capture = Capture(500, {})
    clients = make_clients(capture)
    seen: list[str] = []

    @PROPERTY
    @given(body=support.payloads("Error"), status=st.sampled_from(ERROR_STATUSES))
    def reaches_the_exception(body: Any, status: int) -> None:
        note(f"body: {body!r}, status: {status}")
        seen.append(support.canonical(body))
        assert validator.is_valid(body)
        assert support.differences(schema, body, Error.from_dict(body).to_dict()) == []
        capture.status, capture.body = status, body
        with pytest.raises(ConversationAPIError) as raised:
            clients.sync.conversations.get(CONVERSATION_ID)
        capture.take()
        error = raised.value
        assert type(error) is error_class_for(status)
        assert error.status == status
        reason = httpx.codes.get_reason_phrase(status)
        assert error.title == (_text_or_none(body["title"]) or reason)
        for key in ("detail", "code", "instance", "type"):
            assert getattr(error, key) == _text_or_none(body.get(key)), key

    reaches_the_exception()
    assert len(seen) >= EXAMPLES


def test_every_component_schema_is_covered() -> None:
    """Every schema of the spec is generated by one of the properties above (directly, or
    inside one that is), so a schema added to the spec cannot go untested."""
    covered = set(RESPONSE_SCHEMAS) | {"Error", "SortOrder"}
    for case in REQUEST_CASES:
        covered |= support.reachable({case.schema})
    assert covered == set(support.component_schemas())

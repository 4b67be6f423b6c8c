"""The semantic phase's parts: signed raw requests counted per operation, the page walker, and
how `--checks` and `--phases` select the phase."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from vonage_conversation_conformance import Options, Plan
from vonage_conversation_conformance._api import Api, UnreachableError
from vonage_conversation_conformance._options import spec_operations
from vonage_conversation_conformance._results import RunResult
from vonage_conversation_conformance.semantic import CHECKS
from vonage_conversation_conformance.semantic._paging import MAX_PAGES, Listing, on_host, walk
from vonage_conversation_conformance.semantic._readback import differences, shown_as, takes
from vonage_conversation_conformance.semantic._registry import semantic_check
from vonage_conversation_conformance.semantic._sources import SEQUENCE_NUMBER
from vonage_conversation_emulator.keys import generate_private_key_pem

PEM = generate_private_key_pem().decode()
LIST = "listConversations"
LIST_LABEL = "GET /v0.3/conversations"


def _api(respond: httpx.MockTransport, result: RunResult | None = None) -> Api:
    return Api("http://h:1", "app", PEM, result or RunResult(), phase="semantic", transport=respond)


def test_requests_are_counted_for_their_operation_in_the_semantic_phase() -> None:
    result = RunResult()
    api = _api(httpx.MockTransport(lambda request: httpx.Response(404, json={})), result)
    answer = api.call(LIST, params={"page_size": 1})
    assert (answer.status, answer.request.url) == (404, "http://h:1/v0.3/conversations?page_size=1")
    assert answer.request.as_curl().startswith('curl -X GET -H "Authorization: Bearer $VONAGE_JWT"')
    tally = result.operations[LIST_LABEL]  # counted under the spec's label
    assert (tally.requests, dict(tally.responses), result.phase_requests["semantic"]) == (
        1,
        {"4xx": 1},
        1,
    )

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    unreachable = _api(httpx.MockTransport(refuse), result)
    with pytest.raises(UnreachableError, match="refused"):
        unreachable.call(LIST)
    assert dict(result.operations[LIST_LABEL].responses) == {"4xx": 1, "none": 1}


def test_a_user_jwt_is_new_only_when_a_new_session_is_asked_for() -> None:
    tokens: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers["Authorization"])
        return httpx.Response(200, json={})

    api = _api(httpx.MockTransport(record))
    for new in (False, False, True, True):
        api.call("getMyMember", {"conversation_id": "CON-1"}, sub="ann", new_session=new)
    assert tokens[0] == tokens[1] and len(set(tokens)) == 3


@pytest.mark.parametrize(
    ("href", "ok"),
    [
        ("http://h:1/v0.3/conversations?cursor=a", True),
        ("/v0.3/conversations?cursor=a", False),
        ("https://h:1/v0.3/conversations", False),
        ("http://evil:1/v0.3/conversations", False),
        ("http://h:2/v0.3/conversations", False),
    ],
)
def test_a_link_is_followed_only_on_the_host_asked(href: str, ok: bool) -> None:
    assert on_host(href, "http://h:1") is ok


def test_a_walk_without_end_stops_after_the_most_pages() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        number = int(parse_qs(urlsplit(str(request.url)).query).get("cursor", ["0"])[0])
        items = [{"id": f"CON-{number}-{n}"} for n in range(2)]
        following = {"href": f"http://h:1/v0.3/conversations?cursor={number + 1}"}
        return httpx.Response(
            200, json={"_embedded": {"conversations": items}, "_links": {"next": following}}
        )

    done = walk(_api(httpx.MockTransport(endless)), Listing(LIST, "conversations"), 2)
    assert len(done.pages) == MAX_PAGES
    assert done.stopped == f"still not at the last page after {MAX_PAGES} pages"


def test_legs_are_walked_by_record_index_up_to_count() -> None:
    asked: list[str] = []

    def legs(request: httpx.Request) -> httpx.Response:
        index = int(request.url.params["record_index"])
        asked.append(request.url.params["record_index"])
        items = [{"uuid": f"L{index * 2 + n}"} for n in range(2) if index * 2 + n < 5]
        return httpx.Response(200, json={"count": 5, "_embedded": {"legs": items}})

    listing = Listing("listLegs", "legs", paging="record_index", id_field="uuid")
    done = walk(_api(httpx.MockTransport(legs)), listing, 2)
    assert (asked, done.ids, done.stopped) == (
        ["0", "1", "2"],
        ["L0", "L1", "L2", "L3", "L4"],
        None,
    )


def test_checks_and_phases_select_the_semantic_phase() -> None:
    everything = Plan.of(Options())
    assert everything.semantic and everything.schemathesis_phases
    assert "member_listed" in everything.semantic_checks
    alone = Plan.of(Options(checks=("member_listed",)))
    assert (alone.semantic_checks, alone.schemathesis_phases) == (("member_listed",), ())
    without = Plan.of(Options(exclude_checks=("member_listed",)))
    assert "member_listed" not in without.semantic_checks
    assert not Plan.of(Options(phases=("examples",))).semantic


def test_a_request_names_its_operation_by_id_and_the_spec_gives_its_method_and_label() -> None:
    seen: list[tuple[str, str]] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.raw_path.decode()))
        return httpx.Response(204)

    result = RunResult()
    api = _api(httpx.MockTransport(record), result)
    api.call("deleteLeg", {"leg_id": "LEG 1/2"})
    api.call("updateMember", {"conversation_id": "C", "member_id": "M"}, body={"state": "left"})
    api.call("listLegs", url="http://h:1/v0.3/legs?record_index=2")  # a link, as given
    assert seen == [
        ("DELETE", "/v0.3/legs/LEG%201%2F2"),  # each id quoted into the spec's path
        ("PATCH", "/v0.3/conversations/C/members/M"),
        ("GET", "/v0.3/legs?record_index=2"),
    ]
    assert list(result.operations) == [
        "DELETE /v0.3/legs/{leg_id}",
        "PATCH /v0.3/conversations/{conversation_id}/members/{member_id}",
        "GET /v0.3/legs",
    ]
    with pytest.raises(KeyError, match="no operationId 'deleteEverything' in the spec"):
        api.call("deleteEverything")
    with pytest.raises(KeyError, match="getMember needs conversation_id, member_id in its path"):
        api.call("getMember")


def test_semantic_checks_name_operations_of_the_spec_by_id() -> None:
    named = {check.operation for check in CHECKS.values() if check.operation is not None}
    ids = {operation.operation_id for operation in spec_operations()}
    assert named and named <= ids
    with pytest.raises(KeyError, match="no operationId 'getWidget' in the spec"):
        semantic_check("widget_rule", "Widgets", SEQUENCE_NUMBER, operation="getWidget")
    assert "widget_rule" not in CHECKS


def test_read_back_names_every_field_shown_otherwise_at_any_depth() -> None:
    sent = {"display_name": "a", "properties": {"ttl": 60, "custom_data": {"k": "v"}}}
    shown = {"display_name": "b", "properties": {"ttl": 60, "custom_data": {}}, "extra": 1}
    assert [path for path, _ in differences(sent, shown)] == [
        "display_name",
        "properties.custom_data.k",
    ]
    assert differences(sent, {**sent, "id": "CON-1"}) == []  # what the server adds is its own


def test_read_back_takes_the_shapes_the_spec_gives_a_read() -> None:
    sent = {
        "numbers": [{"type": "phone", "number": "4477"}],
        "user": {"name": "ann"},
        "state": "joined",
    }
    shown = {
        "numbers": {"phone": {"type": "phone", "number": "4477"}},
        "_embedded": {"user": {"id": "USR-1", "name": "ann"}},
        "state": "JOINED",
    }
    assert differences(shown_as(sent), shown) == []
    wrong = {**shown, "numbers": {"phone": {"type": "phone", "number": "1"}}}
    assert [path for path, _ in differences(shown_as(sent), wrong)] == ["numbers.phone.number"]


def test_the_spec_says_which_lists_take_which_filters() -> None:
    assert takes("listConversations", "date_end")
    assert takes("listUserConversations", "date_start")
    assert not takes("listUserConversations", "date_end")
    assert takes("listEventsV02", "event_type")
    assert not takes("listMembers", "event_type")

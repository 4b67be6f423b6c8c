"""Pagination, sync and async: both page shapes, legs' record_index, limits, cursors, loops.

Why over 400 lines: each way a walk can go (both page shapes, record_index, limits, resumed
cursors, links without a cursor, foreign and relative links, loops) is a case for both the sync
and the async paginator, and they share one fake server.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import httpx
import pytest
from overlay_helpers import BASE, LEG, MEMBER, USER, Api, FakeAPI, event, leg_page, ok, page
from vonage_conversation import Page, PaginationError, ResponseParseError

EVENTS = "/v0.3/conversations/CON-1/events"


def events_page(ids: list[str], next_cursor: str | None, host: str = BASE) -> httpx.Response:
    href = f"{host}{EVENTS}?page_size=2&cursor={next_cursor}" if next_cursor else None
    return ok(page("events", [event(i) for i in ids], href, page_size=2))


def by_cursor(pages: dict[str | None, httpx.Response]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return pages[request.url.params.get("cursor")]

    return answer


def drain(api: Api, seen: list[str]) -> None:
    """Iterate every event of CON-1, noting each id as it is given (before any error)."""
    if api.mode == "sync":
        seen.extend(e.id for e in api.client.events.list("CON-1"))
        return

    async def go() -> None:
        async for e in api.client.events.list("CON-1"):
            seen.append(e.id)

    api.run(go())


def cursors(fake: FakeAPI) -> list[str | None]:
    return [r.url.params.get("cursor") for r in fake.requests]


def test_items_of_every_page_lazily(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        by_cursor(
            {
                None: events_page(["1", "2"], "c2"),
                "c2": events_page(["3", "4"], "c3"),
                "c3": events_page(["5"], None),
            }
        ),
    )
    paginator = api.client.events.list("CON-1", page_size=2)
    assert fake.requests == []  # nothing is sent before iterating
    assert [e.id for e in api.items(paginator)] == ["1", "2", "3", "4", "5"]
    assert cursors(fake) == [None, "c2", "c3"]
    assert {r.url.params["page_size"] for r in fake.requests} == {"2"}


def test_iterating_again_starts_again(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET", EVENTS, by_cursor({None: events_page(["1"], "c2"), "c2": events_page([], None)})
    )
    paginator = api.client.events.list("CON-1")
    assert len(api.items(paginator)) == 1
    assert len(api.items(paginator)) == 1
    assert cursors(fake) == [None, "c2", None, "c2"]


def test_pages_give_items_page_size_and_next_cursor(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        by_cursor({None: events_page(["1", "2"], "c2"), "c2": events_page(["3"], None)}),
    )
    pages = api.pages(api.client.events.list("CON-1"))
    assert [type(p) for p in pages] == [Page, Page]
    assert [[e.id for e in p.items] for p in pages] == [["1", "2"], ["3"]]
    assert [p.next_cursor for p in pages] == ["c2", None]
    assert [p.page_size for p in pages] == [2, 2]
    assert [p.has_next for p in pages] == [True, False]
    assert pages[0].response.status_code == 200
    assert len(pages[0]) == 2
    assert [e.id for e in pages[1]] == ["3"]


def test_first_page_sends_one_request(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, events_page(["1", "2"], "c2"))
    first = api.run(api.client.events.list("CON-1").first_page())
    assert first.next_cursor == "c2"
    assert len(fake.requests) == 1


def test_limit_stops_after_n_items_without_fetching_more(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        by_cursor(
            {
                None: events_page(["1", "2"], "c2"),
                "c2": events_page(["3", "4"], "c3"),
                "c3": events_page(["5"], None),
            }
        ),
    )
    items = api.items(api.client.events.list("CON-1", limit=3))
    assert [e.id for e in items] == ["1", "2", "3"]
    assert cursors(fake) == [None, "c2"]


def test_limit_on_a_page_boundary_fetches_no_further_page(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, by_cursor({None: events_page(["1", "2"], "c2")}))
    assert len(api.items(api.client.events.list("CON-1", limit=2))) == 2
    assert len(api.pages(api.client.events.list("CON-1", limit=2))) == 1
    assert cursors(fake) == [None, None]


def test_limit_zero_sends_nothing(api: Api, fake: FakeAPI) -> None:
    assert api.items(api.client.events.list("CON-1", limit=0)) == []
    assert fake.requests == []


def test_cursor_resumes_from_a_saved_cursor(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET", EVENTS, by_cursor({"c2": events_page(["3", "4"], "c3"), "c3": events_page([], None)})
    )
    items = api.items(api.client.events.list("CON-1", cursor="c2"))
    assert [e.id for e in items] == ["3", "4"]
    assert cursors(fake) == ["c2", "c3"]


def test_a_next_link_on_another_host_never_gets_the_token(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        by_cursor(
            {
                None: events_page(["1"], "c2", host="https://evil.example"),
                "c2": events_page(["2"], None),
            }
        ),
    )
    assert [e.id for e in api.items(api.client.events.list("CON-1"))] == ["1", "2"]
    assert {r.url.host for r in fake.requests} == {"api.nexmo.com"}
    follow = fake.requests[1]
    assert follow.url.path == EVENTS
    assert follow.url.params["cursor"] == "c2"


def test_the_next_link_is_followed_as_given(api: Api, fake: FakeAPI) -> None:
    """The sources: "follow the url provided in `_links.next.href`": its path and its query,
    not a query rebuilt from its cursor and the first call's arguments."""
    href = f"{BASE}/v0.3/other/path?page_size=99&order=desc&cursor=c2"
    fake.add("GET", EVENTS, ok(page("events", [event("1")], href)))
    fake.add("GET", "/v0.3/other/path", events_page([], None))
    api.items(api.client.events.list("CON-1", page_size=5))
    follow = fake.requests[1]
    assert str(follow.url) == href
    assert follow.headers["authorization"].startswith("Bearer ")


def test_a_relative_next_link_is_asked_of_the_base_url(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok(page("events", [event("1")], f"{EVENTS}?page=2")))
    fake.add("GET", EVENTS, events_page(["2"], None))
    assert [e.id for e in api.items(api.client.events.list("CON-1"))] == ["1", "2"]
    assert str(fake.requests[1].url) == f"{BASE}{EVENTS}?page=2"


def test_a_next_link_without_a_cursor_is_followed(api: Api, fake: FakeAPI) -> None:
    """The spec's own example of the next link carries no cursor."""
    fake.add("GET", EVENTS, ok(page("events", [event("1")], f"{BASE}{EVENTS}?page=2")))
    fake.add("GET", EVENTS, events_page(["2"], None))
    pages = api.pages(api.client.events.list("CON-1"))
    assert [[e.id for e in p.items] for p in pages] == [["1"], ["2"]]
    assert pages[0].has_next and pages[0].next_cursor is None
    assert pages[0].next_url == f"{BASE}{EVENTS}?page=2"
    assert not pages[1].has_next and pages[1].next_url is None
    assert fake.requests[1].url.params["page"] == "2"


def test_a_link_without_a_cursor_seen_again_is_a_loop(api: Api, fake: FakeAPI) -> None:
    stuck = ok(page("events", [event("1")], f"{BASE}{EVENTS}?page=2"))
    fake.add("GET", EVENTS, stuck, stuck, stuck)
    with pytest.raises(PaginationError, match="again"):
        api.items(api.client.events.list("CON-1"))
    assert len(fake.requests) == 2


def test_a_bad_next_link_raises_after_the_page_s_items(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok(page("events", [event("1")], "https://[::1")))
    seen: list[str] = []

    with pytest.raises(PaginationError, match="not a URL"):
        drain(api, seen)
    assert seen == ["1"]
    assert len(fake.requests) == 1


def test_a_cursor_seen_twice_raises_instead_of_looping(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        by_cursor({None: events_page(["1"], "c2"), "c2": events_page(["2"], "c2")}),
    )
    seen: list[str] = []

    with pytest.raises(PaginationError, match="again"):
        drain(api, seen)
    assert seen == ["1", "2"]  # every item served once before the loop was caught
    assert len(fake.requests) == 2


def test_a_resumed_cursor_coming_back_is_a_loop(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, events_page(["1"], "c1"))
    with pytest.raises(PaginationError):
        api.items(api.client.events.list("CON-1", cursor="c1"))
    assert len(fake.requests) == 1


def test_an_empty_page_stops_even_with_a_next_link(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, events_page([], "c2"))
    assert api.items(api.client.events.list("CON-1")) == []
    assert len(fake.requests) == 1


def test_a_page_without_embedded_is_empty(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok({"page_size": 10, "_links": {"self": {"href": "x"}}}))
    assert api.items(api.client.events.list("CON-1")) == []


def test_v02_shape_over_several_pages(api: Api, fake: FakeAPI) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        if cursor is None:
            return ok(page("users", [USER], f"{BASE}/v0.2/users?cursor=u2", v02=True))
        return ok(page("users", [{**USER, "id": "USR-2", "name": "b"}], v02=True))

    fake.add("GET", "/v0.2/users", answer)
    assert [u.name for u in api.items(api.client.users.list())] == ["my_user_name", "b"]


def test_rule_page_links_flat_next_nested_in_links_self_is_followed(
    api: Api, fake: FakeAPI
) -> None:
    """`page-links-flat`: user conversations/sessions lists nest page links in `_links.self`."""
    path = "/v0.3/users/USR-1/conversations"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor") is None:
            links = {
                "self": {
                    "first": {"href": f"{BASE}{path}"},
                    "self": {"href": f"{BASE}{path}"},
                    "next": {"href": f"{BASE}{path}?cursor=n2"},
                }
            }
            body = {"page_size": 1, "_embedded": {"conversations": [{"id": "CON-1"}]}}
            return ok({**body, "_links": links})
        return ok(page("conversations", [{"id": "CON-2"}]))

    fake.add("GET", path, answer)
    pages = api.pages(api.client.users.conversations("USR-1"))
    assert [[c.id for c in p.items] for p in pages] == [["CON-1"], ["CON-2"]]
    assert pages[0].next_cursor == "n2"


def test_members_list_over_pages(api: Api, fake: FakeAPI) -> None:
    path = "/v0.3/conversations/CON-1/members"
    second = {**MEMBER, "id": "MEM-2"}
    fake.add(
        "GET",
        path,
        by_cursor(
            {
                None: ok(page("members", [MEMBER], f"{BASE}{path}?cursor=m2")),
                "m2": ok(page("members", [second])),
            }
        ),
    )
    assert [m.id for m in api.items(api.client.members.list("CON-1"))] == ["MEM-63f61863", "MEM-2"]


# Legs: record_index is the zero-based page number; count the number of records.


def legs_by_index(total: int, size: int, *, count: Any = None) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        index = int(request.url.params["record_index"])
        uuids = [f"leg-{n}" for n in range(index * size, min(total, (index + 1) * size))]
        legs = [{**LEG, "uuid": u} for u in uuids]
        return ok(
            leg_page(
                legs, record_index=index, count=total if count is None else count, page_size=size
            )
        )

    return answer


def test_legs_page_by_record_index_up_to_count(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", legs_by_index(5, 2))
    legs = api.items(api.client.legs.list(page_size=2))
    assert [leg.uuid for leg in legs] == [f"leg-{n}" for n in range(5)]
    assert [r.url.params["record_index"] for r in fake.requests] == ["0", "1", "2"]


def test_legs_pages_report_count_and_next_index(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", legs_by_index(4, 2))
    pages = api.pages(api.client.legs.list(page_size=2))
    assert [(p.record_index, p.count, p.next_record_index) for p in pages] == [
        (0, 4, 1),
        (1, 4, None),
    ]
    assert [p.next_cursor for p in pages] == [None, None]


def test_legs_resume_at_a_record_index(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", legs_by_index(6, 2))
    legs = api.items(api.client.legs.list(page_size=2, record_index=2))
    assert [leg.uuid for leg in legs] == ["leg-4", "leg-5"]
    assert [r.url.params["record_index"] for r in fake.requests] == ["2"]


def test_rule_legs_count_integer_count_as_a_string_pages(api: Api, fake: FakeAPI) -> None:
    """`legs-count-integer`: the v0.3 docs show `"count": "100"`; paging still stops at it."""
    fake.add("GET", "/v0.3/legs", legs_by_index(3, 2, count="3"))
    pages = api.pages(api.client.legs.list(page_size=2))
    assert [p.count for p in pages] == [3, 3]
    assert len(api.items(api.client.legs.list(page_size=2))) == 3


def test_legs_stop_on_an_empty_page_without_a_count(api: Api, fake: FakeAPI) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        index = int(request.url.params["record_index"])
        body = leg_page([LEG] if index < 2 else [], record_index=index, count=0)
        del body["count"]
        return ok(body)

    fake.add("GET", "/v0.3/legs", answer)
    assert len(api.items(api.client.legs.list())) == 2
    assert len(fake.requests) == 3


def test_legs_a_server_stuck_on_one_index_is_a_loop(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", ok(leg_page([LEG], record_index=0, count=100)))
    with pytest.raises(PaginationError):
        api.items(api.client.legs.list(page_size=1))
    assert len(fake.requests) == 2


def test_legs_limit(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", legs_by_index(10, 2))
    assert len(api.items(api.client.legs.list(page_size=2, limit=3))) == 3
    assert len(fake.requests) == 2


# Pages that are not what the spec says


def test_an_item_that_does_not_parse_raises_response_parse_error(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok(page("events", [{"id": "1", "type": "text"}])))
    with pytest.raises(
        ResponseParseError, match=r"_embedded\.events\[0\]\.body: missing"
    ) as caught:
        api.items(api.client.events.list("CON-1"))
    assert caught.value.status == 200
    assert caught.value.path == "_embedded.events[0].body"


def test_a_page_that_is_not_an_object_raises(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok([1, 2]))
    with pytest.raises(ResponseParseError, match="expected an object, got an array") as caught:
        api.items(api.client.events.list("CON-1"))
    assert caught.value.path == ""


def test_items_that_are_not_a_list_raise(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", EVENTS, ok({"_embedded": {"events": {"id": "1"}}}))
    with pytest.raises(ResponseParseError, match="expected an array, got an object") as caught:
        api.items(api.client.events.list("CON-1"))
    assert caught.value.path == "_embedded.events"


def test_paginator_repr_names_the_operation(api: Api) -> None:
    assert repr(api.client.events.list("CON-1", limit=3)).endswith("(listEvents, limit=3)")


def test_a_page_is_freed_as_soon_as_it_is_dropped(api: Api, fake: FakeAPI) -> None:
    """A paginator holds one page: a page dropped is freed at once, its response and body with
    it, not when the garbage collector next runs (httpx binds a response's stream to the
    response; a long walk would pile pages up until then)."""
    fake.add("GET", EVENTS, ok(page("events", [event("1")], f"{BASE}/next?cursor=c2")))
    collecting = gc.isenabled()
    gc.disable()
    try:
        first = api.run(api.client.events.list("CON-1").first_page())
        response, item = weakref.ref(first.response), weakref.ref(first.items[0])
        del first
        assert response() is None
        assert item() is None
    finally:
        if collecting:
            gc.enable()


@pytest.mark.parametrize("embedded", [{}, None], ids=["empty", "left-out"])
def test_an_empty_page_may_leave_out_its_items(
    api: Api, fake: FakeAPI, embedded: dict[str, Any] | None
) -> None:
    """An empty page's envelope may leave out what the spec requires of it (`_embedded`, or
    the items' array in it): the list is empty. An item is still read strictly."""
    body: dict[str, Any] = {"page_size": 10, "_links": {"self": {"href": "x"}}}
    if embedded is not None:
        body["_embedded"] = embedded
    fake.add("GET", "/v0.3/conversations", ok(body))
    assert api.items(api.client.conversations.list()) == []


@pytest.mark.parametrize(
    "url", ["https://evil.example/v0.3/x", "https://api.nexmo.com.evil.example/v0.3/x", "/v0.3/x"]
)
def test_the_core_asks_a_followed_link_only_under_its_base_url(
    api: Api, fake: FakeAPI, url: str
) -> None:
    """The second guard, under the paginator's: a call told to follow a link off the base URL
    is refused before anything is sent."""
    listing = api.client.events.list("CON-1")._listing
    with pytest.raises(ValueError, match="under base_url"):
        api.run(api.client._core.send(listing.call.following(url)))
    assert fake.requests == []

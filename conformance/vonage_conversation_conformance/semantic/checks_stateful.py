"""The classes of stateful fault RESTler's checkers name, wherever the API has them:

- `deleted_conversation_gone` (use after free, and a deleted parent's children): a deleted
  conversation answers no GET, is in no list (the conversations, its user's conversations),
  and its members and events, by id and as lists, answer nothing either;
- `deleted_event_gone`: a deleted event answers no GET and is not among its conversation's
  events;
- `items_stay_under_their_parent` (every list under a conversation): one conversation's members
  and events are never listed under another, nor a member read through another's path;
- `date_filters_exact` (every list that takes `date_start`, or `date_end`): a range after (or
  before) everything made lists none of it, one around it lists all of it.

The filters of events (`event_type`, `start_id`, `end_id`) are `event_filters_exact`'s, and
`order` is `paging_follows_order`'s, each on every list that takes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .._api import Answer
from ._context import Context
from ._paging import Listing, Walk, walk
from ._readback import takes
from ._registry import Skipped, Violation, semantic_check
from ._sources import (
    DATE_END,
    DATE_END_V02,
    DATE_START,
    DATE_START_V02,
    DELETE_CONVERSATION,
    DELETE_EVENT,
    MEMBERSHIPS,
    Source,
)

__all__: list[str] = []

WHOLE = 100


def _answers(answer: Answer, what: str, source: Source) -> None:
    """A deleted thing's request must not succeed."""
    if answer.ok:
        raise Violation(f"{what}: {answer.describe()}", source, answer)


def _listed(context: Context, listing: Listing, item: str, source: Source) -> None:
    found = walk(context.api, listing, WHOLE)
    if item in found.ids:
        page = next(page for page in found.pages if item in page.ids)
        raise Violation(f"deleted {item} is still listed by {listing.path}", source, page.answer)


def _made(answer: Answer, what: str, source: Source) -> str:
    if not answer.ok or not isinstance(answer.body, dict) or not answer.body.get("id"):
        raise Violation(f"{answer.describe()}: the {what} was not made", source, answer)
    return str(answer.body["id"])


@semantic_check(
    "deleted_conversation_gone",
    "A deleted conversation, its members and its events answer nothing and are listed nowhere",
    DELETE_CONVERSATION,
    operation="deleteConversation",
)
def deleted_conversation_gone(context: Context) -> None:
    """After "Delete a conversation", the conversation answers no GET and is in neither the
    conversations list nor its user's conversations; its members and events answer no GET,
    and its members and events lists (v0.3 and v0.2) answer nothing."""
    data, api, source = context.data, context.api, DELETE_CONVERSATION
    if data.user_id is None:
        raise Skipped("no member of a known user could be made")
    made = api.call("createConversation", body={"name": f"{data.tag}-deleted"})
    conversation = _made(made, "conversation", source)
    ids = {"conversation_id": conversation}
    body = {"user": {"name": data.users[0]}, "state": "joined", "channel": {"type": "app"}}
    member = _made(api.call("createMember", ids, body=body), "member", source)
    text = {"type": "text", "from": member, "body": {"text": "deleted"}}
    event = _made(api.call("createEvent", ids, body=text), "event", source)
    deleted = api.call("deleteConversation", ids)
    if not deleted.ok:
        data.conversations.append(conversation)
        raise Violation(f"{deleted.describe()}", source, deleted)
    gone = f"the deleted conversation {conversation}"
    _answers(api.call("getConversation", ids), gone, source)
    for children in ("listMembers", "listEvents", "listMembersV02", "listEventsV02"):
        _answers(api.call(children, ids, params={"page_size": WHOLE}), f"{gone}'s list", source)
    _answers(api.call("getMember", {**ids, "member_id": member}), f"{gone}'s member", source)
    _answers(api.call("getEvent", {**ids, "event_id": event}), f"{gone}'s event", source)
    since = {"date_start": data.since} if data.since else {}
    _listed(
        context, Listing("listConversations", "conversations", params=since), conversation, source
    )
    users = Listing(
        "listUserConversations", "conversations", ids={"user_id": data.user_id}, params=since
    )
    _listed(context, users, conversation, source)


@semantic_check(
    "deleted_event_gone",
    "A deleted event answers nothing and is not among its conversation's events",
    DELETE_EVENT,
    operation="deleteEvent",
)
def deleted_event_gone(context: Context) -> None:
    """After "Delete an event", the event answers no GET and its conversation's events (v0.3
    and v0.2) list it no more."""
    data, api, source = context.data, context.api, DELETE_EVENT
    if data.main is None or not data.members:
        raise Skipped("no conversation with a member to send an event could be made")
    ids = {"conversation_id": data.main}  # the event checks, which count its events, ran
    text = {"type": "text", "from": data.members[0], "body": {"text": "to delete"}}
    event = _made(api.call("createEvent", ids, body=text), "event", source)
    deleted = api.call("deleteEvent", {**ids, "event_id": event})
    if not deleted.ok:
        raise Violation(f"{deleted.describe()}", source, deleted)
    _answers(api.call("getEvent", {**ids, "event_id": event}), f"deleted event {event}", source)
    _listed(context, Listing("listEvents", "events", ids=ids), event, source)
    _listed(context, Listing("listEventsV02", "events", ids=ids, version="v0.2"), event, source)


def _other_parent(context: Context, listing: Listing) -> str:
    parent = listing.ids.get("conversation_id")
    others = [c for c in context.data.joined if c != parent]
    if not others or listing.expected is None:
        raise Skipped("no second conversation, or no known items, to compare")
    return others[0]


@semantic_check(
    "items_stay_under_their_parent",
    "One conversation's members and events are not listed under another",
    MEMBERSHIPS,
    applies=lambda listing: "conversation_id" in listing.ids,
)
def items_stay_under_their_parent(context: Context, listing: Listing) -> None:
    """A member has one conversation ("Each membership has one conversation and one user"),
    and so has an event: the list of another conversation holds none of this one's, and a
    member read through another conversation's path answers nothing."""
    other = _other_parent(context, listing)
    elsewhere = Listing(
        listing.operation, listing.key, ids={"conversation_id": other}, version=listing.version
    )
    found = walk(context.api, elsewhere, WHOLE)
    strays = sorted(set(found.ids) & set(listing.expected or ()))
    if strays:
        raise Violation(
            f"{', '.join(strays)} of conversation {listing.ids['conversation_id']} listed under "
            f"{other}",
            MEMBERSHIPS,
            found.pages[-1].answer if found.pages else None,
        )
    if listing.operation == "listMembers":
        for member in listing.expected or ():
            ids = {"conversation_id": other, "member_id": member}
            answer = context.api.call("getMember", ids)
            _answers(answer, f"member {member} read under conversation {other}", MEMBERSHIPS)


def _moment(since: str, days: int) -> str:
    moment = datetime.strptime(since, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return (moment + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _with(listing: Listing, params: Mapping[str, Any]) -> Listing:
    return Listing(
        listing.operation,
        listing.key,
        ids=listing.ids,
        version=listing.version,
        params=params,
        expected=listing.expected,
    )


def _walked(context: Context, listing: Listing) -> Walk:
    found = walk(context.api, listing, WHOLE)
    if found.stopped:
        last = found.pages[-1].answer if found.pages else None
        raise Violation(f"{listing.path}: {found.stopped}", DATE_START, last)
    return found


@semantic_check(
    "date_filters_exact",
    "date_start and date_end return exactly the items made in the range",
    DATE_START,
    DATE_END,
    DATE_START_V02,
    DATE_END_V02,
    applies=lambda listing: takes(listing.operation, "date_start"),
)
def date_filters_exact(context: Context, listing: Listing) -> None:
    """`date_start` ("Return the records that occurred after this point in time.") a day after
    the items were made lists none of them; where the list takes `date_end` ("Return the
    records that occurred before this point in time."), one before them lists none, and a range
    around them lists all (v0.2: "Search for conversations created after/before this ISO8601
    date")."""
    since = context.data.since
    if since is None or not listing.expected:
        raise Skipped("no items of known creation time to filter")
    v02 = listing.version == "v0.2"
    start, end = (DATE_START_V02, DATE_END_V02) if v02 else (DATE_START, DATE_END)
    later = _walked(context, _with(listing, {"date_start": _moment(since, 1)}))
    shown = sorted(set(later.ids) & set(listing.expected))
    if shown:
        raise Violation(
            f"date_start a day later still lists {shown}", start, later.pages[-1].answer
        )
    if not takes(listing.operation, "date_end"):
        return
    earlier = _walked(context, _with(listing, {"date_end": since}))
    shown = sorted(set(earlier.ids) & set(listing.expected))
    if shown:
        raise Violation(
            f"date_end={since}, before them, lists {shown}", end, earlier.pages[-1].answer
        )
    around = _walked(context, _with(listing, {"date_start": since, "date_end": _moment(since, 1)}))
    missing = sorted(set(listing.expected) - set(around.ids))
    if missing:
        raise Violation(
            f"date_start={since}&date_end a day later lists neither of {missing}",
            end,
            around.pages[-1].answer if around.pages else None,
        )

"""The rules of conversations, events and members, checked on the data made for them.

Events: `event_ids_progressive`, `sequence_number_is_last_event`, `event_read_back`,
`event_filters_exact`. Conversations: `conversation_name_unique` (what a create or update
stores is `checks_readback`'s). Members: `member_listed`, `member_me_read_back`,
`member_leaving`, `member_invited_event`, `user_conversations_list_memberships`.
"""

from __future__ import annotations

import itertools
from typing import Any

from .._api import Answer
from ._context import Context
from ._paging import Listing, items_of, walk
from ._readback import takes
from ._registry import Skipped, Violation, semantic_check
from ._sources import (
    END_ID,
    EVENT_ID,
    EVENT_TYPE,
    INVITE_EVENTS,
    LEAVING,
    MEMBER_LEFT_EVENT,
    MEMBERS_LIST,
    MEMBERS_ME,
    MEMBERSHIPS,
    SEQUENCE_NUMBER,
    START_ID,
    UNIQUE_NAME,
    USER_MEMBERSHIPS,
    Source,
)
from .checks_readback import read_back

__all__: list[str] = []

# A page large enough to hold everything the checks made in one conversation.
WHOLE = 100


def _main(context: Context) -> str:
    if context.data.main is None or not context.data.members:
        raise Skipped("the conversation with members and events could not be made")
    return context.data.main


def _events(
    context: Context, conversation: str, **params: Any
) -> tuple[list[dict[str, Any]], Answer]:
    """Every event of a conversation, oldest first, in one page (with `params` as filters)."""
    ids = {"conversation_id": conversation}
    answer = context.api.call("listEvents", ids, params={"page_size": WHOLE, **params})
    if not answer.ok or not isinstance(answer.body, dict):
        raise Violation(f"{answer.describe()}", EVENT_ID, answer)
    embedded = answer.body.get("_embedded") or {}
    events = embedded.get("events") if isinstance(embedded, dict) else None
    return [e for e in events or [] if isinstance(e, dict)], answer


def _integer(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


@semantic_check(
    "event_ids_progressive",
    "Event ids grow as events are made",
    EVENT_ID,
    operation="createEvent",
)
def event_ids_progressive(context: Context) -> None:
    """Each event made after another has a greater id ("Event id. This is a progressive
    integer")."""
    _main(context)
    made = [(event["id"], _integer(event["id"])) for event in context.data.events]
    if len(made) < 2:
        raise Skipped("fewer than two events could be made")
    for (earlier, before), (later, after) in itertools.pairwise(made):
        if before is None or after is None or after <= before:
            raise Violation(
                f"event {later!r} was made after event {earlier!r}, yet its id is not greater",
                EVENT_ID,
            )


@semantic_check(
    "sequence_number_is_last_event",
    "A conversation's sequence_number is its last event's id",
    SEQUENCE_NUMBER,
    operation="getConversation",
)
def sequence_number_is_last_event(context: Context) -> None:
    """`sequence_number` ("The last Event ID in this conversation. This ID can be used to
    retrieve a specific event.") is the greatest id among the conversation's events."""
    main = _main(context)
    events, _ = _events(context, main)
    ids = [found for found in (_integer(event.get("id")) for event in events) if found is not None]
    if not ids:
        raise Skipped("the conversation lists no events")
    answer = context.api.call("getConversation", {"conversation_id": main})
    number = answer.body.get("sequence_number") if isinstance(answer.body, dict) else None
    if number != max(ids):
        raise Violation(
            f"sequence_number is {number!r}, but the last event's id is {max(ids)}",
            SEQUENCE_NUMBER,
            answer,
        )


@semantic_check(
    "event_read_back",
    "An event read by its id is the one made",
    SEQUENCE_NUMBER,
    operation="getEvent",
)
def event_read_back(context: Context) -> None:
    """An event's id retrieves that very event ("This ID can be used to retrieve a specific
    event."): its type, sender and body as they were sent, from a GET of it and from the
    conversation's events."""
    main = _main(context)
    if not context.data.events:
        raise Skipped("no event could be made")
    events = Listing("listEvents", "events", ids={"conversation_id": main})
    for made in context.data.events:
        ids = {"conversation_id": main, "event_id": str(made["id"])}
        sent = {key: made[key] for key in ("type", "from", "body")}
        read = ("getEvent", ids)
        item = str(made["id"])
        read_back(
            context, sent=sent, read=read, listing=events, item_id=item, source=SEQUENCE_NUMBER
        )


def _listed_events(
    context: Context, listing: Listing, **params: Any
) -> tuple[list[dict[str, Any]], Answer | None]:
    """Every event `listing` gives with `params` as filters, page after page, and the last
    page's answer."""
    walked = walk(
        context.api,
        Listing(
            listing.operation, "events", ids=listing.ids, version=listing.version, params=params
        ),
        WHOLE,
    )
    if walked.stopped:
        last = walked.pages[-1].answer if walked.pages else None
        raise Violation(f"{listing.path}: {walked.stopped}", EVENT_TYPE, last)
    found = [
        item
        for page in walked.pages
        for item in (items_of(page.answer.body, "events") or [])
        if isinstance(item, dict)
    ]
    return found, walked.pages[-1].answer if walked.pages else None


@semantic_check(
    "event_filters_exact",
    "event_type, start_id and end_id return exactly the matching events",
    EVENT_TYPE,
    START_ID,
    END_ID,
    applies=lambda listing: takes(listing.operation, "event_type"),
)
def event_filters_exact(context: Context, listing: Listing) -> None:
    """`event_type` ("The type of event to search for...") returns the events of that type,
    and `start_id`/`end_id` ("The ID to start returning events at", "The ID to end returning
    events at") the events from the one to the other, both included: all of them, and no
    other; on every events list (v0.3 and v0.2)."""
    _main(context)
    every, _ = _listed_events(context, listing)
    if len(every) < 3:
        raise Skipped("fewer than three events to filter")
    texts = [str(event["id"]) for event in every if event.get("type") == "text"]
    found, answer = _listed_events(context, listing, event_type="text")
    shown = [str(event.get("id")) for event in found]
    if shown != texts:
        raise Violation(
            f"event_type=text gave {shown}, not the text events {texts}", EVENT_TYPE, answer
        )
    numbered = [(str(event["id"]), _integer(event["id"])) for event in every]
    (start, low), (end, high) = numbered[1], numbered[-2]
    if low is None or high is None:
        raise Violation(f"event ids {start!r} and {end!r} are not integers", EVENT_ID)
    inside = [i for i, number in numbered if number is not None and low <= number <= high]
    found, answer = _listed_events(context, listing, start_id=start, end_id=end)
    shown = [str(event.get("id")) for event in found]
    if shown != inside:
        source = START_ID if shown[:1] != inside[:1] else END_ID
        raise Violation(f"start_id={start}&end_id={end} gave {shown}, not {inside}", source, answer)


@semantic_check(
    "conversation_name_unique",
    "A second conversation with a name in use is refused (409)",
    UNIQUE_NAME,
    operation="createConversation",
)
def conversation_name_unique(context: Context) -> None:
    """A conversation's name is unique ("Your internal conversation name. Must be unique"):
    creating another with the same name answers 409 Conflict."""
    if not context.data.conversations:
        raise Skipped("no conversation could be made")
    taken = context.data.names[context.data.conversations[0]]
    answer = context.api.call("createConversation", body={"name": taken})
    if answer.ok and isinstance(answer.body, dict) and answer.body.get("id"):
        context.data.conversations.append(str(answer.body["id"]))  # deleted with the rest
    if answer.status != 409:
        raise Violation(
            f"a second conversation named {taken!r} was answered {answer.status}",
            UNIQUE_NAME,
            answer,
        )


def _member_state(context: Context, conversation: str, member: str) -> tuple[object, Answer]:
    answer = context.api.call("getMember", {"conversation_id": conversation, "member_id": member})
    return (answer.body or {}).get("state") if isinstance(answer.body, dict) else None, answer


@semantic_check(
    "member_listed",
    "A joined member is in its conversation's members",
    MEMBERS_LIST,
    MEMBERSHIPS,
    operation="listMembers",
)
def member_listed(context: Context) -> None:
    """Each member made `joined` is listed by its conversation's members ("List of members
    matching the provided filter"; "Memberships connect users with conversations."), JOINED."""
    main = _main(context)
    ids = {"conversation_id": main}
    answer = context.api.call("listMembers", ids, params={"page_size": WHOLE})
    embedded = (answer.body or {}).get("_embedded") if isinstance(answer.body, dict) else None
    listed = {
        str(m.get("id")): m.get("state")
        for m in ((embedded or {}).get("members") or [])
        if isinstance(m, dict)
    }
    for member in context.data.members:
        if listed.get(member) != "JOINED":
            shown = "missing" if member not in listed else f"listed as {listed[member]!r}"
            raise Violation(
                f"joined member {member} is {shown} in the members list", MEMBERS_LIST, answer
            )


@semantic_check(
    "member_me_read_back",
    "members/me, asked as a member's user, gives that member",
    MEMBERS_ME,
    operation="getMyMember",
)
def member_me_read_back(context: Context) -> None:
    """`members/me` ("Retrieve yourself in a given conversation") with a user's JWT gives that
    user's member."""
    main = _main(context)
    user = context.data.users[0]
    answer = context.api.call("getMyMember", {"conversation_id": main}, sub=user)
    shown = (answer.body or {}).get("id") if isinstance(answer.body, dict) else None
    if str(shown) != context.data.members[0]:
        raise Violation(
            f"members/me as {user!r} gave {shown!r}, not {user}'s member {context.data.members[0]}",
            MEMBERS_ME,
            answer,
        )


def _member_event(
    context: Context, conversation: str, member: str, kind: str, source: Source
) -> None:
    events, answer = _events(context, conversation)
    if not any(e.get("type") == kind and str(e.get("from")) == member for e in events):
        kinds = [e.get("type") for e in events]
        raise Violation(f"no {kind} event from {member} among the events {kinds}", source, answer)


@semantic_check(
    "member_leaving",
    "A member set to left is LEFT, with a member:left event",
    LEAVING,
    MEMBER_LEFT_EVENT,
    operation="updateMember",
)
def member_leaving(context: Context) -> None:
    """Setting a member's state to left ("Setting the state to left will result in the member
    leaving the conversation.") leaves it LEFT, and the conversation gets its `member:left`
    event (v0.2: "The event type (`member:left`)")."""
    if context.data.left is None:
        raise Skipped("no member to make leave could be made")
    conversation, member = context.data.left
    ids = {"conversation_id": conversation, "member_id": member}
    answer = context.api.call("updateMember", ids, body={"state": "left"})
    if not answer.ok:
        raise Violation(f"{answer.describe()}", LEAVING, answer)
    state, read = _member_state(context, conversation, member)
    if state != "LEFT":
        raise Violation(f"the member set to left reads {state!r}, not 'LEFT'", LEAVING, read)
    _member_event(context, conversation, member, "member:left", MEMBER_LEFT_EVENT)


@semantic_check(
    "member_invited_event",
    "Inviting a member makes a member:invited event",
    INVITE_EVENTS,
    operation="createMember",
)
def member_invited_event(context: Context) -> None:
    """An invitation is an event of its conversation ("Events are actions that occur within a
    conversation. Examples of this includes: Text events from members, or invite events from
    users"): a member made `invited` has its `member:invited` event."""
    if context.data.invited is None:
        raise Skipped("no member could be invited")
    conversation, member = context.data.invited
    _member_event(context, conversation, member, "member:invited", INVITE_EVENTS)


@semantic_check(
    "user_conversations_list_memberships",
    "A user's conversations list those it is a member of",
    USER_MEMBERSHIPS,
    operation="listUserConversations",
)
def user_conversations_list_memberships(context: Context) -> None:
    """A user's conversations ("A user can have multiple memberships to conversations...")
    include every conversation the user joined."""
    if context.data.user_id is None or not context.data.joined:
        raise Skipped("no membership with a known user id could be made")
    listing = Listing(
        "listUserConversations",
        "conversations",
        ids={"user_id": context.data.user_id},
        params={"date_start": context.data.since} if context.data.since else {},
    )
    found = walk(context.api, listing, WHOLE)
    missing = [c for c in context.data.joined if c not in set(found.ids)]
    if missing or found.stopped:
        last = found.pages[-1].answer if found.pages else None
        reason = found.stopped or f"{', '.join(missing)} missing"
        raise Violation(f"the user's conversations: {reason}", USER_MEMBERSHIPS, last)

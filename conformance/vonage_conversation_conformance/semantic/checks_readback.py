"""What a create or update stores, a read shows: every field the request sent reads back the
same from the resource's GET and, for the fields the spec's list carries, from its list
(`_readback` says how a field may change shape on the way).

`conversation_create_read_back` (every optional field the spec lets a create send),
`conversation_update_read_back`, `member_create_read_back`; events are `event_read_back`'s
(`checks_resources`). The spec has no operation that creates or updates a user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._api import Answer
from ._context import Context
from ._paging import Listing, walk
from ._readback import differences, list_fields, shown_as
from ._registry import Skipped, Violation, semantic_check
from ._sources import CREATE_CONVERSATION, CREATE_MEMBER, UPDATE_CONVERSATION, Source

__all__ = ["read_back"]

# A page large enough to hold everything the checks made in one list.
WHOLE = 100


def _made(answer: Answer, what: str, source: Source) -> str:
    if not answer.ok or not isinstance(answer.body, dict) or not answer.body.get("id"):
        raise Violation(f"{answer.describe()}: the {what} was not made", source, answer)
    return str(answer.body["id"])


def _compare(sent: Mapping[str, Any], shown: Any, how: str, source: Source, answer: Answer) -> None:
    found = differences(sent, shown)
    if found:
        listed = "; ".join(f"{path}: {what}" for path, what in found)
        raise Violation(
            f"{how} shows other values than were sent: {listed}", source, answer, field=found[0][0]
        )


def _listed(context: Context, listing: Listing, item_id: str) -> tuple[Any, Answer | None]:
    """The item of id `item_id` as its list shows it (None: not listed), and the last page."""
    done = walk(context.api, listing, WHOLE)
    for page in done.pages:
        body = page.answer.body if isinstance(page.answer.body, dict) else {}
        embedded = body.get("_embedded") or {}
        items = embedded.get(listing.key) or (embedded.get("data") or {}).get(listing.key) or []
        for item in items:
            if isinstance(item, dict) and str(item.get(listing.id_field)) == item_id:
                return item, page.answer
    return None, done.pages[-1].answer if done.pages else None


def read_back(
    context: Context,
    *,
    sent: Mapping[str, Any],
    read: tuple[str, Mapping[str, str]],
    listing: Listing,
    item_id: str,
    source: Source,
) -> None:
    """Every field of `sent` reads back the same from the GET `read` (operationId, ids) and,
    those the list carries, from `listing`'s item `item_id`."""
    expected = shown_as(sent)
    operation, ids = read
    answer = context.api.call(operation, ids)
    _compare(expected, answer.body, f"{answer.request.method} {answer.request.url}", source, answer)
    carried = list_fields(listing.operation, listing.key)
    in_list = {key: value for key, value in expected.items() if key in carried}
    item, page = _listed(context, listing, item_id)
    if item is None:
        raise Violation(f"{item_id} is missing from {listing.path}", source, page)
    assert page is not None
    _compare(in_list, item, f"{listing.path}, for {item_id},", source, page)


def _conversations(context: Context) -> Listing:
    since = {"date_start": context.data.since} if context.data.since else {}
    return Listing("listConversations", "conversations", params=since)


@semantic_check(
    "conversation_create_read_back",
    "What a conversation is created with, a GET and the list show",
    CREATE_CONVERSATION,
    operation="createConversation",
)
def conversation_create_read_back(context: Context) -> None:
    """Creating a conversation ("Create a conversation") with every field the spec lets it
    send stores each: a GET shows every one, the conversations list those it carries."""
    tag = context.data.tag
    sent = {
        "name": f"{tag}-every-field",
        "display_name": f"{tag} every field",
        "image_url": "https://example.com/every-field.png",
        "properties": {"ttl": 600, "type": "conformance", "custom_data": {"made_by": tag}},
        "numbers": [{"type": "phone", "number": "447700900000"}],
    }
    callback = {"url": "https://example.com/callback", "method": "POST"}
    answer = context.api.call("createConversation", body={**sent, "callback": callback})
    made = _made(answer, "conversation", CREATE_CONVERSATION)
    context.data.conversations.append(made)  # deleted with the rest
    ids = {"conversation_id": made}
    # `callback` is sent but never shown: the spec's Conversation has no such field.
    listing = _conversations(context)
    read = ("getConversation", ids)
    read_back(
        context, sent=sent, read=read, listing=listing, item_id=made, source=CREATE_CONVERSATION
    )


@semantic_check(
    "conversation_update_read_back",
    "What a PUT changes, a GET and the list show",
    UPDATE_CONVERSATION,
    operation="updateConversation",
)
def conversation_update_read_back(context: Context) -> None:
    """Updating a conversation ("Update a conversation") changes what reading it shows, the
    GET every field sent, the list those it carries."""
    if len(context.data.conversations) < 2:
        raise Skipped("no conversation to update could be made")
    conversation = context.data.conversations[1]
    change = {
        "display_name": f"{context.data.tag} updated",
        "image_url": "https://example.com/u.png",
        "properties": {"ttl": 300, "custom_data": {"updated_by": context.data.tag}},
    }
    ids = {"conversation_id": conversation}
    updated = context.api.call("updateConversation", ids, body=change)
    if not updated.ok:
        raise Violation(f"{updated.describe()}", UPDATE_CONVERSATION, updated)
    listing, read = _conversations(context), ("getConversation", ids)
    source = UPDATE_CONVERSATION
    read_back(context, sent=change, read=read, listing=listing, item_id=conversation, source=source)


@semantic_check(
    "member_create_read_back",
    "What a member is created with, a GET and the members list show",
    CREATE_MEMBER,
    operation="createMember",
)
def member_create_read_back(context: Context) -> None:
    """Creating a member ("Create a member") stores what it was sent: its user, state and
    channel read back from a GET of it and from its conversation's members."""
    data = context.data
    if data.invited is None or len(data.users) < 2:
        raise Skipped("no conversation for a second user's member could be made")
    conversation = data.invited[0]
    sent = {"user": {"name": data.users[1]}, "state": "joined", "channel": {"type": "app"}}
    ids = {"conversation_id": conversation}
    answer = context.api.call("createMember", ids, body=sent)
    made = _made(answer, "member", CREATE_MEMBER)
    members = Listing("listMembers", "members", ids=ids)
    read = ("getMember", {**ids, "member_id": made})
    read_back(context, sent=sent, read=read, listing=members, item_id=made, source=CREATE_MEMBER)

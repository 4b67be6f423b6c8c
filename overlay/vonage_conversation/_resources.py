"""The resources of `ConversationClient`: conversations, users, members, events, legs.

Each method is a typed facade over `_operations` (what the arguments mean) and `SyncCore`
(sending). Keyword arguments are the API's field names (``from_`` for ``from``); a whole body
can also be given as `data`, a dict or the generated request model, which keywords override.
Results are the generated models of `vonage_conversation_api.models`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vonage_conversation_api.models import (
    Channel,
    ChannelEndpoint,
    Conversation,
    ConversationCallback,
    ConversationProperties,
    ConversationRequest,
    ConversationSummary,
    CreateCustomEventRequest,
    CreatedEvent,
    CreateMemberRequest,
    CreateMemberRequestUser,
    CreateTextEventRequest,
    Event,
    Leg,
    Media,
    Member,
    Session,
    UpdateMemberRequest,
    User,
)

from . import _operations as ops
from ._core import SyncCore
from ._events import custom_event_type
from ._operations import DateLike
from ._pagination import SyncPaginator
from ._params import Id

__all__ = ["Conversations", "Events", "Legs", "Members", "Users"]

JSONObject = Mapping[str, Any]


class _Resource:
    def __init__(self, core: SyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core.base_url}>"


class Conversations(_Resource):
    """Conversations: create, read, update, delete and list them."""

    def list(
        self,
        *,
        date_start: DateLike | None = None,
        date_end: DateLike | None = None,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[ConversationSummary]:
        """All conversations, page by page as you iterate.

        Args:
            date_start: only those created after this (a datetime, a date or a string such as
                ``2018-01-01T10:00:00Z``; without a zone, UTC).
            date_end: only those created before this.
            page_size: items per request, 1 to 100 (the API's default is 10).
            order: ``"asc"`` or ``"desc"``.
            cursor: resume from a page's ``next_cursor`` saved earlier.
            limit: stop after this many items.
        """
        listing = ops.list_conversations(
            date_start=date_start, date_end=date_end, page_size=page_size, order=order
        )
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)

    def create(
        self,
        data: ConversationRequest | JSONObject | None = None,
        *,
        name: str | None = None,
        display_name: str | None = None,
        image_url: str | None = None,
        properties: ConversationProperties | JSONObject | None = None,
        numbers: Sequence[ChannelEndpoint | JSONObject] | None = None,
        callback: ConversationCallback | JSONObject | None = None,
    ) -> Conversation:
        """Create a conversation (every field is optional; `name` must be unique)."""
        fields = {
            "name": name,
            "display_name": display_name,
            "image_url": image_url,
            "properties": properties,
            "numbers": numbers,
            "callback": callback,
        }
        result: Conversation = self._core.send(ops.create_conversation(data, fields)).parsed
        return result

    def get(self, conversation_id: Id) -> Conversation:
        """One conversation, with all its details."""
        result: Conversation = self._core.send(ops.get_conversation(conversation_id)).parsed
        return result

    def update(
        self,
        conversation_id: Id,
        data: ConversationRequest | JSONObject | None = None,
        *,
        name: str | None = None,
        display_name: str | None = None,
        image_url: str | None = None,
        properties: ConversationProperties | JSONObject | None = None,
        numbers: Sequence[ChannelEndpoint | JSONObject] | None = None,
        callback: ConversationCallback | JSONObject | None = None,
    ) -> Conversation:
        """Update a conversation (PUT: the fields given replace the conversation's)."""
        fields = {
            "name": name,
            "display_name": display_name,
            "image_url": image_url,
            "properties": properties,
            "numbers": numbers,
            "callback": callback,
        }
        call = ops.update_conversation(conversation_id, data, fields)
        result: Conversation = self._core.send(call).parsed
        return result

    def delete(self, conversation_id: Id) -> None:
        """Delete a conversation."""
        self._core.send(ops.delete_conversation(conversation_id))


class Users(_Resource):
    """Users: list them (a v0.2 operation), and list a user's conversations and sessions."""

    def list(
        self,
        *,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[User]:
        """All users of the application (``GET /v0.2/users``: the API has no v0.3 twin)."""
        listing = ops.list_users(page_size=page_size, order=order)
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)

    def conversations(
        self,
        user_id: Id,
        *,
        state: str | None = None,
        date_start: DateLike | None = None,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[ConversationSummary]:
        """The conversations a user is a member of; `state` is INVITED, JOINED or LEFT."""
        listing = ops.list_user_conversations(
            user_id, state=state, date_start=date_start, page_size=page_size, order=order
        )
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)

    def sessions(
        self,
        user_id: Id,
        *,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[Session]:
        """A user's sessions."""
        listing = ops.list_user_sessions(user_id, page_size=page_size, order=order)
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)


class Members(_Resource):
    """Members: the memberships connecting users to a conversation."""

    def list(
        self,
        conversation_id: Id,
        *,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[Member]:
        """The members of a conversation."""
        listing = ops.list_members(conversation_id, page_size=page_size, order=order)
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)

    def create(
        self,
        conversation_id: Id,
        data: CreateMemberRequest | JSONObject | None = None,
        *,
        user: CreateMemberRequestUser | JSONObject | None = None,
        state: str | None = None,
        channel: Channel | JSONObject | None = None,
        media: Media | JSONObject | None = None,
        knocking_id: str | None = None,
        member_id_inviting: str | None = None,
    ) -> Member:
        """Add a user to a conversation.

        Args:
            user: ``{"name": "alice"}`` or ``{"id": "USR-..."}`` (one is required).
            state: ``"invited"`` (the default) or ``"joined"``, in either case.
            channel: how the member takes part, e.g. ``{"type": "app"}``.
        """
        fields = {
            "user": user,
            "state": state,
            "channel": channel,
            "media": media,
            "knocking_id": knocking_id,
            "member_id_inviting": member_id_inviting,
        }
        call = ops.create_member(conversation_id, data, fields)
        result: Member = self._core.send(call).parsed
        return result

    def get(self, conversation_id: Id, member_id: Id) -> Member:
        """One member of a conversation."""
        result: Member = self._core.send(ops.get_member(conversation_id, member_id)).parsed
        return result

    def me(self, conversation_id: Id) -> Member:
        """The membership of the JWT's user (needs a client built with ``sub=<user name>``)."""
        call = ops.get_my_member(conversation_id, self._core.auth)
        result: Member = self._core.send(call).parsed
        return result

    def update(
        self,
        conversation_id: Id,
        member_id: Id,
        data: UpdateMemberRequest | JSONObject | None = None,
        *,
        state: str | None = None,
        channel: Channel | JSONObject | None = None,
    ) -> Member:
        """Update a member; ``state="left"`` makes the member leave the conversation."""
        fields = {"state": state, "channel": channel}
        call = ops.update_member(conversation_id, member_id, data, fields)
        result: Member = self._core.send(call).parsed
        return result


class Events(_Resource):
    """Events: what happens in a conversation (texts, custom events, members coming and going)."""

    def list(
        self,
        conversation_id: Id,
        *,
        page_size: int | None = None,
        order: str | None = None,
        cursor: str | None = None,
        start_id: int | str | None = None,
        end_id: int | str | None = None,
        event_type: str | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[Event]:
        """The events of a conversation; `as_typed` reads each as its kind's model."""
        listing = ops.list_events(
            conversation_id,
            page_size=page_size,
            order=order,
            start_id=start_id,
            end_id=end_id,
            event_type=event_type,
        )
        return SyncPaginator(self._core, listing, cursor=cursor, limit=limit)

    def create(
        self,
        conversation_id: Id,
        data: CreateTextEventRequest | CreateCustomEventRequest | JSONObject | None = None,
        *,
        type: str | None = None,
        from_: Id | None = None,
        to: Id | None = None,
        body: JSONObject | None = None,
    ) -> CreatedEvent:
        """Send a ``text`` or ``custom:<name>`` event; `from_` is the sending member's id."""
        fields = {"type": type, "from": from_, "to": to, "body": body}
        call = ops.create_event(conversation_id, data, fields)
        result: CreatedEvent = self._core.send(call).parsed
        return result

    def send_text(
        self, conversation_id: Id, *, from_: Id, text: str, to: Id | None = None
    ) -> CreatedEvent:
        """Send a ``text`` event from member `from_`."""
        return self.create(conversation_id, type="text", from_=from_, to=to, body={"text": text})

    def send_custom(
        self,
        conversation_id: Id,
        name: str,
        *,
        from_: Id,
        body: JSONObject | None = None,
        to: Id | None = None,
    ) -> CreatedEvent:
        """Send a custom event, type ``custom:<name>``, with any JSON `body`."""
        return self.create(
            conversation_id,
            type=custom_event_type(name),
            from_=from_,
            to=to,
            body=body if body is not None else {},
        )

    def get(self, conversation_id: Id, event_id: int | Id) -> Event:
        """One event (ids are digits: an int or a str)."""
        result: Event = self._core.send(ops.get_event(conversation_id, event_id)).parsed
        return result

    def delete(self, conversation_id: Id, event_id: int | Id) -> None:
        """Delete an event."""
        self._core.send(ops.delete_event(conversation_id, event_id))


class Legs(_Resource):
    """Legs: the calls (PSTN, IP, video) that took place in the application."""

    def list(
        self,
        *,
        page_size: int | None = None,
        record_index: int | None = None,
        limit: int | None = None,
    ) -> SyncPaginator[Leg]:
        """All legs. Legs page by number: `record_index` (0-based) resumes at that page."""
        listing = ops.list_legs(page_size=page_size)
        return SyncPaginator(self._core, listing, record_index=record_index, limit=limit)

    def delete(self, leg_id: Id) -> None:
        """Delete a leg."""
        self._core.send(ops.delete_leg(leg_id))

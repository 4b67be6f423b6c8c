"""Each operation of the spec as a `Call` (or a `Listing` for lists), built from checked input.

The sync and async resources are thin typed facades over these functions, so that what an
argument means and how it is checked is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from vonage_conversation_api.api.conversation import (
    create_conversation as _create_conversation,
)
from vonage_conversation_api.api.conversation import (
    delete_conversation as _delete_conversation,
)
from vonage_conversation_api.api.conversation import get_conversation as _get_conversation
from vonage_conversation_api.api.conversation import list_conversations as _list_conversations
from vonage_conversation_api.api.conversation import (
    update_conversation as _update_conversation,
)
from vonage_conversation_api.api.event import create_event as _create_event
from vonage_conversation_api.api.event import delete_event as _delete_event
from vonage_conversation_api.api.event import get_event as _get_event
from vonage_conversation_api.api.event import list_events as _list_events
from vonage_conversation_api.api.leg import delete_leg as _delete_leg
from vonage_conversation_api.api.leg import list_legs as _list_legs
from vonage_conversation_api.api.member import create_member as _create_member
from vonage_conversation_api.api.member import get_member as _get_member
from vonage_conversation_api.api.member import get_my_member as _get_my_member
from vonage_conversation_api.api.member import list_members as _list_members
from vonage_conversation_api.api.member import update_member as _update_member
from vonage_conversation_api.api.user import list_user_conversations as _list_user_conversations
from vonage_conversation_api.api.user import list_user_sessions as _list_user_sessions
from vonage_conversation_api.api.user import list_users as _list_users
from vonage_conversation_api.models import (
    ConversationRequest,
    ConversationSummary,
    CreateCustomEventRequest,
    CreateMemberRequest,
    CreateTextEventRequest,
    Event,
    Leg,
    Member,
    Session,
    UpdateMemberRequest,
    User,
)
from vonage_conversation_api.types import Unset

from . import _params
from ._auth import JWTAuth
from ._core import Call
from ._pagination import Listing
from ._params import Id

DateLike = datetime | date | str
Body = Mapping[str, Any] | Any  # a dict, or the generated request model


def _paging(page_size: int | None, order: str | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if page_size is not None:
        kwargs["page_size"] = _params.page_size(page_size)
    if order is not None:
        kwargs["order"] = _params.order(order)
    return kwargs


def _merge(
    model: type[Any] | tuple[type[Any], ...], data: Body | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    if data is None:
        merged: dict[str, Any] = {}
    elif isinstance(data, (Mapping, model)):
        merged = _params.plain(data)
    else:
        models = model if isinstance(model, tuple) else (model,)
        names = " or a ".join(each.__name__ for each in models)
        raise TypeError(f"data must be a dict or a {names}, not {type(data).__name__}")
    # None (and UNSET, a model field without a value) mean "not given": nothing is sent.
    merged.update(
        {
            k: _params.plain(v)
            for k, v in fields.items()
            if v is not None and not isinstance(v, Unset)
        }
    )
    return merged


def _parse(model: type[Any], merged: dict[str, Any]) -> Any:
    try:
        return model.from_dict(merged)
    except KeyError as missing:
        name = missing.args[0]
        hint = " (from_=...)" if name == "from" else ""
        raise ValueError(f"{model.__name__} needs the field {name!r}{hint}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{model.__name__} cannot be built from what was given: {error}") from None


# Conversations


def list_conversations(
    *,
    date_start: DateLike | None,
    date_end: DateLike | None,
    page_size: int | None,
    order: str | None,
) -> Listing[ConversationSummary]:
    kwargs = _paging(page_size, order)
    if date_start is not None:
        kwargs["date_start"] = _params.date_time("date_start", date_start)
    if date_end is not None:
        kwargs["date_end"] = _params.date_time("date_end", date_end)
    return Listing(
        Call(_list_conversations, kwargs=kwargs, parse=False),
        "conversations",
        ConversationSummary.from_dict,
    )


def create_conversation(data: Body | None, fields: Mapping[str, Any]) -> Call:
    body = _parse(ConversationRequest, _merge(ConversationRequest, data, fields))
    return Call(_create_conversation, kwargs={"body": body})


def get_conversation(conversation_id: Id) -> Call:
    return Call(_get_conversation, (_params.check_id("conversation_id", conversation_id),))


def update_conversation(conversation_id: Id, data: Body | None, fields: Mapping[str, Any]) -> Call:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    body = _parse(ConversationRequest, _merge(ConversationRequest, data, fields))
    return Call(_update_conversation, (conversation_id,), {"body": body})


def delete_conversation(conversation_id: Id) -> Call:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    return Call(_delete_conversation, (conversation_id,), parse=False)


# Users


def list_users(*, page_size: int | None, order: str | None) -> Listing[User]:
    # v0.2: items in `_embedded.data.users`; there is no v0.3 list of users.
    return Listing(
        Call(_list_users, kwargs=_paging(page_size, order), parse=False), "users", User.from_dict
    )


def list_user_conversations(
    user_id: Id,
    *,
    state: str | None,
    date_start: DateLike | None,
    page_size: int | None,
    order: str | None,
) -> Listing[ConversationSummary]:
    user_id = _params.check_id("user_id", user_id)
    kwargs = _paging(page_size, order)
    if state is not None:
        kwargs["state"] = _params.membership_state(state)
    if date_start is not None:
        kwargs["date_start"] = _params.date_time("date_start", date_start)
    return Listing(
        Call(_list_user_conversations, (user_id,), kwargs, parse=False),
        "conversations",
        ConversationSummary.from_dict,
    )


def list_user_sessions(
    user_id: Id, *, page_size: int | None, order: str | None
) -> Listing[Session]:
    user_id = _params.check_id("user_id", user_id)
    return Listing(
        Call(_list_user_sessions, (user_id,), _paging(page_size, order), parse=False),
        "sessions",
        Session.from_dict,
    )


# Members


def list_members(
    conversation_id: Id, *, page_size: int | None, order: str | None
) -> Listing[Member]:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    return Listing(
        Call(_list_members, (conversation_id,), _paging(page_size, order), parse=False),
        "members",
        Member.from_dict,
    )


def create_member(conversation_id: Id, data: Body | None, fields: Mapping[str, Any]) -> Call:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    merged = _merge(CreateMemberRequest, data, fields)
    if "state" in merged:
        merged["state"] = _params.member_state(merged["state"], ("invited", "joined"))
    user = merged.get("user")
    # `create-member-user-required`: the API needs the user's id or name.
    if not isinstance(user, Mapping) or not (user.get("id") or user.get("name")):
        raise ValueError(
            "creating a member needs the user: user={'name': 'alice'} or user={'id': 'USR-...'}"
        )
    body = _parse(CreateMemberRequest, merged)
    return Call(_create_member, (conversation_id,), {"body": body})


def get_member(conversation_id: Id, member_id: Id) -> Call:
    return Call(
        _get_member,
        (
            _params.check_id("conversation_id", conversation_id),
            _params.check_id("member_id", member_id),
        ),
    )


def get_my_member(conversation_id: Id, auth: object) -> Call:
    # The server finds "me" from the JWT's `sub`; an application JWT has none, and the
    # server's answer to that would say less than this does.
    if isinstance(auth, JWTAuth) and auth.sub is None:
        raise ValueError(
            "members.me needs a user JWT: build the client with sub='<user name>' "
            "(the JWT's `sub` names the user whose membership this is)"
        )
    return Call(_get_my_member, (_params.check_id("conversation_id", conversation_id),))


def update_member(
    conversation_id: Id, member_id: Id, data: Body | None, fields: Mapping[str, Any]
) -> Call:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    member_id = _params.check_id("member_id", member_id)
    merged = _merge(UpdateMemberRequest, data, fields)
    if "state" in merged:
        merged["state"] = _params.member_state(merged["state"], ("joined", "left"))
    body = _parse(UpdateMemberRequest, merged)
    return Call(_update_member, (conversation_id, member_id), {"body": body})


# Events


def list_events(
    conversation_id: Id,
    *,
    page_size: int | None,
    order: str | None,
    start_id: int | str | None,
    end_id: int | str | None,
    event_type: str | None,
) -> Listing[Event]:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    kwargs = _paging(page_size, order)
    if start_id is not None:
        kwargs["start_id"] = _params.event_id("start_id", start_id)
    if end_id is not None:
        kwargs["end_id"] = _params.event_id("end_id", end_id)
    if event_type is not None:
        kwargs["event_type"] = _params.check_id("event_type", event_type)
    return Listing(
        Call(_list_events, (conversation_id,), kwargs, parse=False), "events", Event.from_dict
    )


EVENT_KINDS = (CreateTextEventRequest, CreateCustomEventRequest)


def _event_kind(event_type: Any) -> type[CreateTextEventRequest] | type[CreateCustomEventRequest]:
    """The request model for an event type (spec rule `create-event-kinds`)."""
    if event_type is None:
        raise ValueError("an event needs the field 'type' (`text` or `custom:<name>`)")
    if event_type == "text":
        return CreateTextEventRequest
    if isinstance(event_type, str) and event_type.startswith("custom:") and event_type[7:]:
        return CreateCustomEventRequest
    raise ValueError(
        f"cannot send an event of type {event_type!r}: members send `text` or "
        "`custom:<name>` events (member events are the API's own)"
    )


def create_event(conversation_id: Id, data: Body | None, fields: Mapping[str, Any]) -> Call:
    conversation_id = _params.check_id("conversation_id", conversation_id)
    merged = _merge(EVENT_KINDS, data, fields)
    body = _parse(_event_kind(merged.get("type")), merged)
    return Call(_create_event, (conversation_id,), {"body": body})


def get_event(conversation_id: Id, event_id: int | Id) -> Call:
    return Call(
        _get_event,
        (
            _params.check_id("conversation_id", conversation_id),
            _params.event_id("event_id", event_id),
        ),
    )


def delete_event(conversation_id: Id, event_id: int | Id) -> Call:
    return Call(
        _delete_event,
        (
            _params.check_id("conversation_id", conversation_id),
            _params.event_id("event_id", event_id),
        ),
        parse=False,
    )


# Legs


def list_legs(*, page_size: int | None) -> Listing[Leg]:
    kwargs = _paging(page_size, None)
    return Listing(
        Call(_list_legs, kwargs=kwargs, parse=False), "legs", Leg.from_dict, paging="record_index"
    )


def delete_leg(leg_id: Id) -> Call:
    return Call(_delete_leg, (_params.check_id("leg_id", leg_id),), parse=False)

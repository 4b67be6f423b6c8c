"""Members: invite or join a user, move them INVITED -> JOINED -> LEFT, read and list them.

Every state change is timestamped, records its initiator and emits the matching
``member:invited`` / ``member:joined`` / ``member:left`` event (from the member itself, with
the Member as its body). A user has at most one INVITED or JOINED membership per conversation;
once LEFT, they can be invited again as a new member. A member joining over a channel with a
``leg_id`` records that leg; leaving terminates it. PATCH to the state a member is already in
changes nothing (a retry is harmless); leaving is final, so LEFT -> joined is a 409.
A member invited or joining cancels its conversation's ttl deadline; the last JOINED or
INVITED one leaving sets it (see ``conversations``).

``members/me`` needs a user JWT (403 without ``sub``); it answers the caller's INVITED or
JOINED member, else their latest LEFT one, else 404 ``member:error:not-found``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import views
from ..errors import ApiError, ErrorKind
from ..ids import new_id
from ..storage import (
    ConversationRecord,
    EventRecord,
    JSONObject,
    LegRecord,
    MemberRecord,
    OneOf,
    StorageConflictError,
    UserRecord,
)
from ..views import PageShape
from ._common import (
    append_event,
    end_legs,
    latest_member,
    list_reply,
    require_conversation,
    require_member,
)
from ._registry import Context, Reply, operation
from .conversations import deadline, is_empty

INVITED, JOINED, LEFT = "INVITED", "JOINED", "LEFT"
_MOVES = {(INVITED, JOINED), (INVITED, LEFT), (JOINED, LEFT)}
_EVENT_TYPES = {INVITED: "member:invited", JOINED: "member:joined", LEFT: "member:left"}


def _owner(ctx: Context, member: MemberRecord) -> UserRecord:
    owner = ctx.tx.get(UserRecord, id=member.user_id)
    if owner is None:  # users are never deleted, so a member's user always exists
        raise RuntimeError(f"member {member.id} has no user {member.user_id}")
    return owner


def _resolve_user(ctx: Context, wanted: JSONObject) -> UserRecord:
    found: dict[str, UserRecord | None] = {}
    if "id" in wanted:
        found["id"] = ctx.tx.get(UserRecord, id=str(wanted["id"]))
    if "name" in wanted:
        found["name"] = ctx.tx.get(UserRecord, name=str(wanted["name"]))
    users: dict[str, UserRecord] = {}
    for key, user in found.items():
        if user is None:
            raise ApiError(ErrorKind.USER_NOT_FOUND, f"user.{key}: no user {wanted[key]!r}")
        users[user.id] = user
    if len(users) != 1:
        raise ApiError(ErrorKind.VALIDATION, "user: id and name name two different users")
    return next(iter(users.values()))


def _initiator(
    ctx: Context, conversation_id: str, subject: MemberRecord, inviting: MemberRecord | None
) -> JSONObject:
    """Who made a change: an inviting member, the user of a user JWT, or the system."""
    if inviting is not None:
        return {"isSystem": False, "user_id": inviting.user_id, "member_id": inviting.id}
    if ctx.caller is None:
        return {"isSystem": True}
    if ctx.caller.id == subject.user_id:
        own: MemberRecord | None = subject
    else:
        own = latest_member(ctx.tx, conversation_id, ctx.caller.id)
    initiator: JSONObject = {"isSystem": False, "user_id": ctx.caller.id}
    if own is not None:
        initiator["member_id"] = own.id
    return initiator


def _move(
    ctx: Context, member: MemberRecord, state: str, inviting: MemberRecord | None = None
) -> dict[str, Any]:
    """The changes that move ``member`` to ``state``: timestamped, with its initiator."""
    key = state.lower()
    return {
        "state": state,
        "timestamps": {**member.timestamps, key: ctx.now},
        "initiator": {
            **member.initiator,
            key: _initiator(ctx, member.conversation_id, member, inviting),
        },
    }


def _emit(
    ctx: Context, conversation: ConversationRecord, member: MemberRecord, owner: UserRecord
) -> None:
    event = EventRecord(
        conversation_id=member.conversation_id,
        id=0,
        type=_EVENT_TYPES[member.state],
        body=views.member(member, owner, views.STORED),
        timestamp=ctx.now,
        from_member=member.id,
        state=member.state,
    )
    append_event(ctx, conversation, event)


def _open_leg(ctx: Context, member: MemberRecord) -> None:
    leg_id = member.channel.get("leg_id")
    if not leg_id:
        return
    leg = LegRecord(
        uuid=str(leg_id),
        type=str(member.channel.get("type", "app")),
        conversation_id=member.conversation_id,
        member_id=member.id,
        state="answered",
        start_time=ctx.now,
        from_endpoint=member.channel.get("from"),
        to_endpoint=member.channel.get("to"),
    )
    try:
        ctx.tx.insert(leg)
    except StorageConflictError:
        raise ApiError(
            ErrorKind.DUPLICATE_LEG, f"channel.leg_id: leg {leg_id} was already recorded"
        ) from None


def _start_deadline(ctx: Context, conversation: ConversationRecord) -> None:
    """Once a member left: if that emptied a conversation with a ttl, its deadline runs from
    now."""
    expires_at = deadline(conversation.properties, ctx.moment)
    if expires_at is not None and is_empty(ctx.tx, conversation.id):
        ctx.tx.update(conversation, expires_at=expires_at)


@operation("createMember", writes=True)
def create_member(ctx: Context) -> Reply:
    """Invite (default) or join a user, by user id or name."""
    conversation = require_conversation(ctx)
    body = ctx.body
    user = _resolve_user(ctx, body["user"])
    existing = latest_member(ctx.tx, conversation.id, user.id)
    if existing is not None and existing.state != LEFT:
        raise ApiError(
            ErrorKind.ALREADY_MEMBER,
            f"user: {user.name} is already {existing.state} in {conversation.id} as {existing.id}",
        )
    inviting = None
    if "member_id_inviting" in body:
        inviting = require_member(
            ctx, conversation.id, str(body["member_id_inviting"]), "member_id_inviting"
        )
    draft = MemberRecord(
        id=new_id("MEM"),
        conversation_id=conversation.id,
        user_id=user.id,
        state=INVITED,
        created=ctx.now,
        channel=body.get("channel") or {"type": "app"},
        media=body.get("media"),
        knocking_id=body.get("knocking_id"),
    )
    draft = dataclasses.replace(
        draft, **_move(ctx, draft, str(body.get("state", "invited")).upper(), inviting)
    )
    try:
        member = ctx.tx.insert(draft)
    except StorageConflictError:
        raise ApiError(ErrorKind.ALREADY_MEMBER, f"user: {user.name} is already a member") from None
    if member.state == JOINED:
        _open_leg(ctx, member)
    if conversation.expires_at is not None and member.state != LEFT:
        conversation = ctx.tx.update(conversation, expires_at=None)
    _emit(ctx, conversation, member, user)
    return Reply(201, views.member(member, user, ctx.url))


@operation("getMember")
def get_member(ctx: Context) -> Reply:
    """Retrieve a member of a conversation."""
    conversation = require_conversation(ctx)
    member = require_member(ctx, conversation.id, str(ctx.path["member_id"]), "member_id")
    return Reply(200, views.member(member, _owner(ctx, member), ctx.url))


@operation("getMyMember")
def get_my_member(ctx: Context) -> Reply:
    """Retrieve the caller's own member (user JWTs only)."""
    if ctx.caller is None:
        raise ApiError(
            ErrorKind.FORBIDDEN,
            "members/me needs a user JWT (one with sub naming the user)",
        )
    conversation: ConversationRecord = require_conversation(ctx)
    member = latest_member(ctx.tx, conversation.id, ctx.caller.id)
    if member is None:
        raise ApiError(
            ErrorKind.MEMBER_NOT_FOUND,
            f"{ctx.caller.name} is not a member of conversation {conversation.id}",
        )
    return Reply(200, views.member(member, ctx.caller, ctx.url))


@operation("updateMember", writes=True)
def update_member(ctx: Context) -> Reply:
    """Join or leave (``state``), and/or replace the member's ``channel``."""
    conversation = require_conversation(ctx)
    member = require_member(ctx, conversation.id, str(ctx.path["member_id"]), "member_id")
    body = ctx.body
    changes: dict[str, Any] = {}
    if "channel" in body:
        changes["channel"] = body["channel"]
    target = str(body["state"]).upper() if "state" in body else member.state
    moving = target != member.state
    if moving:
        if (member.state, target) not in _MOVES:
            raise ApiError(
                ErrorKind.INVALID_MEMBER_STATE,
                f"state: member {member.id} is {member.state} and cannot become {target}",
            )
        changes.update(_move(ctx, member, target))
    updated = ctx.tx.update(member, **changes)
    if moving and target == JOINED:
        _open_leg(ctx, updated)
    if moving and target == LEFT:
        end_legs(ctx, member_id=member.id)
        _start_deadline(ctx, conversation)
    owner = _owner(ctx, updated)
    if moving:
        _emit(ctx, conversation, updated, owner)
    return Reply(200, views.member(updated, owner, ctx.url))


@operation("listMembers")
@operation("listMembersV02", shape=PageShape.V02)
def list_members(ctx: Context) -> Reply:
    """List a conversation's members, each with its user."""
    conversation = require_conversation(ctx)

    def render(records: list[MemberRecord]) -> list[JSONObject]:
        owners = {
            user.id: user
            for user in ctx.tx.select(UserRecord, id=OneOf(sorted({m.user_id for m in records})))
        }
        return [views.member(m, owners[m.user_id], ctx.url) for m in records]

    return list_reply(
        ctx,
        scope=f"members:{conversation.id}",
        items_name="members",
        fetch=lambda window: ctx.tx.select(MemberRecord, window, conversation_id=conversation.id),
        render=render,
    )

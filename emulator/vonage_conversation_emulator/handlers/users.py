"""Users: the v0.2 users list, a user's conversations and sessions, and the emulator-only
``POST /_emulator/users`` that creates one (see ``admin_spec``).

Sessions are the user JWTs the emulator has seen (one per ``jti``, or per token without one);
``properties.ttl`` is the seconds the token has left, and expired ones are not listed.
"""

from __future__ import annotations

from .. import views
from ..admin_spec import CREATE_USER_OPERATION_ID
from ..errors import ApiError, ErrorKind
from ..ids import new_id
from ..storage import (
    JSONObject,
    MembershipRecord,
    Range,
    SessionRecord,
    StorageConflictError,
    Transaction,
    UserRecord,
)
from ..views import PageShape
from ._common import bound_timestamp, list_reply, require_user
from ._registry import Context, Reply, operation


def create_user(tx: Transaction, name: str, display_name: str | None, now: str) -> UserRecord:
    """Store a new user ``USR-<uuid>``; ApiError 409 when the name is taken."""
    if tx.get(UserRecord, name=name) is not None:
        raise ApiError(ErrorKind.DUPLICATE_USER_NAME, f"name: a user named {name!r} exists")
    try:
        return tx.insert(UserRecord(new_id("USR"), name, display_name, now))
    except StorageConflictError:
        raise ApiError(ErrorKind.DUPLICATE_USER_NAME, f"name: {name!r} is taken") from None


@operation(CREATE_USER_OPERATION_ID, writes=True)
def create_user_operation(ctx: Context) -> Reply:
    """Create a user (emulator only)."""
    body = ctx.body
    user = create_user(ctx.tx, str(body["name"]), body.get("display_name"), ctx.now)
    return Reply(201, views.user(user, ctx.url))


@operation("listUsers", shape=PageShape.V02_WITH_CURSOR)
def list_users(ctx: Context) -> Reply:
    """List users in creation order."""
    return list_reply(
        ctx,
        scope="users",
        items_name="users",
        fetch=lambda window: ctx.tx.select(UserRecord, window),
        render=lambda records: [views.user(r, ctx.url) for r in records],
    )


@operation("listUserConversations")
def list_user_conversations(ctx: Context) -> Reply:
    """List the conversations a user is (or was) a member of, by membership ``state``."""
    user = require_user(ctx)
    state, since = ctx.query.get("state"), bound_timestamp(ctx.query.get("date_start"))

    def render(records: list[MembershipRecord]) -> list[JSONObject]:
        return [views.conversation_summary(r.conversation, ctx.url) for r in records]

    return list_reply(
        ctx,
        scope=f"user-conversations:{user.id}",
        items_name="conversations",
        fetch=lambda window: ctx.tx.memberships(user.id, window, state=state, since=since),
        render=render,
    )


@operation("listUserSessions")
def list_user_sessions(ctx: Context) -> Reply:
    """List a user's live sessions."""
    user = require_user(ctx)
    now = ctx.moment.timestamp()
    return list_reply(
        ctx,
        scope=f"sessions:{user.id}",
        items_name="sessions",
        fetch=lambda window: ctx.tx.select(
            SessionRecord, window, user_id=user.id, expires_at=Range(above=now)
        ),
        render=lambda records: [views.session(r, user, now) for r in records],
    )

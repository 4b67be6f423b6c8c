"""The token rules (RFC 6750, RFC 7519, RFC 8725), tried on a read and a write of every tag
(`_endpoints`): each of the bad tokens `_tokens.BAD_TOKENS` mints is a check of its own, whose
request must be answered 401 with an error body (the spec's `Error`: an object with a `title`).

Besides: `token_acl_paths_enforced`, a token whose `acl.paths` leaves the path out is answered
403 where the server honours ACLs (a probe tells; where it does not, the check is skipped, never
passed), and `member_me_user_only`, `members/me` answers the user the JWT names, and nobody
else's member.

Every failure's request carries its token literally, so its printed curl sends that very token.
"""

from __future__ import annotations

from collections.abc import Callable

from .._api import Answer
from .._tokens import BAD_TOKENS, BadToken, bearer
from ._context import Context
from ._endpoints import Endpoint
from ._registry import Skipped, Violation, semantic_check
from ._sources import (
    ALG_NONE,
    ALGORITHMS,
    AUDIENCE,
    EXP,
    IAT,
    INSUFFICIENT_SCOPE,
    INVALID_TOKEN,
    MEMBERS_ME,
    NBF,
    VALIDATION,
    Source,
)

__all__: list[str] = []

# The sentences each bad token breaks, after RFC 6750's "respond with 401".
_BROKEN: dict[str, tuple[Source, ...]] = {
    "token_expired_refused": (EXP,),
    "token_not_yet_valid_refused": (NBF,),
    "token_issued_in_future_refused": (IAT, VALIDATION),
    "token_no_exp_old_iat_refused": (IAT, VALIDATION),
    "token_other_key_refused": (VALIDATION,),
    "token_alg_none_refused": (ALG_NONE, ALGORITHMS),
    "token_hs256_public_key_refused": (ALGORITHMS,),
    "token_other_application_refused": (AUDIENCE,),
    "token_no_application_refused": (AUDIENCE,),
    "token_empty_bearer_refused": (VALIDATION,),
    "token_garbled_refused": (VALIDATION,),
}
# The path an ACL probe's token is limited to: one no endpoint of the checks is under.
_ELSEWHERE: dict[str, object] = {"/*/applications/**": {}}


def _error_body(answer: Answer) -> bool:
    """Whether the answer carries the spec's `Error`: an object with a string `title`."""
    return isinstance(answer.body, dict) and isinstance(answer.body.get("title"), str)


def _send(context: Context, endpoint: Endpoint, authorization: str) -> Answer:
    return context.api.call(
        endpoint.operation, endpoint.ids, body=endpoint.body, authorization=authorization
    )


def _expect(answer: Answer, status: int, fault: str, source: Source) -> None:
    if answer.status != status:
        raise Violation(
            f"a token whose fault is that {fault} was answered {answer.status}, not {status}",
            source,
            answer,
        )
    if not _error_body(answer):
        raise Violation(
            f"the {status} answer to a token whose fault is that {fault} has no error body "
            f"(an object with a title): {answer.body!r}",
            source,
            answer,
        )


def _refused(bad: BadToken) -> Callable[[Context, Endpoint], None]:
    def check(context: Context, endpoint: Endpoint) -> None:
        answer = _send(context, endpoint, bad.mint(context.api.credentials))
        _expect(answer, 401, bad.fault, INVALID_TOKEN)

    check.__doc__ = (
        f"A request whose token is good but for one fault ({bad.fault}) is answered 401 with an "
        "error body, on a read and a write of every tag."
    )
    return check


for _bad in BAD_TOKENS:
    semantic_check(_bad.check, _bad.title, INVALID_TOKEN, *_BROKEN[_bad.check], per="endpoints")(
        _refused(_bad)
    )


def _limited(context: Context) -> str:
    """A good token but for its `acl.paths`, which leave out every path the checks call."""
    credentials = context.api.credentials
    return bearer(credentials.sign(credentials.claims(acl={"paths": _ELSEWHERE})))


@semantic_check(
    "token_acl_paths_enforced",
    "A token whose acl.paths leaves a path out is refused there (403)",
    INSUFFICIENT_SCOPE,
    per="endpoints",
)
def token_acl_paths_enforced(context: Context, endpoint: Endpoint) -> None:
    """A token whose `acl.paths` leaves the path out is answered 403 with an error body, where
    the server honours ACLs: the first such request tells, and if the server answers it 2xx,
    it has no ACLs and the check is skipped on every endpoint."""
    answer = _send(context, endpoint, _limited(context))
    if context.acls is None:
        context.acls = not answer.ok
    if not context.acls:
        raise Skipped("the server does not honour acl.paths (a token without the path got a 2xx)")
    _expect(answer, 403, "its acl.paths leave the path out", INSUFFICIENT_SCOPE)


@semantic_check(
    "member_me_user_only",
    "members/me answers the user the JWT names, and only that user",
    MEMBERS_ME,
    operation="getMyMember",
)
def member_me_user_only(context: Context) -> None:
    """`members/me` ("Retrieve yourself in a given conversation") with the second user's JWT
    gives the second user's member, not the first's; in a conversation where that user is no
    member it gives no member at all."""
    data = context.data
    if data.main is None or len(data.members) < 2 or len(data.joined) < 2:
        raise Skipped("no conversation with members of two users could be made")
    user = data.users[1]
    answer = context.api.call("getMyMember", {"conversation_id": data.main}, sub=user)
    shown = answer.body.get("id") if isinstance(answer.body, dict) else None
    if str(shown) != data.members[1]:
        raise Violation(
            f"members/me as {user!r} gave {shown!r}, not {user}'s member {data.members[1]}",
            MEMBERS_ME,
            answer,
        )
    elsewhere = {"conversation_id": data.joined[1]}  # the first user's alone
    answer = context.api.call("getMyMember", elsewhere, sub=user)
    if answer.ok:
        shown = answer.body.get("id") if isinstance(answer.body, dict) else None
        raise Violation(
            f"members/me as {user!r}, in a conversation {user} is no member of, gave member "
            f"{shown!r}",
            MEMBERS_ME,
            answer,
        )

"""The sentences of the source documents the semantic checks rely on, word for word.

Each is quoted in its check's docstring and failure message; a test finds every one of them in
`openapi/seeds/` (the v0.3 reference page and the v0.2 YAML as received), so a check can only
enforce what the documentation says.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source"]

V03 = "v0.3 reference page"
V02 = "v0.2 spec"


@dataclass(frozen=True)
class Source:
    """A sentence of a source document, and where it stands."""

    document: str
    where: str
    text: str

    def quote(self) -> str:
        """How a failure cites it."""
        return f'{self.document}, {self.where}: "{self.text}"'


FOLLOW_LINKS = Source(
    V03,
    "cursor (every list)",
    "You are not expected to provide this manually, but to follow the url provided in "
    "_links.next.href or _links.prev.href in the response which contains a cursor value.",
)
FOLLOW_NEXT_V02 = Source(
    V02,
    "cursor (every list)",
    "You are not expected to provide this manually, but to follow the url provided in "
    "`_links.next.href` in the response which contains a `cursor` value",
)
PAGE_SIZE = Source(V03, "page_size (every list)", "Return this amount of records in the response")
PAGE_SIZE_V02 = Source(
    V02,
    "page_size (every list)",
    "The number of results returned per page. The default value is `10`. The maximum value is "
    "`100`.",
)
ORDER = Source(V03, "order (every list)", "Return the records in ascending or descending order.")
ORDER_V02 = Source(
    V02,
    "order (every list)",
    "Show the most (`desc`) / least (`asc`) recently created entries first",
)
HAL_LINKS = Source(
    V03,
    "_links (every list)",
    "A series of links between resources in this API in the "
    "http://stateless.co/hal_specification.html.",
)
RECORD_INDEX = Source(
    V03,
    "List legs, record_index",
    "Return page_size amount of conversations from this index in the response. That is, if your "
    "request returns 300 conversations, set record_index to 5 in order to return conversations "
    "50 to 59. The default value is 0. That is, the first page_size calls.",
)
LEGS_COUNT = Source(
    V03, "List legs, count", "The total number of records returned by your request."
)
EVENT_ID = Source(V03, "List events, id", "Event id. This is a progressive integer")
SEQUENCE_NUMBER = Source(
    V03,
    "Retrieve a conversation, sequence_number",
    "The last Event ID in this conversation. This ID can be used to retrieve a specific event.",
)
START_ID = Source(V03, "List events, start_id", "The ID to start returning events at")
END_ID = Source(V03, "List events, end_id", "The ID to end returning events at")
EVENT_TYPE = Source(
    V03,
    "List events, event_type",
    "The type of event to search for. Does not currently support custom events",
)
UNIQUE_NAME = Source(
    V03, "Create a conversation, name", "Your internal conversation name. Must be unique"
)
UPDATE_CONVERSATION = Source(
    V03, "PUT /v0.3/conversations/:conversation_id", "Update a conversation"
)
MEMBERS_LIST = Source(
    V03, "List members, _embedded.members", "List of members matching the provided filter"
)
MEMBERSHIPS = Source(
    V03,
    "member",
    "Memberships connect users with conversations. Each membership has one conversation and one "
    "user however a user can have many memberships to conversations just as conversations can "
    "have many members.",
)
MEMBERS_ME = Source(
    V03,
    "GET /v0.3/conversations/:conversation_id/members/me",
    "Retrieve yourself in a given conversation",
)
LEAVING = Source(
    V03,
    "Update a member",
    "Setting the state to left will result in the member leaving the conversation.",
)
MEMBER_LEFT_EVENT = Source(V02, "Member Left event, type", "The event type (`member:left`)")
INVITE_EVENTS = Source(
    V03,
    "event",
    "Events are actions that occur within a conversation. Examples of this includes: Text events "
    "from members, or invite events from users",
)
USER_MEMBERSHIPS = Source(
    V03,
    "user",
    "A user can have multiple memberships to conversations and can communicate with other users "
    "through various different mediums.",
)
DATE_START = Source(
    V03,
    "List conversations, date_start",
    "Return the records that occurred after this point in time.",
)

# The token rules: the standards the API's bearer JWTs are made to, which the API's own pages
# name but do not restate (no copy of them is among the seed documents).
RFC6750 = "RFC 6750"
RFC7519 = "RFC 7519"
RFC8725 = "RFC 8725"
STANDARDS = frozenset({RFC6750, RFC7519, RFC8725})
INVALID_TOKEN = Source(
    RFC6750,
    "section 3.1, invalid_token",
    "The access token provided is expired, revoked, malformed, or invalid for other reasons. "
    "The resource SHOULD respond with the HTTP 401 (Unauthorized) status code.",
)
INSUFFICIENT_SCOPE = Source(
    RFC6750,
    "section 3.1, insufficient_scope",
    "The request requires higher privileges than provided by the access token. The resource "
    "server SHOULD respond with the HTTP 403 (Forbidden) status code",
)
EXP = Source(
    RFC7519,
    "section 4.1.4",
    'The "exp" (expiration time) claim identifies the expiration time on or after which the '
    "JWT MUST NOT be accepted for processing.",
)
NBF = Source(
    RFC7519,
    "section 4.1.5",
    'The "nbf" (not before) claim identifies the time before which the JWT MUST NOT be '
    "accepted for processing.",
)
IAT = Source(
    RFC7519,
    "section 4.1.6",
    'The "iat" (issued at) claim identifies the time at which the JWT was issued.',
)
VALIDATION = Source(
    RFC7519,
    "section 7.2",
    "If any of the listed steps fail, then the JWT MUST be rejected -- that is, treated by the "
    "application as an invalid input.",
)
ALG_NONE = Source(
    RFC8725,
    "section 2.1",
    'The algorithm can be changed to "none" by an attacker, and some libraries would trust '
    'this value and "validate" the JWT without checking any signature.',
)
ALGORITHMS = Source(
    RFC8725,
    "section 3.1",
    "Libraries MUST enable the caller to specify a supported set of algorithms and MUST NOT "
    "use any other algorithms when performing cryptographic operations.",
)
AUDIENCE = Source(
    RFC8725,
    "section 3.9",
    "If the same issuer can issue JWTs that are intended for use by more than one relying "
    'party or application, the JWT MUST contain an "aud" (audience) claim that can be used to '
    "determine whether the JWT is being used by an intended party or was substituted by an "
    "attacker at an unintended party.",
)
CREATE_CONVERSATION = Source(V03, "POST /v0.3/conversations", "Create a conversation")
CREATE_MEMBER = Source(V03, "POST /v0.3/conversations/:conversation_id/members", "Create a member")
CREATE_EVENT = Source(V03, "POST /v0.3/conversations/:conversation_id/events", "Create an event")
DATE_END = Source(
    V03,
    "List conversations, date_end",
    "Return the records that occurred before this point in time.",
)
DATE_START_V02 = Source(
    V02,
    "List conversations, date_start",
    "Search for conversations created after this ISO8601 date",
)
DATE_END_V02 = Source(
    V02, "List conversations, date_end", "Search for conversations created before this ISO8601 date"
)
DELETE_CONVERSATION = Source(
    V03, "DELETE /v0.3/conversations/:conversation_id", "Delete a conversation"
)
DELETE_EVENT = Source(
    V03, "DELETE /v0.3/conversations/:conversation_id/events/:event_id", "Delete an event"
)

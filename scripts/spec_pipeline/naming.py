"""How the client names what the spec describes: one resource per tag, one method per operation.

The rule:

- **Resource**: the operation's first tag, in snake case and plural: `conversation` ->
  ``client.conversations``, `user` -> ``client.users``, `leg` -> ``client.legs``. An operation
  without a tag belongs to the first literal segment of its path after the version.
- **Method**: the operationId's words without the resource's noun (singular or plural,
  wherever it stands), in snake case: ``getConversation`` -> ``conversations.get``,
  ``listMembers`` -> ``members.list``, ``getUser`` -> ``users.get``. The v0.2 twins of the
  v0.3 lists keep their version: ``listConversationsV02`` -> ``conversations.list_v02``,
  ``listMembersV02`` -> ``members.list_v02``, ``listEventsV02`` -> ``events.list_v02``.
- **Exceptions**: `METHOD_NAMES` names the methods whose public name is not the rule's (today's
  names, kept as they are).

Two operations of one resource named alike, or an operation named like a hand-written helper
of its resource (`RESOURCE_HELPERS`), stop the generation with a message saying what to add to
`METHOD_NAMES`.
"""

from __future__ import annotations

import keyword

from .words import plural, singular, snake, words

#: operationId -> method name, where the rule's name is not the public one.
METHOD_NAMES: dict[str, str] = {
    # The rule gives `users.list_conversations` and `users.list_sessions`.
    "listUserConversations": "conversations",
    "listUserSessions": "sessions",
    # The rule gives `members.get_my`.
    "getMyMember": "me",
}

#: resource -> the hand-written mixin (in ``vonage_conversation._helpers``) adding the methods
#: that are not one operation each, and those methods (which no operation's method may hide).
RESOURCE_HELPERS: dict[str, tuple[str, frozenset[str]]] = {
    "events": ("EventHelpers", frozenset({"send_text", "send_custom"})),
}


class NamingError(ValueError):
    """Two operations would get one name: a person must choose another for one of them."""


def resource_name(tag: str | None, path: str) -> str:
    """The client attribute of the resource an operation with this tag (and path) belongs to."""
    if tag:
        parts = words(tag)
    else:
        segments = [part for part in path.strip("/").split("/")[1:] if not part.startswith("{")]
        parts = words(segments[0]) if segments else ["operations"]
    return "_".join([*parts[:-1], plural(parts[-1])])


def rule_method_name(operation_id: str, resource: str) -> str:
    """The method name the rule gives an operation of `resource` (exceptions aside)."""
    nouns = {resource.rsplit("_", 1)[-1], singular(resource.rsplit("_", 1)[-1])}
    kept = [word for word in words(operation_id) if word not in nouns]
    if not kept:
        raise NamingError(
            f"the operationId {operation_id!r} names nothing but its resource: add "
            f"{operation_id!r}: '<method>' to METHOD_NAMES in scripts/spec_pipeline/naming.py"
        )
    name = snake("_".join(kept))
    return name + "_" if keyword.iskeyword(name) else name


def method_name(operation_id: str, resource: str) -> str:
    """The method an operation becomes on its resource: `METHOD_NAMES`, else the rule."""
    name = METHOD_NAMES.get(operation_id) or rule_method_name(operation_id, resource)
    helpers = RESOURCE_HELPERS.get(resource, ("", frozenset()))[1]
    if name in helpers or name.startswith("_") or not name.isidentifier():
        raise NamingError(
            f"{resource}.{name} (operation {operation_id!r}) is not a name a method can take: "
            f"add {operation_id!r}: '<method>' to METHOD_NAMES in scripts/spec_pipeline/naming.py"
        )
    return name


def check_unique(resource: str, named: dict[str, str]) -> None:
    """Stop if two operations of `resource` get one name (`named`: operationId -> method)."""
    seen: dict[str, str] = {}
    for operation_id, name in named.items():
        if name in seen:
            raise NamingError(
                f"operations {seen[name]!r} and {operation_id!r} would both be "
                f"{resource}.{name}: add one of them to METHOD_NAMES in "
                "scripts/spec_pipeline/naming.py with the name it should have"
            )
        seen[name] = operation_id

"""Quickstart: a conversation, two members, some events, every page of them, and an error.

Against the local emulator (it prints the ``export`` lines to paste):

    vonage-conversation emulator --port 8080
    export VONAGE_APPLICATION_ID=... VONAGE_PRIVATE_KEY_PATH=... VONAGE_API_HOST=http://127.0.0.1:8080
    python examples/quickstart.py

Against Vonage, set ``VONAGE_APPLICATION_ID`` and ``VONAGE_PRIVATE_KEY_PATH`` for your
application and leave out ``VONAGE_API_HOST``; create the users alice and bob with the Users API
first (the emulator's ``/_emulator/users`` below exists only in the emulator).
"""

from __future__ import annotations

import contextlib
import uuid

from vonage_conversation import (
    ConflictError,
    ConversationClient,
    CustomEvent,
    MemberJoinedEvent,
    NotFoundError,
    TextEvent,
    as_typed,
    custom_event_name,
)


def ensure_user(client: ConversationClient, name: str) -> None:
    """Create a user in the emulator (the Conversation API itself cannot create users)."""
    with contextlib.suppress(ConflictError):  # a ConflictError: made by an earlier run
        client.request("POST", "/_emulator/users", json={"name": name})


def main(client: ConversationClient) -> None:
    for name in ("alice", "bob"):
        ensure_user(client, name)

    # A conversation (names are unique, hence the suffix), and two members added by user name.
    conversation = client.conversations.create(
        name=f"support-{uuid.uuid4().hex[:8]}", display_name="Support chat"
    )
    print(f"conversation {conversation.id} ({conversation.display_name})")
    alice = client.members.create(
        conversation.id, user={"name": "alice"}, state="joined", channel={"type": "app"}
    )
    bob = client.members.create(
        conversation.id, user={"name": "bob"}, state="joined", channel={"type": "app"}
    )
    print(f"members: alice {alice.id}, bob {bob.id}")

    # A text each, and a custom event with any JSON body.
    client.events.send_text(conversation.id, from_=alice.id, text="Hello Bob!")
    client.events.send_text(conversation.id, from_=bob.id, text="Hi Alice, how can I help?")
    client.events.send_custom(
        conversation.id, "order_paid", from_=alice.id, body={"order": "A-1001", "amount": 42.5}
    )

    # Every event, two per request: the next page is fetched as the loop reaches it.
    for event in client.events.list(conversation.id, page_size=2):
        match as_typed(event):
            case TextEvent(body=body) as text:
                print(f"  {text.id} text from {text.from_}: {body.text}")
            case CustomEvent(body=body) as custom:
                print(f"  {custom.id} custom {custom_event_name(custom)}: {body.to_dict()}")
            case MemberJoinedEvent(body=member) as joined:
                print(f"  {joined.id} {member.id} joined")
            case other:
                print(f"  {other.id} {other.type_}")

    # Or page by page, keeping the cursor to come back later.
    first = client.events.list(conversation.id, page_size=2).first_page()
    print(f"first page: {len(first.items)} events, next cursor {first.next_cursor!r}")

    # Every failure is a ConversationAPIError; a missing resource is a NotFoundError.
    try:
        client.conversations.get("CON-00000000-0000-0000-0000-000000000000")
    except NotFoundError as error:
        print(f"not found, as expected: {error.status} {error.code}: {error.detail}")

    client.conversations.delete(conversation.id)
    print("conversation deleted")


if __name__ == "__main__":
    with ConversationClient.from_env() as client:
        main(client)

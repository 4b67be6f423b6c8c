"""Concurrent writers: 8 x 200 events in one conversation get ids 1..1600, no gap, no repeat,
with one emulator in memory, and with two emulator servers sharing one SQLite file."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest
from emulator_support import SpecChecker, event_request, json_of, make_token
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import create_conversation, get_conversation
from vonage_conversation_api.api.event import create_event, list_events
from vonage_conversation_api.api.member import create_member
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
)
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator

WRITERS = 8
EVENTS_PER_WRITER = 200


@pytest.fixture(params=["memory", "shared-file"])
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[EmulatorInstance]]:
    """One in-memory emulator, or two emulators (two SQLite connections sets) on one file."""
    with ExitStack() as stack:
        if request.param == "memory":
            yield [stack.enter_context(run_emulator())]
            return
        first = stack.enter_context(run_emulator(db=tmp_path / "shared.db"))
        second = stack.enter_context(
            run_emulator(
                db=tmp_path / "shared.db",
                application_id=first.application_id,
                private_key_pem=first.private_key_pem,
            )
        )
        yield [first, second]


def _client(server: EmulatorInstance, checker: SpecChecker) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=server.base_url,
        token=make_token(server),
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"response": [checker.check]}},
    )


def test_concurrent_writers_never_lose_or_repeat_an_event_id(
    servers: list[EmulatorInstance], spec_checker: SpecChecker
) -> None:
    admin = _client(servers[0], spec_checker)
    conversation_id = create_conversation.sync_detailed(
        client=admin, body=ConversationRequest.from_dict({"name": "busy"})
    ).parsed.id
    for writer in range(WRITERS):
        admin.get_httpx_client().post("/_emulator/users", json={"name": f"writer-{writer}"})

    def write(writer: int) -> list[int]:
        # Each writer joins (that is its first event: member:joined), then sends the rest.
        with _client(servers[writer % len(servers)], spec_checker) as client:
            joined = create_member.sync_detailed(
                conversation_id,
                client=client,
                body=CreateMemberRequest.from_dict(
                    {"user": {"name": f"writer-{writer}"}, "state": "joined"}
                ),
            )
            assert joined.status_code == 201
            ids = []
            for index in range(EVENTS_PER_WRITER - 1):
                sent = create_event.sync_detailed(
                    conversation_id,
                    client=client,
                    body=event_request(
                        {"type": "text", "from": joined.parsed.id, "body": {"text": f"{index}"}}
                    ),
                )
                assert sent.status_code == 201
                ids.append(int(sent.parsed.id))
            return ids

    with ThreadPoolExecutor(WRITERS) as pool:
        sent_ids = list(itertools.chain.from_iterable(pool.map(write, range(WRITERS))))

    total = WRITERS * EVENTS_PER_WRITER
    assert len(sent_ids) == len(set(sent_ids)) == total - WRITERS
    listed: list[int] = []
    cursor = None
    while True:
        page = json_of(
            list_events.sync_detailed(conversation_id, client=admin, page_size=100, cursor=cursor)
            if cursor
            else list_events.sync_detailed(conversation_id, client=admin, page_size=100)
        )
        listed += [int(event["id"]) for event in page["_embedded"]["events"]]
        if "next" not in page["_links"]:
            break
        cursor = page["_links"]["next"]["href"].split("cursor=")[1]
    assert listed == list(range(1, total + 1))
    assert set(sent_ids) < set(listed)
    conversation = get_conversation.sync_detailed(conversation_id, client=admin).parsed
    assert conversation.sequence_number == total

"""examples/quickstart.py: against a small stateful fake, and as written against the emulator."""

from __future__ import annotations

import itertools
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from overlay_helpers import BASE, ok
from vonage_conversation import ConversationClient, JWTAuth

QUICKSTART = Path(__file__).resolve().parents[2] / "examples" / "quickstart.py"


class MiniServer:
    """Just enough of the API for the quickstart: users, a conversation, members, events."""

    def __init__(self) -> None:
        self.users: set[str] = set()
        self.conversations: dict[str, dict[str, Any]] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.ids = itertools.count(1)
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        assert request.headers["authorization"].startswith("Bearer ")
        body = json.loads(request.content) if request.content else {}
        parts = request.url.path.strip("/").split("/")
        response = ok({"title": "unexpected"}, 500)
        match request.method, parts:
            case "POST", ["_emulator", "users"]:
                response = self.create_user(body["name"])
            case "POST", ["v0.3", "conversations"]:
                conversation = {"id": f"CON-{next(self.ids)}", **body}
                self.conversations[conversation["id"]] = conversation
                self.events[conversation["id"]] = []
                response = ok(conversation, 201)
            case "POST", ["v0.3", "conversations", cid, "members"]:
                assert body["user"]["name"] in self.users
                response = ok({"id": f"MEM-{body['user']['name']}", "conversation_id": cid}, 201)
            case "POST", ["v0.3", "conversations", cid, "events"]:
                response = self.create_event(cid, body)
            case "GET", ["v0.3", "conversations", cid, "events"]:
                response = self.events_page(request, cid)
            case "GET", ["v0.3", "conversations", cid] if cid not in self.conversations:
                response = ok({"title": "Not found.", "code": "conversation:error:not-found"}, 404)
            case "DELETE", ["v0.3", "conversations", cid]:
                del self.conversations[cid]
                response = httpx.Response(204)
        return response

    def create_user(self, name: str) -> httpx.Response:
        if name in self.users:
            return ok({"title": "Conflict", "code": "user:error:duplicate-name"}, 409)
        self.users.add(name)
        return ok({"id": f"USR-{name}", "name": name}, 201)

    def create_event(self, cid: str, body: dict[str, Any]) -> httpx.Response:
        events = self.events[cid]
        event_id = len(events) + 1
        events.append(
            {
                "id": event_id,  # an int, as v0.2 sent them
                "type": body["type"],
                "from": body["from"],
                "body": body.get("body", {}),
                "timestamp": "2020-01-01T14:00:00.00Z",
                "href": f"{BASE}/v0.3/conversations/{cid}/events/{event_id}",
            }
        )
        return ok({"id": str(event_id)}, 201)

    def events_page(self, request: httpx.Request, cid: str) -> httpx.Response:
        size = int(request.url.params["page_size"])
        start = int(request.url.params.get("cursor", "0"))
        events = self.events[cid]
        links: dict[str, Any] = {"self": {"href": str(request.url)}}
        if start + size < len(events):
            links["next"] = {
                "href": f"{BASE}/v0.3/conversations/{cid}/events"
                f"?page_size={size}&cursor={start + size}"
            }
        body = {"page_size": size, "_embedded": {"events": events[start : start + size]}}
        return ok({**body, "_links": links})


def test_quickstart_against_a_fake(
    shared_auth: JWTAuth, capsys: pytest.CaptureFixture[str]
) -> None:
    server = MiniServer()
    main = runpy.run_path(str(QUICKSTART))["main"]
    with ConversationClient(auth=shared_auth, transport=httpx.MockTransport(server)) as client:
        main(client)
        main(client)  # again: the users exist by now, which it takes in its stride
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "conversation CON-1 (Support chat)"
    assert out[1] == "members: alice MEM-alice, bob MEM-bob"
    assert out[2:5] == [
        "  1 text from MEM-alice: Hello Bob!",
        "  2 text from MEM-bob: Hi Alice, how can I help?",
        "  3 custom order_paid: {'order': 'A-1001', 'amount': 42.5}",
    ]
    assert out[5] == "first page: 2 events, next cursor '2'"
    assert out[6] == "not found, as expected: 404 conversation:error:not-found: None"
    assert out[7] == "conversation deleted"
    assert server.conversations == {}
    assert out[8] == "conversation CON-2 (Support chat)"
    # Two pages for the loop, then one for first_page().
    assert server.calls.count("GET /v0.3/conversations/CON-1/events") == 3


def test_quickstart_runs_as_written_against_the_emulator(tmp_path: Path) -> None:
    # The emulator is this repository's own (the `emulator` extra, part of the dev install).
    from vonage_conversation_emulator import run_emulator  # noqa: PLC0415

    with run_emulator() as instance:
        key = tmp_path / "private.key"
        key.write_text(instance.private_key_pem)
        env = {
            **os.environ,
            "VONAGE_APPLICATION_ID": instance.application_id,
            "VONAGE_PRIVATE_KEY_PATH": str(key),
            "VONAGE_API_HOST": instance.base_url,
        }
        env.pop("VONAGE_PRIVATE_KEY", None)
        done = subprocess.run(
            [sys.executable, str(QUICKSTART)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("conversation CON-")
    assert any("text from" in line and "Hello Bob!" in line for line in lines)
    assert any("custom order_paid: {'order': 'A-1001', 'amount': 42.5}" in line for line in lines)
    assert any(line.startswith("not found, as expected: 404") for line in lines)
    assert lines[-1] == "conversation deleted"
    assert any(line.startswith("first page: 2 events, next cursor '") for line in lines)

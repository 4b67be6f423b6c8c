"""A server that delivers callbacks, and servers that deliver them wrong in exactly one way, for
the callbacks phase's tests.

`Delivering` puts the emulator behind a middleware that, after each request that can make
events (a POST or PATCH under a conversation's events or members) and before answering it,
delivers the conversation's new events to its
``callback.url`` as issue 16's rules say, with the emulator's own delivery package: the event
as ``GET .../events/{event_id}`` shows it plus ``conversation_id`` and ``application_id``
(`Callback.request_for`), the mask read by `Callback.parse`, signed with `authorization` when
it has a secret. The middleware keeps the callback each create or update sets and gives the
emulator none, so that only the middleware delivers (the emulator would deliver rightly, hiding
each mutant's fault). Each mutant is one field of it set: the mask ignored, an event
held back for ever or until the next, a body that is not the event, a token signed with another
secret.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import mutant_servers as servers
from mutant_servers import App, Message, Receive, Send
from vonage_conversation_emulator.delivery import Callback, authorization
from vonage_conversation_emulator.embedded import mint_token

# The requests after which a conversation may have new events.
_MAKES_EVENTS = re.compile(r"^/v0\.3/conversations/(?P<id>[^/]+)/(events|members)(/[^/]+)?$")
# The requests that set a callback (the emulator keeps it, but no answer shows it).
_SETS_CALLBACK = re.compile(r"^/v0\.3/conversations(/(?P<id>[^/]+))?$")


@dataclass(frozen=True)
class Delivering:
    """The emulator delivering callbacks, or (a field set) a mutant of it.

    Attributes:
        secret: sign deliveries with it (None: unsigned).
        every_event: deliver every event, whatever the mask (a masked-out event delivered).
        never: never deliver the first event of this type (a matching event never delivered).
        late: deliver the first event of this type only after the next one (out of order).
        body: rewrite each delivered text event's body (a body that is not the read-back).
        signed_with: sign with this secret instead of `secret` (a bad signature).
    """

    secret: str | None = None
    every_event: bool = False
    never: str | None = None
    late: str | None = None
    body: dict[str, Any] | None = None
    signed_with: str | None = None

    def __call__(self, app: App) -> App:
        return _Middleware(self, app)


class _Middleware:
    """The emulator `app`, delivering as `rules` says."""

    def __init__(self, rules: Delivering, app: App) -> None:
        self.rules, self.app = rules, app
        self.callbacks: dict[str, Callback] = {}  # conversation -> its callback, as set
        self.delivered: dict[str, int] = {}  # conversation -> the last event id handled
        self.held: list[tuple[Callback, str, Any]] = []  # delivered after the next one
        self.passed_over: set[str] = set()  # the types whose first event was dropped or held
        self.token = mint_token(servers.PEM, servers.APPLICATION_ID, ttl=3600)

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        method = scope.get("method")
        if method in ("POST", "PUT") and _SETS_CALLBACK.match(path):
            await self.remember(scope, receive, send)
            return
        found = _MAKES_EVENTS.match(path)
        if found is None or method not in ("POST", "PATCH"):
            await self.app(scope, receive, send)
            return
        reply = await servers._call(self.app, scope, receive)
        if 200 <= reply.status < 300:
            await self.deliver(scope, found["id"])
        await servers._send(send, reply)

    async def remember(self, scope: Message, receive: Receive, send: Send) -> None:
        """Answer a create or update of a conversation, keeping the callback it sets."""
        body = await servers._read_body(receive)
        document = json.loads(body) if body else None
        forwarded = body
        if isinstance(document, dict) and "callback" in document:
            # The emulator delivers to a callback it stores: it is given none, so that only
            # this middleware delivers, as its rules (and its mutants) say.
            forwarded = json.dumps({k: v for k, v in document.items() if k != "callback"}).encode()
        reply = await servers._call(self.app, scope, servers._body_receiver(forwarded))
        if 200 <= reply.status < 300 and isinstance(document, dict):
            callback = Callback.parse(document.get("callback"))
            if callback is not None:
                self.callbacks[str(reply.json()["id"])] = callback
        await servers._send(send, reply)

    async def read(self, scope: Message, path: str, **query: object) -> Any:
        """The emulator's JSON answer to a signed GET of `path` (None unless 2xx)."""
        headers = [(k, v) for k, v in scope["headers"] if k.lower() == b"host"]
        headers.append((b"authorization", f"Bearer {self.token}".encode()))
        inner = {
            **scope,
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "query_string": urlencode(query).encode(),
            "headers": headers,
        }
        reply = await servers._call(self.app, inner, servers._body_receiver(b""))
        return reply.json() if 200 <= reply.status < 300 else None

    async def deliver(self, scope: Message, conversation: str) -> None:
        """Deliver the conversation's events not handled yet, in id order."""
        callback, rules = self.callbacks.get(conversation), self.rules
        if callback is None:
            return
        path = f"/v0.3/conversations/{conversation}/events"
        page = await self.read(scope, path, page_size=100, order="asc")
        for listed in (page or {}).get("_embedded", {}).get("events", []):
            number = int(listed["id"])
            if number <= self.delivered.get(conversation, 0):
                continue
            self.delivered[conversation] = number
            event = await self.read(scope, f"{path}/{number}")
            kind = event["type"]
            if not (rules.every_event or callback.wants(kind)):
                continue
            if kind in (rules.never, rules.late) and kind not in self.passed_over:
                self.passed_over.add(kind)
                if kind == rules.late:
                    self.held.append((callback, conversation, event))
                continue
            await self.send_one(callback, conversation, event)
            while self.held:
                await self.send_one(*self.held.pop(0))

    async def send_one(self, callback: Callback, conversation: str, event: Any) -> None:
        """Deliver `event` to `callback` (its body rewritten, and signed, as the rules say)."""
        rules = self.rules
        if rules.body is not None and event.get("type") == "text":
            event = {**event, "body": rules.body}
        request = callback.request_for(
            event, conversation_id=conversation, application_id=servers.APPLICATION_ID
        )
        headers = dict(request.headers)
        secret = rules.signed_with or rules.secret
        if secret is not None:
            headers["Authorization"] = authorization(
                request.signed, secret, application_id=servers.APPLICATION_ID, issued_at=time.time()
            )
        async with httpx.AsyncClient(timeout=5) as client:
            await client.request(
                request.method, request.url, content=request.body or None, headers=headers
            )


def delivering(**mutation: Any) -> Callable[[App], App]:
    """`Delivering` with `mutation`'s fields."""
    return Delivering(**mutation)

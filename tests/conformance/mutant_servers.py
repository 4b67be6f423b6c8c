"""Servers wrong in exactly one way, for proving that the conformance run catches each.

A mutant is the emulator behind one ASGI middleware that rewrites one operation's requests or
responses; `serve` runs one on a free loopback port with its users and credentials. Servers
that are not the API at all (`not_the_api`) answer every request the same way.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.embedded import mint_token
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key
from vonage_conversation_emulator.seed import SeedUser, seed_users
from vonage_conversation_emulator.server import BackgroundServer

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Message, Receive, Send], Awaitable[None]]
APPLICATION_ID = "mutant-application"
USERS = ("mutant-user-1", "mutant-user-2", "mutant-user-3")
PEM = generate_private_key_pem()


@dataclass(frozen=True)
class Reply:
    """A response as a middleware sees it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: bytes) -> bytes | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def replace(
        self,
        *,
        status: int | None = None,
        body: bytes | None = None,
        content_type: bytes | None = None,
    ) -> Reply:
        headers = [
            (k, v)
            for k, v in self.headers
            if k.lower() != b"content-length"
            and (content_type is None or k.lower() != b"content-type")
        ]
        new_body = self.body if body is None else body
        headers.append((b"content-length", str(len(new_body)).encode()))
        if content_type is not None:
            headers.append((b"content-type", content_type))
        return Reply(self.status if status is None else status, headers, new_body)


def _matches(scope: Message, method: str, path: str) -> bool:
    if scope["type"] != "http" or scope["method"] != method:
        return False
    if scope["path"].endswith("/members/me") and not path.endswith("/members/me"):
        return False  # `members/{member_id}` is not `members/me`
    pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
    return re.match(pattern, scope["path"]) is not None


async def _call(app: App, scope: Message, receive: Receive) -> Reply:
    """Run the app on one request and collect its whole response."""
    start: Message = {}
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return Reply(int(start["status"]), list(start.get("headers", [])), b"".join(chunks))


async def _send(send: Send, reply: Reply) -> None:
    await send({"type": "http.response.start", "status": reply.status, "headers": reply.headers})
    await send({"type": "http.response.body", "body": reply.body})


def rewrite_response(
    method: str, path: str, rewrite: Callable[[Reply], Reply]
) -> Callable[[App], App]:
    """A middleware rewriting the responses of one operation."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, method, path):
                await app(scope, receive, send)
                return
            await _send(send, rewrite(await _call(app, scope, receive)))

        return middleware

    return wrap


def rewrite_query(
    method: str, path: str, rewrite: Callable[[dict[str, str]], dict[str, str]]
) -> Callable[[App], App]:
    """A middleware rewriting the query of one operation's requests."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if _matches(scope, method, path):
                query = dict(parse_qsl(scope["query_string"].decode()))
                scope = {**scope, "query_string": urlencode(rewrite(query)).encode()}
            await app(scope, receive, send)

        return middleware

    return wrap


def rewrite_json(
    method: str, path: str, rewrite: Callable[[Any, dict[str, str]], Any]
) -> Callable[[App], App]:
    """A middleware rewriting the JSON of one operation's 2xx answers (`rewrite` gets the body
    and the request's query, and returns the new body)."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, method, path):
                await app(scope, receive, send)
                return
            reply = await _call(app, scope, receive)
            if 200 <= reply.status < 300 and reply.body:
                query = dict(parse_qsl(scope["query_string"].decode()))
                new = rewrite(reply.json(), query)
                reply = reply.replace(body=json.dumps(new).encode())
            await _send(send, reply)

        return middleware

    return wrap


def answer_with_a_fresh_name(path: str) -> Callable[[App], App]:
    """A middleware that, where the app refuses a create with 409, creates it under a fresh
    name instead (a name in use accepted)."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, "POST", path):
                await app(scope, receive, send)
                return
            chunks = []
            while True:
                message = await receive()
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    break
            body = b"".join(chunks)
            reply = await _call(app, scope, _body_receiver(body))
            if reply.status == 409:
                fresh = {**json.loads(body), "name": f"fresh-{uuid.uuid4().hex}"}
                encoded = json.dumps(fresh).encode()
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(encoded)).encode()))
                reply = await _call(app, {**scope, "headers": headers}, _body_receiver(encoded))
            await _send(send, reply)

        return middleware

    return wrap


def _body_receiver(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def accept_invalid_bodies(method: str, path: str, valid: bytes) -> Callable[[App], App]:
    """A middleware answering a request the app refused with 400 as if it had sent `valid`."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, method, path):
                await app(scope, receive, send)
                return
            reply = await _call(app, scope, receive)
            if reply.status == 400:
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(valid)).encode()))
                retry = {**scope, "headers": headers}
                reply = await _call(app, retry, _body_receiver(valid))
            await _send(send, reply)

        return middleware

    return wrap


def let_in_without_token(method: str, path: str) -> Callable[[App], App]:
    """A middleware that signs, for one operation, requests that came without a valid token."""
    token = mint_token(PEM, APPLICATION_ID, ttl=3600)

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if _matches(scope, method, path):
                headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
                headers.append((b"authorization", f"Bearer {token}".encode()))
                scope = {**scope, "headers": headers}
            await app(scope, receive, send)

        return middleware

    return wrap


def acknowledge_without_doing(
    method: str, path: str, status: int | None = 204
) -> Callable[[App], App]:
    """A middleware answering one operation with success where the app would have (the
    resource exists, the token is good: a GET of it succeeds), without doing it: with `status`
    and no body, or (`status` None) with what the GET answered."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, method, path):
                await app(scope, receive, send)
                return
            probe = await _call(app, {**scope, "method": "GET"}, _body_receiver(b""))
            if 200 <= probe.status < 300 and status is not None:
                probe = Reply(status, [(b"content-length", b"0")], b"")
            await _send(send, probe)

        return middleware

    return wrap


def not_the_api(status: int, content_type: bytes, body: bytes) -> App:
    """A server answering every request with the same response."""

    async def app(scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await _send(send, Reply(status, headers, body))

    return app


@dataclass(frozen=True)
class Server:
    """A running server and the arguments that point the conformance command at it."""

    url: str
    key: Path

    def args(self) -> list[str]:
        return [
            "--url",
            self.url,
            "--application-id",
            APPLICATION_ID,
            "--private-key",
            str(self.key),
        ]


@contextmanager
def serve(
    key_dir: Path, wrap: Callable[[App], App] | None = None, app: App | None = None
) -> Iterator[Server]:
    """The emulator (wrapped by `wrap`), or `app`, on a free loopback port, for a `with` block."""
    key = key_dir / "mutant.key"
    key.write_bytes(PEM)
    if app is None:
        emulator = create_app(application_id=APPLICATION_ID, public_key=load_public_key(PEM))
        seed_users(emulator.store, [SeedUser(name=name) for name in USERS])
        app = emulator if wrap is None else wrap(emulator)  # type: ignore[arg-type]
    with BackgroundServer(app) as server:  # type: ignore[arg-type]
        yield Server(server.url, key)

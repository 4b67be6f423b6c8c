"""Servers wrong in exactly one way, for proving that the conformance run catches each.

A mutant is the emulator behind one ASGI middleware that rewrites one operation's requests or
responses; `serve` runs one on a free loopback port with its users and credentials. Servers
that are not the API at all (`not_the_api`) answer every request the same way.

Why over 400 lines: one small respond function per mutation, each the fault of one check, kept
in one list that the mutant tests walk.
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
from vonage_conversation_emulator.seed import SeedUser
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


Respond = Callable[[App, Message, Receive], Awaitable[Reply]]


def answer(method: str, path: str, respond: Respond) -> Callable[[App], App]:
    """A middleware answering one operation's requests with `respond(app, scope, receive)`,
    every other request with the app itself: the one generic mutation."""

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if not _matches(scope, method, path):
                await app(scope, receive, send)
                return
            await _send(send, await respond(app, scope, receive))

        return middleware

    return wrap


def _query(scope: Message) -> dict[str, str]:
    return dict(parse_qsl(scope["query_string"].decode()))


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _body_receiver(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _resend(app: App, scope: Message, body: bytes, method: str | None = None) -> Reply:
    """The app's answer to the same request with another body (and method)."""
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    changed = {**scope, "headers": headers, "method": method or scope["method"]}
    return await _call(app, changed, _body_receiver(body))


def rewrite_response(
    method: str, path: str, rewrite: Callable[[Reply], Reply]
) -> Callable[[App], App]:
    """A middleware rewriting the responses of one operation."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        return rewrite(await _call(app, scope, receive))

    return answer(method, path, respond)


def rewrite_query(
    method: str, path: str, rewrite: Callable[[dict[str, str]], dict[str, str]]
) -> Callable[[App], App]:
    """A middleware rewriting the query of one operation's requests."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        query = urlencode(rewrite(_query(scope))).encode()
        return await _call(app, {**scope, "query_string": query}, receive)

    return answer(method, path, respond)


def rewrite_json(
    method: str, path: str, rewrite: Callable[[Any, dict[str, str]], Any]
) -> Callable[[App], App]:
    """A middleware rewriting the JSON of one operation's 2xx answers (`rewrite` gets the body
    and the request's query, and returns the new body)."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        reply = await _call(app, scope, receive)
        if not (200 <= reply.status < 300 and reply.body):
            return reply
        return reply.replace(body=json.dumps(rewrite(reply.json(), _query(scope))).encode())

    return answer(method, path, respond)


def answer_with_a_fresh_name(path: str) -> Callable[[App], App]:
    """A middleware that, where the app refuses a create with 409, creates it under a fresh
    name instead (a name in use accepted)."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        body = await _read_body(receive)
        reply = await _call(app, scope, _body_receiver(body))
        if reply.status != 409:
            return reply
        fresh = {**json.loads(body), "name": f"fresh-{uuid.uuid4().hex}"}
        return await _resend(app, scope, json.dumps(fresh).encode())

    return answer("POST", path, respond)


def accept_invalid_bodies(method: str, path: str, valid: bytes) -> Callable[[App], App]:
    """A middleware answering a request the app refused with 400 as if it had sent `valid`."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        reply = await _call(app, scope, receive)
        return await _resend(app, scope, valid) if reply.status == 400 else reply

    return answer(method, path, respond)


def let_in_without_token(method: str, path: str) -> Callable[[App], App]:
    """A middleware that signs, for one operation, requests that came without a valid token."""
    token = mint_token(PEM, APPLICATION_ID, ttl=3600)

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
        headers.append((b"authorization", f"Bearer {token}".encode()))
        return await _call(app, {**scope, "headers": headers}, receive)

    return answer(method, path, respond)


def acknowledge_without_doing(
    method: str, path: str, status: int | None = 204
) -> Callable[[App], App]:
    """A middleware answering one operation with success where the app would have (the
    resource exists, the token is good: a GET of it succeeds), without doing it: with `status`
    and no body, or (`status` None) with what the GET answered."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        probe = await _resend(app, scope, b"", method="GET")
        if 200 <= probe.status < 300 and status is not None:
            return Reply(status, [(b"content-length", b"0")], b"")
        return probe

    return answer(method, path, respond)


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
        emulator = create_app(
            application_id=APPLICATION_ID,
            public_key=load_public_key(PEM),
            seed=[SeedUser(name=name) for name in USERS],
        )
        app = emulator if wrap is None else wrap(emulator)  # type: ignore[arg-type]
    with BackgroundServer(app) as server:  # type: ignore[arg-type]
        yield Server(server.url, key)


def _authorization(scope: Message) -> str:
    return next((v.decode() for k, v in scope["headers"] if k.lower() == b"authorization"), "")


def _with_token(scope: Message, token: str) -> Message:
    headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"authorization"]
    headers.append((b"authorization", f"Bearer {token}".encode()))
    return {**scope, "headers": headers}


def accept_token_when(
    method: str, path: str, faulty: Callable[[str], bool]
) -> Callable[[App], App]:
    """A middleware that, for one operation, lets in a request whose Authorization value
    `faulty` picks out (as if its token were good): a server blind to one fault of a token."""
    token = mint_token(PEM, APPLICATION_ID, ttl=3600)

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        if faulty(_authorization(scope)):
            scope = _with_token(scope, token)
        return await _call(app, scope, receive)

    return answer(method, path, respond)


def answer_as(method: str, path: str, user: str) -> Callable[[App], App]:
    """A middleware answering one operation's requests as if every token named `user`."""
    token = mint_token(PEM, APPLICATION_ID, sub=user, ttl=3600)

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        return await _call(app, _with_token(scope, token), receive)

    return answer(method, path, respond)


def chain(*wraps: Callable[[App], App]) -> Callable[[App], App]:
    """Several one-fault middlewares on one server (each on its own operation or token), for
    mutants that can share a run."""

    def wrap(app: App) -> App:
        for one in wraps:
            app = one(app)
        return app

    return wrap


def rewrite_request_json(
    method: str, path: str, rewrite: Callable[[Any], Any]
) -> Callable[[App], App]:
    """A middleware that hands the app another body than the one one operation's requests
    sent (`rewrite` gets the sent JSON and returns what the app is given): a server storing
    another value than it was sent."""

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        body = await _read_body(receive)
        try:
            sent = json.loads(body)
        except ValueError:
            return await _call(app, scope, _body_receiver(body))
        return await _resend(app, scope, json.dumps(rewrite(sent)).encode())

    return answer(method, path, respond)


def pin_path(method: str, path: str) -> Callable[[App], App]:
    """A middleware answering one operation as if every request named the first path it was
    asked for (a server that ignores the parent's id in the path)."""
    first: list[str] = []

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        first[:] = first or [scope["path"]]
        return await _call(app, {**scope, "path": first[0], "raw_path": first[0].encode()}, receive)

    return answer(method, path, respond)


def list_the_deleted(delete_path: str, list_path: str, key: str) -> Callable[[App], App]:
    """A middleware that keeps listing, in `list_path`'s pages, the items deleted through
    `delete_path` (a list served from a cache the delete does not reach)."""
    deleted: list[str] = []

    def wrap(app: App) -> App:
        async def middleware(scope: Message, receive: Receive, send: Send) -> None:
            if _matches(scope, "DELETE", delete_path):
                reply = await _call(app, scope, receive)
                if 200 <= reply.status < 300:
                    deleted.append(scope["path"].rstrip("/").rsplit("/", 1)[1])
                await _send(send, reply)
            elif _matches(scope, "GET", list_path):
                reply = await _call(app, scope, receive)
                if reply.status == 200 and deleted:
                    page = reply.json()
                    page["_embedded"][key] += [{"id": item} for item in deleted]
                    reply = reply.replace(body=json.dumps(page).encode())
                await _send(send, reply)
            else:
                await app(scope, receive, send)

        return middleware

    return wrap


def answer_empty_where_missing(path: str, key: str) -> Callable[[App], App]:
    """A middleware answering a list of a missing parent (the app's 404) with an empty page."""
    page = json.dumps({"page_size": 10, "_embedded": {key: []}, "_links": {}}).encode()

    async def respond(app: App, scope: Message, receive: Receive) -> Reply:
        reply = await _call(app, scope, receive)
        if reply.status != 404:
            return reply
        return reply.replace(status=200, body=page, content_type=b"application/json")

    return answer("GET", path, respond)

"""A webhook receiver for tests: a loopback server that collects deliveries, and its fixture.

    def test_events_reach_the_handler(emulator, conversation_client, webhook_receiver):
        conversation = conversation_client.conversations.create(
            callback={"url": webhook_receiver.url, "event_mask": "member:*"}
        )
        ...
        joined = webhook_receiver.wait_for(type="member:joined", count=2, timeout=5)
        assert [d.conversation_id for d in joined] == [conversation.id] * 2

`WebhookReceiver` listens on 127.0.0.1 on a free port (threaded, stopped by its ``with`` block
or `stop`, its threads daemons), records every request raw (`requests`), and answers 200, or
each request in turn with the next of a scripted sequence of answers (``500, 500, 200``: a
receiver failing twice, for retry tests; `Reply` adds a delay, for timeout tests). Answered
2xx, a delivery is read with the client's ``webhooks.unwrap`` (``unwrap_query`` for a GET),
verified with the receiver's ``secret`` when it has one; one that does not verify or read is
answered 401 or 400 and its error kept, and `wait_for` raises it.

The fixtures (`webhook_receiver`, and `webhook_secret`, the secret it verifies with: the
``emulator`` fixture's when the test uses it, else None; a suite may override it) are plain
functions here; the plugin registers them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from vonage_conversation.webhooks import Delivery

__all__ = ["ReceivedRequest", "Reply", "WebhookReceiver", "webhook_receiver", "webhook_secret"]

PATH = "/webhook"


@dataclass(frozen=True)
class Reply:
    """A scripted answer: `status` after `delay` seconds (a delay past the sender's timeout is
    a receiver that does not answer in time)."""

    status: int = 200
    delay: float = 0.0


@dataclass(frozen=True)
class ReceivedRequest:
    """One request, as received, and what the receiver did with it.

    Attributes:
        method: ``POST``, ``GET``...
        path: the path, without the query.
        query: the query string exactly as received (what follows ``?``), or "".
        headers: the headers, names as sent (look them up with `header`).
        body: the body's bytes.
        status: what the receiver answered.
        delivery: the delivery read from it (answered 2xx and read), else None.
        error: why it could not be read or verified, else None.
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    status: int
    delivery: Delivery | None = None
    error: Exception | None = field(default=None, repr=False)

    def header(self, name: str) -> str | None:
        """The value of header `name`, in any case; None when absent."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


class WebhookReceiver:
    """A loopback HTTP server collecting webhook deliveries (see the module's docstring).

    Args:
        secret: verify each delivery's signature with it; None reads deliveries unsigned.
        replies: the answers to the first requests, in order (an int is a status); every
            request after them is answered 200.
        max_age: the oldest token accepted, in seconds (``webhooks.unwrap``'s).
    """

    def __init__(
        self,
        *,
        secret: str | None = None,
        replies: Iterable[int | Reply] = (),
        max_age: float = 300,
    ) -> None:
        self.secret = secret
        self.max_age = max_age
        self._script = [r if isinstance(r, Reply) else Reply(status=r) for r in replies]
        self._requests: list[ReceivedRequest] = []
        self._changed = threading.Condition()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where to deliver: ``http://127.0.0.1:<port>/webhook``."""
        if self._server is None:
            raise RuntimeError("the webhook receiver is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{PATH}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request received so far, in order of arrival."""
        with self._changed:
            return list(self._requests)

    def deliveries(self) -> list[Delivery]:
        """The deliveries read so far, each event once (at-least-once delivery: a repeat of a
        conversation's event id is left out), in order of arrival."""
        seen: set[tuple[str, str]] = set()
        unique: list[Delivery] = []
        for request in self.requests:
            delivery = request.delivery
            if delivery is None:
                continue
            key = (delivery.conversation_id, str(delivery.event.id))
            if key not in seen:
                seen.add(key)
                unique.append(delivery)
        return unique

    def wait_for(
        self, type: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> list[Delivery]:
        """The first `count` deliveries of events of type `type` (any type: None), once each,
        waiting up to `timeout` seconds for them. Raises the error of a delivery that could
        not be read or verified, and TimeoutError (naming what did arrive) when too few came.
        """
        if count < 1:
            raise ValueError(f"count must be 1 or more, not {count!r}")
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                failed = next((r for r in self._requests if r.error is not None), None)
                if failed is not None and failed.error is not None:
                    raise failed.error
                matching = [d for d in self.deliveries() if type is None or d.event.type_ == type]
                if len(matching) >= count:
                    return matching[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [(d.event.type_, d.event.id) for d in self.deliveries()]
                    raise TimeoutError(
                        f"waited {timeout:g} s for {count} deliveries of "
                        f"{type or 'any type'!r}; got {len(matching)} (all received: {got})"
                    )
                self._changed.wait(left)

    def start(self) -> WebhookReceiver:
        """Start listening (on a daemon thread)."""
        if self._server is not None:
            raise RuntimeError("the webhook receiver is already started")
        self._closing.clear()
        server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server = server
        # A short poll: `stop` (shutdown) waits for the serving loop to see it.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="webhook-receiver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening; a scripted delay still running ends at once."""
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _receive(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Record one request; the answer to give it."""
        path, _, query = target.partition("?")
        with self._changed:
            reply = self._script.pop(0) if self._script else Reply()
        delivery: Delivery | None = None
        error: Exception | None = None
        status = reply.status
        if 200 <= status < 300:
            delivery, error, status = self._read(method, query, headers, body, status)
        request = ReceivedRequest(method, path, query, dict(headers), body, status, delivery, error)
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()
        return Reply(status=status, delay=reply.delay)

    def _read(
        self, method: str, query: str, headers: Mapping[str, str], body: bytes, status: int
    ) -> tuple[Delivery | None, Exception | None, int]:
        from vonage_conversation import (  # noqa: PLC0415 (the plugin loads without it)
            InvalidSignatureError,
            ResponseParseError,
            webhooks,
        )

        try:
            if method == "GET":
                read = webhooks.unwrap_query(
                    query, headers, secret=self.secret, max_age=self.max_age
                )
            else:
                read = webhooks.unwrap(body, headers, secret=self.secret, max_age=self.max_age)
        except InvalidSignatureError as refused:
            return None, refused, 401
        except ResponseParseError as unreadable:
            return None, unreadable, 400
        return read, None, status


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A sender that gave up waiting (a scripted delay past its timeout) hangs up before
        # the answer: that is the scenario under test, not an error to print.
        pass


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Without it every keep-alive answer waits ~40 ms for a delayed ACK.
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            reply = receiver._receive(self.command, self.path, dict(self.headers.items()), body)
            if reply.delay > 0 and receiver._closing.wait(reply.delay):
                return  # stopping: no answer
            self.send_response(reply.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET = do_PUT = _handle  # noqa: N815 (http.server's names)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the test reads `requests`

    return Handler


@pytest.fixture
def webhook_secret(request: pytest.FixtureRequest) -> str | None:
    """The secret `webhook_receiver` verifies deliveries with: the ``emulator`` fixture's
    signature secret when the test uses that fixture, else None (read unsigned). A suite may
    override it."""
    if "emulator" not in request.fixturenames:
        return None
    secret: str | None = getattr(request.getfixturevalue("emulator"), "signature_secret", None)
    return secret


@pytest.fixture
def webhook_receiver(webhook_secret: str | None) -> Iterator[WebhookReceiver]:
    """A running `WebhookReceiver` (verifying with `webhook_secret`), stopped after the test."""
    with WebhookReceiver(secret=webhook_secret) as receiver:
        yield receiver

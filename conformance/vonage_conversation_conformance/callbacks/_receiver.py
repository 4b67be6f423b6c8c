"""The callbacks phase's receiver: an HTTP server that records every request, raw, and answers
each one 200 at once.

It judges nothing while it runs (the checks read what it recorded afterwards), so that a
delivery it would refuse is never retried into a different story, and a server's retry schedule
plays no part in a run. It listens where it is told (the loopback, on a free port, by default;
the address a public `--callback-url` is forwarded to otherwise), on threads that are daemons,
and stops with its `with` block. A probe (`probe`) sends it a request with a token of its own,
through the URL the server will call, to show that URL leads here before anything is made.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

__all__ = ["PROBE_PARAMETER", "Received", "Receiver"]

# The query parameter of the receiver's own probe (never a delivery's: theirs are event fields).
PROBE_PARAMETER = "vonage-conformance-probe"
_PROBE_TIMEOUT = 10.0


@dataclass(frozen=True)
class Received:
    """One request, as it came.

    Attributes:
        method: ``POST``, ``GET``...
        path: the path, without the query.
        query: the query string exactly as received (what follows ``?``), or "".
        headers: the headers, names as sent.
        body: the body's bytes.
        at: when it came (`time.monotonic`).
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    at: float


class Receiver:
    """Records the requests sent to `host`:`port` (0: a free port) until stopped."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self._received: list[Received] = []
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def loopback_url(self) -> str:
        """The URL of the listening socket itself: ``http://127.0.0.1:<port>/callbacks``."""
        if self._server is None:
            raise RuntimeError("the receiver is not started")
        host, port = self._server.server_address[:2]
        shown = str(host) if isinstance(host, str) else host.decode()
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{port}/callbacks"

    def received(self) -> list[Received]:
        """Every request so far, the probes left out, in order of arrival."""
        with self._changed:
            return [r for r in self._received if PROBE_PARAMETER not in r.query]

    def wait(self, until: float, done: Callable[[], bool]) -> None:
        """Wait until `done()` is true or the monotonic time `until` (woken by each request)."""
        with self._changed:
            while not done() and time.monotonic() < until:
                self._changed.wait(max(0.0, until - time.monotonic()))

    def probe(self, url: str) -> str | None:
        """Send the receiver a request through `url`; None when it came here, else why not."""
        token = secrets.token_hex(8)
        try:
            answer = httpx.get(url, params={PROBE_PARAMETER: token}, timeout=_PROBE_TIMEOUT)
        except httpx.HTTPError as error:
            return f"a request to {url} got no answer ({error or type(error).__name__})"
        with self._changed:
            came = any(token in r.query for r in self._received)
        if not came:
            return f"a request to {url} (answered {answer.status_code}) never reached the receiver"
        return None

    def start(self) -> Receiver:
        """Listen (an `OSError` when the address cannot be bound); started already, nothing."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), _handler(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="callbacks-receiver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _record(self, received: Received) -> None:
        with self._changed:
            self._received.append(received)
            self._changed.notify_all()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        # An IPv6 host (`--callback-listen [::]:8080`) needs the IPv6 family.
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a sender hanging up early is its business; what came is recorded


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Without it every keep-alive answer waits ~40 ms for a delayed ACK.
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            path, _, query = self.path.partition("?")
            headers = dict(self.headers.items())
            receiver._record(Received(self.command, path, query, headers, body, time.monotonic()))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET = do_PUT = _handle  # noqa: N815 - http.server's names

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the phase reads what was recorded

    return Handler

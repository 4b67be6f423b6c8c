"""A webhook receiver: the handler an application gives its conversations' ``callback.url``.

Standard library only (``http.server``) besides the client: ``webhooks.unwrap`` checks the
signature and reads the event, whatever the web framework. Run it, then give a conversation
``callback={"url": "http://127.0.0.1:8000/webhook"}`` (and start the emulator with the same
``--signature-secret``)::

    export VONAGE_SIGNATURE_SECRET=...     # unset: deliveries are read unsigned, unverified
    python examples/webhook_receiver.py --port 8000

Each event is printed on one line: conversation, event id, type and what it says. A delivery is
answered 200 once handled, 401 when its signature is refused and 400 when it is not an event
(the sender retries what it did not get a 2xx for). Delivery is at least once: an event seen
before (same conversation, same event id) is answered 200 again and not handled twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from vonage_conversation import (
    CustomEvent,
    InvalidSignatureError,
    MemberJoinedEvent,
    MemberLeftEvent,
    ResponseParseError,
    TextEvent,
    TypedEvent,
    custom_event_name,
    webhooks,
)

SECRET = os.environ.get("VONAGE_SIGNATURE_SECRET") or None
_seen: set[tuple[str, str]] = set()
_seen_lock = threading.Lock()


def describe(event: TypedEvent) -> str:
    """What an event says, in a few words."""
    match event:
        case TextEvent(body=body):
            return repr(body.text)
        case CustomEvent():
            return f"{custom_event_name(event)} {event.body.to_dict()}"
        case MemberJoinedEvent(body=member) | MemberLeftEvent(body=member):
            return str(member.id)
        case _:
            return str(event.body.to_dict())


def handle(delivery: webhooks.Delivery) -> None:
    """The application's own work for one event: here, print it (once)."""
    key = (delivery.conversation_id, str(delivery.event.id))
    with _seen_lock:
        if key in _seen:
            return
        _seen.add(key)
    event = delivery.event
    print(delivery.conversation_id, event.id, event.type_, describe(event), flush=True)


class WebhookHandler(BaseHTTPRequestHandler):
    """POST deliveries carry the event as JSON; GET ones in the query string."""

    disable_nagle_algorithm = True  # else each keep-alive answer waits for a delayed ACK
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self._answer(lambda: webhooks.unwrap(body, dict(self.headers), secret=SECRET))

    def do_GET(self) -> None:
        query = self.path.partition("?")[2]
        self._answer(lambda: webhooks.unwrap_query(query, dict(self.headers), secret=SECRET))

    def _answer(self, read: Callable[[], webhooks.Delivery]) -> None:
        try:
            handle(read())
        except InvalidSignatureError as refused:
            print(f"refused ({refused.reason}): {refused}", file=sys.stderr, flush=True)
            self._reply(401)
        except ResponseParseError as unreadable:
            print(f"not an event: {unreadable}", file=sys.stderr, flush=True)
            self._reply(400)
        else:
            self._reply(200)

    def _reply(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per event is printed by `handle`


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port")
    options = parser.parse_args(argv)
    server = ThreadingHTTPServer((options.host, options.port), WebhookHandler)
    host, port = server.server_address[:2]
    signed = "verifying signatures" if SECRET else "unsigned: VONAGE_SIGNATURE_SECRET is not set"
    print(f"listening on http://{host!s}:{port}/webhook ({signed})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

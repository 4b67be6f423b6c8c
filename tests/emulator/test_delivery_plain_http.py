"""`delivery.plain_http`: the worker's keep-alive client for ``http://`` callbacks, against a
loopback server that answers with scripted bytes and counts its connections."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest
from vonage_conversation_emulator.delivery import DeliveryWorker, MemoryOutbox, build_request
from vonage_conversation_emulator.delivery.plain_http import (
    ConnectError,
    PlainHttpClient,
    ProtocolError,
)

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


@dataclass
class Scripted:
    """Answers the n-th request (over all connections) with ``answers[n]``; closes the
    connection after it when ``close_after`` holds n."""

    answers: list[bytes]
    close_after: set[int] = field(default_factory=set)
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                number = len(self.requests)
                self.requests.append(head + body)
                writer.write(self.answers[number])
                await writer.drain()
                if number in self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def exchange(
    script: Scripted, scenario: Callable[[PlainHttpClient, str], Awaitable[list[int]]]
) -> list[int]:
    async def main() -> list[int]:
        server = await asyncio.start_server(script.serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = PlainHttpClient()
        try:  # a bound on waiting, so a client that hangs fails (not a timing under test)
            return await asyncio.wait_for(scenario(client, f"http://127.0.0.1:{port}/hook?x=1"), 10)
        finally:
            await client.close()
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


async def posts(client: PlainHttpClient, url: str, count: int) -> list[int]:
    return [await client.status("POST", url, b'{"n":1}', {"X-A": "b"}) for _ in range(count)]


def test_requests_share_one_kept_alive_connection_and_arrive_as_sent() -> None:
    script = Scripted([OK, b"HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhello"])
    assert exchange(script, lambda c, u: posts(c, u, 2)) == [200, 202]
    assert script.connections == 1
    port = script.requests[0].split(b"Host: 127.0.0.1:")[1].split(b"\r\n")[0]
    assert script.requests[0] == (
        b"POST /hook?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + b"\r\nX-A: b\r\n"
        b'Content-Length: 7\r\n\r\n{"n":1}'
    )


def test_a_get_has_no_body_nor_length() -> None:
    script = Scripted([OK])

    async def get(client: PlainHttpClient, url: str) -> list[int]:
        return [await client.status("GET", url, b"", {})]

    assert exchange(script, get) == [200]
    assert b"Content-Length" not in script.requests[0]
    assert script.requests[0].startswith(b"GET /hook?x=1 HTTP/1.1\r\n")


def test_a_chunked_body_is_drained_and_the_connection_reused() -> None:
    chunked = (
        b"HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    script = Scripted([chunked, OK])
    assert exchange(script, lambda c, u: posts(c, u, 2)) == [500, 200]
    assert script.connections == 1


def test_informational_answers_are_skipped_and_a_204_has_no_body() -> None:
    script = Scripted([b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", OK])
    assert exchange(script, lambda c, u: posts(c, u, 2)) == [204, 200]
    assert script.connections == 1


@pytest.mark.parametrize(
    ("answer", "closes"),
    [
        # Asked to close, though the receiver leaves it open: the client closes it.
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", False),
        (b"HTTP/1.0 200 OK\r\n\r\nbody to the end", True),  # no length: runs to the close
    ],
)
def test_an_answer_that_ends_its_connection_is_not_reused(answer: bytes, closes: bool) -> None:
    script = Scripted([answer, OK], close_after={0} if closes else set())
    assert exchange(script, lambda c, u: posts(c, u, 2)) == [200, 200]
    assert script.connections == 2


def test_a_kept_connection_the_receiver_closed_while_idle_is_replaced() -> None:
    script = Scripted([OK, OK], close_after={0})

    async def scenario(client: PlainHttpClient, url: str) -> list[int]:
        first = await client.status("POST", url, b"1", {})
        await asyncio.sleep(0.05)  # let the close reach the client (not a timing under test)
        return [first, await client.status("POST", url, b"2", {})]

    assert exchange(script, scenario) == [200, 200]
    assert script.connections == 2 and len(script.requests) == 2


def test_a_request_a_reused_connection_drops_unanswered_is_sent_again_on_a_new_one() -> None:
    # The receiver reads the second request and hangs up (it timed the idle connection out
    # as the request came): delivery is at least once, so the request goes again.
    script = Scripted([OK, b"", OK], close_after={1})
    assert exchange(script, lambda c, u: posts(c, u, 2)) == [200, 200]
    assert script.connections == 2 and len(script.requests) == 3


def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async def scenario() -> int:
        return await PlainHttpClient().status("POST", f"http://127.0.0.1:{port}/", b"", {})

    with pytest.raises(ConnectError):
        asyncio.run(scenario())


@pytest.mark.parametrize(
    "answer",
    [
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_an_answer_that_is_not_http_is_a_protocol_error(answer: bytes) -> None:
    with pytest.raises(ProtocolError):
        exchange(Scripted([answer]), lambda c, u: posts(c, u, 1))


def test_a_connection_closed_without_an_answer_is_an_error() -> None:
    script = Scripted([b""], close_after={0})
    with pytest.raises(ConnectionResetError):
        exchange(script, lambda c, u: posts(c, u, 1))


@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "http:///nohost", "ftp://h/"])
def test_a_url_it_cannot_send_to_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="http://"):
        asyncio.run(PlainHttpClient().status("POST", url, b"", {}))


@pytest.mark.parametrize("own_client", [True, False])
def test_the_worker_s_deliveries_share_one_connection(own_client: bool) -> None:
    # Its own client (this module's) or an httpx one passed in: either reads each answer to
    # its end, so the connection carries the next delivery (one closed unread would not).
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    script = Scripted([answer] * 3)
    outbox = MemoryOutbox()

    async def main() -> None:
        server = await asyncio.start_server(script.serve, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"
        added = [
            outbox.add("CON-1", n, build_request(EVENT | {"id": str(n)}, **where(url)))
            for n in (1, 2, 3)
        ]
        client = None if own_client else httpx.AsyncClient()
        try:
            async with DeliveryWorker(outbox, client):
                while any(outbox.outcome(d.id) == "pending" for d in added):
                    await asyncio.sleep(0.005)
        finally:
            if client is not None:
                await client.aclose()
            server.close()
            await server.wait_closed()

    asyncio.run(asyncio.wait_for(main(), 10))
    assert [a.status for a in outbox.attempts()] == [200, 200, 200]
    assert script.connections == 1
    # Which sent: httpx names itself, the worker's own http:// client adds no header.
    assert all((b"python-httpx" in r) is not own_client for r in script.requests)


EVENT = {
    "type": "text",
    "from": "MEM-1",
    "body": {"text": "hi"},
    "timestamp": "2030-01-01T00:00:00.000Z",
}


def where(url: str) -> dict[str, str]:
    return {"conversation_id": "CON-1", "application_id": "APP", "url": url}

"""A load client cheap enough not to be what is measured: raw keep-alive HTTP/1.1 on sockets.

The emulator's figures used to be taken with `ConversationClient`s, whose own work (httpx,
model building) ate the CPU the emulator shares with them on a 2-core machine. Here each
client is one keep-alive socket (Nagle off) with one request in flight at a time, sending the
same prepared request bytes again and again and reading each answer by its
``Content-Length`` (or chunks), all of them driven by one thread, so that the server under
test gets nearly all the machine. The emulator and Prism get the same client and
the same requests.
"""

from __future__ import annotations

import selectors
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["LoadResult", "Request", "run_load"]


@dataclass(frozen=True)
class Request:
    """One HTTP request, sent as is by every client."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        """The request's bytes for a server at ``host`` (``host:port``)."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass(frozen=True)
class LoadResult:
    """What `run_load` measured."""

    wall: float
    """Seconds from the clients' start to the last answer."""
    latencies: list[float]
    """Every call's latency, in seconds."""
    statuses: dict[int, int]
    """How many answers had each status."""

    @property
    def per_second(self) -> float:
        """Calls answered per second, over all clients."""
        return len(self.latencies) / self.wall


class _Connection:
    """One keep-alive connection with its request in flight."""

    def __init__(self, host: str, port: int, wire: bytes) -> None:
        self.sock = socket.create_connection((host, port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.wire = wire
        self.buffer = b""
        self.sent_at = 0.0

    def send(self) -> None:
        """Send the request (small enough for one send on a fresh socket buffer)."""
        self.buffer = b""
        self.sent_at = time.perf_counter()
        self.sock.sendall(self.wire)

    def receive(self) -> int | None:
        """Read what has come; the status once the whole answer is in, else None."""
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buffer[:end].decode("latin-1").lower()
        body = len(self.buffer) - end - 4
        length = _header(head, "content-length")
        if length is not None:
            complete = body >= int(length)
        elif _header(head, "transfer-encoding") == "chunked":
            complete = self.buffer.endswith(b"\r\n0\r\n\r\n")
        else:
            complete = True
        return int(head.split(" ", 2)[1]) if complete else None

    def close(self) -> None:
        self.sock.close()


def _header(head: str, name: str) -> str | None:
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return None


def run_load(base_url: str, request: Request, *, clients: int, calls: int) -> LoadResult:
    """`clients` keep-alive connections, each sending ``request`` `calls` times in sequence
    (after one warm-up call), all driven by one thread with a selector (threads would spend
    the machine's CPU handing the interpreter to each other): the wall time and every latency.
    """
    url = urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    wire = request.encode(f"{host}:{port}")
    connections = [_Connection(host, port, wire) for _ in range(clients)]
    try:
        for connection in connections:  # warm: the connection, the token's verification
            connection.send()
            while connection.receive() is None:
                pass
        return _drive(connections, calls)
    finally:
        for connection in connections:
            connection.close()


def _drive(connections: list[_Connection], calls: int) -> LoadResult:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    left = {connection: calls for connection in connections}
    with selectors.DefaultSelector() as selector:
        began = time.perf_counter()
        for connection in connections:
            selector.register(connection.sock, selectors.EVENT_READ, connection)
            connection.send()
        while left:
            for key, _ in selector.select(timeout=30):
                connection = key.data
                status = connection.receive()
                if status is None:
                    continue
                latencies.append(time.perf_counter() - connection.sent_at)
                statuses[status] = statuses.get(status, 0) + 1
                left[connection] -= 1
                if left[connection]:
                    connection.send()
                else:
                    del left[connection]
                    selector.unregister(connection.sock)
        wall = time.perf_counter() - began
    return LoadResult(wall, latencies, statuses)

"""A load client cheap enough not to be what is measured: raw keep-alive HTTP/1.1 on sockets.

The emulator's figures used to be taken with `ConversationClient`s, whose own work (httpx,
model building) ate the CPU the emulator shares with them on a 2-core machine. Here each
client is a thread with one keep-alive socket (Nagle off) sending the same prepared request
bytes again and again and reading each answer by its ``Content-Length`` (or chunks), so the
server under test gets nearly all the machine. The emulator and Prism get the same client and
the same requests.
"""

from __future__ import annotations

import contextlib
import socket
import threading
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
    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def call(self, request: bytes) -> int:
        """Send ``request``, read its whole answer; its status."""
        self.sock.sendall(request)
        head = self._until(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            self._exactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int(self._until(b"\r\n").split(b";")[0], 16)
                self._exactly(size + 2)
                if size == 0:
                    break
        return status

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._fill()
        found, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
        return found

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def close(self) -> None:
        self.sock.close()


def run_load(base_url: str, request: Request, *, clients: int, calls: int) -> LoadResult:
    """`clients` threads, each on its own keep-alive connection, each sending ``request``
    `calls` times in sequence (after one warm-up call): the wall time and every latency."""
    url = urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    wire = request.encode(f"{host}:{port}")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def work() -> None:
        connection = _Connection(host, port)
        mine: list[float] = []
        seen: dict[int, int] = {}
        try:
            connection.call(wire)  # warm: the connection, the token's verification
            start.wait()
            for _ in range(calls):
                began = time.perf_counter()
                status = connection.call(wire)
                mine.append(time.perf_counter() - began)
                seen[status] = seen.get(status, 0) + 1
        except BaseException as error:  # reported by the caller, after every thread ends
            failures.append(error)
            start.abort()
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)
                for status, count in seen.items():
                    statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a client failed: said below
        start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"a load client failed: {failures[0]!r}") from failures[0]
    return LoadResult(wall, latencies, statuses)

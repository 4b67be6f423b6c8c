"""A small keep-alive HTTP/1.1 client on asyncio streams, for callbacks at ``http://`` URLs.

The delivery worker runs on the emulator's event loop, beside the requests it serves, so what
one delivery costs there is taken from the next request. httpx (with httpcore, anyio and h11
beneath it) spent more of the loop on sending one delivery than the emulator spent serving the
create that made it; this client does the one thing a delivery needs (send a request, read the
answer's status, drain its body so the connection can carry the next) in a fraction of that.
``https://`` callbacks keep httpx (TLS, certificates) — see `worker`.

Each origin (host, port) keeps its idle connections for the next request. A connection goes
back to the pool only after an answer read to its end that did not ask to close; one that
fails or is cancelled (the worker's timeout) is closed. A request on a reused connection that
the receiver closed while it was idle (no byte of an answer came) is sent once more on a new
connection, as httpx does: delivery is at least once, so a second copy is allowed.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

__all__ = ["ConnectError", "PlainHttpClient", "ProtocolError"]

_MAX_LINE = 65536  # a longer status or header line is not an HTTP answer worth reading
_MAX_HEADERS = 100
_CHUNK = 65536


class ConnectError(OSError):
    """No connection to the receiver could be made (refused, unreachable, no such host); named
    as httpx names it, so the delivery log reads the same whichever client sent."""


class ProtocolError(Exception):
    """The receiver's answer is not HTTP/1.x (a bad status line, header or body framing)."""


_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _StaleError(Exception):
    """A reused connection ended before any byte of an answer: send again on a new one."""


class PlainHttpClient:
    """Sends requests to ``http://`` URLs over kept-alive connections; `close` ends them.

    Args:
        max_idle: how many idle connections are kept per origin (more are closed).
    """

    def __init__(self, max_idle: int = 8) -> None:
        self._idle: dict[tuple[str, int], list[_Connection]] = {}
        self._max_idle = max_idle

    async def status(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> int:
        """Send one request; the answer's status once its body is read (and dropped).

        Raises `ConnectError` (refused...), another OSError (reset...), `ProtocolError`,
        asyncio.IncompleteReadError (an answer cut short), or ValueError for a URL that is not
        ``http://host[:port]/...`` or a line over 64 KiB.
        """
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"not an http:// URL with a host: {url!r}")
        host, port = parts.hostname, parts.port or 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        authority = f"[{host}]" if ":" in host else host
        if parts.port is not None:
            authority += f":{parts.port}"
        head = [f"{method} {target} HTTP/1.1", f"Host: {authority}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if body or method != "GET":
            head.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        origin = (host, port)
        pool = self._idle.setdefault(origin, [])
        while pool:
            connection = pool.pop()
            if connection[0].at_eof() or connection[1].is_closing():
                _close(connection)
                continue
            with contextlib.suppress(_StaleError):
                return await self._exchange(origin, connection, message, reused=True)
        try:
            connection = await asyncio.open_connection(host, port, limit=_MAX_LINE)
        except OSError as failure:
            raise ConnectError(str(failure)) from failure
        return await self._exchange(origin, connection, message, reused=False)

    async def _exchange(
        self, origin: tuple[str, int], connection: _Connection, message: bytes, *, reused: bool
    ) -> int:
        reader, writer = connection
        kept = False
        try:
            try:
                writer.write(message)
                await writer.drain()
                line = await reader.readline()
            except (ConnectionError, asyncio.IncompleteReadError):
                if reused:
                    raise _StaleError from None
                raise
            if not line:
                if reused:
                    raise _StaleError
                raise ConnectionResetError("the receiver closed the connection without answering")
            status, fields = await _answer_head(reader, line)
            while 100 <= status < 200:  # 100 Continue and the like come before the answer
                status, fields = await _answer_head(reader, await reader.readline())
            # A 204 or 304 has no body, whatever its fields say.
            keep = status in (204, 304) or await _drain_body(reader, fields)
            if keep and "close" not in fields.get("connection", "").lower():
                pool = self._idle.setdefault(origin, [])
                if len(pool) < self._max_idle:
                    pool.append(connection)
                    kept = True
            return status
        finally:
            if not kept:
                _close(connection)

    async def close(self) -> None:
        """Close every idle connection."""
        pools, self._idle = self._idle, {}
        for pool in pools.values():
            for connection in pool:
                _close(connection)


def _close(connection: _Connection) -> None:
    connection[1].close()


async def _answer_head(reader: asyncio.StreamReader, line: bytes) -> tuple[int, dict[str, str]]:
    """The status and the header fields (names lowercased, repeats joined) of an answer whose
    status line is `line`."""
    words = line.split(None, 2)
    if len(words) < 2 or not words[0].startswith(b"HTTP/1.") or not words[1].isdigit():
        raise ProtocolError(f"not an HTTP/1.x status line: {line[:80]!r}")
    fields: dict[str, str] = {}
    for _ in range(_MAX_HEADERS + 1):
        field = await reader.readline()
        if field in (b"\r\n", b"\n"):
            return int(words[1]), fields
        if not field:
            raise ProtocolError("the answer ended inside its header")
        name, colon, value = field.decode("latin-1").partition(":")
        if not colon:
            raise ProtocolError(f"not a header line: {field[:80]!r}")
        key = name.strip().lower()
        fields[key] = f"{fields[key]}, {value.strip()}" if key in fields else value.strip()
    raise ProtocolError(f"more than {_MAX_HEADERS} header lines")


async def _drain_body(reader: asyncio.StreamReader, fields: dict[str, str]) -> bool:
    """Read the answer's body to its end and drop it; whether the connection may be reused
    (False for a body that runs to the connection's close)."""
    if "chunked" in fields.get("transfer-encoding", "").lower():
        while True:
            size_line = await reader.readline()
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise ProtocolError(f"not a chunk size: {size_line[:80]!r}") from None
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields, dropped
                return True
            await _skip(reader, size + 2)  # the chunk and its CRLF
    length = fields.get("content-length")
    if length is None:
        while await reader.read(_CHUNK):
            pass
        return False
    try:
        left = int(length)
    except ValueError:
        raise ProtocolError(f"not a Content-Length: {length[:80]!r}") from None
    await _skip(reader, left)
    return True


async def _skip(reader: asyncio.StreamReader, count: int) -> None:
    """Read `count` bytes and drop them, a piece at a time."""
    while count > 0:
        count -= len(await reader.readexactly(min(count, _CHUNK)))

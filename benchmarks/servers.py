"""Minimal loopback servers for the benchmarks: on 127.0.0.1, a free port, stopping by themselves.

`fixed_json_server` answers every GET with the same JSON body from a threaded `http.server`
(with ``disable_nagle_algorithm``: without it every keep-alive response waits ~40 ms for a
delayed ACK); `delayed_json_server` is an asyncio server, in a process of its own, that answers
after a fixed delay, standing for the network's latency, and serves any number of connections
at once.
Both stop when their block ends, or after `lifetime` seconds whatever happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection

LIFETIME = 300.0  # no benchmark server outlives this many seconds


@contextlib.contextmanager
def fixed_json_server(body: bytes, *, lifetime: float = LIFETIME) -> Iterator[str]:
    """A base URL whose every GET is answered 200 with `body` (keep-alive, HTTP/1.1)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: thousands of requests

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = threading.Timer(lifetime, server.shutdown)
    stop.daemon = True
    stop.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.cancel()
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def delayed_json_server(body: bytes, delay: float, *, lifetime: float = LIFETIME) -> Iterator[str]:
    """A base URL whose every request is answered 200 with `body` after `delay` seconds, by an
    asyncio server in a process of its own (so that its work does not share the client's
    interpreter), serving any number of connections at once."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(
        target=_serve_delayed, args=(child, body, delay, lifetime), daemon=True
    )
    process.start()
    try:
        if not parent.poll(30):
            raise RuntimeError("the delayed server did not start")
        yield f"http://127.0.0.1:{parent.recv()}"
    finally:
        parent.send("stop")
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
            process.join()


def _serve_delayed(pipe: Connection, body: bytes, delay: float, lifetime: float) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                await asyncio.sleep(delay)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        pipe.send(server.sockets[0].getsockname()[1])
        loop = asyncio.get_running_loop()
        stopped = loop.create_future()
        loop.add_reader(pipe.fileno(), lambda: stopped.done() or stopped.set_result(None))
        # Stops when told, or at the end of its lifetime whatever happens.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped, lifetime)
        server.close()

    asyncio.run(main())

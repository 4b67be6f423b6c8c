"""Running the app under uvicorn: on a socket we bind ourselves, so port 0 works and the real
address is known before the first request; in the foreground (the console command, which stops
on SIGINT/SIGTERM) or on a background thread (``run_emulator``).

uvicorn parses HTTP with httptools when it is installed (the ``emulator`` extra brings it): its
default, h11, cost as much again as the rest of a request (a ``conversations.get`` took 440-470
us of the server's CPU on h11, 230-260 us on httptools, benchmarks/load.py against the
emulator). uvloop is left out: it made no difference measured beside httptools.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn

from .app import EmulatorApp

__all__ = ["BackgroundServer", "base_url", "bind_socket", "make_server", "serve_foreground"]


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one). Raises OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio disables Nagle only on sockets whose proto is IPPROTO_TCP,
    # and with Nagle on, every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(app: EmulatorApp, *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for ``app`` (access log off: the emulator's own line says it runs)."""
    config = uvicorn.Config(app, lifespan="on", log_level=log_level, access_log=False)
    return uvicorn.Server(config)


async def _serve(server: uvicorn.Server, sock: socket.socket, on_ready: Callable[[], None]) -> None:
    async def announce() -> None:
        while not server.started:
            await asyncio.sleep(0.01)
        on_ready()

    watcher = asyncio.create_task(announce())
    try:
        await server.serve(sockets=[sock])
    finally:
        watcher.cancel()


def serve_foreground(
    server: uvicorn.Server, sock: socket.socket, on_ready: Callable[[], None]
) -> None:
    """Serve until SIGINT/SIGTERM (uvicorn shuts down gracefully), calling ``on_ready`` once
    the server accepts connections."""
    asyncio.run(_serve(server, sock, on_ready))


class BackgroundServer:
    """Serves an app on 127.0.0.1 (a free port) from a daemon thread, as a context manager."""

    def __init__(self, app: EmulatorApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = bind_socket(host, port)
        self.url = base_url(self._sock)
        # A server in the background of a program keeps quiet but for errors (a malformed
        # request, as conformance probes send, is not one).
        self._server = make_server(app, log_level="error")
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=lambda: serve_foreground(self._server, self._sock, self._ready.set),
            name=f"vonage-conversation-emulator {self.url}",
            daemon=True,
        )

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._ready.wait(0.05):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.url}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self._sock.close()

"""Where the callbacks phase's receiver listens, the URL the server is told to call, and
whether that server can reach it.

By default the receiver listens on the loopback (127.0.0.1, a free port), and the server calls
it there: right for the embedded emulator and any server on this machine, out of reach for one
elsewhere. A server elsewhere needs a public address forwarded here (a tunnel, a port opened
on a router): ``--callback-url`` is that address, as the server will call it, and
``--callback-listen HOST:PORT`` the local address it is forwarded to. Both are checked before
anything starts (`callback_url`, `listen_address`: a `ValueError` saying what is wrong).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["callback_url", "is_loopback", "listen_address", "unreachable_reason"]


def callback_url(text: str) -> str:
    """`text` if it is an absolute http(s) URL with a host, else a `ValueError`."""
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as error:
        raise ValueError(f"not a URL: {text!r} ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {text!r}")
    return text.strip()


def listen_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8080`` for an IPv6 host) as (host, port), else a `ValueError`."""
    host, colon, port = text.strip().rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not HOST:PORT with a port of 1 to 65535: {text!r}")
    return host, int(port)


def is_loopback(url: str) -> bool:
    """Whether `url`'s host is this machine's loopback (``localhost``, 127.0.0.0/8, ``::1``)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def unreachable_reason(server_url: str, receiver_url: str) -> str | None:
    """Why the server at `server_url` cannot call `receiver_url`, if it plainly cannot: a
    receiver on the loopback, for a server that is not."""
    if is_loopback(receiver_url) and not is_loopback(server_url):
        return (
            f"the receiver listens on the loopback ({receiver_url}), which {server_url} cannot "
            "reach: give --callback-url (a public address) and --callback-listen HOST:PORT (where "
            "it is forwarded to)"
        )
    return None

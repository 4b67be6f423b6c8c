"""One pagination mechanism for every cursor-paged list: opaque cursors, keyset windows and the
``_links`` (``first``/``self``/``next``/``prev``, absolute, on the request's own host).

A cursor is ``base64url(JSON {direction, key}) . base64url(HMAC)``; the HMAC also covers the
list it belongs to and the order, so a cursor edited by hand, or replayed on another list or in
the other order, is refused with 400 rather than read wrongly. The key is the position of the
last (or first) record shown, so pages stay correct while records are added or removed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlencode

from .errors import ApiError, ErrorKind
from .storage import SortKey, Window

__all__ = ["CursorCodec", "Keyed", "Page", "PageRequest", "RequestUrl", "page_links", "paginate"]


class Keyed(Protocol):
    """A record a list is paged by: it knows its position in the list."""

    @property
    def sort_key(self) -> SortKey:
        """The record's position (see ``storage.records``)."""
        ...


T = TypeVar("T", bound=Keyed)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    """Makes and reads signed cursors with a key kept by the store (so they outlive restarts)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, scope: str, descending: bool, payload: bytes) -> bytes:
        message = b"\0".join([scope.encode(), b"desc" if descending else b"asc", payload])
        return hmac.new(self._secret, message, hashlib.sha256).digest()[:16]

    def encode(self, scope: str, *, descending: bool, backward: bool, key: SortKey) -> str:
        """A cursor for the records after ``key`` (before it when ``backward``)."""
        payload = json.dumps({"b": backward, "k": list(key)}, separators=(",", ":")).encode()
        mac = self._mac(scope, descending, payload)
        return f"{_b64encode(payload)}.{_b64encode(mac)}"

    def decode(self, scope: str, cursor: str, *, descending: bool) -> tuple[bool, SortKey]:
        """``(backward, key)`` of a cursor made by ``encode`` for this list and order;
        ApiError 400 naming ``cursor`` otherwise."""
        try:
            payload_text, mac_text = cursor.split(".")
            payload, mac = _b64decode(payload_text), _b64decode(mac_text)
        except (ValueError, binascii.Error):
            raise _bad_cursor() from None
        if not hmac.compare_digest(mac, self._mac(scope, descending, payload)):
            raise _bad_cursor()
        decoded: dict[str, Any] = json.loads(payload)
        return bool(decoded["b"]), tuple(decoded["k"])


def _bad_cursor() -> ApiError:
    return ApiError(
        ErrorKind.VALIDATION,
        "query parameter 'cursor': not a cursor of this list in this order; "
        "follow _links.next or _links.prev as given",
    )


@dataclass(frozen=True)
class PageRequest:
    """Which page of which list: ``scope`` names the list (e.g. ``events:CON-...``)."""

    scope: str
    page_size: int
    descending: bool
    cursor: str | None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of records in display order, with cursors to its neighbours."""

    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None


def paginate(
    fetch: Callable[[Window], Sequence[T]], request: PageRequest, codec: CursorCodec
) -> Page[T]:
    """Read one page with ``fetch`` (a storage list method bound to its filters).

    Reads one record past the page to know whether another page follows, and probes one record
    on the other side for the opposite link: two index range reads, whatever the list's size.
    """
    backward, after = False, None
    if request.cursor is not None:
        backward, after = codec.decode(request.scope, request.cursor, descending=request.descending)
    size = request.page_size
    rows = list(fetch(Window(size + 1, request.descending, after, backward)))
    more, items = len(rows) > size, rows[:size]
    if backward:
        items.reverse()

    def probe(key: SortKey, *, towards_start: bool) -> bool:
        return bool(fetch(Window(1, request.descending, key, towards_start)))

    def cursor(key: SortKey, *, towards_start: bool) -> str:
        return codec.encode(
            request.scope, descending=request.descending, backward=towards_start, key=key
        )

    next_cursor = prev_cursor = None
    if items:
        first, last = items[0].sort_key, items[-1].sort_key
        if more if not backward else probe(last, towards_start=False):
            next_cursor = cursor(last, towards_start=False)
        if more if backward else (after is not None and probe(first, towards_start=True)):
            prev_cursor = cursor(first, towards_start=True)
    return Page(items, next_cursor, prev_cursor)


@dataclass(frozen=True)
class RequestUrl:
    """The URL a request came in on, split the way links are rebuilt from it."""

    origin: str
    """``scheme://host[:port]`` as the client addressed the emulator."""
    path: str
    query: Sequence[tuple[str, str]]

    def with_cursor(self, cursor: str | None) -> str:
        """This URL, absolute, with its ``cursor`` replaced (or removed when None)."""
        query = [(k, v) for k, v in self.query if k != "cursor"]
        if cursor is not None:
            query.append(("cursor", cursor))
        encoded = urlencode(query)
        return f"{self.origin}{self.path}" + (f"?{encoded}" if encoded else "")

    def absolute(self, path: str) -> str:
        """An absolute URL on this host for ``path``."""
        return f"{self.origin}{path}"


def page_links(url: RequestUrl, page: Page[Any], cursor: str | None) -> dict[str, Any]:
    """The page's ``_links``: ``first``, ``self`` (with the request's own ``cursor``), and
    ``next``/``prev`` when those pages exist."""
    links: dict[str, Any] = {
        "first": {"href": url.with_cursor(None)},
        "self": {"href": url.with_cursor(cursor)},
    }
    if page.next_cursor is not None:
        links["next"] = {"href": url.with_cursor(page.next_cursor)}
    if page.prev_cursor is not None:
        links["prev"] = {"href": url.with_cursor(page.prev_cursor)}
    return links

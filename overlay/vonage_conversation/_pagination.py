"""Lazy iteration over every item of a list operation, page after page, sync and async.

One `Listing` describes how to page any list operation; the paginators (`_async.pagination`,
and its sync twin) only differ in how they wait for a page. Each page is read whole into its
generated page model by the response plan (the items' models with it); reading its items and
links (both item shapes, both paging styles) and deciding what to ask for next live in
`_Walk`, which they share. A paginator holds one page at a time.

Following a page: the sources say to "follow the url provided in ``_links.next.href``", and the
spec's own example of that link carries no cursor, so the link is requested as given (its path
and its query), not rebuilt from a cursor. The foreign-host guard: a link under the client's
own base URL is asked as it is; any other link (another host, a relative one) keeps its path
and query but is asked of the client's base URL, so the token never leaves it. A loop is a
link already visited (known by its cursor, when it has one), which stops the walk with
`PaginationError`; every error about a next link comes after that page's items have been
given. Legs page by ``record_index`` (the zero-based page number) up to ``count`` records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, NoReturn, TypeVar
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

from ._core import Call, Result
from ._exceptions import PaginationError
from ._models import field_of

__all__ = ["Listing", "Page"]

T = TypeVar("T")

_DEFAULT_PAGE_SIZE = 10  # the spec's default, which the generated code sends when not told


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the page's items, as generated models.
        page_size: the page size the server reports.
        next_cursor: the cursor of the next page's link (save it to resume later with
            ``cursor=``), or None when the link has none, or on the last page. Always None for
            legs, which page by index.
        response: the HTTP response, for its headers.
        count: legs only: the total number of records.
        record_index: legs only: this page's zero-based number.
        next_record_index: legs only: the next page's number (resume with ``record_index=``),
            or None on the last page.
        next_url: the URL the next page is asked of (``_links.next.href`` under the client's
            base URL), or None on the last page and for legs.
    """

    items: list[T]
    page_size: int | None
    next_cursor: str | None
    response: httpx.Response
    count: int | None = None
    record_index: int | None = None
    next_record_index: int | None = None
    next_url: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        """Whether the server says there is another page."""
        return self.next_url is not None or self.next_record_index is not None


@dataclass(frozen=True)
class Listing(Generic[T]):
    """How to page one list operation: its call (whose result is the page model), where the
    page keeps its items, and how pages follow one another."""

    call: Call[Any]
    items_key: str
    paging: Literal["cursor", "record_index"] = "cursor"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _page_items(page: object, key: str) -> list[Any]:
    """The item models of a page model: v0.3 pages keep them in ``_embedded.<key>``, v0.2
    pages in ``_embedded.data.<key>``; an empty page may leave out ``_embedded`` altogether."""
    embedded = field_of(page, "_embedded")
    items = field_of(embedded, key)
    if items is None:
        items = field_of(field_of(embedded, "data"), key)
    return list(items) if items is not None else []


def _next_href(page: object) -> str | None:
    href = field_of(field_of(field_of(page, "_links"), "next"), "href")
    return href if isinstance(href, str) and href.strip() else None


def _follow(href: str, base_url: str, asked: httpx.Response) -> tuple[str, str | None]:
    """Where a next link is asked (see the module's docstring) and its cursor, if it has one.
    The link is split once; a ValueError says it is not a URL."""
    parts = urlsplit(href)
    if not parts.scheme and not parts.path.startswith("/"):
        # A link relative to the page (``?cursor=x``) means what it would in a browser.
        parts = urlsplit(urljoin(str(asked.request.url), href))
    cursor = None
    if "cursor=" in parts.query:
        cursor = dict(parse_qsl(parts.query)).get("cursor") or None
    if href.startswith(base_url + "/"):
        return href.partition("#")[0], cursor
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url}{parts.path or '/'}{query}", cursor


class _Walk(Generic[T]):
    """The state of one pass over a list: pages read, items counted, cursors seen."""

    def __init__(
        self,
        listing: Listing[T],
        *,
        cursor: str | None,
        record_index: int | None,
        limit: int | None,
        base_url: str,
    ) -> None:
        self.listing = listing
        self.limit = limit
        self.base_url = base_url
        self.taken = 0
        # Links and cursors already asked for (record indexes for legs): one seen again is a loop.
        self.seen: set[str | int] = set()
        self.start: str | int | None = cursor
        self.broken: PaginationError | None = None  # raised once the page's items are given
        if listing.paging == "record_index":
            self.start = record_index or 0

    def _call_for(self, token: str | int | None) -> Call[Any]:
        if token is None:
            return self.listing.call
        key = "cursor" if self.listing.paging == "cursor" else "record_index"
        return self.listing.call.with_kwargs(**{key: token})

    def first(self) -> Call[Any] | None:
        if self.limit is not None and self.limit <= 0:
            return None
        if self.start is not None:
            self.seen.add(self.start)
        return self._call_for(self.start)

    def read(self, call: Call[Any], result: Result) -> Page[T]:
        page = result.parsed
        items: list[T] = _page_items(page, self.listing.items_key)
        page_size = _int(field_of(page, "page_size"))
        self.taken += len(items)
        if self.listing.paging == "cursor":
            href = _next_href(page) if items else None
            if href is None:
                return Page(items, page_size, None, result.response)
            try:
                url, cursor = _follow(href, self.base_url, result.response)
            except ValueError:
                self.broken = PaginationError(
                    f"{call.operation}: the next page's link is not a URL: {href!r}",
                    status=result.response.status_code,
                    response=result.response,
                )
                return Page(items, page_size, None, result.response)
            return Page(items, page_size, cursor, result.response, next_url=url)
        requested = _int(call.kwargs.get("record_index")) or 0
        index = _int(field_of(page, "record_index"))
        index = requested if index is None else index
        count = _int(field_of(page, "count"))
        size = page_size or _int(call.kwargs.get("page_size")) or _DEFAULT_PAGE_SIZE
        more = bool(items) and (count is None or (index + 1) * size < count)
        return Page(
            items,
            page_size,
            None,
            result.response,
            count=count,
            record_index=index,
            next_record_index=index + 1 if more else None,
        )

    def next(self, page: Page[T]) -> Call[Any] | None:
        if self.limit is not None and self.taken >= self.limit:
            return None
        if self.broken is not None:
            raise self.broken
        if page.next_url is not None:
            # A link is known by its cursor when it has one (the page it names, whatever else
            # its query says, and a resumed cursor coming back), else by the whole link; one
            # key a page keeps memory flat on a long walk.
            key = page.next_cursor if page.next_cursor is not None else page.next_url
            if key in self.seen:
                self._loop(page, key)
            self.seen.add(key)
            return self.listing.call.following(page.next_url)
        if page.next_record_index is None:
            return None
        if page.next_record_index in self.seen:
            self._loop(page, page.next_record_index)
        self.seen.add(page.next_record_index)
        return self._call_for(page.next_record_index)

    def _loop(self, page: Page[T], token: str | int) -> NoReturn:
        raise PaginationError(
            f"{self.listing.call.operation}: the server sent page {token!r} again; "
            "stopping instead of looping",
            status=page.response.status_code,
            response=page.response,
        )


class _PaginatorBase(Generic[T]):
    """What a paginator is before any I/O: its listing, where it starts, how far it goes."""

    def __init__(
        self,
        listing: Listing[T],
        *,
        cursor: str | None = None,
        record_index: int | None = None,
        limit: int | None = None,
    ) -> None:
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int")
        if limit is not None and limit < 0:
            raise ValueError("limit must be 0 or more")
        if cursor is not None and (not isinstance(cursor, str) or not cursor):
            raise ValueError("cursor must be a non-empty string (a Page's next_cursor)")
        if record_index is not None and (
            isinstance(record_index, bool) or not isinstance(record_index, int) or record_index < 0
        ):
            raise ValueError("record_index must be an int of 0 or more (a zero-based page number)")
        self._listing = listing
        self._cursor = cursor
        self._record_index = record_index
        self._limit = limit

    def _walk(self, base_url: str) -> _Walk[T]:
        return _Walk(
            self._listing,
            cursor=self._cursor,
            record_index=self._record_index,
            limit=self._limit,
            base_url=base_url,
        )

    def __repr__(self) -> str:
        limit = f", limit={self._limit}" if self._limit is not None else ""
        return f"{type(self).__name__}({self._listing.call.operation}{limit})"

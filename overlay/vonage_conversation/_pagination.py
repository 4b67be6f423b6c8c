"""Lazy iteration over every item of a list operation, page after page, sync and async.

One `Listing` describes how to page any list operation; the paginators (`_async.pagination`,
and its sync twin) only differ in how they wait for a page. Each page is read whole into its
generated page model by the response plan (the items' models with it); reading its items and
links (both item shapes, both paging styles) and deciding what to ask for next live in
`_Walk`, which they share. A paginator holds one page at a time.

Following a page: only the ``cursor`` of ``_links.next.href`` is taken, and the next page is
asked of the client's own base URL through the generated operation, so a next link naming
another host never receives the token. Legs page by ``record_index`` (the zero-based page
number) up to ``count`` records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

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
        next_cursor: the cursor of the next page (save it to resume later with ``cursor=``),
            or None on the last page. Always None for legs, which page by index.
        response: the HTTP response, for its headers.
        count: legs only: the total number of records.
        record_index: legs only: this page's zero-based number.
        next_record_index: legs only: the next page's number (resume with ``record_index=``),
            or None on the last page.
    """

    items: list[T]
    page_size: int | None
    next_cursor: str | None
    response: httpx.Response
    count: int | None = None
    record_index: int | None = None
    next_record_index: int | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        """Whether the server says there is another page."""
        return self.next_cursor is not None or self.next_record_index is not None


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


def _next_cursor(page: object) -> str | None:
    href = field_of(field_of(field_of(page, "_links"), "next"), "href")
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        cursor: str | None = httpx.URL(href).params.get("cursor")
    except httpx.InvalidURL:
        cursor = None
    if not cursor:
        raise PaginationError("the next page's link carries no cursor, so it cannot be followed")
    return cursor


class _Walk(Generic[T]):
    """The state of one pass over a list: pages read, items counted, cursors seen."""

    def __init__(
        self,
        listing: Listing[T],
        *,
        cursor: str | None,
        record_index: int | None,
        limit: int | None,
    ) -> None:
        self.listing = listing
        self.limit = limit
        self.taken = 0
        self.seen: set[str | int] = set()
        self.start: str | int | None = cursor
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
            try:
                following = _next_cursor(page) if items else None
            except PaginationError as error:
                error.message = f"{call.operation}: {error.message}"
                error.status, error.response = result.response.status_code, result.response
                raise
            return Page(items, page_size, following, result.response)
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
        token = page.next_cursor if page.next_cursor is not None else page.next_record_index
        if token is None:
            return None
        if token in self.seen:
            raise PaginationError(
                f"{self.listing.call.operation}: the server sent page {token!r} again; "
                "stopping instead of looping",
                status=page.response.status_code,
                response=page.response,
            )
        self.seen.add(token)
        return self._call_for(token)


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

    def _walk(self) -> _Walk[T]:
        return _Walk(
            self._listing, cursor=self._cursor, record_index=self._record_index, limit=self._limit
        )

    def __repr__(self) -> str:
        limit = f", limit={self._limit}" if self._limit is not None else ""
        return f"{type(self).__name__}({self._listing.call.operation}{limit})"

# Generated from _async/pagination.py by scripts/spec_pipeline/unasync.py: do not edit.
"""`SyncPaginator`: every item of a list, page after page, through the client's `SyncCore`."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import closing
from typing import Any, TypeVar

from .._pagination import Listing, Page, _PaginatorBase
from .core import SyncCore

__all__ = ["SyncPaginator"]

T = TypeVar("T")


class SyncPaginator(_PaginatorBase[T]):
    """Every item of a list, fetched a page at a time as you iterate over it
    (``for item in paginator``), or `limit` of them; ``.pages()`` gives the `Page`
    objects instead. Each new iteration starts again from the first page.
    """

    def __init__(self, core: SyncCore, listing: Listing[T], **kwargs: Any) -> None:
        super().__init__(listing, **kwargs)
        self._core = core

    def pages(self) -> Generator[Page[T], None, None]:
        """Each page in turn (fetched lazily), stopping after the one that reaches `limit`."""
        walk = self._walk(self._core.base_url)
        call = walk.first()
        while call is not None:
            page = walk.read(call, self._core.send(call))
            yield page
            call = walk.next(page)

    def first_page(self) -> Page[T]:
        """Just the first page (one request)."""
        # Leaving the pages early closes their generator now, not when it is collected.
        with closing(self.pages()) as pages:
            for page in pages:
                return page
        raise ValueError("limit=0 asks for no page at all")

    def __iter__(self) -> Iterator[T]:
        remaining = self._limit
        with closing(self.pages()) as pages:
            for page in pages:
                for item in page.items:
                    if remaining is not None:
                        if remaining <= 0:
                            return
                        remaining -= 1
                    yield item

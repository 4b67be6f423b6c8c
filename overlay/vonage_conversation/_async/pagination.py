"""`AsyncPaginator`: every item of a list, page after page, through the client's `AsyncCore`."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any, TypeVar

from .._pagination import Listing, Page, _PaginatorBase
from .core import AsyncCore

__all__ = ["AsyncPaginator"]

T = TypeVar("T")


class AsyncPaginator(_PaginatorBase[T]):
    """Every item of a list, fetched a page at a time as you iterate over it
    (``async for item in paginator``), or `limit` of them; ``.pages()`` gives the `Page`
    objects instead. Each new iteration starts again from the first page.
    """

    def __init__(self, core: AsyncCore, listing: Listing[T], **kwargs: Any) -> None:
        super().__init__(listing, **kwargs)
        self._core = core

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Each page in turn (fetched lazily), stopping after the one that reaches `limit`."""
        walk = self._walk(self._core.base_url)
        call = walk.first()
        while call is not None:
            page = walk.read(call, await self._core.send(call))
            yield page
            call = walk.next(page)

    async def first_page(self) -> Page[T]:
        """Just the first page (one request)."""
        # Leaving the pages early closes their generator now, not when it is collected.
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                return page
        raise ValueError("limit=0 asks for no page at all")

    async def __aiter__(self) -> AsyncIterator[T]:
        remaining = self._limit
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    if remaining is not None:
                        if remaining <= 0:
                            return
                        remaining -= 1
                    yield item

"""Walking a list as its pages' links say, for the paging checks: v0.3 lists follow
`_links.next.href` (v0.2 ones too, with their items in `_embedded.data`), the legs list counts
`record_index` up to `count`.

A walk stops at the last page, at a link that is not a URL on the host asked (the paging
checks say which), at a page whose items were all seen before (a server looping on a cursor),
or after `MAX_PAGES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from .._api import Answer, Api
from .._options import operation

__all__ = ["MAX_PAGES", "Listing", "Page", "Walk", "items_of", "on_host", "walk"]

MAX_PAGES = 100
LINK_NAMES = ("first", "self", "next", "prev")


@dataclass(frozen=True)
class Listing:
    """A list operation to walk: where, its items' key and id, and what it must hold."""

    operation: str  # its operationId: "listConversations"
    key: str  # the items' key under `_embedded` (or `_embedded.data`)
    ids: Mapping[str, str] = field(default_factory=dict)  # the ids its path takes
    version: Literal["v0.3", "v0.2"] = "v0.3"
    paging: Literal["cursor", "record_index"] = "cursor"
    id_field: str = "id"
    params: Mapping[str, str] = field(default_factory=dict)
    # The items made for the check, in the order they were made (None: not known).
    expected: tuple[str, ...] | None = None
    ordered: bool = True  # whether the list takes `order`

    @property
    def path(self) -> str:
        """Its path, from the spec, with its ids."""
        return operation(self.operation).path_for(self.ids)


@dataclass(frozen=True)
class Page:
    """One page as the server sent it."""

    answer: Answer
    ids: tuple[str, ...]
    links: dict[str, str]  # link name -> href
    count: int | None = None  # legs only: the total the server reports


@dataclass
class Walk:
    """The pages of one walk, and why it stopped early if it did."""

    listing: Listing
    page_size: int
    order: str | None
    pages: list[Page] = field(default_factory=list)
    stopped: str | None = None  # why it stopped before the last page

    @property
    def ids(self) -> list[str]:
        return [item for page in self.pages for item in page.ids]


def items_of(body: Any, key: str) -> list[Any] | None:
    """The items of a page's body (under `_embedded`, or v0.2's `_embedded.data`), None if it
    holds no list of them."""
    if not isinstance(body, dict):
        return None
    embedded = body.get("_embedded")
    if not isinstance(embedded, dict):
        return [] if "_embedded" not in body else None
    if key not in embedded and isinstance(embedded.get("data"), dict):
        embedded = embedded["data"]
    items = embedded.get(key, [])
    return items if isinstance(items, list) else None


def _links(body: Any) -> dict[str, str]:
    links = body.get("_links") if isinstance(body, dict) else None
    if not isinstance(links, dict):
        return {}
    found = {}
    for name in LINK_NAMES:
        link = links.get(name)
        if isinstance(link, dict) and isinstance(link.get("href"), str):
            found[name] = link["href"]
    return found


def on_host(href: str, base_url: str) -> bool:
    """Whether `href` is an absolute URL on the server asked (scheme, host and port)."""
    link, base = urlsplit(href), urlsplit(base_url)
    return link.scheme in ("http", "https") and (link.scheme, link.netloc) == (
        base.scheme,
        base.netloc,
    )


def read_page(listing: Listing, answer: Answer) -> Page | str:
    """The page an answer holds, or why it holds none."""
    if not answer.ok:
        return f"{answer.describe()}"
    items = items_of(answer.body, listing.key)
    if items is None:
        return f"{answer.describe()} without a list of {listing.key}"
    ids = tuple(str(item.get(listing.id_field)) for item in items if isinstance(item, dict))
    count = answer.body.get("count") if isinstance(answer.body, dict) else None
    total = int(count) if isinstance(count, (int, str)) and str(count).isdigit() else None
    return Page(answer, ids, _links(answer.body), total)


def fetch(api: Api, listing: Listing, target: str, params: Mapping[str, Any] | None) -> Page | str:
    """One page: `target` a path (with `params`) or a link's URL."""
    return read_page(listing, api.call(listing.operation, url=target, params=params))


def walk(api: Api, listing: Listing, page_size: int, order: str | None = None) -> Walk:
    """Every page of `listing`, `page_size` items at a time, in `order` (if it takes one)."""
    done = Walk(listing, page_size, order)
    first: dict[str, Any] = {**listing.params, "page_size": page_size}
    if order is not None:
        first["order"] = order
    params: dict[str, Any] | None = first
    seen: set[str] = set()
    target: str | None = listing.path
    index = 0
    while target is not None:
        if len(done.pages) >= MAX_PAGES:
            done.stopped = f"still not at the last page after {MAX_PAGES} pages"
            return done
        if listing.paging == "record_index":
            params = {**first, "record_index": index}
        page = fetch(api, listing, target, params)
        if isinstance(page, str):
            done.stopped = page
            return done
        done.pages.append(page)
        if page.ids and seen.issuperset(page.ids):
            done.stopped = "a page held only items seen on earlier pages"
            return done
        seen.update(page.ids)
        target, params, index = _following(
            api=api, listing=listing, page=page, params=params, index=index, done=done
        )
    return done


def _following(
    *,
    api: Api,
    listing: Listing,
    page: Page,
    params: dict[str, Any] | None,
    index: int,
    done: Walk,
) -> tuple[str | None, dict[str, Any] | None, int]:
    """Where the next page is (None: this was the last), its parameters and index."""
    if listing.paging == "record_index":
        size = done.page_size
        more = bool(page.ids) and page.count is not None and (index + 1) * size < page.count
        return (listing.path if more else None), params, index + 1
    following = page.links.get("next")
    if following is None or not page.ids:
        return None, params, index
    if not on_host(following, api.base_url):
        done.stopped = f"_links.next.href {following!r} is not a URL on {api.base_url}"
        return None, params, index
    return following, None, index + 1  # a link is followed as given: its own query

"""The paging rules, checked on every list operation (`Listing`) the data reaches.

- `paging_covers_every_item_once`: following `_links.next` from the first page (legs: counting
  `record_index` up) visits every item once: none twice, none of those made missing.
- `paging_respects_page_size`: each page holds at most `page_size` items, every one but the
  last exactly `page_size`.
- `paging_follows_order`: the items come oldest first for `order=asc`, newest first for
  `order=desc`.
- `paging_prev_returns_previous`: `_links.prev` of the second page gives the first page back
  (a v0.3 rule: the v0.2 spec names only `next`).
- `paging_self_returns_same_page`: `_links.self` gives the same page back.
- `paging_links_absolute_on_host`: every link is an absolute URL on the host that was asked.
- `legs_count_is_total`: the legs list's `count` is the number of legs it pages through.
"""

from __future__ import annotations

from ._context import Context
from ._paging import Listing, Page, Walk, fetch, on_host
from ._registry import Skipped, Violation, semantic_check
from ._sources import (
    FOLLOW_LINKS,
    FOLLOW_NEXT_V02,
    HAL_LINKS,
    LEGS_COUNT,
    ORDER,
    ORDER_V02,
    PAGE_SIZE,
    PAGE_SIZE_V02,
    RECORD_INDEX,
    Source,
)

__all__: list[str] = []


def _following(listing: Listing) -> Source:
    if listing.paging == "record_index":
        return RECORD_INDEX
    return FOLLOW_LINKS if listing.version == "v0.3" else FOLLOW_NEXT_V02


def _complete(walk: Walk, source: Source) -> Walk:
    """The walk, if it reached the last page (else the reason it did not is the violation)."""
    if walk.stopped is not None:
        last = walk.pages[-1].answer if walk.pages else None
        raise Violation(f"the walk did not reach the last page: {walk.stopped}", source, last)
    return walk


def _where(walk: Walk, number: int) -> str:
    order = f", order={walk.order}" if walk.order else ""
    return f"page {number} (page_size={walk.page_size}{order})"


@semantic_check(
    "paging_covers_every_item_once",
    "Following the pages visits every item once",
    FOLLOW_LINKS,
    FOLLOW_NEXT_V02,
    RECORD_INDEX,
)
def covers_every_item_once(context: Context, listing: Listing) -> None:
    """Walking `_links.next` (v0.3: "...follow the url provided in _links.next.href or
    _links.prev.href in the response which contains a cursor value."; the v0.2 spec likewise
    for `_links.next.href`; legs: "Return page_size amount of conversations from this index...")
    visits each item once, and every item made for the check."""
    source = _following(listing)
    walk = context.walk(listing)
    first_seen: dict[str, int] = {}
    for number, page in enumerate(walk.pages, start=1):
        for item in page.ids:
            if item in first_seen:
                raise Violation(
                    f"{item} was on page {first_seen[item]} and again on {_where(walk, number)}",
                    source,
                    page.answer,
                )
            first_seen[item] = number
    _complete(walk, source)
    missing = [item for item in listing.expected or () if item not in first_seen]
    if missing:
        raise Violation(
            f"walking {len(walk.pages)} pages never met {', '.join(missing)}, which exist",
            source,
            walk.pages[-1].answer if walk.pages else None,
        )


@semantic_check(
    "paging_respects_page_size",
    "Each page holds page_size items, the last one at most",
    PAGE_SIZE,
    PAGE_SIZE_V02,
    RECORD_INDEX,
)
def respects_page_size(context: Context, listing: Listing) -> None:
    """`page_size` ("Return this amount of records in the response"; v0.2: "The number of
    results returned per page...") bounds every page and fills every page but the last."""
    source = (
        RECORD_INDEX
        if listing.paging == "record_index"
        else (PAGE_SIZE if listing.version == "v0.3" else PAGE_SIZE_V02)
    )
    walk = context.walk(listing)
    for number, page in enumerate(walk.pages, start=1):
        last = number == len(walk.pages) and walk.stopped is None
        size = len(page.ids)
        if size > walk.page_size or (not last and size != walk.page_size):
            wanted = f"at most {walk.page_size}" if last else f"{walk.page_size}"
            raise Violation(
                f"{_where(walk, number)} held {size} items, not {wanted}", source, page.answer
            )


def _positions(walk: Walk, expected: tuple[str, ...]) -> list[str]:
    """The items made for the check, in the order the walk met them."""
    known = set(expected)
    return list(dict.fromkeys(item for item in walk.ids if item in known))


@semantic_check(
    "paging_follows_order",
    "The items come in the order asked",
    ORDER,
    ORDER_V02,
    applies=lambda listing: listing.ordered,
)
def follows_order(context: Context, listing: Listing) -> None:
    """`order` ("Return the records in ascending or descending order."; v0.2: "Show the most
    (`desc`) / least (`asc`) recently created entries first"): with `asc` the items made
    come in the order they were made, with `desc` in the reverse order."""
    source = ORDER if listing.version == "v0.3" else ORDER_V02
    if listing.expected is None or len(listing.expected) < 2:
        raise Skipped("no items of a known order to compare")
    for order, wanted in (("asc", list(listing.expected)), ("desc", list(listing.expected)[::-1])):
        walk = _complete(context.walk(listing, order), source)
        met = _positions(walk, listing.expected)
        if met != [item for item in wanted if item in met]:
            raise Violation(
                f"with order={order} the items made came as {met}, not {wanted}",
                source,
                walk.pages[0].answer,
            )


def _second_page(context: Context, listing: Listing) -> tuple[Walk, Page]:
    walk = context.walk(listing)
    if len(walk.pages) < 2:
        raise Skipped("the list holds a single page")
    return walk, walk.pages[1]


def _refetch(context: Context, listing: Listing, page: Page, link: str, source: Source) -> Page:
    href = page.links.get(link)
    if href is None:
        raise Violation(f"the second page has no _links.{link}", source, page.answer)
    if not on_host(href, context.api.base_url):
        raise Skipped(f"_links.{link} is not a URL on the host (paging_links_absolute_on_host)")
    fetched = fetch(context.api, listing, href, None)
    if isinstance(fetched, str):
        raise Violation(f"following _links.{link}: {fetched}", source, page.answer)
    return fetched


@semantic_check(
    "paging_prev_returns_previous",
    "_links.prev of a page gives the page before",
    FOLLOW_LINKS,
    applies=lambda listing: listing.version == "v0.3" and listing.paging == "cursor",
)
def prev_returns_previous(context: Context, listing: Listing) -> None:
    """`_links.prev` ("...follow the url provided in _links.next.href or _links.prev.href in
    the response which contains a cursor value.") of the second page gives the first."""
    walk, second = _second_page(context, listing)
    before = _refetch(context, listing, second, "prev", FOLLOW_LINKS)
    if before.ids != walk.pages[0].ids:
        raise Violation(
            f"_links.prev of page 2 gave {list(before.ids)}, not page 1's "
            f"{list(walk.pages[0].ids)}",
            FOLLOW_LINKS,
            before.answer,
        )


@semantic_check(
    "paging_self_returns_same_page",
    "_links.self of a page gives the same page",
    HAL_LINKS,
    applies=lambda listing: listing.paging == "cursor",
)
def self_returns_same_page(context: Context, listing: Listing) -> None:
    """`_links.self` ("A series of links between resources in this API in the
    http://stateless.co/hal_specification.html.": in HAL, `self` is the resource's own URL)
    of the second page gives that page again."""
    _, second = _second_page(context, listing)
    again = _refetch(context, listing, second, "self", HAL_LINKS)
    if again.ids != second.ids:
        raise Violation(
            f"_links.self of page 2 gave {list(again.ids)}, not {list(second.ids)}",
            HAL_LINKS,
            again.answer,
        )


@semantic_check(
    "paging_links_absolute_on_host",
    "Every link is a URL on the host asked",
    HAL_LINKS,
    FOLLOW_LINKS,
)
def links_absolute_on_host(context: Context, listing: Listing) -> None:
    """Each `_links` href ("A series of links between resources in this API..."; "...follow the
    url provided in _links.next.href...") is an absolute URL on the server that was asked."""
    walk = context.walk(listing)
    for number, page in enumerate(walk.pages, start=1):
        for name, href in page.links.items():
            if not on_host(href, context.api.base_url):
                raise Violation(
                    f"_links.{name}.href of {_where(walk, number)} is {href!r}, not a URL on "
                    f"{context.api.base_url}",
                    HAL_LINKS,
                    page.answer,
                )


@semantic_check(
    "legs_count_is_total",
    "The legs list's count is the number of legs",
    LEGS_COUNT,
    applies=lambda listing: listing.paging == "record_index",
)
def legs_count_is_total(context: Context, listing: Listing) -> None:
    """`count` ("The total number of records returned by your request.") is the number of legs
    the pages hold, on every page."""
    walk = _complete(context.walk(listing), LEGS_COUNT)
    total = len(walk.ids)
    for number, page in enumerate(walk.pages, start=1):
        if page.count != total:
            raise Violation(
                f"{_where(walk, number)} says count={page.count}, but the pages hold {total} legs",
                LEGS_COUNT,
                page.answer,
            )

"""What a page of events costs as a conversation grows: 1k events, then 100k, through HTTP.

Run it from the repository root (about ten seconds):

    .venv/bin/python benchmarks/emulator_pages.py [--small 1000] [--large 100000] [--db PATH]

It starts an embedded emulator, fills one conversation straight through the storage interface
(appending 100k events over HTTP would take minutes and measure writes, not pages), and times
the same list requests over one keep-alive connection at both sizes: first pages in both
orders, a page deep in the list reached by its ``next`` cursor, a ``prev`` page, a type filter
(common and rare type) and an id range. It prints the median time of each and the ratio
large/small. Keyset paging on indexes should keep every ratio near 1; an OFFSET or a table scan
would make it grow with the list (towards 100x). Only ratios measured within one run mean
anything: absolute times depend on the machine. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.storage import ConversationRecord, EventRecord

RARE_EVERY = 1000
"""One event in this many is ``custom:rare``: a filter whose matches are far apart."""


@dataclass(frozen=True)
class PageKind:
    """One list request to time: its name and how to make its URL (path and query)."""

    name: str
    url: Callable[[httpx.Client, str, int], str]


def _events(conversation_id: str) -> str:
    return f"/v0.3/conversations/{conversation_id}/events"


def _next_href(http: httpx.Client, url: str) -> str:
    """The ``next`` link of the page at ``url`` (a cursor made by the emulator itself)."""
    page = http.get(url).json()
    href: str = page["_links"]["next"]["href"]
    return href


def _prev_href(http: httpx.Client, url: str) -> str:
    page = http.get(url).json()
    href: str = page["_links"]["prev"]["href"]
    return href


PAGE_KINDS = (
    PageKind("first page, asc", lambda _, c, n: f"{_events(c)}?page_size=100"),
    PageKind("first page, desc", lambda _, c, n: f"{_events(c)}?page_size=100&order=desc"),
    PageKind(
        "middle page by next cursor",
        lambda http, c, n: _next_href(http, f"{_events(c)}?page_size=100&start_id={n // 2}"),
    ),
    PageKind(
        "middle page by prev cursor, desc",
        lambda http, c, n: _prev_href(
            http,
            _next_href(http, f"{_events(c)}?page_size=100&order=desc&end_id={n // 2}"),
        ),
    ),
    PageKind("type filter: text", lambda _, c, n: f"{_events(c)}?page_size=100&event_type=text"),
    PageKind(
        "type filter: rare type, desc",
        lambda _, c, n: f"{_events(c)}?page_size=10&order=desc&event_type=custom:rare",
    ),
    PageKind(
        "id range in the middle",
        lambda _, c, n: f"{_events(c)}?page_size=100&start_id={n // 2}&end_id={n // 2 + 99}",
    ),
)


def _fill(emulator: EmulatorInstance, conversation_id: str, start: int, stop: int) -> None:
    """Append events ``start+1 .. stop`` to the conversation, in one transaction."""
    with emulator.app.store.transaction(write=True, application=emulator.application_id) as tx:
        for number in range(start + 1, stop + 1):
            body: dict[str, object]
            if number % RARE_EVERY == 0:
                kind, body = "custom:rare", {"n": number}
            elif number % 2:
                kind, body = "text", {"text": f"message {number}"}
            else:
                kind, body = "custom:tick", {"n": number}
            tx.append_event(EventRecord(conversation_id, 0, kind, body, "2020-01-01T00:00:00.000Z"))


def _median_ms(http: httpx.Client, url: str, repeat: int) -> float:
    http.get(url).raise_for_status()  # warm: the first request of a kind pays for caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = http.get(url)
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return statistics.median(times) * 1000


def _measure(http: httpx.Client, conversation_id: str, size: int, repeat: int) -> dict[str, float]:
    return {
        kind.name: _median_ms(http, kind.url(http, conversation_id, size), repeat)
        for kind in PAGE_KINDS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--small", type=int, default=1_000, help="events at the first size")
    parser.add_argument("--large", type=int, default=100_000, help="events at the second size")
    parser.add_argument("--repeat", type=int, default=50, help="requests timed per page kind")
    parser.add_argument("--db", help="a SQLite file to use instead of memory (must not exist)")
    args = parser.parse_args()

    with run_emulator(db=args.db) as emulator:
        with emulator.app.store.transaction(write=True, application=emulator.application_id) as tx:
            conversation_id = tx.insert_conversation(
                ConversationRecord(id="CON-bench", name="bench", created="2020-01-01T00:00:00.000Z")
            ).id
        headers = {"Authorization": f"Bearer {emulator.token(ttl=3600)}"}
        with httpx.Client(base_url=emulator.base_url, headers=headers) as http:
            _fill(emulator, conversation_id, 0, args.small)
            small = _measure(http, conversation_id, args.small, args.repeat)
            started = time.perf_counter()
            _fill(emulator, conversation_id, args.small, args.large)
            filled = time.perf_counter() - started
            large = _measure(http, conversation_id, args.large, args.repeat)

    print(f"events appended from {args.small:,} to {args.large:,} in {filled:.1f} s")
    print(f"median of {args.repeat} requests per page kind; ratios are of this one run\n")
    width = max(len(kind.name) for kind in PAGE_KINDS)
    print(f"{'page':<{width}}  {args.small:>9,}  {args.large:>9,}  ratio")
    for kind in PAGE_KINDS:
        before, after = small[kind.name], large[kind.name]
        print(f"{kind.name:<{width}}  {before:7.2f}ms  {after:7.2f}ms  {after / before:5.2f}")


if __name__ == "__main__":
    main()

"""What every semantic check works with: the signed API, the data made for them, the lists to
walk, and the walks already made (each list is walked once per order, whatever checks read it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .._api import Api
from ._data import SemanticData
from ._endpoints import Endpoint
from ._paging import Listing, Walk, walk

__all__ = ["Context", "listings"]

# Small pages, so that a few items make several of them.
PAGE_SIZE = 2


@dataclass
class Context:
    """The semantic phase's state, shared by its checks."""

    api: Api
    data: SemanticData
    listings: list[Listing]
    endpoints: list[Endpoint] = field(default_factory=list)
    # Whether the server honours `acl.paths` (None: not known yet; the first ACL check tells).
    acls: bool | None = None
    _walks: dict[tuple[str, str | None], Walk] = field(default_factory=dict)

    def targets(self, per: str) -> list[Listing] | list[Endpoint]:
        """What a check without an operation runs on, once each (see `SemanticCheck.per`)."""
        return self.endpoints if per == "endpoints" else self.listings

    def page_size(self, listing: Listing) -> int:
        """Two, or one where the list holds just two items of its own (two pages either way)."""
        known = listing.expected
        return 1 if known is not None and len(known) == 2 else PAGE_SIZE

    def walk(self, listing: Listing, order: str | None = None) -> Walk:
        """The walk of `listing` in `order` (ascending when it takes an order and none is given)."""
        if order is None and listing.ordered:
            order = "asc"
        key = (listing.operation, order)
        if key not in self._walks:
            self._walks[key] = walk(self.api, listing, self.page_size(listing), order)
        return self._walks[key]


def listings(data: SemanticData) -> list[Listing]:
    """Every list operation, aimed at the data made for the checks."""
    since = {"date_start": data.since} if data.since else {}
    made = tuple(data.conversations)
    found: list[Listing] = [
        Listing(
            "listConversations",
            "conversations",
            params=since,
            expected=made,
        ),
        Listing(
            "listConversationsV02",
            "conversations",
            version="v0.2",
            params=since,
            expected=made,
        ),
        Listing("listUsers", "users", version="v0.2", ordered=True),
        Listing(
            "listLegs",
            "legs",
            paging="record_index",
            id_field="uuid",
            expected=tuple(data.legs) or None,
            ordered=False,
        ),
    ]
    if data.user_id is not None:
        user = {"user_id": data.user_id}
        found += [
            Listing(
                "listUserConversations",
                "conversations",
                ids=user,
                params=since,
                expected=tuple(data.joined),
            ),
            Listing("listUserSessions", "sessions", ids=user),
        ]
    main = data.main
    if main is not None:
        events = tuple(str(event["id"]) for event in data.events)
        versions: tuple[tuple[Literal["v0.3", "v0.2"], str], ...] = (("v0.3", ""), ("v0.2", "V02"))
        for version, suffix in versions:
            conversation = {"conversation_id": main}
            found += [
                Listing(
                    f"listMembers{suffix}",
                    "members",
                    ids=conversation,
                    version=version,
                    expected=tuple(data.members),
                ),
                Listing(
                    f"listEvents{suffix}",
                    "events",
                    ids=conversation,
                    version=version,
                    expected=events,
                ),
            ]
    return found

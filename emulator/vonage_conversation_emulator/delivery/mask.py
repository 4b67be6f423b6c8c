"""A conversation's ``callback.event_mask``: which event types are delivered to its callback.

The syntax (decided in issue 16): a comma-separated list of event types, whitespace around an
entry ignored. An entry ending in ``:*`` covers a family: ``member:*`` is every type that
starts with ``member:`` (``member:joined``...), ``custom:*`` every custom event. So
``"text, member:*"`` delivers text and member events and nothing else.

What the issue leaves open, decided here (a mask is never an error, it only filters):

- no mask, an empty one, or one with only empty entries (``" , ,"``) delivers every event;
- a lone ``*`` delivers every event too (the reading everyone gives it);
- empty entries between commas are skipped;
- an unknown type (``foo:bar``) is an exact entry like any other: it matches that type only
  (types are open, ``custom:`` ones above all), so it is no error;
- a malformed entry (``:*`` with no family, a ``*`` anywhere else: ``mem*``, ``*:joined``,
  ``member:**``) matches nothing, and the mask keeps working for its other entries; such
  entries are listed in ``EventMask.malformed``, for a server that would rather warn. A mask
  whose every entry is malformed delivers nothing: its author asked for something specific;
- types are compared exactly (the API's types are lowercase).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAMILY_SUFFIX", "EventMask"]

FAMILY_SUFFIX = ":*"
_WILDCARD = "*"


@dataclass(frozen=True)
class EventMask:
    """A compiled event mask: build it with `EventMask.parse`, ask it with `matches`.

    Attributes:
        everything: True when every event matches (no mask, an empty one, or ``*``).
        types: the exact types named.
        families: the family prefixes named, with their colon (``member:``).
        malformed: the entries that match nothing because they are malformed, as written.
    """

    everything: bool
    types: frozenset[str] = frozenset()
    families: tuple[str, ...] = ()
    malformed: tuple[str, ...] = ()

    @classmethod
    def parse(cls, mask: str | None) -> EventMask:
        """The mask `mask` (a ``callback.event_mask``; None when the callback has none)."""
        if mask is None:
            return cls(everything=True)
        if not isinstance(mask, str):
            raise TypeError(f"an event mask is a str, not {type(mask).__name__}")
        entries = [entry.strip() for entry in mask.split(",")]
        entries = [entry for entry in entries if entry]
        if not entries or _WILDCARD in entries:
            return cls(everything=True)
        types: set[str] = set()
        families: list[str] = []
        malformed: list[str] = []
        for entry in entries:
            family = entry[: -len(_WILDCARD)] if entry.endswith(FAMILY_SUFFIX) else None
            if family is not None and family != ":" and _WILDCARD not in family:
                families.append(family)
            elif _WILDCARD in entry:
                malformed.append(entry)
            else:
                types.add(entry)
        return cls(
            everything=False,
            types=frozenset(types),
            families=tuple(dict.fromkeys(families)),
            malformed=tuple(malformed),
        )

    def matches(self, event_type: str) -> bool:
        """Whether an event of type `event_type` is delivered."""
        if self.everything or event_type in self.types:
            return True
        return any(event_type.startswith(family) for family in self.families)

"""`delivery.mask`: the event mask syntax of issue 16, with its edge cases decided."""

from __future__ import annotations

import pytest
from vonage_conversation_emulator.delivery import EventMask

TYPES = [
    "text",
    "custom:order_paid",
    "custom:x",
    "member:invited",
    "member:joined",
    "member:left",
    "audio:play",
    "membership",
]


def delivered(mask: str | None) -> list[str]:
    compiled = EventMask.parse(mask)
    return [kind for kind in TYPES if compiled.matches(kind)]


@pytest.mark.parametrize("mask", [None, "", "   ", ",", " , ,", "*", "text,*"])
def test_no_mask_an_empty_one_or_a_lone_star_delivers_everything(mask: str | None) -> None:
    assert delivered(mask) == TYPES
    assert EventMask.parse(mask).everything


def test_exact_types() -> None:
    assert delivered("text") == ["text"]
    assert delivered("text,member:left") == ["text", "member:left"]


def test_whitespace_around_entries_is_ignored() -> None:
    assert delivered("  text ,\tmember:joined  ") == ["text", "member:joined"]


def test_a_family_covers_its_types_only() -> None:
    assert delivered("member:*") == ["member:invited", "member:joined", "member:left"]
    assert delivered("custom:*") == ["custom:order_paid", "custom:x"]
    # The family's colon is part of it: `member:*` is not `membership`, nor `member` itself.
    assert not EventMask.parse("member:*").matches("member")


def test_families_and_types_combine() -> None:
    assert delivered("text, custom:*") == ["text", "custom:order_paid", "custom:x"]


def test_empty_entries_between_commas_are_skipped() -> None:
    assert delivered("text,,, member:left,") == ["text", "member:left"]


def test_an_unknown_type_matches_itself_only() -> None:
    mask = EventMask.parse("rtc:transfer")
    assert delivered("rtc:transfer") == []
    assert mask.matches("rtc:transfer")
    assert mask.malformed == ()


@pytest.mark.parametrize("entry", [":*", "mem*", "*:joined", "member:**", "a:*:*", "**"])
def test_a_malformed_entry_matches_nothing_and_is_listed(entry: str) -> None:
    assert delivered(f"text, {entry}") == ["text"]
    assert EventMask.parse(f"text, {entry}").malformed == (entry,)


def test_a_mask_of_malformed_entries_only_delivers_nothing() -> None:
    assert delivered(":*, mem*") == []
    assert not EventMask.parse(":*").everything


def test_types_compare_exactly() -> None:
    assert delivered("TEXT") == []


def test_a_mask_is_a_string() -> None:
    with pytest.raises(TypeError, match="str"):
        EventMask.parse(["text"])  # type: ignore[arg-type]

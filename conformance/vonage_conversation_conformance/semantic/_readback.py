"""Comparing what a create or update sent with what a read shows: every field sent, at any
depth, must read back the same; a server may add fields of its own.

Three ways a field reads back other than as sent, each the spec's own: `numbers`, sent as a
list, reads back keyed by channel type ("The conversation's numbers, keyed by channel type");
a member's `user` reads back as `_embedded.user`; and a member's `state`, sent lower case,
reads back upper case (`MemberState`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._options import _spec

__all__ = ["differences", "list_fields", "shown_as", "takes"]


def shown_as(sent: Mapping[str, Any]) -> dict[str, Any]:
    """`sent` in the shape a read shows it (see the module's docstring)."""
    shown = dict(sent)
    if "user" in shown:
        shown["_embedded"] = {"user": shown.pop("user")}
    if isinstance(shown.get("state"), str):
        shown["state"] = shown["state"].upper()
    numbers = shown.get("numbers")
    if isinstance(numbers, list):
        shown["numbers"] = {str(item.get("type")): item for item in numbers}
    return shown


def differences(sent: Any, shown: Any, where: str = "") -> list[tuple[str, str]]:
    """Every field of `sent` that `shown` does not show the same: (its path, what is wrong)."""
    if isinstance(sent, Mapping):
        if not isinstance(shown, Mapping):
            return [(where or "(the body)", f"sent an object, shown {shown!r}")]
        found: list[tuple[str, str]] = []
        for key, value in sent.items():
            path = f"{where}.{key}" if where else str(key)
            if key not in shown:
                found.append((path, f"sent {value!r}, not shown"))
            else:
                found += differences(value, shown[key], path)
        return found
    if isinstance(sent, list) and isinstance(shown, list) and len(sent) == len(shown):
        return [
            item
            for number, (one, other) in enumerate(zip(sent, shown, strict=True))
            for item in differences(one, other, f"{where}[{number}]")
        ]
    return [] if sent == shown else [(where, f"sent {sent!r}, shown {shown!r}")]


def list_fields(operation_id: str, key: str) -> frozenset[str]:
    """The fields the spec's list `operation_id` carries for each of its items (`key`)."""
    schemas = _spec()["components"]["schemas"]

    def resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            schema = schemas[str(schema["$ref"]).rsplit("/", 1)[1]]
        return schema

    paths = _spec()["paths"]
    found = next(
        item["get"]
        for item in paths.values()
        if item.get("get", {}).get("operationId") == operation_id
    )
    page = resolve(found["responses"]["200"]["content"]["application/json"]["schema"])
    embedded = resolve(page["properties"]["_embedded"])
    items = resolve(resolve(embedded["properties"][key])["items"])
    return frozenset(items.get("properties", {}))


def takes(operation_id: str, parameter: str) -> bool:
    """Whether the spec's operation `operation_id` takes the query `parameter`."""
    spec = _spec()
    shared = spec["components"].get("parameters", {})
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                given = [*item.get("parameters", []), *operation.get("parameters", [])]
                found = [shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p for p in given]
                return any(p.get("in") == "query" and p.get("name") == parameter for p in found)
    return False

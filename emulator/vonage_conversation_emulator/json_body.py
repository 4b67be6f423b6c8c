"""How a JSON request body is read, where the validator's default reader falls short.

It plugs into openapi-core as the ``application/json`` deserializer, so the spec still decides
what is valid; it only makes the reading strict enough that nothing the validator lets through
can break storage or the JSON writer later.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

__all__ = ["MAX_JSON_DEPTH", "strict_json_loads"]

MAX_JSON_DEPTH = 32
"""How deeply a body may nest objects and arrays. openapi-core walks free-form objects
recursively, a dozen Python frames a level, so a deep body would exhaust the stack."""


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        # 1e400 parses as inf: it could never be written back as JSON.
        raise ValueError(f"{text} is out of range")
    return value


def _depth(document: Any) -> int:
    deepest, pending = 0, [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                children = node.values() if isinstance(node, dict) else node
                pending.extend((child, depth + 1) for child in children)
    return deepest


# What json.loads(text, **hooks) builds on every call, built once.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def strict_json_loads(value: bytes, **parameters: str) -> Any:
    """RFC 8259 JSON only: UTF-8, no NaN/Infinity, no lone surrogates (which SQLite and UTF-8
    output cannot carry), at most MAX_JSON_DEPTH levels deep. Raises ValueError, which the
    validator reports as a body error."""
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    try:
        document = _DECODER.decode(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    # Each level opens with a bracket: a text with few brackets cannot nest deeply, and the
    # walk is needed only past that (a bracket inside a string only makes the count larger).
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and _depth(document) > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    # A lone surrogate such as "\ud800" is valid JSON syntax but not encodable text. Decoded
    # UTF-8 never holds one: only a \u escape can make it.
    if "\\u" in text:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    return document

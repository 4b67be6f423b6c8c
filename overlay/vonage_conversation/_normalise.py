"""A response body of a schema as fixed JSON: the same checks and fixes as the client's
readers, giving JSON instead of models (for tests, and for anyone who wants JSON)."""

from __future__ import annotations

import copy
from typing import Any

from ._generated.readers import JSON_READERS

__all__ = ["normalise"]


def normalise(data: Any, schema: str) -> Any:
    """A copy of JSON `data` of the named schema, checked, with every fix applied where its
    rule says (the input is not changed). KeyError for an unknown schema."""
    try:
        read = JSON_READERS[schema]
    except KeyError:
        raise KeyError(f"no schema {schema!r} in the spec") from None
    return read(copy.deepcopy(data))

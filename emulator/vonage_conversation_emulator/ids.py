"""Resource ids in the API's style: a type prefix and a UUID (``CON-…``, ``MEM-…``, ``USR-…``)."""

from __future__ import annotations

import uuid

__all__ = ["new_id"]


def new_id(prefix: str) -> str:
    """A fresh id such as ``CON-d66d47de-5bcb-4300-94f0-0c9d4b948e9a``."""
    return f"{prefix}-{uuid.uuid4()}"

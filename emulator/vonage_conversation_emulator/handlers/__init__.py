"""The operation handlers, one module per resource; importing this package registers them."""

from . import admin, conversations, deliveries, events, legs, members, users
from ._registry import REGISTRY, Context, Operation, Reply, operation
from .users import create_user

__all__ = [
    "REGISTRY",
    "Context",
    "Operation",
    "Reply",
    "admin",
    "conversations",
    "create_user",
    "deliveries",
    "events",
    "legs",
    "members",
    "operation",
    "users",
]

"""Storage behind one small interface (``Store``/``Transaction``), with SQLite as the backend.

``records`` holds what is stored, each record type also declaring its table's columns;
``tables`` declares the tables from them, ``sql`` derives every statement from those, and
``sqlite`` opens the embedded database; ``outbox`` is the delivery outbox over its tables.
"""

from . import base, records
from .base import *  # noqa: F403 (the interface is base's and records' __all__)
from .outbox import SQLiteOutbox, pending_record
from .records import *  # noqa: F403
from .sqlite import SQLiteStore

__all__ = ["SQLiteOutbox", "SQLiteStore", "pending_record"]
__all__ += base.__all__
__all__ += records.__all__

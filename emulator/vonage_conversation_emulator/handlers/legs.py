"""Legs: list and delete the call legs members joined over.

``listLegs`` pages by ``record_index``, the zero-based page number the spec defines (legs
``record_index * page_size`` onwards), with ``count`` the total number of legs. Legs keep a
dense ``position`` (see ``LegRecord``), so a page is a keyset window on it like every other
list: it costs the same however many legs come before it.
"""

from __future__ import annotations

from .. import views
from ..errors import ApiError, ErrorKind
from ..storage import LegRecord, Window
from ._registry import Context, Reply, operation


@operation("listLegs")
def list_legs(ctx: Context) -> Reply:
    """List legs, ``page_size`` at a time from page ``record_index``."""
    page_size, record_index = int(ctx.query["page_size"]), int(ctx.query["record_index"])
    count = ctx.tx.count(LegRecord)
    start = record_index * page_size
    # A page past the end is empty; asking for it could overflow a 64-bit integer.
    window = Window(page_size, after=(start - 1,) if start else None)
    legs = ctx.tx.select(LegRecord, window) if start < count else []
    return Reply(
        200,
        {
            "count": count,
            "page_size": page_size,
            "record_index": record_index,
            "_links": {"self": {"href": ctx.url.with_cursor(None)}},
            "_embedded": {"legs": [views.leg(leg, ctx.url) for leg in legs]},
        },
    )


@operation("deleteLeg", writes=True)
def delete_leg(ctx: Context) -> Reply:
    """Delete a leg."""
    leg_id = str(ctx.path["leg_id"])
    if not ctx.tx.delete(LegRecord, uuid=leg_id):
        raise ApiError(ErrorKind.LEG_NOT_FOUND, f"leg {leg_id} does not exist")
    return Reply(200, {})

"""Legs: list and delete the call legs members joined over.

``listLegs`` pages by ``record_index``, the zero-based page number the spec defines (offset =
``record_index * page_size``), with ``count`` the total number of legs: offset paging by
design, unlike every other list.
"""

from __future__ import annotations

from .. import views
from ..errors import ApiError, ErrorKind
from ._registry import Context, Reply, operation


@operation("listLegs")
def list_legs(ctx: Context) -> Reply:
    """List legs, ``page_size`` at a time from page ``record_index``."""
    page_size, record_index = int(ctx.query["page_size"]), int(ctx.query["record_index"])
    count = ctx.tx.count_legs()
    offset = record_index * page_size
    # A page past the end is empty; asking SQLite for it could overflow a 64-bit OFFSET.
    legs = ctx.tx.list_legs(offset, page_size) if offset < count else []
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
    if not ctx.tx.delete_leg(leg_id):
        raise ApiError(ErrorKind.LEG_NOT_FOUND, f"leg {leg_id} does not exist")
    return Reply(200, {})

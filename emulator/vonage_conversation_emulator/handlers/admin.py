"""The emulator's own controls (see ``admin_spec``, their reference): reset, snapshot and
restore, the application's clock, and faults.

A snapshot is generic over the store's declared tables (``storage.tables.DECLARED``): a table
added there is reset, snapshotted and restored with no change here. A restored document is
read against the record types' annotations, so a wrong value is refused naming its place
before anything is written, and written in the request's one transaction, so a record the
store refuses (a duplicate) leaves everything as it was.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from ..admin_spec import (
    ADD_FAULT_OPERATION_ID,
    CLEAR_FAULTS_OPERATION_ID,
    GET_CLOCK_OPERATION_ID,
    GET_SNAPSHOT_OPERATION_ID,
    LIST_FAULTS_OPERATION_ID,
    RESET_OPERATION_ID,
    RESTORE_SNAPSHOT_OPERATION_ID,
    SET_CLOCK_OPERATION_ID,
    SNAPSHOT_VERSION,
)
from ..clock import ApplicationClocks, format_timestamp
from ..controls import Controls
from ..errors import ApiError, ErrorKind
from ..faults import ANY_OPERATION, Fault
from ..storage import DeliveryRecord, JSONObject, Record, StorageConflictError, Transaction
from ..storage.outbox import PENDING
from ..storage.tables import DECLARED, POSITION, SCOPE, Table
from ._registry import Context, Reply, operation
from .users import create_user

__all__ = ["read_snapshot", "take_snapshot"]

# A record's owning application (the storage's scope column): never in a snapshot, the
# restoring application's on restore.
OWNER = SCOPE

EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
"""The clock's bounds: timestamps stay four-digit years (and POSIX seconds stay positive)."""

_DONE = Reply(204, None)


def _controls(ctx: Context) -> Controls:
    """The app's controls, for an application JWT only (403 for a user JWT)."""
    if ctx.principal.user_name is not None:
        raise ApiError(
            ErrorKind.FORBIDDEN, "the emulator's controls need an application JWT (one without sub)"
        )
    if ctx.controls is None:
        raise RuntimeError("the emulator's controls are called without the app's Controls")
    return ctx.controls


def _invalid(detail: str) -> ApiError:
    return ApiError(ErrorKind.VALIDATION, detail)


# Reset


def _clear(tx: Transaction) -> None:
    for table in DECLARED.values():
        tx.delete(table.record)


@operation(RESET_OPERATION_ID, writes=True)
def reset(ctx: Context) -> Reply:
    """Delete the application's records, create its seed users again, reset its clock and
    clear its faults."""
    controls = _controls(ctx)
    application_id = ctx.principal.application_id
    controls.clocks.reset(application_id)
    controls.faults.clear(application_id)
    _clear(ctx.tx)
    now = format_timestamp(controls.clocks.now(application_id))
    for user in controls.seed:
        create_user(ctx.tx, user.name, user.display_name, now)
    controls.forget_sessions()
    return _DONE


# Snapshot and restore


def _storage_order(table: Table[Any]) -> Callable[[Record], tuple[Any, ...]]:
    """A record's place in its table: the number the store gives it, else its identity."""
    names = (table.generated,) if table.generated else table.identity
    return lambda record: tuple(getattr(record, name) for name in names)


def take_snapshot(tx: Transaction) -> JSONObject:
    """Every record the transaction sees, as the snapshot document holds them."""
    tables: dict[str, list[JSONObject]] = {}
    for table in DECLARED.values():
        records = sorted(tx.select(table.record), key=_storage_order(table))
        tables[table.name] = [
            {name: getattr(record, name) for name in table.names if name != OWNER}
            for record in records
        ]
    return {"version": SNAPSHOT_VERSION, "tables": tables}


@functools.cache
def _hints(table: Table[Any]) -> dict[str, Any]:
    return typing.get_type_hints(table.record)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_SCALARS: dict[Any, Callable[[Any], bool]] = {
    Any: lambda value: True,
    type(None): lambda value: value is None,
    str: lambda value: isinstance(value, str),
    bool: lambda value: isinstance(value, bool),
    int: lambda value: isinstance(value, int) and not isinstance(value, bool),
    float: _is_number,
}


def _conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value is of the annotated type (the scalars above, unions,
    ``dict[K, V]``, ``list[T]``), all the way down. A type without a check here fits nothing,
    so a field of a new kind is refused rather than restored unchecked."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, option) for option in arguments)
    if origin is dict:
        keys, values = arguments or (Any, Any)
        return isinstance(value, dict) and all(
            _conforms(k, keys) and _conforms(v, values) for k, v in value.items()
        )
    if origin is list:
        (items,) = arguments or (Any,)
        return isinstance(value, list) and all(_conforms(item, items) for item in value)
    check = _SCALARS.get(hint)
    return check is not None and check(value)


def _type_name(hint: Any) -> str:
    return str(hint).replace("typing.", "") if typing.get_args(hint) else str(hint.__name__)


def _read_record(
    table: Table[Any], item: Mapping[str, Any], place: str, index: int, owner: str
) -> Record:
    hints = _hints(table)
    unknown = [name for name in item if name not in table.names or name == OWNER]
    if unknown:
        known = ", ".join(name for name in table.names if name != OWNER)
        raise _invalid(f"{place}.{unknown[0]}: no such field (a {table.name} record has {known})")
    fields = {f.name: f for f in dataclasses.fields(table.record)}
    values: dict[str, Any] = {}
    for name in table.names:
        if name == OWNER:
            values[name] = owner
            continue
        if name not in item:
            field = fields[name]
            missing = dataclasses.MISSING
            if field.default is missing and field.default_factory is missing:
                raise _invalid(f"{place}.{name}: missing (it has no default)")
            continue
        value = item[name]
        if not _conforms(value, hints[name]):
            raise _invalid(f"{place}.{name}: {value!r} is not of type {_type_name(hints[name])}")
        values[name] = value
    if table.generated == POSITION and values.get(POSITION, index) != index:
        raise _invalid(
            f"{place}.{POSITION}: {values[POSITION]!r} where {index} was expected "
            f"({table.name} are listed by {POSITION}, from 0)"
        )
    record: Record = table.record(**values)
    return record


def read_snapshot(tables: Mapping[str, Any], owner: str) -> list[tuple[str, Record]]:
    """The records of a snapshot's ``tables``, each with its place in the document, in the
    order to insert them (the declared tables' order, then the document's); ApiError 400
    naming the place of the first thing wrong."""
    declared = {table.name: table for table in DECLARED.values()}
    for name, items in tables.items():
        if name not in declared:
            raise _invalid(f"tables.{name}: no such table (the tables are {', '.join(declared)})")
        if not isinstance(items, list):
            raise _invalid(f"tables.{name}: not a list of records")
    records: list[tuple[str, Record]] = []
    for table in DECLARED.values():
        for index, item in enumerate(tables.get(table.name, [])):
            place = f"tables.{table.name}[{index}]"
            if not isinstance(item, Mapping):
                raise _invalid(f"{place}: not a record (an object of its fields)")
            records.append((place, _read_record(table, item, place, index, owner)))
    return records


@operation(GET_SNAPSHOT_OPERATION_ID)
def get_snapshot(ctx: Context) -> Reply:
    """Every record of the application."""
    _controls(ctx)
    return Reply(200, take_snapshot(ctx.tx))


@operation(RESTORE_SNAPSHOT_OPERATION_ID, writes=True)
def restore_snapshot(ctx: Context) -> Reply:
    """Replace the application's records with the document's (pending deliveries are sent
    again, see ``admin_spec``)."""
    controls = _controls(ctx)
    records = read_snapshot(ctx.body["tables"], ctx.principal.application_id)
    _clear(ctx.tx)
    for place, record in records:
        try:
            stored = ctx.tx.insert(record)
        except StorageConflictError as error:
            raise _invalid(f"{place}: breaks a uniqueness rule ({error})") from None
        if isinstance(stored, DeliveryRecord) and stored.state == PENDING:
            ctx.deliveries.append(stored.seq)
    controls.forget_sessions()
    return _DONE


# The clock


def _clock_view(clocks: ApplicationClocks, application_id: str) -> JSONObject:
    return {
        "now": format_timestamp(clocks.now(application_id)),
        "offset_seconds": clocks.offset(application_id).total_seconds(),
    }


def _within_bounds(field: str, moment: datetime) -> None:
    if not EARLIEST <= moment < LATEST:
        raise _invalid(
            f"{field}: {format_timestamp(moment)} is outside the clock's range "
            f"({format_timestamp(EARLIEST)} to {format_timestamp(LATEST)})"
        )


@operation(GET_CLOCK_OPERATION_ID)
def get_clock(ctx: Context) -> Reply:
    """The application's time."""
    controls = _controls(ctx)
    return Reply(200, _clock_view(controls.clocks, ctx.principal.application_id))


@operation(SET_CLOCK_OPERATION_ID)
def set_clock(ctx: Context) -> Reply:
    """Advance the application's clock, or set it."""
    clocks = _controls(ctx).clocks
    application_id = ctx.principal.application_id
    body = ctx.body
    if len(body) != 1:
        raise _invalid("advance, set: give exactly one of them (seconds forward, or a time)")
    if "advance" in body:
        seconds = float(body["advance"])
        try:
            target = clocks.now(application_id) + timedelta(seconds=seconds)
        except OverflowError:
            target = datetime.max.replace(tzinfo=timezone.utc)
        _within_bounds("advance", target)
        clocks.advance(application_id, seconds)
    else:
        moment = body["set"]
        if isinstance(moment, str):  # the spec's date-time format reads it; a str is a fallback
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        _within_bounds("set", moment)
        clocks.set(application_id, moment)
    return Reply(200, _clock_view(clocks, application_id))


# Faults


@operation(ADD_FAULT_OPERATION_ID)
def add_fault(ctx: Context) -> Reply:
    """Add a fault to the application's."""
    controls = _controls(ctx)
    body = ctx.body
    name = str(body["operation"])
    if name != ANY_OPERATION and name not in controls.operations:
        close = difflib.get_close_matches(name, controls.operations, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise _invalid(
            f"operation: {name!r} is no operation of the API (an operationId, or "
            f"{ANY_OPERATION!r} for all){hint}"
        )
    try:
        fault = Fault(**body)
    except ValueError as error:
        raise _invalid(str(error)) from None
    controls.faults.add(ctx.principal.application_id, fault)
    return Reply(201, fault.view())


@operation(LIST_FAULTS_OPERATION_ID)
def list_faults(ctx: Context) -> Reply:
    """The application's faults, oldest first."""
    controls = _controls(ctx)
    faults = controls.faults.of(ctx.principal.application_id)
    return Reply(200, {"faults": [fault.view() for fault in faults]})


@operation(CLEAR_FAULTS_OPERATION_ID)
def clear_faults(ctx: Context) -> Reply:
    """Remove every fault of the application."""
    controls = _controls(ctx)
    controls.faults.clear(ctx.principal.application_id)
    return _DONE

"""The emulator-only operations, as OpenAPI: merged into the served spec, validated like the rest.

This docstring is their reference. Every one needs an application JWT (a user JWT is 403
``system:error:forbidden``: they act on the whole application) and acts on the caller's
application only. None of them is ever rate limited or answered by a fault.

``POST /_emulator/users`` creates a user, since the Conversation API documented here has no
operation for it (the real one lives in the Users API). Body ``{"name": ..., "display_name": ...}``
(``name`` required, unique); answers 201 with the User, or 409 ``user:error:duplicate-name``.

``GET /_emulator/deliveries?conversation_id=...`` is the delivery log: every attempt at
delivering the conversation's events to its callback, oldest first (``order=desc``: newest
first), paged like the API's lists (``page_size``, ``cursor``). Each attempt names its
``delivery_id``, ``event_id``, ``url``, ``attempt`` number (1 for the first), the ``status``
answered or, when no answer came, the ``error``, and its ``time``.

``POST /_emulator/reset`` (no body) answers 204 once every record of the application is gone
(every table the store declares), the seed users it started with (``--seed``) are created
again (with new ids), its clock is back on the base clock and its faults are cleared.

``GET /_emulator/snapshot`` answers 200 ``{"version": 1, "tables": {"users": [{...}, ...],
...}}``: every table the store declares, each record in storage order (insertion, a leg's
``position``, an event's conversation and id) as its fields, JSON values as stored; the
owner (a field ``application_id``) is left out. ``PUT /_emulator/snapshot`` with such a
document answers 204 once the application's records are exactly the document's: ids,
``seq``, ``position``, event ids and ``sequence_number`` included, so a ``GET`` after it answers
the same document (a restore's body may hold 256 MiB, where the API's hold 1 MiB). A table left
out restores as empty. In one transaction: a document naming an unknown table or field, a value of
the wrong type, a field missing that has no default, legs not listed by position from 0, or two
records breaking a uniqueness rule is 400 ``http:error:validation-fail`` naming the place
(``tables.members[2].state: ...``) and changes nothing. References between records are not
checked: a document names what it names. Pending deliveries are restored pending, and sent as
a restarted emulator sends a ``--db`` file's (those due at once, the others on their schedule):
a snapshot taken while one was pending is a state in which its event is not delivered yet.
A restore keeps the clock and the faults as they are.

``GET /_emulator/clock`` answers 200 ``{"now": "2030-01-01T00:00:00.000Z", "offset_seconds":
0.0}``: the application's time, as the API writes timestamps, and how far it is from the base
clock. ``POST /_emulator/clock`` with ``{"advance": seconds}`` (a number, 0 or more) or
``{"set": "2030-01-01T00:00:00Z"}`` (RFC 3339 with a zone), exactly one, moves it and answers
the same. The clock keeps running from there. The timestamps the API writes for the
application follow it; a time past 9000-01-01 or before 1970 is 400.

``POST /_emulator/faults`` adds a fault and answers 201 with it (its fields and an ``id``):
``{"operation": "getConversation" | "*", "status": 503, "count": 2, "probability": 0.5,
"latency_ms": 200, "retry_after": 1}``. ``operation`` (required) is one of the API's
operationIds (another is 400 naming it) or ``*`` for all; ``status`` (400 to 599) is required
unless ``latency_ms`` (0 to 600000) is given; ``count`` (1 or more) or ``probability`` (above 0, at
most 1), at most one of them; neither: every matching call until cleared. A call the fault
takes waits ``latency_ms`` first (without holding anything up), then, with a ``status``,
answers it with an Error body ``emulator:error:injected-fault`` whose ``detail`` names the
fault, and ``Retry-After: <retry_after>`` when given; without one it goes on to its real
answer. Faults are checked after the JWT and before validation, oldest first: the first that
names the operation and fires is used (a count used up removes it). ``GET /_emulator/faults``
answers 200 ``{"faults": [...]}`` (``count``: the calls each has left); ``DELETE
/_emulator/faults`` answers 204 once they are all gone.

Kept in Python rather than a YAML file so it ships with the package without any packaging rule.
"""

from __future__ import annotations

from typing import Any

from .faults import MAX_LATENCY_MS

__all__ = [
    "ADD_FAULT_OPERATION_ID",
    "ADMIN_OPERATION_IDS",
    "ADMIN_PATHS",
    "CLEAR_FAULTS_OPERATION_ID",
    "CREATE_USER_OPERATION_ID",
    "GET_CLOCK_OPERATION_ID",
    "GET_SNAPSHOT_OPERATION_ID",
    "LIST_DELIVERIES_OPERATION_ID",
    "LIST_FAULTS_OPERATION_ID",
    "RESET_OPERATION_ID",
    "RESTORE_SNAPSHOT_OPERATION_ID",
    "SET_CLOCK_OPERATION_ID",
    "SNAPSHOT_VERSION",
]

CREATE_USER_OPERATION_ID = "emulatorCreateUser"
LIST_DELIVERIES_OPERATION_ID = "emulatorListDeliveries"
RESET_OPERATION_ID = "emulatorReset"
GET_SNAPSHOT_OPERATION_ID = "emulatorGetSnapshot"
RESTORE_SNAPSHOT_OPERATION_ID = "emulatorRestoreSnapshot"
GET_CLOCK_OPERATION_ID = "emulatorGetClock"
SET_CLOCK_OPERATION_ID = "emulatorSetClock"
ADD_FAULT_OPERATION_ID = "emulatorAddFault"
LIST_FAULTS_OPERATION_ID = "emulatorListFaults"
CLEAR_FAULTS_OPERATION_ID = "emulatorClearFaults"

SNAPSHOT_VERSION = 1
"""The snapshot document's ``version``: a document of another is refused."""


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _parameter(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _json(schema: Any, description: str = "OK") -> dict[str, Any]:
    """A response of JSON ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _admin(
    operation_id: str,
    summary: str,
    answer: tuple[str, dict[str, Any]],
    *,
    body: Any = None,
) -> dict[str, Any]:
    """One admin operation: an application JWT's, taking ``body`` (a schema) if given,
    answering ``answer`` or an Error."""
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": f"{summary} (emulator only)",
        "security": [{"bearerAuth": []}],
    }
    responses = {answer[0]: answer[1]}
    if body is not None:
        content = _json(body)["content"]
        operation["requestBody"] = {"required": True, "content": content}
        responses["400"] = _error("BadRequest")
        responses["413"] = _error("PayloadTooLarge")
    responses |= {"401": _error("Unauthorized"), "403": _error("Forbidden")}
    operation["responses"] = responses
    return operation


_NO_CONTENT = ("204", {"description": "Done"})


# OpenAPI 3.0 (the served spec's version) says null with ``nullable``.
_NULLABLE_INTEGER = {"type": "integer", "nullable": True}
_NULLABLE_STRING = {"type": "string", "nullable": True}

_ATTEMPT = {
    "type": "object",
    "required": [
        "delivery_id",
        "conversation_id",
        "event_id",
        "url",
        "attempt",
        "status",
        "error",
        "time",
    ],
    "properties": {
        "delivery_id": {"type": "integer", "description": "The delivery (one per event)"},
        "conversation_id": {"type": "string"},
        "event_id": {"type": "string", "description": "The event delivered, as its id reads"},
        "url": {"type": "string", "description": "Where it was sent (with a GET's query)"},
        "attempt": {"type": "integer", "minimum": 1, "description": "1 for the first"},
        "status": {**_NULLABLE_INTEGER, "description": "The HTTP status answered; null: none"},
        "error": {**_NULLABLE_STRING, "description": "Why no answer came; null: one came"},
        "time": {"type": "string", "format": "date-time", "description": "When it started"},
    },
}

_SNAPSHOT = {
    "type": "object",
    "required": ["version", "tables"],
    "additionalProperties": False,
    "properties": {
        "version": {"type": "integer", "enum": [SNAPSHOT_VERSION]},
        "tables": {
            "type": "object",
            "description": "Each table's records in storage order, by table name",
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        },
    },
}

_CLOCK = {
    "type": "object",
    "required": ["now", "offset_seconds"],
    "properties": {
        "now": {"type": "string", "format": "date-time", "description": "The application's"},
        "offset_seconds": {"type": "number", "description": "From the base clock"},
    },
}

_CLOCK_CHANGE = {
    "type": "object",
    "description": "Exactly one of advance and set",
    "additionalProperties": False,
    "properties": {
        "advance": {"type": "number", "minimum": 0, "description": "Seconds forward"},
        "set": {"type": "string", "format": "date-time", "description": "RFC 3339, zoned"},
    },
}

_FAULT_FIELDS: dict[str, Any] = {
    "operation": {"type": "string", "minLength": 1, "description": "An operationId, or *"},
    "status": {"type": "integer", "minimum": 400, "maximum": 599},
    "count": {"type": "integer", "minimum": 1, "description": "Calls it answers (left)"},
    "probability": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
    "latency_ms": {"type": "number", "minimum": 0, "maximum": MAX_LATENCY_MS},
    "retry_after": {"type": "integer", "minimum": 0, "description": "Retry-After seconds"},
}

_NEW_FAULT = {
    "type": "object",
    "required": ["operation"],
    "additionalProperties": False,
    "properties": _FAULT_FIELDS,
}

_FAULT = {
    "type": "object",
    "required": ["id", "operation"],
    "properties": {"id": {"type": "string"}, **_FAULT_FIELDS},
}

_FAULTS = {
    "type": "object",
    "required": ["faults"],
    "properties": {"faults": {"type": "array", "items": _FAULT}},
}


ADMIN_PATHS: dict[str, Any] = {
    "/_emulator/users": {
        "post": {
            "operationId": CREATE_USER_OPERATION_ID,
            "summary": "Create a user (emulator only, not part of the Conversation API)",
            "security": [{"bearerAuth": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                                "display_name": {"type": "string", "maxLength": 100},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "Created",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/User"}}
                    },
                },
                "400": _error("BadRequest"),
                "401": _error("Unauthorized"),
                "403": _error("Forbidden"),
                "409": _error("Conflict"),
                "413": _error("PayloadTooLarge"),
            },
        }
    },
    "/_emulator/deliveries": {
        "get": {
            "operationId": LIST_DELIVERIES_OPERATION_ID,
            "summary": "List the attempts at delivering a conversation's events (emulator only)",
            "security": [{"bearerAuth": []}],
            "parameters": [
                {
                    "name": "conversation_id",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1},
                },
                _parameter("PageSize"),
                _parameter("Order"),
                _parameter("Cursor"),
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["page_size", "_embedded", "_links"],
                                "properties": {
                                    "page_size": {"type": "integer"},
                                    "_embedded": {
                                        "type": "object",
                                        "required": ["deliveries"],
                                        "properties": {
                                            "deliveries": {"type": "array", "items": _ATTEMPT}
                                        },
                                    },
                                    "_links": {"$ref": "#/components/schemas/PageLinks"},
                                },
                            }
                        }
                    },
                },
                "400": _error("BadRequest"),
                "401": _error("Unauthorized"),
                "403": _error("Forbidden"),
            },
        }
    },
    "/_emulator/reset": {
        "post": _admin(RESET_OPERATION_ID, "Delete every record of the application", _NO_CONTENT)
    },
    "/_emulator/snapshot": {
        "get": _admin(
            GET_SNAPSHOT_OPERATION_ID, "Every record of the application", ("200", _json(_SNAPSHOT))
        ),
        "put": _admin(
            RESTORE_SNAPSHOT_OPERATION_ID,
            "Replace the application's records with a snapshot's",
            _NO_CONTENT,
            body=_SNAPSHOT,
        ),
    },
    "/_emulator/clock": {
        "get": _admin(GET_CLOCK_OPERATION_ID, "The application's time", ("200", _json(_CLOCK))),
        "post": _admin(
            SET_CLOCK_OPERATION_ID,
            "Move the application's clock",
            ("200", _json(_CLOCK)),
            body=_CLOCK_CHANGE,
        ),
    },
    "/_emulator/faults": {
        "get": _admin(
            LIST_FAULTS_OPERATION_ID, "The application's faults", ("200", _json(_FAULTS))
        ),
        "post": _admin(
            ADD_FAULT_OPERATION_ID,
            "Answer the application's calls with a fault",
            ("201", _json(_FAULT, "Created")),
            body=_NEW_FAULT,
        ),
        "delete": _admin(CLEAR_FAULTS_OPERATION_ID, "Remove the application's faults", _NO_CONTENT),
    },
}

ADMIN_OPERATION_IDS: frozenset[str] = frozenset(
    operation["operationId"] for item in ADMIN_PATHS.values() for operation in item.values()
)
"""The emulator's own operations: never rate limited, never answered by a fault."""

"""The emulator-only operations, as OpenAPI: merged into the served spec, validated like the rest.

``POST /_emulator/users`` creates a user, since the Conversation API documented here has no
operation for it (the real one lives in the Users API). Body ``{"name": ..., "display_name": ...}``
(``name`` required, unique); answers 201 with the User, or 409 ``user:error:duplicate-name``.
It needs an application JWT like every other route.

``GET /_emulator/deliveries?conversation_id=...`` is the delivery log: every attempt at
delivering the conversation's events to its callback, oldest first (``order=desc``: newest
first), paged like the API's lists (``page_size``, ``cursor``). Each attempt names its
``delivery_id``, ``event_id``, ``url``, ``attempt`` number (1 for the first), the ``status``
answered or, when no answer came, the ``error``, and its ``time``. It takes an application JWT
(a user JWT is 403: the log is the application's). Kept in Python rather than a YAML file so
it ships with the package without any packaging rule.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ADMIN_PATHS", "CREATE_USER_OPERATION_ID", "LIST_DELIVERIES_OPERATION_ID"]

CREATE_USER_OPERATION_ID = "emulatorCreateUser"
LIST_DELIVERIES_OPERATION_ID = "emulatorListDeliveries"


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _parameter(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


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
}

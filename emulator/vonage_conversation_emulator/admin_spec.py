"""The emulator-only operations, as OpenAPI: merged into the served spec, validated like the rest.

``POST /_emulator/users`` creates a user, since the Conversation API documented here has no
operation for it (the real one lives in the Users API). Body ``{"name": ..., "display_name": ...}``
(``name`` required, unique); answers 201 with the User, or 409 ``user:error:duplicate-name``.
It needs an application JWT like every other route. Kept in Python rather than a YAML file so
it ships with the package without any packaging rule.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ADMIN_PATHS", "CREATE_USER_OPERATION_ID"]

CREATE_USER_OPERATION_ID = "emulatorCreateUser"


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


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
    }
}

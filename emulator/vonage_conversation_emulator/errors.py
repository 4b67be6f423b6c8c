"""The one shape every failure takes: the spec's Error body, with a code from a fixed scheme.

Codes read ``<area>:error:<kind>``; the area says who judged the request:

========================================  ======  =============================================
code                                      status  when
========================================  ======  =============================================
``http:error:validation-fail``            400     the request breaks the spec, or a rule of the
                                                  API (``detail`` names the field at fault)
``http:error:not-found``                  404     no operation has this path
``http:error:method-not-allowed``         405     the path exists, the method does not
``http:error:payload-too-large``          413     the body is over 1 MiB
``system:error:invalid-token``            401     the JWT is missing, malformed, badly signed,
                                                  of another application, or not valid yet
``system:error:expired-token``            401     the JWT's ``exp`` has passed
``system:error:forbidden``                403     the JWT's ``acl`` excludes the call; a user
                                                  JWT names no known user; ``members/me``
                                                  called without a user JWT
``system:error:too-many-requests``        429     over the rate limit (``--rate-limit``; off by
                                                  default), with ``Retry-After`` in seconds
``system:error:internal``                 500     a bug in the emulator (logged with
                                                  ``instance``)
``emulator:error:injected-fault``         varies  a fault set with ``POST /_emulator/faults``
                                                  answered in the call's place, with the
                                                  fault's status (``detail`` names the fault;
                                                  ``Retry-After`` when it has one)
``conversation:error:not-found``          404     no conversation with this id
``conversation:error:duplicate-name``     409     another conversation has this name
``conversation:error:duplicate-number``   409     two numbers of one channel type (``numbers``)
``user:error:not-found``                  404     no user with this id or name
``user:error:duplicate-name``             409     another user has this name (admin route)
``member:error:not-found``                404     no such member in this conversation
``member:error:already-member``           409     the user is already INVITED or JOINED here
``member:error:invalid-state``            409     the member's state forbids the change
``event:error:not-found``                 404     no such event in this conversation
``leg:error:not-found``                   404     no leg with this id
``leg:error:duplicate-id``                409     a leg with this id was already recorded
========================================  ======  =============================================

``type`` is ``https://developer.vonage.com/api-errors/conversation#<kind>`` and ``instance`` a
fresh id for each occurrence, to find it in the emulator's log.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any

__all__ = ["ApiError", "ErrorKind", "error_body"]

TYPE_BASE = "https://developer.vonage.com/api-errors/conversation#"


class ErrorKind(Enum):
    """Every error the emulator can answer with: its status, code and title."""

    VALIDATION = (400, "http:error:validation-fail", "Bad request.")
    ROUTE_NOT_FOUND = (404, "http:error:not-found", "Not found.")
    METHOD_NOT_ALLOWED = (405, "http:error:method-not-allowed", "Method not allowed.")
    PAYLOAD_TOO_LARGE = (413, "http:error:payload-too-large", "Payload too large.")
    INVALID_TOKEN = (401, "system:error:invalid-token", "Invalid token.")
    EXPIRED_TOKEN = (401, "system:error:expired-token", "Token expired.")
    FORBIDDEN = (403, "system:error:forbidden", "Forbidden.")
    TOO_MANY_REQUESTS = (429, "system:error:too-many-requests", "Too many requests.")
    INTERNAL = (500, "system:error:internal", "Internal error.")
    INJECTED_FAULT = (500, "emulator:error:injected-fault", "Injected fault.")
    """Answered with the fault's own status (400 to 599): 500 is only the enum's placeholder."""
    CONVERSATION_NOT_FOUND = (404, "conversation:error:not-found", "Conversation not found.")
    DUPLICATE_CONVERSATION_NAME = (
        409,
        "conversation:error:duplicate-name",
        "Conversation name already exists.",
    )
    DUPLICATE_NUMBER = (
        409,
        "conversation:error:duplicate-number",
        "Conversation has a number of this type already.",
    )
    USER_NOT_FOUND = (404, "user:error:not-found", "User not found.")
    DUPLICATE_USER_NAME = (409, "user:error:duplicate-name", "User name already exists.")
    MEMBER_NOT_FOUND = (404, "member:error:not-found", "Member not found.")
    ALREADY_MEMBER = (409, "member:error:already-member", "User is already a member.")
    INVALID_MEMBER_STATE = (409, "member:error:invalid-state", "Invalid member state.")
    EVENT_NOT_FOUND = (404, "event:error:not-found", "Event not found.")
    LEG_NOT_FOUND = (404, "leg:error:not-found", "Leg not found.")
    DUPLICATE_LEG = (409, "leg:error:duplicate-id", "Leg already exists.")

    @property
    def status(self) -> int:
        """The HTTP status code."""
        return int(self.value[0])

    @property
    def code(self) -> str:
        """The machine-readable code, ``<area>:error:<kind>``."""
        return str(self.value[1])

    @property
    def title(self) -> str:
        """The short human summary."""
        return str(self.value[2])


class ApiError(Exception):
    """Raised anywhere in a request to answer with an Error body instead of the result."""

    def __init__(
        self, kind: ErrorKind, detail: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{kind.code}: {detail}")
        self.kind = kind
        self.detail = detail
        self.headers: dict[str, str] = dict(headers or {})


def error_body(kind: ErrorKind, detail: str, instance: str | None = None) -> dict[str, Any]:
    """The spec's Error body for one occurrence of ``kind``."""
    return {
        "type": TYPE_BASE + kind.code.rsplit(":", 1)[-1],
        "title": kind.title,
        "detail": detail,
        "instance": instance or uuid.uuid4().hex,
        "code": kind.code,
    }

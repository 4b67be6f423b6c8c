"""Every failure the client raises, as one hierarchy.

```
ConversationAPIError            anything this package raises about a call
├── APIConnectionError          no HTTP response: DNS, refused, reset, TLS...
│   └── APITimeoutError         ...or the timeout ran out
├── BadRequestError             400, 413, 422
├── AuthenticationError         401
├── PermissionDeniedError       403
├── NotFoundError               404
├── ConflictError               409
├── RateLimitError              429 (see `retry_after`)
├── ServerError                 5xx
├── ResponseParseError          a 2xx whose body is not what the spec says
│   └── PaginationError         a list whose pages cannot be followed (a cursor loop)
└── InvalidSignatureError       a webhook delivery's token is refused (no HTTP call failed)
```

A status the API does not document (405, 410, ...) raises `ConversationAPIError` itself.
Messages and reprs name the request and the server's error, never a header: the token stays
out of tracebacks and logs.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._retry import parse_retry_after

__all__ = [
    "REQUEST_ID_HEADERS",
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationAPIError",
    "InvalidSignatureError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseParseError",
    "ServerError",
]

#: The response headers `ConversationAPIError.request_id` reads, in order, when the error
#: body has no ``instance``: the common request-id header and Vonage's trace-id header.
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Vonage-Trace-Id")


class ConversationAPIError(Exception):
    """The root of every error a call can raise.

    Attributes:
        status: the HTTP status, or None when no response arrived.
        code: the API's machine-readable code, e.g. ``conversation:error:not-found``.
        title: the short summary (the body's ``title``, else the status's reason phrase).
        detail: what is wrong with this request, when the server says.
        instance: an id for this occurrence, to quote to Vonage support.
        request_id: ``instance``, else a request-id header (`REQUEST_ID_HEADERS`), else None.
        type: a URL naming the kind of error, when the server sends one.
        response: the `httpx.Response`, or None when no response arrived.
    """

    status: int | None
    code: str | None
    title: str | None
    detail: str | None
    instance: str | None
    type: str | None
    response: httpx.Response | None

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        instance: str | None = None,
        type: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.instance = instance
        self.type = type
        self.response = response

    def __str__(self) -> str:
        return self.message

    @property
    def request_id(self) -> str | None:
        """An id of this request to quote to Vonage support: the error body's ``instance``,
        else the first of `REQUEST_ID_HEADERS` the response has; None without either."""
        if self.instance:
            return self.instance
        if self.response is None:
            return None
        for name in REQUEST_ID_HEADERS:
            value = self.response.headers.get(name)
            if value:
                return str(value)
        return None

    def __repr__(self) -> str:
        fields = {"status": self.status, "code": self.code, "title": self.title}
        shown = ", ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)
        return f"{type(self).__name__}({shown})"


class APIConnectionError(ConversationAPIError):
    """The request got no HTTP response (the network failed, or the server hung up)."""


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or waiting for a pooled connection)."""


class BadRequestError(ConversationAPIError):
    """400, 413 or 422: the request is invalid; `detail` usually names the field at fault."""


class AuthenticationError(ConversationAPIError):
    """401: the JWT is missing, malformed, expired or badly signed."""


class PermissionDeniedError(ConversationAPIError):
    """403: the JWT does not allow this call (for example its ``acl`` excludes the path)."""


class NotFoundError(ConversationAPIError):
    """404: no such conversation, member, event, user or leg."""


class ConflictError(ConversationAPIError):
    """409: the request conflicts with a resource's state (a name already taken...)."""


class RateLimitError(ConversationAPIError):
    """429: too many requests. `retry_after` is the server's wait, in seconds, if it sent one."""

    retry_after: float | None

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ConversationAPIError):
    """5xx: the server failed. Idempotent calls were already retried before this is raised."""


class ResponseParseError(ConversationAPIError):
    """A successful (2xx) response whose body is not what the spec describes.

    Attributes:
        path: where in the body, as ``_embedded.events[3].id`` (empty: the body itself), or
            None when the body could not be read at all (not JSON, or no body).
    """

    path: str | None

    def __init__(self, message: str, *, path: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.path = path


class PaginationError(ResponseParseError):
    """A list's pages cannot be followed: a cursor came back twice, or a next link has none."""


_BY_STATUS: dict[int, type[ConversationAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[ConversationAPIError]:
    """The class raised for an error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ConversationAPIError)


def _error_body(response: httpx.Response) -> dict[str, Any]:
    # An error page from a proxy (HTML), an empty body or broken JSON must still give the
    # right class with the status, so anything that is not a JSON object reads as "no details".
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _where(response: httpx.Response) -> str:
    try:
        request = response.request
    except RuntimeError:  # a Response built by hand has no request
        return ""
    return f"{request.method} {request.url.path}: "


def error_from_response(
    response: httpx.Response, *, now: float | None = None
) -> ConversationAPIError:
    """Build the exception for a non-2xx response, whatever its body holds."""
    body = _error_body(response)
    status = response.status_code
    # The spec's body is RFC 7807 (`title`, `detail`); older Vonage APIs sent `error_title`
    # and `description`, which cost nothing to understand.
    title = _text(body.get("title")) or _text(body.get("error_title")) or response.reason_phrase
    detail = _text(body.get("detail")) or _text(body.get("description"))
    code = _text(body.get("code"))
    where = _where(response)
    message = f"{where}{status} {title}"
    if detail:
        message = f"{message.rstrip('.')}: {detail}"
    if code:
        message += f" ({code})"
    if not body:
        message += " (no error details in the response body)"
    kwargs: dict[str, Any] = {
        "status": status,
        "code": code,
        "title": title,
        "detail": detail,
        "instance": _text(body.get("instance")),
        "type": _text(body.get("type")),
        "response": response,
    }
    cls = error_class_for(status)
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=now)
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


class InvalidSignatureError(ConversationAPIError):
    """A webhook delivery's signature is refused (`vonage_conversation.webhooks`): no HTTP call
    failed, so ``status`` and ``response`` are None.

    Attributes:
        reason: which check refused it: ``missing`` (no ``Authorization: Bearer`` header),
            ``garbled`` (not a JWT), ``algorithm`` (not HS256, ``none`` included),
            ``wrong-secret``, ``claims`` (no ``payload_hash`` or ``iat``), ``tampered`` (the
            body's hash differs), ``stale`` (older than ``max_age``) or ``future``.
    """

    reason: str

    def __init__(self, message: str, *, reason: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason = reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r})"

"""The one call mechanism every operation goes through, sync and async.

A `Call` names a generated operation module (``vonage_conversation_api.api.<tag>.<op>``) and
its arguments. Sending it: the module's ``_get_kwargs`` builds the request; it goes out on the
client's own base URL through the client's httpx client with the client's auth, and is retried
by the `RetryPolicy`; an error status raises from `_exceptions`; a success body is decoded once
and read into the generated model by the call's reader, chosen when the operation was rendered
(``_generated/readers.py``: it checks every declared field's type and applies the
NORMALISATION fixes).

Everything but the I/O is `_CoreBase`'s; the I/O is `_async.core.AsyncCore`, and its sync twin
`_sync.core.SyncCore` is written from it (`scripts/spec_pipeline/unasync.py`).
"""

from __future__ import annotations

import contextvars
import copy
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ResponseParseError,
    error_from_response,
)
from ._fixes import SchemaMismatchError
from ._logs import log_exchange, logger
from ._options import NOT_GIVEN, NotGiven, RequestOptions, as_timeout
from ._params import check_auth
from ._retry import RetryPolicy

__all__ = ["Call", "Reader", "Result", "logger"]

R = TypeVar("R")
CoreT = TypeVar("CoreT", bound="_CoreBase")

#: A rendered reader: decoded JSON (and whether it is a list's page) -> the generated model.
Reader = Callable[[Any, bool], R]

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

# While a `with_raw_response` call runs, the final HTTP response of each request lands here.
# A context variable, so that concurrent threads and tasks each see only their own.
raw_capture: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "vonage_conversation_raw_capture", default=None
)


@dataclass(frozen=True)
class Call(Generic[R]):
    """One operation to send: its operationId, the generated module that builds its request,
    and the (checked) arguments of the module's ``_get_kwargs``. `R` is what a success gives.

    `read` is the rendered reader of its success body (None leaves the body unread: deletes
    have nothing worth reading); `page` True reads it as a list's page (see
    `_models.read_model`). `options` are the caller's timeout and extra headers for this call.
    `url`, when set, is asked instead of the operation's path and query: a next page's link,
    which must be under the client's base URL (`_pagination` makes it so).
    """

    operation_id: str
    module: ModuleType
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    read: Reader[Any] | None = None
    options: RequestOptions = field(default_factory=RequestOptions)
    page: bool = False
    url: str | None = None

    @property
    def operation(self) -> str:
        """The operationId, for messages."""
        return self.operation_id

    def with_kwargs(self, **extra: Any) -> Call[R]:
        """The same call with some arguments added or replaced (the next page's cursor)."""
        return replace(self, kwargs={**self.kwargs, **extra})

    def following(self, url: str) -> Call[R]:
        """The same call asking `url` (a next page's link) instead of its own path and query."""
        return replace(self, url=url)


@dataclass(frozen=True)
class Result:
    """What a sent call gave: the model (None when the call is not parsed) and the response."""

    parsed: Any
    response: httpx.Response


def redacted_headers(headers: httpx.Headers) -> dict[str, str]:
    """Headers fit for a log line: credentials replaced by ``[redacted]``."""
    return {
        key: "[redacted]" if key.lower() in _SECRET_HEADERS else value
        for key, value in headers.items()
    }


class _CoreBase:
    """Everything about a call except the I/O, shared by the sync and async cores."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: httpx.Auth,
        retry: RetryPolicy,
        timeout: httpx.Timeout | None,
        headers: Mapping[str, str],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.retry = retry
        self.timeout = timeout
        self.headers = dict(headers)

    def with_options(
        self: CoreT, *, timeout: object = NOT_GIVEN, retry: RetryPolicy | None = None
    ) -> CoreT:
        """A core sending through the same HTTP client and auth, with another timeout (seconds,
        an `httpx.Timeout`, or None for none) or retry policy."""
        changed = copy.copy(self)
        if not isinstance(timeout, NotGiven):
            changed.timeout = as_timeout(timeout)
        if retry is not None:
            changed.retry = retry
        return changed

    def _request_args(self, call: Call[Any]) -> dict[str, Any]:
        check_auth(call.operation_id, self.auth)
        kwargs: dict[str, Any] = call.module._get_kwargs(**call.kwargs)
        if call.url is not None:
            args = self._link_args(kwargs["method"], call.url)
        else:
            args = self._path_args(
                kwargs["method"], kwargs["url"], kwargs.get("params"), kwargs.get("json")
            )
        # The client's headers, then the operation's (its content type), then the caller's.
        args["headers"].update(kwargs.get("headers", {}))
        args["headers"].update(call.options.extra_headers)
        if call.options.timeout is not None:
            args["timeout"] = call.options.timeout
        return args

    def _path_args(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
    ) -> dict[str, Any]:
        # The path is joined to our own base URL (never to whatever base URL an injected
        # httpx client has), and a full URL is refused: where the token goes is decided here.
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"path must start with '/' and is joined to base_url, not {path!r}")
        args: dict[str, Any] = {
            "method": method.upper(),
            "url": self.base_url + path,
            "params": params,
            "json": json,
            "headers": dict(self.headers),
        }
        if self.timeout is not None:
            args["timeout"] = self.timeout
        return args

    def _link_args(self, method: str, url: str) -> dict[str, Any]:
        # A link is asked as given only under our own base URL: the token goes nowhere else.
        if not url.startswith(self.base_url + "/"):
            raise ValueError(f"a followed link must be under base_url, not {url!r}")
        args: dict[str, Any] = {"method": method.upper(), "url": url, "headers": dict(self.headers)}
        if self.timeout is not None:
            args["timeout"] = self.timeout
        return args

    def _log_exchange(
        self, request: httpx.Request, attempt: int, started: float, outcome: str
    ) -> None:
        if logger.isEnabledFor(logging.INFO):
            elapsed = time.perf_counter() - started
            log_exchange(
                request.method, request.url.path, outcome, attempt=attempt, elapsed=elapsed
            )

    def _log_retry(self, request: httpx.Request, attempt: int, delay: float, reason: str) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "retrying %s %s in %.2fs (retry %d of %d) after %s; request headers: %s",
                request.method,
                request.url,
                delay,
                attempt + 1,
                self.retry.max_retries,
                reason,
                redacted_headers(request.headers),
            )

    def _transport_error(
        self, operation: str, request: httpx.Request, error: Exception
    ) -> Exception:
        where = f"{request.method} {request.url.copy_with(query=None)} ({operation})"
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(f"{where} timed out: {error}")
        return APIConnectionError(f"{where} failed: {error or type(error).__name__}")

    def _checked(self, response: httpx.Response) -> httpx.Response:
        box = raw_capture.get()
        if box is not None:
            box.append(response)
        if not response.is_success:
            raise error_from_response(response, now=self.retry.clock())
        return response

    def _finish(self, call: Call[Any], response: httpx.Response) -> Result:
        # httpx binds a response's stream to the response itself (a reference cycle), so every
        # response, body and all, lives until the garbage collector runs, which a long walk
        # over pages postpones: pages piled up. The body is read whole by now; a plain stream
        # of it keeps `response` working the same and lets it go with the page that holds it.
        response.stream = httpx.ByteStream(response.content)
        self._checked(response)
        data = self._json(call, response)
        if call.read is None:
            return Result(parsed=None, response=response)
        return Result(parsed=self._model(call, call.read, data, response), response=response)

    def _json(self, call: Call[Any], response: httpx.Response) -> Any:
        """The body, decoded once (None when there is none)."""
        if not response.content.strip():
            return None
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise ResponseParseError(
                f"{call.operation}: the {response.status_code} response is not JSON "
                f"(content-type {response.headers.get('content-type', 'none')!r})",
                status=response.status_code,
                response=response,
            ) from None

    def _model(
        self, call: Call[Any], read: Reader[Any], data: Any, response: httpx.Response
    ) -> Any:
        """The generated model of the operation's success schema, read from the decoded body
        by its reader: checked, fixed where a rule says, built without decoding again."""
        if data is None:
            raise ResponseParseError(
                f"{call.operation}: the {response.status_code} response has no body",
                status=response.status_code,
                response=response,
            )
        try:
            return read(data, call.page)
        except SchemaMismatchError as error:
            raise ResponseParseError(
                f"{call.operation}: the response does not match the spec: {error}",
                status=response.status_code,
                response=response,
                path=error.path,
            ) from None

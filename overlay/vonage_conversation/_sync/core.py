# Generated from _async/core.py by scripts/spec_pipeline/unasync.py: do not edit.
"""`SyncCore`: sends a call through an `httpx.Client`, retrying as the `RetryPolicy` says,
and reads the answer with everything `_CoreBase` does that is not I/O.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx

from .._core import Call, Result, _CoreBase

__all__ = ["SyncCore"]


class SyncCore(_CoreBase):
    """Sends calls with an `httpx.Client`: the core every operation of the client goes
    through (see `.._core`)."""

    def __init__(self, http: httpx.Client, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.http = http

    def send(self, call: Call[Any]) -> Result:
        """Send a generated operation; its parsed result, or the error it raised."""
        response = self._exchange(self._request_args(call), call.operation)
        return self._finish(call, response)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send any request on the base URL, with auth, retries and errors; the 2xx response."""
        args = self._path_args(method, path, params, json)
        return self._checked(self._exchange(args, f"{args['method']} {path}"))

    def _exchange(self, args: dict[str, Any], operation: str) -> httpx.Response:
        request = self.http.build_request(**args)
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = self.http.send(request, auth=self.auth, follow_redirects=False)
            except httpx.TransportError as error:
                self._log_exchange(request, attempt, started, type(error).__name__)
                delay = self.retry.delay_after_error(request.method, attempt, error)
                if delay is None:
                    raise self._transport_error(operation, request, error) from error
                self._log_retry(request, attempt, delay, type(error).__name__)
            else:
                self._log_exchange(request, attempt, started, str(response.status_code))
                delay = self.retry.delay_after_response(request.method, attempt, response)
                if delay is None:
                    return response
                response.close()
                self._log_retry(request, attempt, delay, f"status {response.status_code}")
            self.retry.sleep(delay)
            attempt += 1

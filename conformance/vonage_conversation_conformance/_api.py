"""Signed requests of the run's own (setup, semantic checks, clean-up), answered as raw JSON
and counted in the run's result.

They read what the server sent, not what a client makes of it: the client's paginator and
parse-edge fixes would hide the very faults the semantic checks look for (a repeated cursor, a
page in the wrong shape), and a refused setup request is shown exactly as sent. Every exchange
is counted for its operation like the schemathesis phases' requests, under the phase the `Api`
was made for. A request names its operation by operationId; its method, and the label the
report counts it under, are the spec's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from vonage_conversation import JWTAuth

from ._options import operation
from ._results import Request, RunResult, response_class
from ._tokens import Credentials

__all__ = ["Answer", "Api", "UnreachableError"]

_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class UnreachableError(RuntimeError):
    """A request got no answer (the transport failed)."""


@dataclass(frozen=True)
class Answer:
    """A response: its status, its JSON (None if it had none), and the request that got it."""

    status: int
    body: Any
    request: Request

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def describe(self) -> str:
        return f"{self.request.method} {self.request.url} answered {self.status}"


class Api:
    """Signs, sends and counts the semantic checks' requests."""

    def __init__(
        self,
        base_url: str,
        application_id: str,
        private_key_pem: str,
        result: RunResult,
        *,
        phase: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.phase = phase
        self.application_id = application_id
        self._pem = private_key_pem
        self.result = result
        self._http = httpx.Client(timeout=_TIMEOUT, transport=transport, follow_redirects=False)
        self._signers: dict[str | None, JWTAuth] = {}

    def _signer(self, sub: str | None, *, new: bool = False) -> JWTAuth:
        """The JWT source for `sub` (each caches its token; `new`: one whose token is unused)."""
        if new or sub not in self._signers:
            signer = JWTAuth(self.application_id, self._pem, sub=sub)
            if new:
                return signer
            self._signers[sub] = signer
        return self._signers[sub]

    @property
    def credentials(self) -> Credentials:
        """The run's application, to mint tokens of its own (`_tokens`)."""
        return Credentials(self.application_id, self._pem)

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(
        self,
        operation_id: str,
        ids: Mapping[str, object] | None = None,
        *,
        url: str | None = None,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        sub: str | None = None,
        new_session: bool = False,
        authorization: str | None = None,
    ) -> Answer:
        """Send the operation `operation_id`: to its path with `ids` in it, or to `url` (a URL a
        link gave, or a path), signed with an application JWT or, with `sub`, a user JWT
        (`new_session`: a token never used); or with the literal `authorization` header (a
        token made to be refused, shown as sent in the request's reproduction)."""
        called = operation(operation_id)
        method = called.method
        target = url if url is not None else called.path_for(ids or {})
        if not target.startswith(("http://", "https://")):
            target = self.base_url + target
        auth = self._signer(sub, new=new_session) if authorization is None else None
        headers = {"Accept": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        content = None
        if body is not None:
            content = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = self._http.build_request(
            method, target, params=params, content=content, headers=headers
        )
        signed = (("Authorization", "Bearer"),) if auth is not None else ()
        shown = Request(
            method=method,
            url=str(request.url),
            headers=(*signed, *sorted(headers.items())),
            body=content,
            literal_auth=auth is None,
            sub=sub,
        )
        tally = self.result.operation(called.label)
        tally.requests += 1
        self.result.phase_requests[self.phase] += 1
        try:
            response = self._http.send(request, auth=auth)
        except httpx.TransportError as error:
            tally.responses["none"] += 1
            raise UnreachableError(f"{method} {target}: {error or type(error).__name__}") from error
        tally.responses[response_class(response.status_code)] += 1
        tally.statuses[response.status_code] += 1
        tally.test_cases += 1
        try:
            parsed = response.json() if response.content else None
        except ValueError:
            parsed = None
        return Answer(response.status_code, parsed, shown)

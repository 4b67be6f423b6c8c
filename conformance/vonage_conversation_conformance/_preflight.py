"""Before any phase: is the target reachable, does it take the credentials, is it this API,
and does it refuse a token it should?

One signed request to a cheap read, `GET /v0.3/conversations?page_size=1`, answers the first
three; the same request with a token signed by another key answers the last. A server that
accepts that token can still be checked (the token checks fail it), but the preflight says so
rather than "credentials accepted".
A run whose preflight fails does not start: its verdict is "could not run" (exit 2), with the
reason in one line, never a green made of refused or unanswered requests.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import httpx
from vonage_conversation import JWTAuth

from ._results import Failure, Request
from ._tokens import Credentials, bearer

__all__ = ["PREFLIGHT_PATH", "Preflight", "PreflightError", "preflight"]

PREFLIGHT_PATH = "/v0.3/conversations"
PREFLIGHT = "preflight"
# The token check a forged token accepted by the preflight fails (`semantic.checks_tokens`).
FORGED_CHECK = "token_other_key_refused"
_TIMEOUT = httpx.Timeout(15.0, connect=10.0)


class PreflightError(RuntimeError):
    """The target cannot be checked; the message is the one-line reason."""


@dataclass(frozen=True)
class Preflight:
    """What the preflight request showed."""

    url: str
    status: int
    elapsed: float
    # What the same request got with a token signed by another key (None: no answer).
    forged_status: int | None = None
    forged: Request | None = None  # that request, its token shown as sent

    def failures(self) -> tuple[Failure, ...]:
        """What the preflight found wrong: the forged token accepted, as the token check that
        sends such tokens would say it."""
        if not self.accepts_forged:
            return ()
        return (
            Failure(
                operation=f"GET {PREFLIGHT_PATH}",
                check=FORGED_CHECK,
                phase=PREFLIGHT,
                title="A token signed by another key is refused (401)",
                message=f"the preflight's token signed by another key was answered "
                f"{self.forged_status}: the server accepts a token it should refuse",
                status=self.forged_status,
                request=self.forged,
            ),
        )

    @property
    def accepts_forged(self) -> bool:
        """Whether the server took a token signed by another key."""
        return self.forged_status is not None and 200 <= self.forged_status < 300

    def describe(self) -> str:
        answered = f"GET {PREFLIGHT_PATH} answered {self.status} in {self.elapsed * 1000:.0f} ms"
        if self.accepts_forged:
            return (
                f"reached {self.url}, a Conversation API ({answered}), but the server accepts a "
                f"token it should refuse: one signed by another key was answered "
                f"{self.forged_status}"
            )
        return (
            f"reached {self.url}, credentials accepted and a token signed by another key "
            f"refused, a Conversation API ({answered})"
        )


def _title(response: httpx.Response) -> str:
    """The error's title (or detail) from a Vonage error body, else the HTTP reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("title", "detail", "error_title"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    return response.reason_phrase


def _is_page(body: object) -> bool:
    """A conversations page: an object with `_embedded` or `_links` (objects)."""
    if not isinstance(body, dict):
        return False
    embedded = body.get("_embedded")
    return isinstance(embedded, dict) or isinstance(body.get("_links"), dict)


def preflight(
    base_url: str,
    application_id: str,
    private_key_pem: str,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Preflight:
    """Send the preflight request; the reason the target cannot be checked, as a
    `PreflightError`, if it fails."""
    url = base_url.rstrip("/") + PREFLIGHT_PATH
    auth = JWTAuth(application_id, private_key_pem)
    started = time.monotonic()
    try:
        with httpx.Client(timeout=_TIMEOUT, transport=transport, follow_redirects=False) as http:
            response = http.get(url, params={"page_size": 1}, auth=auth)
    except httpx.TimeoutException as error:
        raise PreflightError(f"cannot reach {base_url}: timed out ({error})") from None
    except httpx.TransportError as error:
        raise PreflightError(f"cannot reach {base_url}: {error or type(error).__name__}") from None
    status = response.status_code
    if status in (401, 403):
        raise PreflightError(f"the server refused the credentials: {status} {_title(response)}")
    not_api = f"not a Conversation API at {base_url}: GET {PREFLIGHT_PATH} answered {status}"
    if status >= 500:
        raise PreflightError(
            f"the server failed the first request (GET {PREFLIGHT_PATH} answered {status} "
            f"{_title(response)}): it cannot be checked now"
        )
    if not 200 <= status < 300:
        raise PreflightError(f"{not_api} {_title(response)}")
    kind = response.headers.get("content-type", "no content type")
    try:
        body = json.loads(response.content)
    except ValueError:
        raise PreflightError(f"{not_api} with {kind}, not JSON") from None
    if not _is_page(body):
        raise PreflightError(f"{not_api} with JSON that is not a page of conversations")
    elapsed = time.monotonic() - started
    forged = bearer(Credentials(application_id, private_key_pem).sign_forged())
    try:
        with httpx.Client(timeout=_TIMEOUT, transport=transport, follow_redirects=False) as http:
            sent = http.get(url, params={"page_size": 1}, headers={"Authorization": forged})
    except httpx.TransportError:
        return Preflight(url=url, status=status, elapsed=elapsed)
    shown = Request("GET", str(sent.request.url), (("Authorization", forged),), None, True)
    return Preflight(url, status, elapsed, forged_status=sent.status_code, forged=shown)

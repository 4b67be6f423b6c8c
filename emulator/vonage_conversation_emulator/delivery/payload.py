"""What a delivery sends: a conversation's callback, and the request that delivers one event.

The fields of a delivery are the event exactly as ``GET /v0.3/conversations/{id}/events/
{event_id}`` shows it, plus ``conversation_id`` and ``application_id`` (after the event's own
fields; the event has neither). How they travel depends on ``callback.method``:

- **POST** (the default): the fields as one JSON object, the body, written as the emulator
  writes every response (compact, UTF-8), with ``Content-Type: application/json``.
  ``payload_hash`` covers the body's bytes.
- **GET**: one query parameter per top-level field, in the same order, each one's value the
  field's JSON text, percent-encoded (``id=%227%22`` is the string ``"7"``,
  ``body=%7B%22text%22%3A%22hi%22%7D`` the object): so a string that looks like a number, or
  like an object, is never mistaken for one. A callback URL's own query parameters are kept, in
  front of them. ``payload_hash`` covers the query string exactly as sent (what follows the
  ``?``), since a GET has no body. (Vonage's Voice API documents hashing the parameters as a
  JSON object instead; the raw query needs no canonical form, and is checked the same way as a
  POST's body: the bytes as they travelled.) The client reads it with
  ``vonage_conversation.webhooks.unwrap_query``.

``callback.params`` (``applicationId``, ``ncco_url`` in the v0.3 page) are not sent: the page
lists them as settings of the callback, not as event data, and merging them into the fields
could shadow an event field of the same name. They stay stored with the conversation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from .mask import EventMask

__all__ = ["Callback", "DeliveryRequest", "Method", "build_request", "delivery_fields"]

Method = Literal["POST", "GET"]
_JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class DeliveryRequest:
    """One delivery, ready to send (the worker adds ``Authorization`` when it signs).

    Attributes:
        method: ``POST`` or ``GET``.
        url: the URL to call, with the fields in its query for a GET.
        body: the JSON body of a POST; empty for a GET.
        signed: the bytes ``payload_hash`` covers: the body (POST), the query string (GET).
        headers: the headers to send besides ``Authorization``.
    """

    method: Method
    url: str
    body: bytes
    signed: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Callback:
    """A conversation's ``callback``, read: where its events go, how, and which ones."""

    url: str
    method: Method
    mask: EventMask

    @classmethod
    def parse(cls, callback: Mapping[str, Any] | None) -> Callback | None:
        """The callback of a stored ``callback`` object; None when it names no ``url`` (then
        nothing is delivered). A missing ``method`` is POST; the mask is `EventMask.parse`'s.
        """
        if not isinstance(callback, Mapping):
            return None
        url = callback.get("url")
        if not isinstance(url, str) or not url.strip():
            return None
        method = callback.get("method")
        mask = callback.get("event_mask")
        return cls(
            url=url.strip(),
            method="GET" if isinstance(method, str) and method.upper() == "GET" else "POST",
            mask=EventMask.parse(mask if isinstance(mask, str) else None),
        )

    def wants(self, event_type: str) -> bool:
        """Whether an event of this type is delivered to this callback (its mask)."""
        return self.mask.matches(event_type)

    def request_for(
        self, event: Mapping[str, Any], *, conversation_id: str, application_id: str
    ) -> DeliveryRequest:
        """The request delivering `event` (its API view) to this callback."""
        return build_request(
            event,
            conversation_id=conversation_id,
            application_id=application_id,
            url=self.url,
            method=self.method,
        )


def delivery_fields(
    event: Mapping[str, Any], *, conversation_id: str, application_id: str
) -> dict[str, Any]:
    """The fields a delivery carries: the event's, then ``conversation_id``, ``application_id``."""
    return {**event, "conversation_id": conversation_id, "application_id": application_id}


def build_request(
    event: Mapping[str, Any],
    *,
    conversation_id: str,
    application_id: str,
    url: str,
    method: Method = "POST",
) -> DeliveryRequest:
    """The request delivering `event` (as ``GET .../events/{event_id}`` shows it) to `url`."""
    fields = delivery_fields(event, conversation_id=conversation_id, application_id=application_id)
    if method == "POST":
        body = _json(fields).encode()
        return DeliveryRequest("POST", url, body, signed=body, headers=dict(_JSON_HEADERS))
    if method != "GET":
        raise ValueError(f"a callback's method is POST or GET, not {method!r}")
    ours = urlencode([(name, _json(value)) for name, value in fields.items()], quote_via=quote)
    scheme, netloc, path, query, _fragment = urlsplit(url)
    full = urlunsplit((scheme, netloc, path, f"{query}&{ours}" if query else ours, ""))
    # The hash must cover the query exactly as it travels: httpx percent-encodes what a URL may
    # not hold raw (in the callback URL's own part), so the query is taken from its reading.
    sent = httpx.URL(full)
    return DeliveryRequest("GET", str(sent), b"", signed=sent.query)


def _json(value: object) -> str:
    # As the emulator writes its responses (starlette's JSONResponse): compact, UTF-8, no NaN.
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))

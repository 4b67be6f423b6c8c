"""The sentences the callbacks phase's checks cite, word for word (`Source`, as the semantic
checks cite theirs).

The v0.3 page's callback fields, from the seeds (a test finds each in
`openapi/seeds/v0.3-reference-page.txt`): the page lists them with their types, not in
sentences. And one document outside the seeds, named here with its address, which the test
accepts by that name and nothing else: Vonage's signed-webhooks page, for the signature.
"""

from __future__ import annotations

from ..semantic._sources import V03, Source

__all__ = [
    "CALLBACK_METHOD",
    "CALLBACK_URL",
    "EVENT_MASK",
    "EXTERNAL_DOCUMENTS",
    "SIGNED_PAYLOAD",
    "SIGNED_REQUEST",
    "SIGNED_WEBHOOKS",
]

SIGNED_WEBHOOKS = "Vonage's signed-webhooks documentation"
# The documents outside `openapi/seeds/` a callback check may cite, and where each is read.
EXTERNAL_DOCUMENTS = {
    SIGNED_WEBHOOKS: "https://developer.vonage.com/en/messages/concepts/signed-webhooks",
}
_SIGNED_AT = EXTERNAL_DOCUMENTS[SIGNED_WEBHOOKS]

# The callback fields of a conversation (the create and update bodies list the same ones).
CALLBACK_URL = Source(V03, "Create a conversation, callback.url", "callback object url string(uri)")
EVENT_MASK = Source(V03, "Create a conversation, callback.event_mask", "event_mask string")
CALLBACK_METHOD = Source(
    V03, "Create a conversation, callback.method", "method string Debe ser uno de:POSTGET"
)
SIGNED_REQUEST = Source(
    SIGNED_WEBHOOKS,
    f"Signed webhooks ({_SIGNED_AT})",
    "When receiving a request, the incoming webhook will include a JWT token in the "
    "authorization header which is signed with your signature secret.",
)
SIGNED_PAYLOAD = Source(
    SIGNED_WEBHOOKS,
    f"Verify the payload has not been tampered with in transit ({_SIGNED_AT})",
    "Once you have verified the authenticity of the request, you may optionally verify the "
    "request payload has not been tampered with by comparing a SHA-256 hash of the payload to "
    "the payload_hash field found in the JWT claims.",
)

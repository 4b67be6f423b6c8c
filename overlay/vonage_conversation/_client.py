"""`ConversationClient` and `AsyncConversationClient`, where users import them from.

Each is rendered from the spec with its resources (``_generated/_async/resources.py``, and its
sync twin ``_generated/_sync/resources.py`` written from it by unasync): `AsyncClientBase`
(``_async/client.py``: settings, HTTP client, core, lifetime) with one cached attribute per
resource (``client.conversations`` and the rest), each a rendered resource class made on first
use with the client's core.
"""

from ._config import DEFAULT_BASE_URL, DEFAULT_TIMEOUT
from ._generated._async.resources import AsyncConversationClient
from ._generated._sync.resources import ConversationClient

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncConversationClient", "ConversationClient"]

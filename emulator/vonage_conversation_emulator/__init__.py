"""A stateful local Conversation API server: the embedded default for examples, tests and
conformance.

``create_app()`` builds the ASGI app; ``run_emulator()`` runs one on a free port for a ``with``
block; ``vonage-conversation emulator`` runs one from the shell (see ``cli``). The
emulator-only admin route ``POST /_emulator/users`` creates users (see ``admin_spec``).
"""

from .app import EmulatorApp, create_app
from .embedded import EmulatorInstance, mint_token, run_emulator
from .seed import SeedUser

__version__ = "0.1.0"

__all__ = [
    "EmulatorApp",
    "EmulatorInstance",
    "SeedUser",
    "__version__",
    "create_app",
    "mint_token",
    "run_emulator",
]

"""A stateful local Conversation API server (not built yet: see the emulator issue)."""

__version__ = "0.1.0"

"""The Vonage Conversation API client (the hand-written layer over vonage_conversation_api)."""

__version__ = "0.1.0"

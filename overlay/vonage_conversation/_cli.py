"""The `vonage-conversation` command."""

from __future__ import annotations

import argparse
import sys

PLANNED = {
    "emulator": "run the local Conversation API emulator",
    "conformance": "check a server against the spec with schemathesis",
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `vonage-conversation` console script."""
    parser = argparse.ArgumentParser(prog="vonage-conversation")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in PLANNED.items():
        commands.add_parser(name, help=help_text)
    args = parser.parse_args(argv)
    print(f"vonage-conversation {args.command}: not available yet", file=sys.stderr)
    return 2

"""The `vonage-conversation` command: one entry point, one subcommand per tool."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from ._version import __version__

# subcommand -> (module with `main(argv: list[str]) -> int`, what it does, the extra it needs)
SUBCOMMANDS = {
    "emulator": (
        "vonage_conversation_emulator.cli",
        "run the local Conversation API emulator",
        "emulator",
    ),
    "conformance": (
        "vonage_conversation_conformance.cli",
        "check a server against the spec",
        "conformance",
    ),
    "token": (
        "vonage_conversation._token_command",
        "print a JWT for the configured application",
        None,
    ),
}


class CommandParser(argparse.ArgumentParser):
    """argparse for the subcommands: a bad argument is one line on stderr and exit status 2,
    not the usage and a traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _usage() -> str:
    lines = ["usage: vonage-conversation {" + ",".join(SUBCOMMANDS) + "} ...", ""]
    lines[0] += "\n       vonage-conversation --version"
    lines += [f"  {name:<12} {text}" for name, (_, text, _) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `vonage-conversation` console script."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(_usage())
        return 0 if args else 2
    if args[0] == "--version":
        print(f"vonage-conversation {__version__}")
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"vonage-conversation: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, _, extra = SUBCOMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        print(
            f"vonage-conversation {name}: needs {error.name!r}, which is not installed: "
            f"pip install 'vonage-conversation[{extra}]'",
            file=sys.stderr,
        )
        return 2
    result: int = module.main(rest)
    return result

"""The `vonage-conversation` command: one entry point, one subcommand per tool."""

from __future__ import annotations

import importlib
import sys

# subcommand -> (module with `main(argv: list[str]) -> int`, what it does)
SUBCOMMANDS = {
    "emulator": ("vonage_conversation_emulator.cli", "run the local Conversation API emulator"),
    "conformance": ("vonage_conversation_conformance.cli", "check a server against the spec"),
}


def _usage() -> str:
    lines = ["usage: vonage-conversation {" + ",".join(SUBCOMMANDS) + "} ...", ""]
    lines += [f"  {name:<12} {text}" for name, (_, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `vonage-conversation` console script."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"vonage-conversation: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, _ = SUBCOMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        print(
            f"vonage-conversation {name}: needs {error.name!r}, which is not installed: "
            "pip install 'vonage-conversation[conformance]'",
            file=sys.stderr,
        )
        return 2
    result: int = module.main(rest)
    return result

"""`vonage-conversation token`: print a JWT for the configured application.

    vonage-conversation token [--sub NAME] [--ttl SECONDS] [--application-id ID]
                              [--private-key PATH]

Credentials come from the options, else from VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY_PATH
(or VONAGE_PRIVATE_KEY, the PEM text), as `ConversationClient.from_env()` reads them; so a
request a conformance failure prints runs as shown after `export VONAGE_JWT=$(... token)`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ._auth import DEFAULT_TTL, MAX_TTL, JWTAuth
from ._cli import CommandParser
from ._config import ENV_APPLICATION_ID, ENV_PRIVATE_KEY, ENV_PRIVATE_KEY_PATH, env_settings

__all__ = ["main"]

PROG = "vonage-conversation token"


def _parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog=PROG, description="Print a Vonage JWT (RS256).")
    parser.add_argument("--sub", help="the user the token is for (a user JWT; default: none)")
    parser.add_argument(
        "--ttl",
        type=float,
        default=DEFAULT_TTL.total_seconds(),
        help=f"lifetime in seconds (default: {DEFAULT_TTL.total_seconds():.0f}; "
        f"at most {MAX_TTL.total_seconds():.0f})",
    )
    parser.add_argument("--application-id", help=f"default: ${ENV_APPLICATION_ID}")
    parser.add_argument(
        "--private-key",
        type=Path,
        help=f"the private key's PEM file (default: ${ENV_PRIVATE_KEY_PATH} or ${ENV_PRIVATE_KEY})",
    )
    return parser


def main(argv: list[str], environ: Mapping[str, str] = os.environ) -> int:
    """Print a token; 2 with a one-line reason when the credentials are missing or unusable."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    settings = env_settings(environ)
    application_id = args.application_id or settings.get("application_id")
    key = args.private_key.expanduser() if args.private_key else settings.get("private_key")
    if not application_id or key is None:
        print(
            f"{PROG}: give --application-id and --private-key, or set {ENV_APPLICATION_ID} "
            f"and {ENV_PRIVATE_KEY_PATH} (or {ENV_PRIVATE_KEY})",
            file=sys.stderr,
        )
        return 2
    try:
        token = JWTAuth(application_id, key, ttl=args.ttl, sub=args.sub).token()
    except (OSError, ValueError, TypeError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    print(token)
    return 0

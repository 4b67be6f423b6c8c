"""`vonage-conversation conformance`: check a server against the spec with schemathesis.

    vonage-conversation conformance [--url URL --application-id ID --private-key PATH]
                                    [--max-examples N] [--workers N] [--seed N] [--junit-xml PATH]

Without --url it checks the embedded emulator, started on a free port. With --url it checks
that server, signing requests with the given credentials or the VONAGE_* environment
(VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY_PATH or VONAGE_PRIVATE_KEY; VONAGE_CONFORMANCE_USER
names an existing user to make members of, else the first user the server lists).
Exit status: 0 when the server conforms, 1 when a check failed, 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._report import summary
from ._runner import ConformanceError, Options, run_conformance
from ._target import TargetError


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    """The command's arguments, exactly as documented."""
    commands = argparse.ArgumentParser(
        prog="vonage-conversation conformance",
        description="Check a Conversation API server against openapi/conversation.yaml.",
    )
    commands.add_argument("--url", help="the server to check (default: the embedded emulator)")
    commands.add_argument("--application-id", help="default: $VONAGE_APPLICATION_ID")
    commands.add_argument("--private-key", type=Path, help="default: $VONAGE_PRIVATE_KEY_PATH")
    commands.add_argument("--max-examples", type=_positive, default=100, help="per operation")
    commands.add_argument("--workers", type=_positive, default=1, help="concurrent requests")
    commands.add_argument("--seed", type=int, help="to reproduce a run")
    commands.add_argument("--junit-xml", type=Path, help="write a JUnit XML report here")
    return commands


def main(argv: list[str]) -> int:
    """Run the command; the exit status says whether the server conforms."""
    args = parser().parse_args(argv)
    if args.url is None and (args.application_id or args.private_key):
        print("conformance: --application-id and --private-key go with --url", file=sys.stderr)
        return 2
    options = Options(
        url=args.url,
        application_id=args.application_id,
        private_key=args.private_key,
        max_examples=args.max_examples,
        workers=args.workers,
        seed=args.seed,
        junit_xml=args.junit_xml,
    )
    try:
        target, result = run_conformance(options)
    except (TargetError, ConformanceError) as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    where = "the embedded emulator" if target.embedded else target.base_url
    print("\n" + summary(result, target=where))
    return 1 if result.failed else 0

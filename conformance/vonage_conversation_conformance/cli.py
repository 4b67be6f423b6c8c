"""`vonage-conversation conformance`: check a server against the spec with schemathesis.

    vonage-conversation conformance [--url URL --application-id ID --private-key PATH]
                                    [--max-examples N] [--workers N] [--seed N] [--junit-xml PATH]

Without --url it checks the embedded emulator, started on a free port. With --url it checks
that server, signing requests with the given credentials or the VONAGE_* environment
(VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY_PATH or VONAGE_PRIVATE_KEY). New members are made
for existing users: VONAGE_CONFORMANCE_USER=name[,name...], else the first few the server lists.
Exit status: 0 when the server conforms, 1 when a check failed, 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._report import summary
from ._runner import ConformanceError, Options, run_conformance
from ._target import Target, TargetError


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser(
    prog: str = "vonage-conversation conformance",
    description: str = "Check a Conversation API server against openapi/conversation.yaml.",
) -> argparse.ArgumentParser:
    """The command's arguments, exactly as documented."""
    commands = argparse.ArgumentParser(prog=prog, description=description)
    commands.add_argument("--url", help="the server to check (default: the embedded emulator)")
    commands.add_argument("--application-id", help="default: $VONAGE_APPLICATION_ID")
    commands.add_argument("--private-key", type=Path, help="default: $VONAGE_PRIVATE_KEY_PATH")
    commands.add_argument("--max-examples", type=_positive, default=100, help="per operation")
    commands.add_argument("--workers", type=_positive, default=1, help="concurrent requests")
    commands.add_argument("--seed", type=int, help="to reproduce a run")
    commands.add_argument("--junit-xml", type=Path, help="write a JUnit XML report here")
    return commands


def options_from(args: argparse.Namespace) -> Options:
    """The run's options from parsed arguments; ValueError for a combination that makes none."""
    if args.url is None and (args.application_id or args.private_key):
        raise ValueError("--application-id and --private-key go with --url")
    return Options(
        url=args.url,
        application_id=args.application_id,
        private_key=args.private_key,
        max_examples=args.max_examples,
        workers=args.workers,
        seed=args.seed,
        junit_xml=args.junit_xml,
    )


def where(target: Target) -> str:
    """How the summary names the server checked."""
    return "the embedded emulator" if target.embedded else target.base_url


def main(argv: list[str]) -> int:
    """Run the command; the exit status says whether the server conforms."""
    try:
        options = options_from(parser().parse_args(argv))
    except ValueError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    try:
        target, result = run_conformance(options)
    except (TargetError, ConformanceError) as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    print("\n" + summary(result, target=where(target)))
    return 1 if result.failed else 0

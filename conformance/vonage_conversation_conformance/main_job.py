"""The project's main job: a short conversation through the client, then the conformance suite.

    python -m vonage_conversation_conformance.main_job
        [--url URL --application-id ID --private-key PATH]
        [--max-examples N] [--workers N] [--seed N] [--junit-xml PATH]

Against the embedded emulator by default (started on a free port, with users alice and bob);
with --url against that server (credentials as for `vonage-conversation conformance`; the
scenario's two users are VONAGE_TOUR_USERS="name,name", else the first two the server lists).
Exit status: 0 when the scenario ran and the server conforms, 1 otherwise, 2 when nothing ran.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from vonage_conversation import ConversationAPIError, ConversationClient

from ._report import summary
from ._runner import ConformanceError, check, open_target
from ._scenario import run_scenario
from ._target import Target, TargetError
from .cli import options_from, parser, where

EMULATOR_USERS = ("alice", "bob")
USERS_VARIABLE = "VONAGE_TOUR_USERS"


def scenario_users(
    target: Target, client: ConversationClient, environ: Mapping[str, str]
) -> tuple[str, str] | None:
    """The scenario's two users: the emulator's, the environment's, or the server's first two."""
    if target.embedded:
        return EMULATOR_USERS
    named = [name.strip() for name in environ.get(USERS_VARIABLE, "").split(",") if name.strip()]
    if not named:
        named = [str(user.name) for user in client.users.list(page_size=2, limit=2)]
    return (named[0], named[1]) if len(named) >= 2 else None


def _scenario(target: Target, environ: Mapping[str, str]) -> bool:
    """Run the scenario; False if the server failed it."""
    with ConversationClient(
        application_id=target.application_id,
        private_key=target.private_key_pem,
        base_url=target.base_url,
    ) as client:
        try:
            users = scenario_users(target, client, environ)
            if users is None:
                print(f"skipped: the scenario needs two users (set {USERS_VARIABLE})")
                return True
            run_scenario(client, users)
        except ConversationAPIError as error:
            print(f"the scenario failed: {error}")
            return False
    return True


def main(argv: list[str], environ: Mapping[str, str] = os.environ) -> int:
    """Run the scenario, then the conformance suite, against the same server."""
    commands = parser(
        prog="python -m vonage_conversation_conformance.main_job",
        description="A short conversation through the client, then the conformance suite.",
    )
    try:
        options = options_from(commands.parse_args(argv))
        with open_target(options, users=EMULATOR_USERS, environ=environ) as target:
            print(f"== 1. a short conversation through the client, on {where(target)}")
            scenario_ok = _scenario(target, environ)
            print(f"\n== 2. the conformance suite, on {where(target)}", flush=True)
            result = check(target, options, environ=environ)
    except (ValueError, TargetError, ConformanceError) as error:
        print(f"main job: {error}", file=sys.stderr)
        return 2
    print("\n" + summary(result, target=where(target)))
    return 0 if scenario_ok and not result.failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

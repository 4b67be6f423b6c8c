"""`vonage-conversation conformance`: check a server against the spec with schemathesis.

Without --url it checks the embedded emulator, started on a free port. With --url it checks
that server, signing requests with the given credentials or the VONAGE_* environment. The
epilog of `--help` lists the environment variables, the checks and the exit statuses.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

from vonage_conversation._cli import CommandParser

from ._arguments import rate_limit, report_path, shard
from ._junit import MergeError, merge_junit
from ._options import PHASES, OptionError, Options, schemathesis_checks
from ._preflight import PreflightError
from ._report import console, render
from ._runner import Outcome, run_conformance
from ._schemathesis import ConformanceError
from ._target import TargetError
from ._verdict import ExitCode
from .callbacks import CALLBACK_CHECK_NAMES, callback_url, listen_address
from .semantic import SEMANTIC_CHECKS

__all__ = ["EPILOG", "PROG", "main", "merge_main", "options_from", "parser"]

PROG = "vonage-conversation conformance"
# schemathesis's own limit on --workers.
MAX_WORKERS = 64

EPILOG = """\
environment:
  VONAGE_APPLICATION_ID     the application id, when --application-id is not given
  VONAGE_PRIVATE_KEY_PATH   the private key's file, when --private-key is not given
  VONAGE_PRIVATE_KEY        or the private key's PEM text itself
  VONAGE_CONFORMANCE_USER   existing users to make members of, name[,name...]
                            (default: the first five the server lists; the first one is
                            asked members/me and owns the run's fixture)
  VONAGE_SIGNATURE_SECRET   the secret deliveries are signed with, when --signature-secret
                            is not given (the callbacks phase checks their signatures)

what it does:
  a preflight (one signed GET /v0.3/conversations: reachable? credentials accepted? this
  API? and once more signed by another key: refused?), a setup (conversations, members,
  events and a leg the valid requests use), the schemathesis phases, the deletion of every
  conversation they made, then the semantic phase (the API's own rules, on data of its own,
  deleted after).

exit status:
  0  the server conforms: every selected operation verified (a 2xx answer passed every check
     of success responses), and no check failed
  1  failures found: a check failed or errored, or a request got no answer
  2  the run could not happen: unreachable, credentials refused, not a Conversation API,
     unknown option values
  3  no failure found, but incomplete: some operation was never verified (listed with why),
     or the --max-time budget ran out; a run of the semantic phase alone verifies nothing,
     and is judged on its checks

merging the JUnit reports of a sharded run (--shard I/N on N machines):
  vonage-conversation conformance merge-junit 1.xml 2.xml ... -o all.xml
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _workers(text: str) -> int:
    value = _positive(text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_WORKERS}")
    return value


def _checked(parse: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type from a parser raising `ValueError` (its message, one line)."""

    def parsed(text: str) -> object:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parsed


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def parser(
    prog: str = PROG,
    description: str = "Check a Conversation API server against openapi/conversation.yaml.",
) -> argparse.ArgumentParser:
    """The command's arguments, exactly as documented."""
    schemathesis = "\n  ".join(textwrap.wrap(", ".join(schemathesis_checks()), 76))
    semantic = "\n  ".join(textwrap.wrap(", ".join(SEMANTIC_CHECKS), 76))
    callbacks = "\n  ".join(textwrap.wrap(", ".join(CALLBACK_CHECK_NAMES), 76))
    commands = CommandParser(
        prog=prog,
        description=description,
        epilog=f"{EPILOG}\nchecks (schemathesis's phases):\n  {schemathesis}\n"
        f"semantic checks (the semantic phase; see the README for the rule each enforces):\n"
        f"  {semantic}\ncallback checks (the callbacks phase):\n  {callbacks}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    target = commands.add_argument_group("the server")
    target.add_argument("--url", help="the server to check (default: the embedded emulator)")
    target.add_argument("--application-id", help="default: $VONAGE_APPLICATION_ID")
    target.add_argument("--private-key", type=Path, help="default: $VONAGE_PRIVATE_KEY_PATH")
    effort = commands.add_argument_group("how hard")
    effort.add_argument(
        "--max-examples",
        type=_positive,
        default=100,
        help="at most this many requests per operation in the examples and fuzzing phases, "
        "and scenarios in the stateful phase (default: 100); it does not bound the coverage "
        "phase, which sends each boundary and invalid value it derives from the spec once",
    )
    effort.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help=f"concurrent requests, 1 to {MAX_WORKERS} (default: 1)",
    )
    effort.add_argument(
        "--seed",
        type=int,
        help="the random seed of the generated data (default: a fresh one, printed in the "
        "report): give it again to send the same requests",
    )
    effort.add_argument(
        "--phases",
        type=_names,
        default=PHASES,
        help=f"comma-separated, of {','.join(PHASES)} (default: all)",
    )
    effort.add_argument(
        "--rate-limit",
        type=rate_limit,
        help="at most this many requests, e.g. 100/m or 10/s (default: none)",
    )
    effort.add_argument(
        "--max-time",
        type=_seconds,
        metavar="SECONDS",
        help="a time budget, counted from the end of the preflight: then the run stops "
        "cleanly (a schemathesis phase is interrupted, no phase starts, what it made is "
        "deleted) and reports what it reached, as incomplete (exit 3) unless something failed",
    )
    effort.add_argument(
        "--request-timeout", type=_seconds, help="seconds a response may take (default: none)"
    )
    effort.add_argument(
        "--max-failures", type=_positive, help="stop after this many failures (default: none)"
    )
    selection = commands.add_argument_group("what to check")
    selection.add_argument(
        "--checks", type=_names, default=(), help="comma-separated check names (default: all)"
    )
    selection.add_argument(
        "--exclude-checks", type=_names, default=(), help="comma-separated check names"
    )
    selection.add_argument(
        "--operation-id",
        dest="operation_ids",
        action="append",
        default=[],
        help="check only this operation (repeatable; default: every operation)",
    )
    selection.add_argument(
        "--path", dest="paths", action="append", default=[], help="check only this path"
    )
    selection.add_argument(
        "--exclude-operation-id",
        dest="exclude_operation_ids",
        action="append",
        default=[],
        help="leave this operation out (repeatable), e.g. deleteLeg",
    )
    selection.add_argument(
        "--exclude-path",
        dest="exclude_paths",
        action="append",
        default=[],
        help="leave this path's operations out (repeatable), e.g. /v0.3/legs/{leg_id}",
    )
    selection.add_argument(
        "--shard",
        type=shard,
        metavar="I/N",
        help="check only the I-th of N shards of the selected operations (dealt in turn, in "
        "the spec's order), so that N machines together check them all, each once; merge "
        f"their --junit-xml files with `{PROG} merge-junit`",
    )
    delivery = commands.add_argument_group(
        "the callbacks phase",
        "The last phase: a conversation's events delivered to a receiver the run serves "
        "(skipped, with the reason, when the server cannot reach it).",
    )
    delivery.add_argument(
        "--callback-url",
        type=_checked(callback_url),
        help="the receiver's public http(s) URL, as the server will call it (default: a "
        "loopback receiver, for a server on this machine); needs --callback-listen",
    )
    delivery.add_argument(
        "--callback-listen",
        type=_checked(listen_address),
        metavar="HOST:PORT",
        help="where the receiver listens: the address --callback-url is forwarded to",
    )
    delivery.add_argument(
        "--signature-secret",
        help="check each delivery's signature with it (default: $VONAGE_SIGNATURE_SECRET; the "
        "embedded emulator signs with it, or with a secret of the run's own)",
    )
    report = commands.add_argument_group("the report")
    report.add_argument("--junit-xml", type=report_path, help="write a JUnit XML report here")
    report.add_argument(
        "--html",
        type=report_path,
        metavar="PATH",
        help="write the report as one self-contained HTML file here, to share: the verdict, "
        "phases, operations x checks, coverage, and failures with their curl commands",
    )
    report.add_argument(
        "--verbose", action="store_true", help="add a table of every check on every operation"
    )
    return commands


def options_from(args: argparse.Namespace) -> Options:
    """The run's options from parsed arguments; ValueError for a combination that makes none."""
    if args.url is None and (args.application_id or args.private_key):
        raise ValueError("--application-id and --private-key go with --url")
    if (args.callback_url is None) != (args.callback_listen is None):
        raise ValueError(
            "--callback-url and --callback-listen go together: the public URL, and the "
            "address it is forwarded to"
        )
    return Options(
        url=args.url,
        application_id=args.application_id,
        private_key=args.private_key,
        max_examples=args.max_examples,
        workers=args.workers,
        seed=args.seed,
        junit_xml=args.junit_xml,
        phases=tuple(args.phases),
        rate_limit=args.rate_limit,
        request_timeout=args.request_timeout,
        max_failures=args.max_failures,
        checks=tuple(args.checks),
        exclude_checks=tuple(args.exclude_checks),
        operation_ids=tuple(args.operation_ids),
        paths=tuple(args.paths),
        exclude_operation_ids=tuple(args.exclude_operation_ids),
        exclude_paths=tuple(args.exclude_paths),
        verbose=args.verbose,
        max_time=args.max_time,
        html=args.html,
        shard=args.shard,
        callback_url=args.callback_url,
        callback_listen=args.callback_listen,
        signature_secret=args.signature_secret or None,
    )


def report(outcome: Outcome, options: Options) -> int:
    """Print the run's summary (its JUnit report, if asked for, is written as the run ends);
    the exit status."""
    out = console(file=sys.stdout)
    out.print()
    render(outcome.summary, out, verbose=options.verbose)
    for error in outcome.summary.unwritten:
        print(f"{PROG}: {error}", file=sys.stderr)
    return int(ExitCode.COULD_NOT_RUN) if outcome.summary.unwritten else int(outcome.code)


def merge_main(argv: list[str]) -> int:
    """`conformance merge-junit A.xml B.xml -o all.xml`: one JUnit report of a sharded run."""
    merging = CommandParser(
        prog=f"{PROG} merge-junit",
        description="Merge the JUnit reports of the shards of a run (--shard I/N) into one.",
    )
    merging.add_argument("reports", nargs="+", type=Path, help="the shards' --junit-xml files")
    merging.add_argument("-o", "--output", required=True, type=report_path, help="the merged file")
    try:
        args = merging.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        tests, failures, errors, skipped = merge_junit(args.reports, args.output)
    except (MergeError, OSError) as error:
        print(f"{merging.prog}: {error}", file=sys.stderr)
        return 2
    print(
        f"{args.output}: {tests} tests, {failures} failures, {errors} errors, {skipped} skipped "
        f"from {len(args.reports)} reports"
    )
    return 0


def main(argv: list[str], environ: Mapping[str, str] = os.environ) -> int:
    """Run the command; the exit status says whether the server conforms."""
    if argv[:1] == ["merge-junit"]:
        return merge_main(argv[1:])
    try:
        options = options_from(parser().parse_args(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except ValueError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    try:
        outcome = run_conformance(options, environ=environ)
    except (OptionError, TargetError, PreflightError, ConformanceError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    return report(outcome, options)

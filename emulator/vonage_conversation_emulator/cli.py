"""``vonage-conversation emulator``: run the emulator from the shell.

    vonage-conversation emulator [--host 127.0.0.1] [--port 8080] [--db PATH]
        [--application-id ID] [--public-key PEM_PATH] [--application ID=PEM_PATH ...]
        [--seed USERS.json] [--signature-secret SECRET] [--delivery-attempts N]
        [--delivery-backoff SECONDS] [--delivery-window SECONDS] [--rate-limit [N]]

One process serves any number of applications, each with its own data, users and clock:
``--application ID=PEM_PATH`` (repeatable) adds one, accepting JWTs signed by the private key
matching that PEM file; ``--application-id`` with ``--public-key`` adds one the same way. Given
no ``--public-key``, it also serves (unless only ``--application`` options are given) an
application whose key pair it keeps in its state folder (see ``keys``; made on first run, id
``--application-id`` when given), prints its id, the private key's path and the ``export``
lines a client needs, and writes those lines to ``<state folder>/env`` to be sourced. It
lists every application it serves; the last line it prints, once it accepts connections, is
``... ready at <URL>``. SIGINT or SIGTERM stop it cleanly. The rows of a ``--db`` file of
schema 3 (before applications) become the first application's.

Events are delivered to their conversation's ``callback.url`` (see ``delivery``), signed with
``--signature-secret`` (else ``$VONAGE_SIGNATURE_SECRET``; unsigned when neither is set) and
retried on the ``--delivery-*`` schedule: the first retry after ``--delivery-backoff`` seconds
(1), doubling, for at most ``--delivery-attempts`` attempts (10) within ``--delivery-window``
seconds (3600). With ``--db`` a delivery still pending when the process dies is sent by the
next one.

``--rate-limit [N]`` limits each application to N requests a second (15 when N is left out),
answering 429 with ``Retry-After`` over it; off by default. The Conversation API publishes no
limit: 15 is what Vonage publishes for its REST APIs (see ``ratelimit``). Options are never
abbreviated (``--sig`` is an error, not ``--signature-secret``). ``--help`` lists every
default, the environment it reads and the exit statuses (0 a clean stop, 1 the address cannot
be listened on, 2 bad arguments or an unusable ``--db``).

Why over 400 lines: most of it is the command's interface as ``--help`` shows it (each
option, its default, the epilog) and the one-line errors of each option's bad values.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from .app import create_app
from .delivery import DeliveryPolicy
from .keys import STATE_DIR_ENV, default_state_dir, ensure_credentials, load_public_key
from .ratelimit import DEFAULT_RATE
from .seed import read_seed_file
from .server import base_url, bind_socket, make_server, serve_foreground
from .storage import SQLiteStore

__all__ = ["main"]

PROG = "vonage-conversation emulator"
SECRET_VARIABLE = "VONAGE_SIGNATURE_SECRET"
ENV_FILE = "env"

EPILOG = f"""\
environment:
  {SECRET_VARIABLE}
      the signature secret when --signature-secret is not given (unset: unsigned)
  {STATE_DIR_ENV}
      the state folder (default: $XDG_STATE_HOME/vonage-conversation-emulator, else
      ~/.local/state/vonage-conversation-emulator)

files:
  <state folder>/application_id, <state folder>/private.key
      the application the emulator keeps for you (made on first run), served unless
      --public-key is given or only --application options are
  <state folder>/{ENV_FILE}
      the export lines a client needs to reach it (VONAGE_APPLICATION_ID,
      VONAGE_PRIVATE_KEY_PATH, VONAGE_API_HOST), written at each start: source it

exit status:
  0  stopped cleanly (SIGINT or SIGTERM)
  1  cannot listen on --host/--port
  2  bad arguments, or a --db that cannot be used
"""


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: 0 to 65535 (0: any free port)")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr (and exit status 2), not the usage."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _secret(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("a signature secret is not empty")
    return text


def _number(kind: type[int] | type[float]) -> Any:
    def read(text: str) -> int | float:
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None

    read.__name__ = kind.__name__
    return read


def _rate(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} requests a second: give 1 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    policy = DeliveryPolicy()
    parser = _Parser(
        prog=PROG,
        description="Run a stateful local Vonage Conversation API server.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=8080,
        help="port to listen on, 0: any free one (default: %(default)s)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite file keeping state across restarts, made if missing, in an existing folder "
        "(default: in memory, lost on exit)",
    )
    parser.add_argument(
        "--application-id",
        metavar="ID",
        help="the id of the application of --public-key, or of the state folder's key pair "
        "(default: the state folder's, else a new uuid)",
    )
    parser.add_argument(
        "--public-key",
        type=Path,
        metavar="PEM_PATH",
        help="PEM file with that application's public (or private) key "
        "(default: the state folder's key pair)",
    )
    parser.add_argument(
        "--application",
        type=_application,
        action="append",
        default=[],
        metavar="ID=PEM_PATH",
        help="serve one more application: its id and a PEM file with its public (or private) "
        "key; repeatable (default: none)",
    )
    parser.add_argument(
        "--seed",
        type=Path,
        metavar="USERS.json",
        help='JSON list of users every application starts with: [{"name": "alice"}, ...] '
        "(default: none)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        nargs="?",
        const=DEFAULT_RATE,
        metavar="N",
        help=f"answer 429 past N requests a second per application ({DEFAULT_RATE} if N is "
        "left out; default: no limit; the Conversation API publishes none)",
    )
    delivery = parser.add_argument_group("callback delivery")
    delivery.add_argument(
        "--signature-secret",
        type=_secret,
        metavar="SECRET",
        help=f"sign deliveries with it (default: ${SECRET_VARIABLE}; unset: unsigned)",
    )
    delivery.add_argument(
        "--delivery-attempts",
        type=_number(int),
        metavar="N",
        help=f"attempts in all (default: {policy.max_attempts})",
    )
    delivery.add_argument(
        "--delivery-backoff",
        type=_number(float),
        metavar="SECONDS",
        help=f"wait before the first retry, doubling after (default: {policy.initial:g})",
    )
    delivery.add_argument(
        "--delivery-window",
        type=_number(float),
        metavar="SECONDS",
        help=f"no retry later than this after the event (default: {policy.window:g})",
    )
    return parser


@dataclass(frozen=True)
class _Application:
    """One application to serve: ``--application ID=PEM_PATH``, read."""

    application_id: str
    public_key: RSAPublicKey
    path: Path


def _read_key(path: Path) -> RSAPublicKey:
    """The RSA key of a PEM file; ValueError naming the file for anything else."""
    try:
        return load_public_key(path.read_bytes())
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ValueError(f"{path}: not an RSA key in PEM ({error})") from None


def _application(text: str) -> _Application:
    application_id, equals, path = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"{text!r} is not ID=PEM_PATH")
    if not application_id.strip():
        raise argparse.ArgumentTypeError(f"{text!r} has an empty application id")
    if not path:
        raise argparse.ArgumentTypeError(f"{text!r} has no PEM file")
    try:
        return _Application(application_id, _read_key(Path(path)), Path(path))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


_POLICY_OPTIONS = {
    "max_attempts": "--delivery-attempts",
    "initial": "--delivery-backoff",
    "window": "--delivery-window",
}


def _delivery_policy(args: argparse.Namespace) -> DeliveryPolicy:
    """The retry schedule the options set; ValueError naming the option of a bad value."""
    values = {
        name: getattr(args, option.removeprefix("--").replace("-", "_"))
        for name, option in _POLICY_OPTIONS.items()
    }
    values = {name: value for name, value in values.items() if value is not None}
    if "initial" in values:
        # The longest wait follows a first one set past it, rather than refusing the option.
        values["max_delay"] = max(DeliveryPolicy().max_delay, values["initial"])
    try:
        return DeliveryPolicy(**values)
    except ValueError as error:
        message = str(error).removeprefix("delivery policy: ")
        for name, option in _POLICY_OPTIONS.items():
            message = message.replace(f"{name} must", f"{option} must")
        raise ValueError(message) from None


@dataclass(frozen=True)
class _Credentials:
    application_id: str
    public_key: RSAPublicKey
    private_key_path: Path | None
    """Set when the emulator made the key pair (so it can tell the user where it is)."""
    state_dir: Path | None


def _credentials(args: argparse.Namespace) -> list[_Credentials]:
    """Every application to serve, the first one's data being a schema 3 file's; ValueError
    naming the option of a bad one."""
    served: list[_Credentials] = []
    if args.public_key is not None:
        if not args.application_id:
            raise ValueError("--public-key needs --application-id")
        served.append(_Credentials(args.application_id, _read_key(args.public_key), None, None))
    elif args.application_id is not None or not args.application:
        state_dir = default_state_dir()
        stored = ensure_credentials(state_dir, args.application_id)
        served.append(
            _Credentials(
                stored.application_id, stored.public_key, stored.private_key_path, state_dir
            )
        )
    for application in args.application:
        if any(c.application_id == application.application_id for c in served):
            raise ValueError(
                f"argument --application: {application.application_id!r} is served twice"
            )
        served.append(_Credentials(application.application_id, application.public_key, None, None))
    return served


def _export_lines(credentials: _Credentials, url: str) -> list[str]:
    values = {"VONAGE_APPLICATION_ID": credentials.application_id}
    if credentials.private_key_path is not None:
        values["VONAGE_PRIVATE_KEY_PATH"] = str(credentials.private_key_path)
    values["VONAGE_API_HOST"] = url
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]


def _announce_lines(served: Sequence[_Credentials], db: str | None, url: str) -> list[str]:
    """What the command prints before its ready line: every application, then the exports of
    the first (the one the state folder's env file holds)."""
    lines = []
    for credentials in served:
        lines.append(f"application id: {credentials.application_id}")
        if credentials.private_key_path is not None:
            lines.append(f"private key:    {credentials.private_key_path}")
    lines.append(f"database:       {db or 'in memory'}")
    return lines + _export_lines(served[0], url)


@contextmanager
def _quiet_signals() -> Iterator[None]:
    # uvicorn handles SIGINT/SIGTERM while serving, then re-raises the signal once it has shut
    # down; a no-op handler lets that re-raise end in a normal return with status 0.
    def ignore(signum: int, frame: Any) -> None:
        return None

    previous = {sig: signal.signal(sig, ignore) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str], environ: Mapping[str, str] | None = None) -> int:
    """Run the emulator until SIGINT/SIGTERM; 0 after a clean stop, 1 when it cannot listen,
    2 on bad arguments or an unusable ``--db``. ``environ`` (``os.environ`` by default) is
    where ``VONAGE_SIGNATURE_SECRET`` is read."""
    environ = os.environ if environ is None else environ
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    secret = args.signature_secret or environ.get(SECRET_VARIABLE) or None
    try:
        policy = _delivery_policy(args)
        served = _credentials(args)
        seeds = read_seed_file(args.seed) if args.seed is not None else []
    except (OSError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as error:
        print(f"{PROG}: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    url = base_url(sock)
    try:
        store = SQLiteStore(args.db)
    except ValueError as error:
        print(f"{PROG}: --db {error}", file=sys.stderr)
        sock.close()
        return 2
    try:
        try:
            app = create_app(
                applications={c.application_id: c.public_key for c in served},
                store=store,
                seed=seeds,
                signature_secret=secret,
                delivery_policy=policy,
                rate_limit=args.rate_limit,
            )
        except ValueError as error:
            print(f"{PROG}: --db {error}", file=sys.stderr)
            return 2
        lines = _announce_lines(served, args.db, url)
        if served[0].state_dir is not None:
            exports = _export_lines(served[0], url)
            (served[0].state_dir / ENV_FILE).write_text("\n".join(exports) + "\n", "utf-8")

        def announce() -> None:
            print("\n".join(lines))
            print(f"Vonage Conversation API emulator ready at {url}", flush=True)

        with _quiet_signals():
            serve_foreground(make_server(app), sock, announce)
    finally:
        store.close()
        sock.close()
    return 0

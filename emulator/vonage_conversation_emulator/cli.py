"""``vonage-conversation emulator``: run the emulator from the shell.

    vonage-conversation emulator [--host 127.0.0.1] [--port 8080] [--db PATH]
        [--application-id ID] [--public-key PEM_PATH] [--seed USERS.json]
        [--signature-secret SECRET] [--delivery-attempts N] [--delivery-backoff SECONDS]
        [--delivery-window SECONDS] [--rate-limit [N]]

Given ``--application-id`` and ``--public-key``, it accepts JWTs signed by the matching private
key. Given no key, it uses (making it on first run) a key pair in its state folder (see
``keys``), prints the application id, the private key's path and the ``export`` lines a client
needs, and writes those lines to ``<state folder>/env`` to be sourced. The last line it prints,
once it accepts connections, is ``... ready at <URL>``. SIGINT or SIGTERM stop it cleanly.

Events are delivered to their conversation's ``callback.url`` (see ``delivery``), signed with
``--signature-secret`` (else ``$VONAGE_SIGNATURE_SECRET``; unsigned when neither is set) and
retried on the ``--delivery-*`` schedule: the first retry after ``--delivery-backoff`` seconds
(1), doubling, for at most ``--delivery-attempts`` attempts (10) within ``--delivery-window``
seconds (3600). With ``--db`` a delivery still pending when the process dies is sent by the
next one.

``--rate-limit [N]`` limits each application to N requests a second (15 when N is left out),
answering 429 with ``Retry-After`` over it; off by default. The Conversation API publishes no
limit: 15 is what Vonage publishes for its REST APIs (see ``ratelimit``). Options are never
abbreviated (``--sig`` is an error, not ``--signature-secret``).
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from .app import create_app
from .delivery import DeliveryPolicy
from .keys import default_state_dir, ensure_credentials, load_public_key
from .ratelimit import DEFAULT_RATE
from .seed import read_seed_file, seed_users
from .server import base_url, bind_socket, make_server, serve_foreground
from .storage import SQLiteStore

__all__ = ["main"]

PROG = "vonage-conversation emulator"
SECRET_VARIABLE = "VONAGE_SIGNATURE_SECRET"


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
    parser = _Parser(prog=PROG, description="Run a stateful local Vonage Conversation API server.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8080, help="port to listen on (0: any)")
    parser.add_argument("--db", help="SQLite file keeping state across restarts (default: memory)")
    parser.add_argument("--application-id", help="the application id JWTs must carry")
    parser.add_argument(
        "--public-key", type=Path, help="PEM file with the application's public (or private) key"
    )
    parser.add_argument("--seed", type=Path, help='JSON list of users: [{"name": "alice"}, ...]')
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
        "--delivery-attempts", type=_number(int), metavar="N", help="attempts in all (10)"
    )
    delivery.add_argument(
        "--delivery-backoff",
        type=_number(float),
        metavar="SECONDS",
        help="wait before the first retry, doubling after (1)",
    )
    delivery.add_argument(
        "--delivery-window",
        type=_number(float),
        metavar="SECONDS",
        help="no retry later than this after the event (3600)",
    )
    return parser


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


def _credentials(args: argparse.Namespace) -> _Credentials:
    if args.public_key is not None:
        if not args.application_id:
            raise ValueError("--public-key needs --application-id")
        try:
            key = load_public_key(args.public_key.read_bytes())
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            raise ValueError(f"{args.public_key}: not an RSA key in PEM ({error})") from None
        return _Credentials(args.application_id, key, None, None)
    state_dir = default_state_dir()
    stored = ensure_credentials(state_dir, args.application_id)
    return _Credentials(
        stored.application_id, stored.public_key, stored.private_key_path, state_dir
    )


def _export_lines(credentials: _Credentials, url: str) -> list[str]:
    values = {"VONAGE_APPLICATION_ID": credentials.application_id}
    if credentials.private_key_path is not None:
        values["VONAGE_PRIVATE_KEY_PATH"] = str(credentials.private_key_path)
    values["VONAGE_API_HOST"] = url
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]


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
    """Run the emulator until SIGINT/SIGTERM; 0 after a clean stop, 2 on bad arguments.
    ``environ`` (``os.environ`` by default) is where ``VONAGE_SIGNATURE_SECRET`` is read."""
    environ = os.environ if environ is None else environ
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    secret = args.signature_secret or environ.get(SECRET_VARIABLE) or None
    try:
        policy = _delivery_policy(args)
        credentials = _credentials(args)
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
        seed_users(store, seeds)
        app = create_app(
            application_id=credentials.application_id,
            public_key=credentials.public_key,
            store=store,
            signature_secret=secret,
            delivery_policy=policy,
            rate_limit=args.rate_limit,
        )
        exports = _export_lines(credentials, url)
        if credentials.state_dir is not None:
            (credentials.state_dir / "env").write_text("\n".join(exports) + "\n", "utf-8")

        def announce() -> None:
            print(f"application id: {credentials.application_id}")
            if credentials.private_key_path is not None:
                print(f"private key:    {credentials.private_key_path}")
            print(f"database:       {args.db or 'in memory'}")
            print("\n".join(exports))
            print(f"Vonage Conversation API emulator ready at {url}", flush=True)

        with _quiet_signals():
            serve_foreground(make_server(app), sock, announce)
    finally:
        store.close()
        sock.close()
    return 0

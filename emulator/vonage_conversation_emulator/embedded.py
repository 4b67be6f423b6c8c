"""``run_emulator()``: an emulator on a free loopback port for the length of a ``with`` block,
with credentials ready to use, for examples, tests and the conformance suite.
``EmulatorInstance.add_application`` serves one more application on the same server: its data
is apart from every other's, as on the real service."""

from __future__ import annotations

import dataclasses
import functools
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import jwt

from .app import EmulatorApp, create_app
from .clock import Clock, system_clock
from .control import EmulatorControl
from .delivery import DeliveryPolicy
from .keys import generate_private_key_pem, load_public_key
from .seed import SeedUser
from .server import BackgroundServer

__all__ = ["EmulatorHandle", "EmulatorInstance", "mint_token", "run_emulator"]

P = ParamSpec("P")
T = TypeVar("T")


def mint_token(
    private_key_pem: str | bytes,
    application_id: str,
    *,
    sub: str | None = None,
    acl: Mapping[str, Any] | None = None,
    ttl: int = 900,
    now: float | None = None,
    **claims: Any,
) -> str:
    """A Vonage JWT (RS256): ``sub`` makes it a user JWT, ``acl`` limits its paths; issued at
    ``now`` (seconds since the epoch; the machine's time when None)."""
    now = int(time.time() if now is None else now)
    payload: dict[str, Any] = {
        "application_id": application_id,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
    }
    if sub is not None:
        payload["sub"] = sub
    if acl is not None:
        payload["acl"] = dict(acl)
    payload.update(claims)
    return jwt.encode(payload, private_key_pem, algorithm="RS256")


class _control_method(Generic[P, T]):  # noqa: N801 (read as a decorator)
    """A handle's method that is its control client's ``method``: the same signature, the same
    documentation, one definition."""

    def __init__(self, method: Callable[Concatenate[EmulatorControl, P], T]) -> None:
        self._method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, handle: None, owner: type) -> _control_method[P, T]: ...

    @overload
    def __get__(self, handle: EmulatorHandle, owner: type | None = None) -> Callable[P, T]: ...

    def __get__(
        self, handle: EmulatorHandle | None, owner: type | None = None
    ) -> Callable[P, T] | _control_method[P, T]:
        if handle is None:
            return self  # looked up on the class (help(), the docs)
        bound: Callable[P, T] = functools.partial(self._method, handle.control)
        return functools.update_wrapper(bound, self._method)


@dataclass(frozen=True)
class EmulatorHandle:
    """One application on a running emulator, wherever it runs: where it is, the credentials
    it accepts, the secret its deliveries are signed with (None: unsigned), and its controls
    (``reset``, ``snapshot``/``restore``, the clock, faults: ``/_emulator/...``, see
    ``admin_spec``).

    Tokens are issued on the application's clock as this handle last saw it (its own
    ``advance``/``set_time``/``reset``/``now``): move the clock through the handle, and
    ``token()`` keeps minting tokens the emulator accepts.
    """

    base_url: str
    application_id: str
    private_key_pem: str
    signature_secret: str | None = field(default=None, repr=False)

    @functools.cached_property
    def control(self) -> EmulatorControl:
        """The emulator's own routes as a client, authenticated as this application."""
        return EmulatorControl(self.base_url, self.token)

    def close(self) -> None:
        """Close the controls' connections (the emulator keeps running)."""
        if "control" in self.__dict__:
            self.control.close()

    def timestamp(self) -> float:
        """The application's time in seconds since the epoch (what ``token()`` issues at)."""
        return time.time() + (self.control.offset_seconds or 0.0)

    def token(
        self,
        *,
        sub: str | None = None,
        acl: Mapping[str, Any] | None = None,
        ttl: int = 900,
        **claims: Any,
    ) -> str:
        """A JWT this emulator accepts (see ``mint_token``), issued at the application's time:
        the emulator checks it on that clock, however far ``/_emulator/clock`` moved it."""
        return mint_token(
            self.private_key_pem,
            self.application_id,
            sub=sub,
            acl=acl,
            ttl=ttl,
            now=self.timestamp(),
            **claims,
        )

    @property
    def env(self) -> dict[str, str]:
        """The environment a client's ``from_env()`` reads to reach this emulator."""
        return {
            "VONAGE_APPLICATION_ID": self.application_id,
            "VONAGE_PRIVATE_KEY": self.private_key_pem,
            "VONAGE_API_HOST": self.base_url,
        }

    # The controls, each the control client's method of the same name, for this application.
    reset = _control_method(EmulatorControl.reset)
    snapshot = _control_method(EmulatorControl.snapshot)
    restore = _control_method(EmulatorControl.restore)
    advance = _control_method(EmulatorControl.advance)
    set_time = _control_method(EmulatorControl.set_time)
    now = _control_method(EmulatorControl.now)
    fail = _control_method(EmulatorControl.fail)
    clear_faults = _control_method(EmulatorControl.clear_faults)
    faults = _control_method(EmulatorControl.faults)


@dataclass(frozen=True)
class EmulatorInstance(EmulatorHandle):
    """An application on an emulator running in this process (``run_emulator``): a handle
    with the running ``app`` itself, whose clock it reads directly."""

    app: EmulatorApp = field(kw_only=True, repr=False)

    def timestamp(self) -> float:
        """The application's time, read from the app's clocks."""
        return self.app.clocks.timestamp(self.application_id)

    def add_application(
        self, application_id: str | None = None, private_key_pem: str | None = None
    ) -> EmulatorInstance:
        """Serve one more application on this emulator (a new uuid unless ``application_id``;
        this process's key unless ``private_key_pem``), starting with the seed users; the
        instance holding its credentials. ValueError for an id served already."""
        pem = private_key_pem if private_key_pem is not None else _default_private_key()
        new_id = application_id or str(uuid.uuid4())
        self.app.add_application(new_id, load_public_key(pem.encode()))
        return dataclasses.replace(self, application_id=new_id, private_key_pem=pem)


@functools.cache
def _default_private_key() -> str:
    # RSA key generation takes a noticeable moment; one key per process is enough, since each
    # application gets its own id: the key picked is the token's application_id's, and its
    # data is that application's alone.
    return generate_private_key_pem().decode()


@contextmanager
def run_emulator(
    *,
    db: str | os.PathLike[str] | None = None,
    application_id: str | None = None,
    private_key_pem: str | bytes | None = None,
    seed: Iterable[SeedUser] = (),
    clock: Clock = system_clock,
    signature_secret: str | None = None,
    delivery_policy: DeliveryPolicy | None = None,
) -> Iterator[EmulatorInstance]:
    """Start an emulator on 127.0.0.1 (a free port) and stop it when the block ends.

    ``db`` keeps state in a SQLite file (memory by default); ``seed`` creates users first (in
    every application, including those added later).
    Without ``private_key_pem``/``application_id`` it makes its own. Events are delivered to
    their conversations' callbacks, signed with ``signature_secret`` (unsigned when None),
    retried on ``delivery_policy`` (see `create_app`).
    """
    if private_key_pem is None:
        private_key_pem = _default_private_key()
    pem = private_key_pem.decode() if isinstance(private_key_pem, bytes) else private_key_pem
    application_id = application_id or str(uuid.uuid4())
    app = create_app(
        application_id=application_id,
        public_key=load_public_key(pem.encode()),
        db=db,
        clock=clock,
        seed=seed,
        signature_secret=signature_secret,
        delivery_policy=delivery_policy,
    )
    try:
        with BackgroundServer(app) as server:
            instance = EmulatorInstance(
                server.url, application_id, pem, app.signature_secret, app=app
            )
            try:
                yield instance
            finally:
                instance.close()
    finally:
        app.store.close()

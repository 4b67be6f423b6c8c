"""The ASGI application: every request goes route -> auth -> body -> validation -> handler.

1. route: the served spec's paths and methods (404 unknown path, 405 wrong method);
2. auth: the JWT (401), then its ACL (403);
3. body: at most 1 MiB (a snapshot's restore: 256 MiB), refused from ``Content-Length``
   before reading, or as soon as a streamed body passes the limit (413);
4. validation: the spec's checks compiled at start-up, openapi-core for what they do not
   accept (400 naming the field);
5. handler: one storage transaction (writers take the write lock up front), off the event loop
   in a worker thread when the store is a file (a writer may wait on another process's lock),
   on it when the store is in memory: there one lock serializes every transaction anyway, and
   the hop to a thread and back cost more than the handler (a create took 600-900 us of CPU in
   a worker thread, 320 us inline, measured under load with benchmarks/load.py). Conversations
   past their ttl are deleted first (`lifecycle`), so no request sees one.

A handler that wrote deliveries (an event whose conversation has a callback wanting it) wakes
the delivery worker once its transaction has committed; the worker (`delivery.DeliveryWorker`,
started and stopped by the ASGI lifespan) sends them in the background, so the request never
waits for a delivery. Only a store the app can read an outbox from (a `SQLiteStore`) delivers.

Between auth and body, a call to one of the API's operations (not the emulator's own,
``/_emulator/...``) takes a token of its application's rate limit when one is set (429, see
``ratelimit``), then any fault set for it (see ``faults``): its latency, then its answer.

One app serves any number of applications, each isolated from the others: a request's
storage transaction is its JWT's application's (it sees only that application's records), and
its time is that application's clock (`clock.ApplicationClocks`). Applications can be added
while serving (`EmulatorApp.add_application`); each starts with the seed users.

Any ApiError on the way becomes the spec's Error body. Anything else is a bug: it is logged
with the ``instance`` id and answered as a 500 Error body, never as a traceback.

Why over 400 lines: this is one request's whole path (each step above, the rate limit and
faults, the ttl reaping, sessions) and the app's construction; split up, a request would be
followed across modules that share the app's state.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

import anyio.to_thread
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from . import lifecycle
from .admin_spec import ADMIN_OPERATION_IDS, RESTORE_SNAPSHOT_OPERATION_ID
from .auth import Authenticator, Principal
from .clock import ApplicationClocks, Clock, format_timestamp, system_clock
from .controls import Controls
from .delivery import DeliveryPolicy, DeliveryWorker, Outbox
from .errors import ApiError, ErrorKind, error_body
from .faults import FaultTable
from .handlers import REGISTRY, Context, Operation, Reply
from .ids import new_id
from .keys import public_keys
from .pagination import CursorCodec, RequestUrl
from .ratelimit import RateLimiter
from .seed import SeedUser, seed_users
from .spec import ServedSpec, served_spec
from .storage import SessionRecord, SQLiteOutbox, SQLiteStore, Store, Transaction, UserRecord
from .validation import Incoming, ValidRequest, validate_request

__all__ = ["MAX_BODY_BYTES", "MAX_SNAPSHOT_BYTES", "EmulatorApp", "create_app"]

MAX_BODY_BYTES = 1024 * 1024
MAX_SNAPSHOT_BYTES = 256 * MAX_BODY_BYTES
"""A restore's limit: every snapshot the emulator answers must be one it can take back."""
logger = logging.getLogger("vonage_conversation_emulator")


@dataclass(frozen=True)
class _Call:
    """One request, validated and authenticated, ready for its handler."""

    operation: Operation
    principal: Principal
    request: ValidRequest
    url: RequestUrl


class EmulatorApp:
    """The emulator as an ASGI application (build it with ``create_app``)."""

    def __init__(
        self,
        *,
        store: Store,
        applications: Mapping[str, RSAPublicKey],
        clock: Clock = system_clock,
        spec: ServedSpec | None = None,
        owns_store: bool = False,
        inline_handlers: bool = False,
        outbox: Outbox | None = None,
        signature_secret: str | None = None,
        delivery_policy: DeliveryPolicy | None = None,
        seed: Iterable[SeedUser] = (),
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        """``applications``: the public key of each application served (at least one), each
        given the ``seed`` users; ``clock`` is the base of every application's clock.
        ``inline_handlers``: run handlers on the event loop, for a store whose transactions
        never wait on another process (see ``create_app``); else in worker threads.
        ``outbox``: the store's outbox, whose deliveries the app's worker sends (signed with
        ``signature_secret`` when given, retried on ``delivery_policy``); None delivers
        nothing. ``seed``: the users every application starts with (a reset creates them
        again).
        ``rate_limiter``: the requests each application may make (None: no limit)."""
        self.spec = spec or served_spec()
        missing = self.spec.operation_ids - REGISTRY.keys()
        extra = REGISTRY.keys() - self.spec.operation_ids
        if missing or extra:
            raise RuntimeError(
                f"handlers and spec disagree: no handler for {sorted(missing)}, "
                f"no operation for {sorted(extra)}"
            )
        if not applications:
            raise ValueError("an emulator serves at least one application")
        self.store = store
        self.clock = clock
        """The base clock (every application's clock is it plus its offset)."""
        self.clocks = ApplicationClocks(clock)
        self.seed: tuple[SeedUser, ...] = tuple(seed)
        """The users every application starts with (and a reset creates again)."""
        self.faults = FaultTable()
        self.rate_limiter = rate_limiter
        self.controls = Controls(
            clocks=self.clocks,
            faults=self.faults,
            operations=self.spec.operation_ids - ADMIN_OPERATION_IDS,
            seed=self.seed,
            forget_sessions=self._forget_sessions,
        )
        for application_id in applications:
            seed_users(store, self.seed, self.clocks.of(application_id), application=application_id)
        self.authenticator = Authenticator(applications, self.clocks)
        self._applications_lock = threading.Lock()
        self._owns_store = owns_store
        self._inline_handlers = inline_handlers
        self._cursors = CursorCodec(store.secret())
        self._known_sessions: set[tuple[str, str]] = set()
        self._sessions_lock = threading.Lock()
        self.signature_secret = signature_secret or None
        self.delivery: DeliveryWorker | None = None
        """The delivery worker (running between the lifespan's startup and shutdown)."""
        if outbox is not None:
            self.delivery = DeliveryWorker(
                outbox,
                policy=delivery_policy,
                secret=self.signature_secret,
                clock=clock,
                # A store whose handlers run on the loop is read by the worker there too.
                inline_outbox=inline_handlers,
            )

    @property
    def applications(self) -> Mapping[str, RSAPublicKey]:
        """The applications served: each one's public key by its id (read-only)."""
        return MappingProxyType(self.authenticator.applications)

    def add_application(self, application_id: str, public_key: RSAPublicKey) -> None:
        """Serve one more application (its tokens are accepted from now on, it starts with
        the seed users); safe while serving. ValueError for an id served already."""
        if not application_id:
            raise ValueError("an application id is not empty")
        with self._applications_lock:
            if application_id in self.authenticator.applications:
                raise ValueError(f"application {application_id!r} is served already")
            seed_users(
                self.store, self.seed, self.clocks.of(application_id), application=application_id
            )
            self.authenticator.add(application_id, public_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            # Websockets are not part of the API: refuse the handshake.
            await receive()
            await send({"type": "websocket.close", "code": 1008})
            return
        request = Request(scope, receive)
        try:
            response = await self._respond(request)
        except ClientDisconnect:
            return  # the client hung up mid-body: nobody to answer, nothing went wrong
        except ApiError as error:
            response = _error_response(error.kind, error.detail, error.headers)
        except Exception:
            instance = uuid.uuid4().hex
            logger.exception("request %s %s failed (%s)", request.method, scope["path"], instance)
            response = _error_response(ErrorKind.INTERNAL, "the emulator failed", {}, instance)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        path: str = request.scope["path"]
        route, variables = self.spec.match(request.method, path)
        principal = self.authenticator.authenticate(request.headers.get("authorization"))
        if not principal.may_call(path):
            raise ApiError(ErrorKind.FORBIDDEN, f"the JWT's acl.paths do not include {path}")
        if route.operation_id not in ADMIN_OPERATION_IDS:
            injected = await self._limit_and_fault(route.operation_id, principal.application_id)
            if injected is not None:
                return injected
        limit = (
            MAX_SNAPSHOT_BYTES
            if route.operation_id == RESTORE_SNAPSHOT_OPERATION_ID
            else MAX_BODY_BYTES
        )
        body = await _read_body(request, limit) if route.accepts_body else None
        incoming = Incoming(path, request.query_params, request.headers, body)
        valid = validate_request(self.spec, route, incoming, variables=variables)
        url = RequestUrl(
            origin=str(request.base_url).rstrip("/"),
            path=path,
            query=request.query_params.multi_items(),
        )
        call = _Call(REGISTRY[route.operation_id], principal, valid, url)
        if self._inline_handlers:
            reply = self._handle(call)
        else:
            reply = await anyio.to_thread.run_sync(self._handle, call)
        if reply.body is None:
            return Response(status_code=reply.status)
        return JSONResponse(reply.body, status_code=reply.status)

    async def _limit_and_fault(self, operation_id: str, application_id: str) -> Response | None:
        """Apply the rate limit (ApiError 429) and the fault a call takes, if any: its wait,
        then its answer (None: the call goes on)."""
        if self.rate_limiter is not None:
            wait = self.rate_limiter.take(application_id)
            if wait is not None:
                raise ApiError(
                    ErrorKind.TOO_MANY_REQUESTS,
                    f"over the rate limit of {self.rate_limiter.rate} requests a second",
                    headers={"Retry-After": str(wait)},
                )
        fault = self.faults.take(application_id, operation_id)
        if fault is None:
            return None
        if fault.latency_ms:
            await anyio.sleep(fault.latency_ms / 1000)
        if fault.status is None:
            return None
        detail = (
            f"injected fault {fault.id} (operation {fault.operation}, status {fault.status}) "
            "answered in place of the emulator; DELETE /_emulator/faults clears it"
        )
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        body = error_body(ErrorKind.INJECTED_FAULT, detail)
        return JSONResponse(body, fault.status, headers=headers)

    def _handle(self, call: _Call) -> Reply:
        """Runs in a worker thread (storage calls block), or inline for a store in memory."""
        deliveries: list[int] = []
        reply = self._transact(call, deliveries)
        if deliveries and self.delivery is not None:
            self.delivery.wake()  # committed: the worker can read them now
        return reply

    def _transact(self, call: _Call, deliveries: list[int]) -> Reply:
        application = call.principal.application_id
        moment = self.clocks.now(application)
        self._record_session(call.principal, moment)
        now = format_timestamp(moment)
        writes = call.operation.writes
        with self.store.transaction(write=writes, application=application) as tx:
            if not lifecycle.expired(tx, now):
                return self._run(call, tx, moment, deliveries)
        # A conversation is past its ttl: delete it first, in a transaction of its own (a
        # handler's error, a 404 for the very conversation, must not roll that back).
        with self.store.transaction(write=True, application=application) as tx:
            lifecycle.reap(tx, now)
        with self.store.transaction(write=writes, application=application) as tx:
            return self._run(call, tx, moment, deliveries)

    def _run(self, call: _Call, tx: Transaction, moment: datetime, deliveries: list[int]) -> Reply:
        """The handler of ``call``, in ``tx``."""
        caller = None
        if call.principal.user_name is not None:
            caller = tx.get(UserRecord, name=call.principal.user_name)
            if caller is None:
                raise ApiError(
                    ErrorKind.FORBIDDEN,
                    f"the JWT's sub names no user: {call.principal.user_name!r}",
                )
        context = Context(
            request=call.request,
            principal=call.principal,
            caller=caller,
            tx=tx,
            url=call.url,
            moment=moment,
            cursors=self._cursors,
            shape=call.operation.shape,
            deliveries=deliveries,
            controls=self.controls,
        )
        return call.operation.handler(context)

    def _record_session(self, principal: Principal, moment: datetime) -> None:
        """Store a session the first time a user JWT is seen (once per process; the store
        ignores a session it already has, so several processes agree too)."""
        if principal.user_name is None:
            return
        known = (principal.application_id, principal.session_key)
        with self._sessions_lock:
            if known in self._known_sessions:
                return
        with self.store.transaction(write=True, application=principal.application_id) as tx:
            user = tx.get(UserRecord, name=principal.user_name)
            if user is None:
                return
            if tx.get(SessionRecord, session_key=principal.session_key) is None:
                tx.insert(
                    SessionRecord(
                        id=new_id("SES"),
                        user_id=user.id,
                        session_key=principal.session_key,
                        expires_at=principal.expires_at,
                        created=format_timestamp(moment),
                    )
                )
        with self._sessions_lock:
            if len(self._known_sessions) > 100_000:
                self._known_sessions.clear()  # a cache, not the record: the store has them
            self._known_sessions.add(known)

    def _forget_sessions(self) -> None:
        with self._sessions_lock:
            self._known_sessions.clear()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.delivery is not None:
                    await self.delivery.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.delivery is not None and self.delivery.running:
                    # What is in flight and not done in the grace stays pending: sent again
                    # by the next start on the same --db file.
                    await self.delivery.stop()
                if self._owns_store:
                    self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(ErrorKind.PAYLOAD_TOO_LARGE, f"the body is over {limit} bytes")


def _error_response(
    kind: ErrorKind, detail: str, headers: dict[str, str], instance: str | None = None
) -> Response:
    return JSONResponse(error_body(kind, detail, instance), kind.status, headers=headers)


def create_app(
    *,
    application_id: str | None = None,
    public_key: RSAPublicKey | bytes | str | None = None,
    applications: Mapping[str, RSAPublicKey | bytes | str] | None = None,
    db: str | os.PathLike[str] | None = None,
    store: Store | None = None,
    clock: Clock = system_clock,
    signature_secret: str | None = None,
    delivery_policy: DeliveryPolicy | None = None,
    seed: Iterable[SeedUser] = (),
    rate_limit: int | None = None,
) -> EmulatorApp:
    """The emulator as an ASGI app, for uvicorn or any ASGI server.

    Serves ``application_id`` (with ``public_key``) and every application of
    ``applications`` (id to public key), at least one in all: it accepts each one's JWTs,
    signed by the private half of its key (a key object, or PEM holding the public or the
    private key), and keeps each one's data apart. State lives in ``store`` if given, else in
    a SQLite database at ``db`` (in memory when None), closed with the app. The rows a
    schema 3 ``db`` file held (before applications) become the first application's
    (`SQLiteStore.adopt`).

    Events are delivered to their conversation's ``callback.url`` (see `delivery`) while the
    server runs the app's lifespan, signed with ``signature_secret`` (unsigned when None) and
    retried on ``delivery_policy`` (`DeliveryPolicy`'s defaults when None). A store that is
    not a `SQLiteStore` has no outbox the app can read: it delivers nothing.

    ``seed`` users are created in every application (those whose names are new there) and
    created again by ``POST /_emulator/reset``. ``rate_limit`` limits each application to that
    many requests a second (see ``ratelimit``; None, the default: no limit). ValueError for a
    rate below 1.
    """
    keys = public_keys(application_id, public_key, applications)
    rate_limiter = None if rate_limit is None else RateLimiter(rate_limit)
    owns_store = store is None
    if store is None:
        store = SQLiteStore(db)
    if isinstance(store, SQLiteStore):
        store.adopt(next(iter(keys)))
    return EmulatorApp(
        store=store,
        applications=keys,
        clock=clock,
        owns_store=owns_store,
        # Only a store made here is known to be in memory: one passed in keeps to threads.
        inline_handlers=owns_store and isinstance(store, SQLiteStore) and store.path is None,
        outbox=SQLiteOutbox(store) if isinstance(store, SQLiteStore) else None,
        signature_secret=signature_secret,
        delivery_policy=delivery_policy,
        seed=seed,
        rate_limiter=rate_limiter,
    )

"""The delivery worker: sends what the outbox holds, in the background, and logs every attempt.

It runs as one asyncio task beside the server (start it in the app's lifespan: ``async with
DeliveryWorker(...)``, or `start` / `stop`), so the request that made an event never waits for
its delivery: the handler writes the pending delivery with the event and calls `wake`.

Each pass asks the outbox for the due deliveries (one per conversation: its lowest pending
event id) and sends each in a task of its own, at most ``concurrency`` at once, so
conversations go out side by side while each one's events go one after the other, in id
order. An attempt succeeds on a 2xx within ``policy.timeout`` seconds; any other answer (3xx,
4xx, 5xx), a connection error or no answer in time is logged and retried on the policy's
schedule, or given up. With a signature secret every attempt carries a fresh token
(`signing`). Delivery is at least once: an attempt cut short by `stop` (or by the process
dying) stays pending and is made again, so a receiver may see an event twice and
de-duplicates on its id.

The outbox's methods may block (a database): they run in worker threads, off the event loop,
unless the outbox never waits on another process (``inline_outbox``: the emulator's in-memory
store, whose handlers run on the loop too): there a hop to a thread and back costs more than
the call. A delivery takes two of them: `Outbox.look` (what is due, and when the next is) and
`Outbox.settle` (the attempt logged with its outcome, in one transaction).

On the loop, what a delivery costs is taken from the requests beside it, so it is kept small:
``http://`` callbacks go through `plain_http` (httpx, with httpcore, anyio and h11 beneath it,
cost the loop more per delivery than the create that made it), ``https://`` ones through httpx;
and every answer is read to its end, so its connection carries the next delivery.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar

import httpx

from ..clock import Clock, system_clock
from .backoff import DeliveryPolicy
from .outbox import Attempt, Outbox, PendingDelivery
from .plain_http import PlainHttpClient, ProtocolError
from .signing import authorization

__all__ = ["DeliveryWorker"]

logger = logging.getLogger("vonage_conversation_emulator.delivery")
T = TypeVar("T")
# The failures of an attempt that say nothing is wrong with the emulator: logged, not warned of.
_EXPECTED = (httpx.HTTPError, OSError, ProtocolError, asyncio.IncompleteReadError)


class DeliveryWorker:
    """Delivers the outbox's pending deliveries until stopped.

    Args:
        outbox: where pending deliveries are read and attempts recorded.
        client: the HTTP client to send with; by default the worker's own (closed by `stop`):
            `plain_http.PlainHttpClient` for ``http://`` callbacks, an httpx client for
            ``https://``. A client passed in sends every delivery and is left open.
        policy: the retry schedule and the timeout of one attempt.
        secret: the signature secret; None sends deliveries unsigned.
        clock: the time of the schedule and of the log (the emulator's clock). It must move
            (a clock stopped by a test leaves every retry waiting). A token's ``iat`` is the
            machine's time whatever this says: the receiver checks it against its own clock.
        concurrency: how many deliveries (so, conversations) are in flight at once.
        idle: the longest pause between two looks at the outbox when nothing wakes the worker
            (a safety net: `wake` and the next due time normally end a pause).
        grace: seconds `stop` gives the attempts in flight to finish, by default.
        inline_outbox: call the outbox on the event loop rather than in worker threads (for an
            outbox whose calls are short and never wait on another process).
    """

    def __init__(
        self,
        outbox: Outbox,
        client: httpx.AsyncClient | None = None,
        *,
        policy: DeliveryPolicy | None = None,
        secret: str | None = None,
        clock: Clock = system_clock,
        concurrency: int = 8,
        idle: float = 1.0,
        grace: float = 1.0,
        inline_outbox: bool = False,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, not {concurrency!r}")
        if idle <= 0:
            raise ValueError(f"idle must be more than 0 seconds, not {idle!r}")
        self.outbox = outbox
        self.policy = policy if policy is not None else DeliveryPolicy()
        self._client = client
        self._owns_client = client is None
        self._plain: PlainHttpClient | None = None
        self._secret = secret or None
        self._clock = clock
        self._concurrency = concurrency
        self._idle = idle
        self._grace = grace
        self._inline_outbox = inline_outbox
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._runner: asyncio.Task[None] | None = None
        self._in_flight: dict[tuple[str, str], asyncio.Task[None]] = {}
        # The conversations whose attempt ended while a pass read the outbox: what that read
        # says of them may be from before the attempt was settled.
        self._ended_while_reading: set[tuple[str, str]] = set()
        self._stopping = False

    @property
    def running(self) -> bool:
        """Whether the worker is started and not stopped."""
        return self._runner is not None and not self._runner.done()

    async def start(self) -> None:
        """Start delivering, in a background task of the running event loop."""
        if self.running:
            raise RuntimeError("the delivery worker is already running")
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._stopping = False
        if self._client is None:
            self._client = httpx.AsyncClient()
        if self._owns_client:
            self._plain = PlainHttpClient()
        self._runner = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self, grace: float | None = None) -> None:
        """Stop: attempts in flight get up to `grace` seconds (the worker's by default) to
        finish, then are cancelled (and stay pending, to be made again by the next start)."""
        self._stopping = True
        self.wake()
        if self._runner is not None:
            await self._runner
            self._runner = None
        tasks = list(self._in_flight.values())
        if tasks:
            wait = self._grace if grace is None else grace
            _done, late = await asyncio.wait(tasks, timeout=wait)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._in_flight.clear()
        if self._plain is not None:
            await self._plain.close()
            self._plain = None
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> DeliveryWorker:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def wake(self) -> None:
        """Look at the outbox now (a new event was written). Safe from any thread; does
        nothing while the worker is not running."""
        loop, wakeup = self._loop, self._wakeup
        if loop is None or wakeup is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            wakeup.set()
        else:
            loop.call_soon_threadsafe(wakeup.set)

    async def _run(self) -> None:
        assert self._wakeup is not None
        while not self._stopping:
            self._wakeup.clear()
            try:
                pause = await self._pass()
            except Exception:  # a storage failure must not end delivery for good
                logger.exception("delivery worker: reading the outbox failed")
                pause = self._idle
            if self._stopping:
                break
            # A timer rather than asyncio.wait_for, which starts a task for every pause.
            timer = asyncio.get_running_loop().call_later(pause, self._wakeup.set)
            try:
                await self._wakeup.wait()
            finally:
                timer.cancel()

    async def _pass(self) -> float:
        """Start what is due; the seconds to pause before the next pass."""
        now = self._clock()
        self._ended_while_reading.clear()
        due, next_at = await self._outbox_call(self.outbox.look, now, self._concurrency)
        for delivery in due:
            if len(self._in_flight) >= self._concurrency:
                break
            conversation = (delivery.application_id, delivery.conversation_id)
            if conversation in self._in_flight:
                continue  # its head is this very delivery, in flight: order holds
            if conversation in self._ended_while_reading:
                # Read before its attempt was settled (the read waits on a thread for a file
                # store): sending it again would deliver it twice. The attempt's end woke the
                # worker, so the next pass reads it afresh.
                continue
            task = asyncio.create_task(self._deliver(delivery))
            self._in_flight[conversation] = task
            task.add_done_callback(self._done)
        if next_at is None:
            return self._idle
        wait = (next_at - self._clock()).total_seconds()
        # Due already: what is due is in flight (or waits for a free slot), and the end of an
        # attempt wakes the worker; else sleep until the next retry is due.
        return self._idle if wait <= 0 else min(wait, self._idle)

    def _done(self, task: asyncio.Task[None]) -> None:
        for conversation, running in list(self._in_flight.items()):
            if running is task:
                del self._in_flight[conversation]
                self._ended_while_reading.add(conversation)
        if self._wakeup is not None:
            self._wakeup.set()

    async def _deliver(self, delivery: PendingDelivery) -> None:
        number = delivery.attempts + 1
        started = self._clock()
        status, error = await self._send(delivery, time.time())
        attempt = Attempt(
            delivery_id=delivery.id,
            application_id=delivery.application_id,
            conversation_id=delivery.conversation_id,
            event_id=delivery.event_id,
            url=delivery.request.url,
            attempt=number,
            status=status,
            error=error,
            at=started,
        )
        logger.debug(
            "delivery %s of event %s to %s, attempt %d: %s",
            delivery.id,
            delivery.event_id,
            delivery.request.url,
            number,
            status if error is None else error,
        )
        again = None
        if not attempt.delivered:
            again = self.policy.next_attempt(
                number, created_at=delivery.created_at, failed_at=self._clock()
            )
            if again is None:
                logger.warning(
                    "delivery %s of event %s to %s given up after %d attempts",
                    delivery.id,
                    delivery.event_id,
                    delivery.request.url,
                    number,
                )
        try:
            await self._outbox_call(self.outbox.settle, delivery, attempt, again)
        except Exception:  # the delivery stays pending: it is tried again on a later pass
            logger.exception("delivery %s: recording attempt %d failed", delivery.id, number)

    async def _send(
        self, delivery: PendingDelivery, issued_at: float
    ) -> tuple[int | None, str | None]:
        """One attempt: (status, None) when an answer came, (None, error) when none did."""
        assert self._client is not None
        request = delivery.request
        headers = dict(request.headers)
        if self._secret is not None:
            headers["Authorization"] = authorization(
                request.signed,
                self._secret,
                application_id=delivery.application_id,
                issued_at=issued_at,
            )
        timeout = self.policy.timeout
        try:
            # One bound on the whole exchange (connect, send, the answer), not one per phase as
            # httpx's timeouts: a receiver trickling its answer is as late as a silent one.
            status = await asyncio.wait_for(
                self._status(request.method, request.url, request.body, headers),
                timeout=timeout,
            )
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return None, f"no answer within {timeout:g} s"
        except Exception as failure:  # refused, reset, a bad URL...: a failed attempt, retried
            if not isinstance(failure, _EXPECTED):
                logger.warning("delivery %s: %r", delivery.id, failure)
            return None, f"{type(failure).__name__}: {failure}".rstrip(": ")
        return status, None

    async def _outbox_call(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)`, an outbox method: on the loop when inline, else off it."""
        if self._inline_outbox:
            return function(*args)
        return await _off_loop(function, *args)

    async def _status(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> int:
        if self._plain is not None and url.startswith("http://"):
            return await self._plain.status(method, url, body, headers)
        assert self._client is not None
        # Streamed and drained, not kept: the answer's body is of no interest, but one closed
        # unread takes its connection with it (httpx keeps only a connection whose answer was
        # read to its end), and a new connection per delivery was most of a delivery's cost.
        async with self._client.stream(
            method, url, content=body or None, headers=headers, timeout=None
        ) as response:
            async for _chunk in response.aiter_raw():
                pass
            return response.status_code


async def _off_loop(function: Callable[..., T], *args: object) -> T:
    """`function(*args)` in a worker thread: the outbox may block on its database."""
    call: Awaitable[T] = asyncio.to_thread(function, *args)
    return await call

"""The callbacks phase: serve a receiver, make a conversation whose callback is that receiver,
make events in it, wait for their deliveries, and judge what came (`_checks`).

The events: the run's first user joins (a server that makes `member:joined` events makes one
here), then a text, a custom event (outside `MASK`) and a second text, the last event made, so
that a server delivering in id order has delivered everything, the custom event included, once
the last text has come. What is expected is read from the conversation's events as the server
lists them, not assumed: an event the server makes on its own is judged like the others.

How long it waits (`Patience`): until every event the mask covers has come, or 10 s after the
last event was made, whichever is first; then 1 s more for anything outside the mask. The
receiver answers every request 200 at once, so a delivery is never retried because of it; 10 s
still leave room for a server whose first attempts fail (a schedule of about 1, 2 and 4 s,
the emulator's, tries four times in 7 s).

When no receiver can be reached (it cannot listen where it is told; it listens on the loopback
and the server is elsewhere; a probe sent through the callback URL never reaches it), every
selected check is skipped with the reason, and the phase listed as skipped: never as passed.
The order deliveries came in is a warning, not a check: no source states one.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._api import Api
from .._maker import Maker, UserError
from .._options import operation as spec_operation
from .._progress import Progress
from ..semantic._run import count_verdict, end_phase
from ._address import unreachable_reason
from ._checks import CALLBACK_CHECKS, MASK, OPERATION, CallbackContext, Delivered, in_mask, read
from ._receiver import Receiver

if TYPE_CHECKING:
    from .._options import Options
    from .._target import Target

__all__ = [
    "PATIENCE",
    "PHASE",
    "SECRET_VARIABLE",
    "Patience",
    "run_callbacks",
    "signature_secret",
]

PHASE = "callbacks"
# The signature secret of a remote server's deliveries, when --signature-secret is not given.
SECRET_VARIABLE = "VONAGE_SIGNATURE_SECRET"
_LOOPBACK = ("127.0.0.1", 0)


@dataclass(frozen=True)
class Patience:
    """How long the phase waits for deliveries (see the module's docstring)."""

    deadline: float = 10.0  # after the last event made, for every event the mask covers
    quiet: float = 1.0  # after they came, for any event outside the mask


PATIENCE = Patience()


def _skip(api: Api, checks: list[Any], reason: str, progress: Progress) -> None:
    """Every selected check could not tell, for `reason`; the phase is skipped."""
    label = spec_operation(OPERATION).label
    for check in checks:
        api.result.operation(label).check(check.name).skipped += 1
        api.result.skips.append((label, check.name, reason))
    api.result.phases[PHASE] = "skip"
    progress.say(f"  callbacks: skipped: {reason}")


def _make(maker: Maker, users: tuple[str, ...], url: str, context: CallbackContext) -> None:
    """The conversation with a callback to `url`, its member and events; the events listed."""
    api = maker.api
    body = {
        "name": f"{maker.tag}-callback",
        "display_name": "conformance: callbacks",
        "callback": {"url": url, "event_mask": MASK, "method": "POST"},
    }
    answer = api.call("createConversation", body=body)
    if not maker.accepted("createConversation", answer):
        return
    conversation = str(answer.body.get("id"))
    maker.conversations.append(conversation)
    context.conversation = conversation
    member = maker.member(conversation, users[0])
    if member is not None:
        sender = str(member.get("id"))
        maker.event(conversation, sender, "text", {"text": "callbacks: one"})
        maker.event(conversation, sender, f"custom:{maker.tag}", {"outside": "the mask"})
        maker.event(conversation, sender, "text", {"text": "callbacks: two"})
    ids = {"conversation_id": conversation}
    listed = api.call("listEvents", ids, params={"page_size": 100, "order": "asc"})
    embedded = listed.body.get("_embedded") if listed.ok and isinstance(listed.body, dict) else None
    events = embedded.get("events") if isinstance(embedded, dict) else None
    if isinstance(events, list):
        context.events = [event for event in events if isinstance(event, dict)]


def _collect(receiver: Receiver, context: CallbackContext) -> None:
    """Each recorded request read, those of the conversation kept, in order of arrival."""
    context.deliveries, context.unreadable = [], []
    for received in receiver.received():
        found = read(received)
        if isinstance(found, str):
            context.unreadable.append(found)
        elif found.fields.get("conversation_id") == context.conversation:
            context.deliveries.append(found)


def _wait(receiver: Receiver, context: CallbackContext, patience: Patience) -> None:
    """Until every covered event came or the deadline passed; then the quiet time."""
    wanted = {str(e.get("id")) for e in context.events or [] if in_mask(e.get("type"))}

    def arrived() -> bool:
        _collect(receiver, context)
        return wanted <= context.delivered_ids()

    receiver.wait(time.monotonic() + patience.deadline, arrived)
    time.sleep(patience.quiet)
    _collect(receiver, context)


def _order_warning(deliveries: Iterable[Delivered]) -> str | None:
    """A warning when the events (each at its first arrival) came out of id order."""
    seen: dict[str, int] = {}
    for delivery in deliveries:
        if delivery.event_id.isdigit():
            seen.setdefault(delivery.event_id, int(delivery.event_id))
    for before, after in itertools.pairwise(seen.values()):
        if after < before:
            return (
                f"callbacks: event {after} arrived after event {before} (not in id order; "
                "no source states an order, so this is no failure)"
            )
    return None


def signature_secret(options: Options, environ: Mapping[str, str]) -> str | None:
    """The secret deliveries are to be signed with: --signature-secret, else the variable."""
    return options.signature_secret or environ.get(SECRET_VARIABLE) or None


def _secret(options: Options, target: Target, environ: Mapping[str, str]) -> str | None:
    # The embedded emulator signs with the secret it was started with (the one asked for, or
    # the run's own).
    return target.signature_secret if target.embedded else signature_secret(options, environ)


def run_callbacks(
    api: Api,
    target: Target,
    options: Options,
    selected: Iterable[str],
    progress: Progress,
    *,
    environ: Mapping[str, str] = os.environ,
) -> None:
    """Run the selected callback checks against `target`, counting into `api.result`."""
    result = api.result
    chosen = [CALLBACK_CHECKS[name] for name in selected if name in CALLBACK_CHECKS]
    progress.say("  callbacks: events delivered to a callback ...")
    started, failures, errors = time.monotonic(), len(result.failures), len(result.errors)
    host, port = options.callback_listen or _LOOPBACK
    try:
        receiver = Receiver(host, port).start()
    except OSError as error:
        _skip(api, chosen, f"the receiver cannot listen on {host}:{port}: {error}", progress)
        return
    with receiver:
        maker = Maker(api, PHASE)
        url = options.callback_url or f"{receiver.loopback_url}/{maker.tag}"
        reason = unreachable_reason(api.base_url, url) or receiver.probe(url)
        if reason is not None:
            _skip(api, chosen, reason, progress)
            return
        context = CallbackContext(
            api, target.application_id, _secret(options, target, environ), PATIENCE.deadline
        )
        try:
            try:
                _make(maker, target.users, url, context)
            except UserError as error:
                _skip(api, chosen, str(error), progress)
                return
            if context.conversation is not None:
                _wait(receiver, context, PATIENCE)
            for check in chosen:
                run = lambda check=check: check.run(context)  # noqa: E731
                count_verdict(result, check, OPERATION, run, phase=PHASE)
        finally:
            maker.delete()
    warning = _order_warning(context.deliveries)
    if warning is not None:
        result.warnings.append(warning)
    end_phase(result, PHASE, (started, failures, errors), progress)

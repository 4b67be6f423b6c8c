"""`EmulatorControl`: the emulator's own routes (``/_emulator/...``, see ``admin_spec``) as a
small typed client, for tests and the pytest plugin::

    control = EmulatorControl(emulator.base_url, emulator.token)
    control.fail("getConversation", status=503, count=2)
    control.advance(3600)
    control.reset()

``token`` is called for every request, so a long test never sends an expired JWT; it must make
application JWTs (a user JWT is refused). An error answer raises `EmulatorControlError` with
the server's status, code and detail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any

import httpx

__all__ = ["EmulatorControl", "EmulatorControlError"]


class EmulatorControlError(Exception):
    """An emulator route answered an error: its ``status``, ``code`` and ``detail``."""

    def __init__(self, method: str, path: str, status: int, code: str, detail: str) -> None:
        super().__init__(f"{method} {path}: {status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class EmulatorControl:
    """The emulator's controls at ``base_url``, authenticated by ``token()`` (an application
    JWT). Close it (or use it as a context manager) to release its connections."""

    def __init__(self, base_url: str, token: Callable[[], str], *, timeout: float = 30.0) -> None:
        self._token = token
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self._offset_seconds: float | None = None

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        """The answer's JSON (None for an empty one); EmulatorControlError for an error."""
        headers = {"Authorization": f"Bearer {self._token()}"}
        response = self._http.request(method, path, json=body, headers=headers)
        if response.is_error:
            try:
                error = response.json()
            except ValueError:
                error = {}
            if not isinstance(error, Mapping):
                error = {}
            raise EmulatorControlError(
                method,
                path,
                response.status_code,
                str(error.get("code", "")),
                str(error.get("detail") or response.text),
            )
        return response.json() if response.content else None

    # Records

    def reset(self) -> None:
        """Delete every record of the application, create its seed users again, put its clock
        back and clear its faults."""
        self._call("POST", "/_emulator/reset")
        self._offset_seconds = 0.0

    def snapshot(self) -> dict[str, Any]:
        """Every record of the application: ``{"version": 1, "tables": {...}}``."""
        document: dict[str, Any] = self._call("GET", "/_emulator/snapshot")
        return document

    def restore(self, document: Mapping[str, Any]) -> None:
        """Replace the application's records with a snapshot's (``snapshot()``'s document)."""
        self._call("PUT", "/_emulator/snapshot", dict(document))

    # The clock

    def _clock(self, answer: Mapping[str, Any]) -> datetime:
        self._offset_seconds = float(answer["offset_seconds"])
        return _moment(str(answer["now"]))

    def advance(self, seconds: float) -> datetime:
        """Move the application's clock ``seconds`` (0 or more) forward; its new time."""
        return self._clock(self._call("POST", "/_emulator/clock", {"advance": seconds}))

    def set_time(self, moment: datetime) -> datetime:
        """Set the application's clock to ``moment`` (timezone-aware); its new time."""
        if moment.tzinfo is None:
            raise ValueError("set_time: the time needs a timezone (datetime(..., tzinfo=UTC))")
        body = {"set": moment.isoformat()}  # RFC 3339 with its offset, to the microsecond
        return self._clock(self._call("POST", "/_emulator/clock", body))

    def now(self) -> datetime:
        """The application's current time."""
        return self._clock(self._call("GET", "/_emulator/clock"))

    @property
    def offset_seconds(self) -> float | None:
        """How far the application's clock was from the base clock when this control last
        saw it (None before it has)."""
        return self._offset_seconds

    # Faults

    def fail(
        self,
        operation: str,
        *,
        status: int | None = None,
        count: int | None = None,
        probability: float | None = None,
        latency_ms: float | None = None,
        retry_after: int | None = None,
    ) -> dict[str, Any]:
        """Answer calls of ``operation`` (an operationId, or ``"*"``) with ``status``, after
        ``latency_ms``, ``count`` times or with ``probability`` (neither: until cleared);
        the fault as stored, with its ``id``."""
        fields = {
            "status": status,
            "count": count,
            "probability": probability,
            "latency_ms": latency_ms,
            "retry_after": retry_after,
        }
        body = {"operation": operation} | {k: v for k, v in fields.items() if v is not None}
        fault: dict[str, Any] = self._call("POST", "/_emulator/faults", body)
        return fault

    def faults(self) -> list[dict[str, Any]]:
        """The application's faults, oldest first (``count``: the calls each has left)."""
        listed: list[dict[str, Any]] = self._call("GET", "/_emulator/faults")["faults"]
        return listed

    def clear_faults(self) -> None:
        """Remove every fault of the application."""
        self._call("DELETE", "/_emulator/faults")

"""What a conformance run found: every request, response and check outcome, counted per
operation (from schemathesis's events by `_counting`, and by the package's own requests), the
distinct failures and the errors.

Only what happened is counted: a request without a response is a request and a "none", never a
test case; a check that errored or was skipped is never a pass; an operation is *verified* only
when one of its own requests got a 2xx response that passed every selected check of success
responses (status, content type, body).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = [
    "STATEFUL",
    "VERIFYING_CHECKS",
    "CheckTally",
    "Failure",
    "OperationTally",
    "Request",
    "RunError",
    "RunResult",
    "response_class",
]

# The phase that follows the spec's links; schemathesis names it so in events and case metadata.
STATEFUL = "stateful"
# The checks that judge a success response: an operation is verified by a 2xx response that
# passed each of them (those selected).
VERIFYING_CHECKS = (
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
# schemathesis writes the Authorization header filtered; a curl command gets a placeholder.
TOKEN_PLACEHOLDER = "Bearer $VONAGE_JWT"
RESPONSE_CLASSES = ("2xx", "3xx", "4xx", "5xx", "none")


def response_class(status: int | None) -> str:
    """``2xx``, ``4xx``... for a status code; ``none`` when no response came back."""
    if status is None:
        return "none"
    return f"{status // 100}xx" if 200 <= status < 600 else "none"


@dataclass
class CheckTally:
    """How one check went on one operation's responses."""

    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0

    @property
    def ran(self) -> bool:
        """Whether the check gave any verdict at all (skips are not verdicts)."""
        return bool(self.passed or self.failed or self.errored)


@dataclass
class OperationTally:
    """Everything counted for one operation (``GET /v0.3/conversations``)."""

    requests: int = 0
    stateful_requests: int = 0
    responses: Counter[str] = field(default_factory=Counter)
    # Status codes answered to the operation's own requests (its method on its path).
    statuses: Counter[int] = field(default_factory=Counter)
    test_cases: int = 0
    checks: dict[str, CheckTally] = field(default_factory=dict)
    verified_in: str | None = None  # the first phase that verified it
    # The query parameters and body fields (`body.<name>`) its own requests sent, and how often.
    parameters: Counter[str] = field(default_factory=Counter)

    def check(self, name: str) -> CheckTally:
        """The tally of one check, made on first use."""
        return self.checks.setdefault(name, CheckTally())

    def total(self, what: str) -> int:
        """The sum over every check of `passed`, `failed`, `errored` or `skipped`."""
        return sum(getattr(tally, what) for tally in self.checks.values())


@dataclass(frozen=True)
class Request:
    """A request as sent, enough to send it again."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    # Whether its Authorization header is shown as sent: a token made to be refused is no
    # credential, and only those very bytes reproduce what the server did with it.
    literal_auth: bool = False
    # The user its token was for (`sub`), where the run knows it: its reproduction's token too.
    sub: str | None = None

    @property
    def uses_token(self) -> bool:
        """Whether sending it again needs a valid token (in ``$VONAGE_JWT``)."""
        return not self.literal_auth and any(
            name.lower() == "authorization" for name, _ in self.headers
        )

    def with_authorization(self, value: str | None) -> Request:
        """The same request with the literal Authorization `value` (None: without one)."""
        headers = tuple((n, v) for n, v in self.headers if n.lower() != "authorization")
        if value is not None:
            headers = (("Authorization", value), *headers)
        return Request(self.method, self.url, headers, self.body, literal_auth=True, sub=self.sub)

    def as_curl(self) -> str:
        """A curl command that sends this request again, a valid token read from
        ``$VONAGE_JWT`` (a literal one shown as sent)."""
        parts = ["curl", "-X", self.method]
        for name, value in self.headers:
            placeholder = name.lower() == "authorization" and not self.literal_auth
            shown = TOKEN_PLACEHOLDER if placeholder else value
            parts += ["-H", _quote(f"{name}: {shown}")]
        if self.body is not None:
            parts += ["-d", _quote(self.body.decode("utf-8", "backslashreplace"))]
        parts.append(_quote(self.url))
        return " ".join(parts)


def _quote(text: str) -> str:
    """Quote for a POSIX shell, in double quotes so `$VONAGE_JWT` expands."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
    escaped = escaped.replace("$", "\\$").replace("\\$VONAGE_JWT", "$VONAGE_JWT")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Failure:
    """One distinct way an operation failed one check."""

    operation: str  # e.g. "GET /v0.3/conversations/{conversation_id}"
    check: str  # e.g. "response_schema_conformance"
    phase: str
    title: str
    message: str
    # What is at fault: a response field (a JSON path), or what the server's error names.
    field: str | None = None
    status: int | None = None
    request: Request | None = None


@dataclass(frozen=True)
class RunError:
    """Something that kept part of the run from happening (a network failure, a check that
    crashed, schemathesis failing): never a pass, always printed, and the run fails."""

    operation: str | None
    phase: str | None
    kind: str
    message: str


@dataclass
class RunResult:
    """Everything a run found."""

    operations: dict[str, OperationTally] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    stateful_scenarios: int = 0
    # Requests sent in each phase (setup included), probes too.
    phase_requests: Counter[str] = field(default_factory=Counter)
    # Why a schemathesis process stopped early (`failure_limit`, `server_unavailable`...).
    stop_reasons: list[str] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    # Checks that could not tell, and why: (operation, check, reason).
    skips: list[tuple[str, str, str]] = field(default_factory=list)
    # What a run noticed that no source makes a rule (the order callbacks arrived in...).
    warnings: list[str] = field(default_factory=list)
    # Whether the --max-time budget ran out before the run's end (what it reached is kept).
    out_of_time: bool = False

    def operation(self, name: str) -> OperationTally:
        """The tally of one operation, made on first use."""
        return self.operations.setdefault(name, OperationTally())

    @property
    def test_cases(self) -> int:
        """Requests of the operations under test that got a response (probes not counted)."""
        return sum(tally.test_cases for tally in self.operations.values())

    def add_failure(self, failure: Failure) -> None:
        """Keep a failure unless the same one (operation, check, title, field) is already kept."""
        key = (failure.operation, failure.check, failure.title, failure.field)
        if all((f.operation, f.check, f.title, f.field) != key for f in self.failures):
            self.failures.append(failure)

    def add_error(self, error: RunError) -> None:
        """Keep an error unless the same one is already kept."""
        if error not in self.errors:
            self.errors.append(error)

    def checks(self) -> list[str]:
        """Every check that gave a verdict somewhere, in a stable order."""
        names = {
            name
            for tally in self.operations.values()
            for name, check in tally.checks.items()
            if check.ran
        }
        return sorted(names)

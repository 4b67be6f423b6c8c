"""Making the resources a run needs (conversations, members, events) and deleting them after,
through signed raw requests (`_api`), for the schemathesis phases' fixture and the semantic
checks' data alike.

A valid request the server refuses is a failure of its operation (check
`setup_request_accepted`), counted like any other, and the step makes nothing; a member made for
a user the server does not know is the caller's mistake, not the server's (`UserError`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from ._api import Answer, Api, UnreachableError
from ._options import operation
from ._results import Failure

__all__ = ["FIXTURE_CHECK", "Maker", "UserError", "user_id_of"]

# The name a refused setup request is reported under, as if a check: a valid request refused.
FIXTURE_CHECK = "setup_request_accepted"


def user_id_of(member: dict[str, Any] | None) -> str | None:
    """The user id a member names (`user_id`, or `_embedded.user.id`)."""
    if member is None:
        return None
    found = member.get("user_id") or ((member.get("_embedded") or {}).get("user") or {}).get("id")
    return str(found) if found else None


class UserError(RuntimeError):
    """A user the run was told to use does not exist on the server."""


class Maker:
    """Makes resources as `api`, remembering every conversation made (to delete them)."""

    def __init__(self, api: Api, prefix: str) -> None:
        self.api = api
        self.tag = f"{prefix}-{uuid.uuid4().hex[:10]}"
        self.conversations: list[str] = []

    def accepted(self, operation_id: str, answer: Answer) -> bool:
        """Whether a setup request of `operation_id` succeeded; if not, its failure is
        recorded."""
        if answer.ok and isinstance(answer.body, dict):
            return True
        detail = answer.body.get("detail") if isinstance(answer.body, dict) else None
        label = operation(operation_id).label
        self.api.result.add_failure(
            Failure(
                operation=label,
                check=FIXTURE_CHECK,
                phase=self.api.phase,
                title="A valid request made to set up the run was refused",
                message=f"{answer.describe()}: {answer.body}",
                field=str(detail) if detail else None,
                status=answer.status,
                request=answer.request,
            )
        )
        self.api.result.operation(label).check(FIXTURE_CHECK).failed += 1
        return False

    def conversation(self, role: str) -> dict[str, Any] | None:
        """A new conversation named after the run's tag and `role`."""
        body = {"name": f"{self.tag}-{role}", "display_name": f"conformance: {role}"}
        answer = self.api.call("createConversation", body=body)
        if not self.accepted("createConversation", answer):
            return None
        self.conversations.append(str(answer.body.get("id")))
        made: dict[str, Any] = answer.body
        return made

    def member(
        self,
        conversation: str,
        user: str,
        *,
        state: str = "joined",
        channel: dict[str, Any] | None = None,
        quiet: bool = False,
    ) -> dict[str, Any] | None:
        """A new member of `conversation` for the existing `user` (`quiet`: a refusal is not a
        failure: the step was optional)."""
        body = {"user": {"name": user}, "state": state, "channel": channel or {"type": "app"}}
        answer = self.api.call("createMember", {"conversation_id": conversation}, body=body)
        if answer.status == 404 and "user" in str(answer.body).lower():
            detail = answer.body.get("detail") if isinstance(answer.body, dict) else answer.body
            raise UserError(
                f"the user {user!r} does not exist on the server (404 {detail}): set "
                "VONAGE_CONFORMANCE_USER to existing users' names"
            )
        if quiet and not answer.ok:
            return None
        if not self.accepted("createMember", answer):
            return None
        made: dict[str, Any] = answer.body
        return made

    def event(
        self, conversation: str, sender: str, kind: str, body: dict[str, Any]
    ) -> dict[str, Any] | None:
        """A new event of `conversation`, sent as the member `sender`; it as sent, with its id."""
        sent = {"type": kind, "from": sender, "body": body}
        answer = self.api.call("createEvent", {"conversation_id": conversation}, body=sent)
        if not self.accepted("createEvent", answer):
            return None
        return {**sent, "id": answer.body.get("id")}

    def delete(self, conversations: Iterable[str] = ()) -> int:
        """Delete every conversation made, and `conversations`; how many went."""
        deleted = 0
        for conversation in dict.fromkeys((*self.conversations, *conversations)):
            try:
                answer = self.api.call("deleteConversation", {"conversation_id": conversation})
            except UnreachableError:
                break
            deleted += answer.ok
        return deleted

from typing import Literal

MemberInvitedEventType = Literal["member:invited"]

MEMBER_INVITED_EVENT_TYPE_VALUES: set[MemberInvitedEventType] = {
    "member:invited",
}

_MEMBER_INVITED_EVENT_TYPE_BY_VALUE: dict[str, MemberInvitedEventType] = {
    "member:invited": "member:invited",
}


def check_member_invited_event_type(value: str) -> MemberInvitedEventType:
    known = _MEMBER_INVITED_EVENT_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_INVITED_EVENT_TYPE_VALUES!r}")

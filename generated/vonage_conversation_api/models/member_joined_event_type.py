from typing import Literal

MemberJoinedEventType = Literal["member:joined"]

MEMBER_JOINED_EVENT_TYPE_VALUES: set[MemberJoinedEventType] = {
    "member:joined",
}

_MEMBER_JOINED_EVENT_TYPE_BY_VALUE: dict[str, MemberJoinedEventType] = {
    "member:joined": "member:joined",
}


def check_member_joined_event_type(value: str) -> MemberJoinedEventType:
    known = _MEMBER_JOINED_EVENT_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_JOINED_EVENT_TYPE_VALUES!r}")

from typing import Literal

MemberLeftEventType = Literal["member:left"]

MEMBER_LEFT_EVENT_TYPE_VALUES: set[MemberLeftEventType] = {
    "member:left",
}

_MEMBER_LEFT_EVENT_TYPE_BY_VALUE: dict[str, MemberLeftEventType] = {
    "member:left": "member:left",
}


def check_member_left_event_type(value: str) -> MemberLeftEventType:
    known = _MEMBER_LEFT_EVENT_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_LEFT_EVENT_TYPE_VALUES!r}")

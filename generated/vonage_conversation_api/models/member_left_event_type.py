from typing import Literal, cast

MemberLeftEventType = Literal["member:left"]

MEMBER_LEFT_EVENT_TYPE_VALUES: set[MemberLeftEventType] = {
    "member:left",
}


def check_member_left_event_type(value: str) -> MemberLeftEventType:
    if value in MEMBER_LEFT_EVENT_TYPE_VALUES:
        return cast(MemberLeftEventType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_LEFT_EVENT_TYPE_VALUES!r}")

from typing import Literal, cast

MemberJoinedEventType = Literal["member:joined"]

MEMBER_JOINED_EVENT_TYPE_VALUES: set[MemberJoinedEventType] = {
    "member:joined",
}


def check_member_joined_event_type(value: str) -> MemberJoinedEventType:
    if value in MEMBER_JOINED_EVENT_TYPE_VALUES:
        return cast(MemberJoinedEventType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_JOINED_EVENT_TYPE_VALUES!r}")

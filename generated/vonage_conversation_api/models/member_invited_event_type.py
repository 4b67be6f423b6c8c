from typing import Literal, cast

MemberInvitedEventType = Literal["member:invited"]

MEMBER_INVITED_EVENT_TYPE_VALUES: set[MemberInvitedEventType] = {
    "member:invited",
}


def check_member_invited_event_type(value: str) -> MemberInvitedEventType:
    if value in MEMBER_INVITED_EVENT_TYPE_VALUES:
        return cast(MemberInvitedEventType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_INVITED_EVENT_TYPE_VALUES!r}")

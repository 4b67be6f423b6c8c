from typing import Literal, cast

MemberState = Literal["INVITED", "JOINED", "LEFT", "UNKNOWN"]

MEMBER_STATE_VALUES: set[MemberState] = {
    "INVITED",
    "JOINED",
    "LEFT",
    "UNKNOWN",
}


def check_member_state(value: str) -> MemberState:
    if value in MEMBER_STATE_VALUES:
        return cast(MemberState, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_STATE_VALUES!r}")

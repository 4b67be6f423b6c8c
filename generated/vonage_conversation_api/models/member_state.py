from typing import Literal

MemberState = Literal["INVITED", "JOINED", "LEFT", "UNKNOWN"]

MEMBER_STATE_VALUES: set[MemberState] = {
    "INVITED",
    "JOINED",
    "LEFT",
    "UNKNOWN",
}

_MEMBER_STATE_BY_VALUE: dict[str, MemberState] = {
    "INVITED": "INVITED",
    "JOINED": "JOINED",
    "LEFT": "LEFT",
    "UNKNOWN": "UNKNOWN",
}


def check_member_state(value: str) -> MemberState:
    known = _MEMBER_STATE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_STATE_VALUES!r}")

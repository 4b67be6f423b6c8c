from typing import Literal

UpdateMemberRequestState = Literal["joined", "left"]

UPDATE_MEMBER_REQUEST_STATE_VALUES: set[UpdateMemberRequestState] = {
    "joined",
    "left",
}

_UPDATE_MEMBER_REQUEST_STATE_BY_VALUE: dict[str, UpdateMemberRequestState] = {
    "joined": "joined",
    "left": "left",
}


def check_update_member_request_state(value: str) -> UpdateMemberRequestState:
    known = _UPDATE_MEMBER_REQUEST_STATE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPDATE_MEMBER_REQUEST_STATE_VALUES!r}")

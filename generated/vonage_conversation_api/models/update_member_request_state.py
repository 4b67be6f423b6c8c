from typing import Literal, cast

UpdateMemberRequestState = Literal["joined", "left"]

UPDATE_MEMBER_REQUEST_STATE_VALUES: set[UpdateMemberRequestState] = {
    "joined",
    "left",
}


def check_update_member_request_state(value: str) -> UpdateMemberRequestState:
    if value in UPDATE_MEMBER_REQUEST_STATE_VALUES:
        return cast(UpdateMemberRequestState, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPDATE_MEMBER_REQUEST_STATE_VALUES!r}")

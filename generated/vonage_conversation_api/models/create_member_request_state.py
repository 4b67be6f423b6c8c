from typing import Literal, cast

CreateMemberRequestState = Literal["invited", "joined"]

CREATE_MEMBER_REQUEST_STATE_VALUES: set[CreateMemberRequestState] = {
    "invited",
    "joined",
}


def check_create_member_request_state(value: str) -> CreateMemberRequestState:
    if value in CREATE_MEMBER_REQUEST_STATE_VALUES:
        return cast(CreateMemberRequestState, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CREATE_MEMBER_REQUEST_STATE_VALUES!r}")

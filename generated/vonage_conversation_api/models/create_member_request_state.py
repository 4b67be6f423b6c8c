from typing import Literal

CreateMemberRequestState = Literal["invited", "joined"]

CREATE_MEMBER_REQUEST_STATE_VALUES: set[CreateMemberRequestState] = {
    "invited",
    "joined",
}

_CREATE_MEMBER_REQUEST_STATE_BY_VALUE: dict[str, CreateMemberRequestState] = {
    "invited": "invited",
    "joined": "joined",
}


def check_create_member_request_state(value: str) -> CreateMemberRequestState:
    known = _CREATE_MEMBER_REQUEST_STATE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CREATE_MEMBER_REQUEST_STATE_VALUES!r}")

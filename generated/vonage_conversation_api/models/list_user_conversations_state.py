from typing import Literal

ListUserConversationsState = Literal["INVITED", "JOINED", "LEFT"]

LIST_USER_CONVERSATIONS_STATE_VALUES: set[ListUserConversationsState] = {
    "INVITED",
    "JOINED",
    "LEFT",
}

_LIST_USER_CONVERSATIONS_STATE_BY_VALUE: dict[str, ListUserConversationsState] = {
    "INVITED": "INVITED",
    "JOINED": "JOINED",
    "LEFT": "LEFT",
}


def check_list_user_conversations_state(value: str) -> ListUserConversationsState:
    known = _LIST_USER_CONVERSATIONS_STATE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_USER_CONVERSATIONS_STATE_VALUES!r}")

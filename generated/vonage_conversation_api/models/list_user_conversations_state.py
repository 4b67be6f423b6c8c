from typing import Literal, cast

ListUserConversationsState = Literal["INVITED", "JOINED", "LEFT"]

LIST_USER_CONVERSATIONS_STATE_VALUES: set[ListUserConversationsState] = {
    "INVITED",
    "JOINED",
    "LEFT",
}


def check_list_user_conversations_state(value: str) -> ListUserConversationsState:
    if value in LIST_USER_CONVERSATIONS_STATE_VALUES:
        return cast(ListUserConversationsState, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_USER_CONVERSATIONS_STATE_VALUES!r}")

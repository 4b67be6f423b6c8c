from typing import Literal

ConversationCallbackMethod = Literal["GET", "POST"]

CONVERSATION_CALLBACK_METHOD_VALUES: set[ConversationCallbackMethod] = {
    "GET",
    "POST",
}

_CONVERSATION_CALLBACK_METHOD_BY_VALUE: dict[str, ConversationCallbackMethod] = {
    "GET": "GET",
    "POST": "POST",
}


def check_conversation_callback_method(value: str) -> ConversationCallbackMethod:
    known = _CONVERSATION_CALLBACK_METHOD_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONVERSATION_CALLBACK_METHOD_VALUES!r}")

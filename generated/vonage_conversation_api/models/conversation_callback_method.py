from typing import Literal, cast

ConversationCallbackMethod = Literal["GET", "POST"]

CONVERSATION_CALLBACK_METHOD_VALUES: set[ConversationCallbackMethod] = {
    "GET",
    "POST",
}


def check_conversation_callback_method(value: str) -> ConversationCallbackMethod:
    if value in CONVERSATION_CALLBACK_METHOD_VALUES:
        return cast(ConversationCallbackMethod, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONVERSATION_CALLBACK_METHOD_VALUES!r}")

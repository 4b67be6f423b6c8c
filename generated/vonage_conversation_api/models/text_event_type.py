from typing import Literal, cast

TextEventType = Literal["text"]

TEXT_EVENT_TYPE_VALUES: set[TextEventType] = {
    "text",
}


def check_text_event_type(value: str) -> TextEventType:
    if value in TEXT_EVENT_TYPE_VALUES:
        return cast(TextEventType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TEXT_EVENT_TYPE_VALUES!r}")

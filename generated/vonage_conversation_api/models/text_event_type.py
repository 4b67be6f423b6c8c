from typing import Literal

TextEventType = Literal["text"]

TEXT_EVENT_TYPE_VALUES: set[TextEventType] = {
    "text",
}

_TEXT_EVENT_TYPE_BY_VALUE: dict[str, TextEventType] = {
    "text": "text",
}


def check_text_event_type(value: str) -> TextEventType:
    known = _TEXT_EVENT_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TEXT_EVENT_TYPE_VALUES!r}")

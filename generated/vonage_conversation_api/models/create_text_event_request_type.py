from typing import Literal

CreateTextEventRequestType = Literal["text"]

CREATE_TEXT_EVENT_REQUEST_TYPE_VALUES: set[CreateTextEventRequestType] = {
    "text",
}

_CREATE_TEXT_EVENT_REQUEST_TYPE_BY_VALUE: dict[str, CreateTextEventRequestType] = {
    "text": "text",
}


def check_create_text_event_request_type(value: str) -> CreateTextEventRequestType:
    known = _CREATE_TEXT_EVENT_REQUEST_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CREATE_TEXT_EVENT_REQUEST_TYPE_VALUES!r}")

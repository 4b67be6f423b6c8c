from typing import Literal, cast

CreateTextEventRequestType = Literal["text"]

CREATE_TEXT_EVENT_REQUEST_TYPE_VALUES: set[CreateTextEventRequestType] = {
    "text",
}


def check_create_text_event_request_type(value: str) -> CreateTextEventRequestType:
    if value in CREATE_TEXT_EVENT_REQUEST_TYPE_VALUES:
        return cast(CreateTextEventRequestType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CREATE_TEXT_EVENT_REQUEST_TYPE_VALUES!r}")

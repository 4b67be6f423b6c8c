from typing import Literal

ChannelType = Literal["app", "phone", "sip", "vbc", "websocket"]

CHANNEL_TYPE_VALUES: set[ChannelType] = {
    "app",
    "phone",
    "sip",
    "vbc",
    "websocket",
}

_CHANNEL_TYPE_BY_VALUE: dict[str, ChannelType] = {
    "app": "app",
    "phone": "phone",
    "sip": "sip",
    "vbc": "vbc",
    "websocket": "websocket",
}


def check_channel_type(value: str) -> ChannelType:
    known = _CHANNEL_TYPE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANNEL_TYPE_VALUES!r}")

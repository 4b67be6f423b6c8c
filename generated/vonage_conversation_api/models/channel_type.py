from typing import Literal, cast

ChannelType = Literal["app", "phone", "sip", "vbc", "websocket"]

CHANNEL_TYPE_VALUES: set[ChannelType] = {
    "app",
    "phone",
    "sip",
    "vbc",
    "websocket",
}


def check_channel_type(value: str) -> ChannelType:
    if value in CHANNEL_TYPE_VALUES:
        return cast(ChannelType, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANNEL_TYPE_VALUES!r}")

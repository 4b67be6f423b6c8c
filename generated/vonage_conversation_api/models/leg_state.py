from typing import Literal

LegState = Literal["terminated"]

LEG_STATE_VALUES: set[LegState] = {
    "terminated",
}

_LEG_STATE_BY_VALUE: dict[str, LegState] = {
    "terminated": "terminated",
}


def check_leg_state(value: str) -> LegState:
    known = _LEG_STATE_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEG_STATE_VALUES!r}")

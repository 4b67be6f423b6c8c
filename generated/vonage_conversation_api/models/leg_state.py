from typing import Literal, cast

LegState = Literal["terminated"]

LEG_STATE_VALUES: set[LegState] = {
    "terminated",
}


def check_leg_state(value: str) -> LegState:
    if value in LEG_STATE_VALUES:
        return cast(LegState, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LEG_STATE_VALUES!r}")

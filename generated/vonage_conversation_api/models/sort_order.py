from typing import Literal

SortOrder = Literal["asc", "ASC", "DESC", "desc"]

SORT_ORDER_VALUES: set[SortOrder] = {
    "asc",
    "ASC",
    "DESC",
    "desc",
}

_SORT_ORDER_BY_VALUE: dict[str, SortOrder] = {
    "asc": "asc",
    "ASC": "ASC",
    "DESC": "DESC",
    "desc": "desc",
}


def check_sort_order(value: str) -> SortOrder:
    known = _SORT_ORDER_BY_VALUE.get(value)
    if known is not None:
        return known
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SORT_ORDER_VALUES!r}")

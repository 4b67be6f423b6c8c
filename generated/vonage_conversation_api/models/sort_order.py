from typing import Literal, cast

SortOrder = Literal["asc", "ASC", "DESC", "desc"]

SORT_ORDER_VALUES: set[SortOrder] = {
    "asc",
    "ASC",
    "DESC",
    "desc",
}


def check_sort_order(value: str) -> SortOrder:
    if value in SORT_ORDER_VALUES:
        return cast(SortOrder, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SORT_ORDER_VALUES!r}")

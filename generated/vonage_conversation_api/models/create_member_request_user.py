from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateMemberRequestUser")


@_attrs_define
class CreateMemberRequestUser:
    """Either the user id or name is required."""

    id: str | Unset = UNSET
    """ User ID """
    name: str | Unset = UNSET
    """ Unique name for a user """

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        create_member_request_user = cls(
            id=id,
            name=name,
        )

        return create_member_request_user

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Initiator")


@_attrs_define
class Initiator:
    is_system: bool | Unset = UNSET
    """ true if the user was invited by an admin JWT. user_id and member_id will not exist if true """
    user_id: str | Unset = UNSET
    """ User ID """
    member_id: str | Unset = UNSET
    """ Member ID """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_system = self.is_system

        user_id = self.user_id

        member_id = self.member_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if is_system is not UNSET:
            field_dict["isSystem"] = is_system
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if member_id is not UNSET:
            field_dict["member_id"] = member_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        is_system = d.pop("isSystem", UNSET)

        user_id = d.pop("user_id", UNSET)

        member_id = d.pop("member_id", UNSET)

        initiator = cls(
            is_system=is_system,
            user_id=user_id,
            member_id=member_id,
        )

        initiator.additional_properties = d
        return initiator

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

from ..types import UNSET, Unset

T = TypeVar("T", bound="MemberTimestamp")


@_attrs_define
class MemberTimestamp:
    invited: datetime.datetime | Unset = UNSET
    """ Timestamp """
    joined: datetime.datetime | Unset = UNSET
    """ Timestamp """
    left: datetime.datetime | Unset = UNSET
    """ Timestamp """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invited: str | Unset = UNSET
        if not isinstance(self.invited, Unset):
            invited = self.invited.isoformat()

        joined: str | Unset = UNSET
        if not isinstance(self.joined, Unset):
            joined = self.joined.isoformat()

        left: str | Unset = UNSET
        if not isinstance(self.left, Unset):
            left = self.left.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if invited is not UNSET:
            field_dict["invited"] = invited
        if joined is not UNSET:
            field_dict["joined"] = joined
        if left is not UNSET:
            field_dict["left"] = left

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _invited = d.pop("invited", UNSET)
        invited: datetime.datetime | Unset
        if isinstance(_invited, Unset):
            invited = UNSET
        else:
            invited = isoparse(_invited)

        _joined = d.pop("joined", UNSET)
        joined: datetime.datetime | Unset
        if isinstance(_joined, Unset):
            joined = UNSET
        else:
            joined = isoparse(_joined)

        _left = d.pop("left", UNSET)
        left: datetime.datetime | Unset
        if isinstance(_left, Unset):
            left = UNSET
        else:
            left = isoparse(_left)

        member_timestamp = cls(
            invited=invited,
            joined=joined,
            left=left,
        )

        member_timestamp.additional_properties = d
        return member_timestamp

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

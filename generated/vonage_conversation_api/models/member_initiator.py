from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.initiator import Initiator


T = TypeVar("T", bound="MemberInitiator")


@_attrs_define
class MemberInitiator:
    joined: Initiator | Unset = UNSET
    invited: Initiator | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        joined: dict[str, Any] | Unset = UNSET
        if not isinstance(self.joined, Unset):
            joined = self.joined.to_dict()

        invited: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invited, Unset):
            invited = self.invited.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if joined is not UNSET:
            field_dict["joined"] = joined
        if invited is not UNSET:
            field_dict["invited"] = invited

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.initiator import Initiator

        d = dict(src_dict)
        _joined = d.pop("joined", UNSET)
        joined: Initiator | Unset
        if isinstance(_joined, Unset):
            joined = UNSET
        else:
            joined = Initiator.from_dict(_joined)

        _invited = d.pop("invited", UNSET)
        invited: Initiator | Unset
        if isinstance(_invited, Unset):
            invited = UNSET
        else:
            invited = Initiator.from_dict(_invited)

        member_initiator = cls(
            joined=joined,
            invited=invited,
        )

        member_initiator.additional_properties = d
        return member_initiator

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

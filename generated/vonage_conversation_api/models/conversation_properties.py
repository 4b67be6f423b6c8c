from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversation_properties_custom_data import ConversationPropertiesCustomData


T = TypeVar("T", bound="ConversationProperties")


@_attrs_define
class ConversationProperties:
    """Conversation properties"""

    ttl: float | Unset = UNSET
    """ Time to leave. After how many seconds an empty conversation is deleted. """
    type_: str | Unset = UNSET
    custom_data: ConversationPropertiesCustomData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ttl = self.ttl

        type_ = self.type_

        custom_data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_data, Unset):
            custom_data = self.custom_data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if ttl is not UNSET:
            field_dict["ttl"] = ttl
        if type_ is not UNSET:
            field_dict["type"] = type_
        if custom_data is not UNSET:
            field_dict["custom_data"] = custom_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_properties_custom_data import ConversationPropertiesCustomData

        d = dict(src_dict)
        ttl = d.pop("ttl", UNSET)

        type_ = d.pop("type", UNSET)

        _custom_data = d.pop("custom_data", UNSET)
        custom_data: ConversationPropertiesCustomData | Unset
        if isinstance(_custom_data, Unset):
            custom_data = UNSET
        else:
            custom_data = ConversationPropertiesCustomData.from_dict(_custom_data)

        conversation_properties = cls(
            ttl=ttl,
            type_=type_,
            custom_data=custom_data,
        )

        conversation_properties.additional_properties = d
        return conversation_properties

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversation_timestamp import ConversationTimestamp
    from ..models.self_links import SelfLinks


T = TypeVar("T", bound="ConversationSummary")


@_attrs_define
class ConversationSummary:
    id: str
    """ The unique identifier for this conversation """
    name: str | Unset = UNSET
    """ Your internal conversation name. Must be unique """
    display_name: str | Unset = UNSET
    """ The public facing name of the conversation """
    image_url: str | Unset = UNSET
    """ An image URL that you associate with the conversation """
    timestamp: ConversationTimestamp | Unset = UNSET
    field_links: SelfLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        display_name = self.display_name

        image_url = self.image_url

        timestamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.to_dict()

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if field_links is not UNSET:
            field_dict["_links"] = field_links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_timestamp import ConversationTimestamp
        from ..models.self_links import SelfLinks

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name", UNSET)

        display_name = d.pop("display_name", UNSET)

        image_url = d.pop("image_url", UNSET)

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: ConversationTimestamp | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = ConversationTimestamp.from_dict(_timestamp)

        _field_links = d.pop("_links", UNSET)
        field_links: SelfLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = SelfLinks.from_dict(_field_links)

        conversation_summary = cls(
            id=id,
            name=name,
            display_name=display_name,
            image_url=image_url,
            timestamp=timestamp,
            field_links=field_links,
        )

        conversation_summary.additional_properties = d
        return conversation_summary

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

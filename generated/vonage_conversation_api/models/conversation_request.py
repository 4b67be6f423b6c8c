from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel_endpoint import ChannelEndpoint
    from ..models.conversation_callback import ConversationCallback
    from ..models.conversation_properties import ConversationProperties


T = TypeVar("T", bound="ConversationRequest")


@_attrs_define
class ConversationRequest:
    name: str | Unset = UNSET
    """ Your internal conversation name. Must be unique """
    display_name: str | Unset = UNSET
    """ The public facing name of the conversation """
    image_url: str | Unset = UNSET
    """ An image URL that you associate with the conversation """
    properties: ConversationProperties | Unset = UNSET
    """ Conversation properties """
    numbers: list[ChannelEndpoint] | Unset = UNSET
    """ An array containing number on different channels. """
    callback: ConversationCallback | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        display_name = self.display_name

        image_url = self.image_url

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        numbers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.numbers, Unset):
            numbers = []
            for numbers_item_data in self.numbers:
                numbers_item = numbers_item_data.to_dict()
                numbers.append(numbers_item)

        callback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.callback, Unset):
            callback = self.callback.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if image_url is not UNSET:
            field_dict["image_url"] = image_url
        if properties is not UNSET:
            field_dict["properties"] = properties
        if numbers is not UNSET:
            field_dict["numbers"] = numbers
        if callback is not UNSET:
            field_dict["callback"] = callback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_endpoint import ChannelEndpoint
        from ..models.conversation_callback import ConversationCallback
        from ..models.conversation_properties import ConversationProperties

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        display_name = d.pop("display_name", UNSET)

        image_url = d.pop("image_url", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: ConversationProperties | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = ConversationProperties.from_dict(_properties)

        _numbers = d.pop("numbers", UNSET)
        numbers: list[ChannelEndpoint] | Unset = UNSET
        if _numbers is not UNSET:
            numbers = []
            for numbers_item_data in _numbers:
                numbers_item = ChannelEndpoint.from_dict(numbers_item_data)

                numbers.append(numbers_item)

        _callback = d.pop("callback", UNSET)
        callback: ConversationCallback | Unset
        if isinstance(_callback, Unset):
            callback = UNSET
        else:
            callback = ConversationCallback.from_dict(_callback)

        conversation_request = cls(
            name=name,
            display_name=display_name,
            image_url=image_url,
            properties=properties,
            numbers=numbers,
            callback=callback,
        )

        conversation_request.additional_properties = d
        return conversation_request

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

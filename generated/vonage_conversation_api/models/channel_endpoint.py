from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_type import ChannelType, check_channel_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="ChannelEndpoint")


@_attrs_define
class ChannelEndpoint:
    """One end of a channel, or a number of a conversation. `type` says which other fields apply: `app` (`user`), `phone`
    (`number`), `sip` (`uri`, `username`, `password`), `websocket` (`uri`, `content_type`), `vbc` (`extension`).

    """

    type_: ChannelType | str
    user: str | Unset = UNSET
    """ The username to connect to """
    number: str | Unset = UNSET
    """ A phone number """
    uri: str | Unset = UNSET
    """ A SIP or WebSocket URI """
    username: str | Unset = UNSET
    """ SIP user name """
    password: str | Unset = UNSET
    """ SIP password """
    content_type: str | Unset = UNSET
    """ WebSocket media content type """
    extension: str | Unset = UNSET
    """ VBC extension """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str
        if isinstance(self.type_, str):
            type_ = self.type_
        else:
            type_ = self.type_

        user = self.user

        number = self.number

        uri = self.uri

        username = self.username

        password = self.password

        content_type = self.content_type

        extension = self.extension

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if user is not UNSET:
            field_dict["user"] = user
        if number is not UNSET:
            field_dict["number"] = number
        if uri is not UNSET:
            field_dict["uri"] = uri
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if extension is not UNSET:
            field_dict["extension"] = extension

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_type_(data: object) -> ChannelType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = check_channel_type(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChannelType | str, data)

        type_ = _parse_type_(d.pop("type"))

        user = d.pop("user", UNSET)

        number = d.pop("number", UNSET)

        uri = d.pop("uri", UNSET)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        content_type = d.pop("content_type", UNSET)

        extension = d.pop("extension", UNSET)

        channel_endpoint = cls(
            type_=type_,
            user=user,
            number=number,
            uri=uri,
            username=username,
            password=password,
            content_type=content_type,
            extension=extension,
        )

        channel_endpoint.additional_properties = d
        return channel_endpoint

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

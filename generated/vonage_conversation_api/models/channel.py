from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel_type import ChannelType, check_channel_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel_endpoint import ChannelEndpoint
    from ..models.channel_leg_ids_item import ChannelLegIdsItem


T = TypeVar("T", bound="Channel")


@_attrs_define
class Channel:
    """A user who joins a conversation as a member can have one channel per membership type. Channels can be app, phone,
    sip, websocket, or vbc

    """

    type_: ChannelType | str | Unset = UNSET
    leg_id: str | Unset = UNSET
    """ The id of the leg. rtc_id and call_id are leg id """
    from_: ChannelEndpoint | Unset = UNSET
    """ One end of a channel, or a number of a conversation. `type` says which other fields apply: `app` (`user`),
    `phone` (`number`), `sip` (`uri`, `username`, `password`), `websocket` (`uri`, `content_type`), `vbc`
    (`extension`). """
    to: ChannelEndpoint | Unset = UNSET
    """ One end of a channel, or a number of a conversation. `type` says which other fields apply: `app` (`user`),
    `phone` (`number`), `sip` (`uri`, `username`, `password`), `websocket` (`uri`, `content_type`), `vbc`
    (`extension`). """
    leg_ids: list[ChannelLegIdsItem] | Unset = UNSET
    """ Leg ids associated with this Channel. The first item in the array represents the main active Leg. The second
    item, if exists, represents a screen-share Leg. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, str):
            type_ = self.type_
        else:
            type_ = self.type_

        leg_id = self.leg_id

        from_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.from_, Unset):
            from_ = self.from_.to_dict()

        to: dict[str, Any] | Unset = UNSET
        if not isinstance(self.to, Unset):
            to = self.to.to_dict()

        leg_ids: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.leg_ids, Unset):
            leg_ids = []
            for leg_ids_item_data in self.leg_ids:
                leg_ids_item = leg_ids_item_data.to_dict()
                leg_ids.append(leg_ids_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if leg_id is not UNSET:
            field_dict["leg_id"] = leg_id
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if leg_ids is not UNSET:
            field_dict["leg_ids"] = leg_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_endpoint import ChannelEndpoint
        from ..models.channel_leg_ids_item import ChannelLegIdsItem

        d = dict(src_dict)

        def _parse_type_(data: object) -> ChannelType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = check_channel_type(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChannelType | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        leg_id = d.pop("leg_id", UNSET)

        _from_ = d.pop("from", UNSET)
        from_: ChannelEndpoint | Unset
        if isinstance(_from_, Unset):
            from_ = UNSET
        else:
            from_ = ChannelEndpoint.from_dict(_from_)

        _to = d.pop("to", UNSET)
        to: ChannelEndpoint | Unset
        if isinstance(_to, Unset):
            to = UNSET
        else:
            to = ChannelEndpoint.from_dict(_to)

        _leg_ids = d.pop("leg_ids", UNSET)
        leg_ids: list[ChannelLegIdsItem] | Unset = UNSET
        if _leg_ids is not UNSET:
            leg_ids = []
            for leg_ids_item_data in _leg_ids:
                leg_ids_item = ChannelLegIdsItem.from_dict(leg_ids_item_data)

                leg_ids.append(leg_ids_item)

        channel = cls(
            type_=type_,
            leg_id=leg_id,
            from_=from_,
            to=to,
            leg_ids=leg_ids,
        )

        channel.additional_properties = d
        return channel

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

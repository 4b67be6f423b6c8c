from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

from ..models.channel_type import ChannelType, check_channel_type
from ..models.leg_state import LegState, check_leg_state
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.leg_embedded import LegEmbedded
    from ..models.leg_from import LegFrom
    from ..models.leg_links import LegLinks
    from ..models.leg_to import LegTo


T = TypeVar("T", bound="Leg")


@_attrs_define
class Leg:
    uuid: str
    """ The id of the leg. rtc_id and call_id are leg id """
    type_: ChannelType | str | Unset = UNSET
    conversation_uuid: str | Unset = UNSET
    """ The unique identifier for this conversation """
    state: LegState | str | Unset = UNSET
    from_: LegFrom | Unset = UNSET
    to: LegTo | Unset = UNSET
    start_time: datetime.datetime | Unset = UNSET
    """ Time of leg start """
    end_time: datetime.datetime | Unset = UNSET
    """ Time of leg end """
    field_links: LegLinks | Unset = UNSET
    field_embedded: LegEmbedded | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        type_: str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, str):
            type_ = self.type_
        else:
            type_ = self.type_

        conversation_uuid = self.conversation_uuid

        state: str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, str):
            state = self.state
        else:
            state = self.state

        from_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.from_, Unset):
            from_ = self.from_.to_dict()

        to: dict[str, Any] | Unset = UNSET
        if not isinstance(self.to, Unset):
            to = self.to.to_dict()

        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        end_time: str | Unset = UNSET
        if not isinstance(self.end_time, Unset):
            end_time = self.end_time.isoformat()

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        field_embedded: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_embedded, Unset):
            field_embedded = self.field_embedded.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if conversation_uuid is not UNSET:
            field_dict["conversation_uuid"] = conversation_uuid
        if state is not UNSET:
            field_dict["state"] = state
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if field_links is not UNSET:
            field_dict["_links"] = field_links
        if field_embedded is not UNSET:
            field_dict["_embedded"] = field_embedded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.leg_embedded import LegEmbedded
        from ..models.leg_from import LegFrom
        from ..models.leg_links import LegLinks
        from ..models.leg_to import LegTo

        d = dict(src_dict)
        uuid = d.pop("uuid")

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

        conversation_uuid = d.pop("conversation_uuid", UNSET)

        def _parse_state(data: object) -> LegState | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = check_leg_state(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegState | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        _from_ = d.pop("from", UNSET)
        from_: LegFrom | Unset
        if isinstance(_from_, Unset):
            from_ = UNSET
        else:
            from_ = LegFrom.from_dict(_from_)

        _to = d.pop("to", UNSET)
        to: LegTo | Unset
        if isinstance(_to, Unset):
            to = UNSET
        else:
            to = LegTo.from_dict(_to)

        _start_time = d.pop("start_time", UNSET)
        start_time: datetime.datetime | Unset
        if isinstance(_start_time, Unset):
            start_time = UNSET
        else:
            start_time = isoparse(_start_time)

        _end_time = d.pop("end_time", UNSET)
        end_time: datetime.datetime | Unset
        if isinstance(_end_time, Unset):
            end_time = UNSET
        else:
            end_time = isoparse(_end_time)

        _field_links = d.pop("_links", UNSET)
        field_links: LegLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = LegLinks.from_dict(_field_links)

        _field_embedded = d.pop("_embedded", UNSET)
        field_embedded: LegEmbedded | Unset
        if isinstance(_field_embedded, Unset):
            field_embedded = UNSET
        else:
            field_embedded = LegEmbedded.from_dict(_field_embedded)

        leg = cls(
            uuid=uuid,
            type_=type_,
            conversation_uuid=conversation_uuid,
            state=state,
            from_=from_,
            to=to,
            start_time=start_time,
            end_time=end_time,
            field_links=field_links,
            field_embedded=field_embedded,
        )

        leg.additional_properties = d
        return leg

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.member_state import MemberState, check_member_state
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel import Channel
    from ..models.media import Media
    from ..models.member_embedded import MemberEmbedded
    from ..models.member_initiator import MemberInitiator
    from ..models.member_timestamp import MemberTimestamp
    from ..models.self_links import SelfLinks


T = TypeVar("T", bound="Member")


@_attrs_define
class Member:
    id: str
    """ Member ID """
    conversation_id: str | Unset = UNSET
    """ The unique identifier for this conversation """
    field_embedded: MemberEmbedded | Unset = UNSET
    state: MemberState | str | Unset = UNSET
    timestamp: MemberTimestamp | Unset = UNSET
    initiator: MemberInitiator | Unset = UNSET
    channel: Channel | Unset = UNSET
    """ A user who joins a conversation as a member can have one channel per membership type. Channels can be app,
    phone, sip, websocket, or vbc """
    media: Media | Unset = UNSET
    """ Media Object """
    field_links: SelfLinks | Unset = UNSET
    name: str | Unset = UNSET
    """ The name of the User """
    display_name: str | Unset = UNSET
    """ The display name of the User """
    user_id: str | Unset = UNSET
    """ The ID of the User """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        conversation_id = self.conversation_id

        field_embedded: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_embedded, Unset):
            field_embedded = self.field_embedded.to_dict()

        state: str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, str):
            state = self.state
        else:
            state = self.state

        timestamp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = self.timestamp.to_dict()

        initiator: dict[str, Any] | Unset = UNSET
        if not isinstance(self.initiator, Unset):
            initiator = self.initiator.to_dict()

        channel: dict[str, Any] | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.to_dict()

        media: dict[str, Any] | Unset = UNSET
        if not isinstance(self.media, Unset):
            media = self.media.to_dict()

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        name = self.name

        display_name = self.display_name

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if conversation_id is not UNSET:
            field_dict["conversation_id"] = conversation_id
        if field_embedded is not UNSET:
            field_dict["_embedded"] = field_embedded
        if state is not UNSET:
            field_dict["state"] = state
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if initiator is not UNSET:
            field_dict["initiator"] = initiator
        if channel is not UNSET:
            field_dict["channel"] = channel
        if media is not UNSET:
            field_dict["media"] = media
        if field_links is not UNSET:
            field_dict["_links"] = field_links
        if name is not UNSET:
            field_dict["name"] = name
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel import Channel
        from ..models.media import Media
        from ..models.member_embedded import MemberEmbedded
        from ..models.member_initiator import MemberInitiator
        from ..models.member_timestamp import MemberTimestamp
        from ..models.self_links import SelfLinks

        d = dict(src_dict)
        id = d.pop("id")

        conversation_id = d.pop("conversation_id", UNSET)

        _field_embedded = d.pop("_embedded", UNSET)
        field_embedded: MemberEmbedded | Unset
        if isinstance(_field_embedded, Unset):
            field_embedded = UNSET
        else:
            field_embedded = MemberEmbedded.from_dict(_field_embedded)

        def _parse_state(data: object) -> MemberState | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = check_member_state(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MemberState | str | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        _timestamp = d.pop("timestamp", UNSET)
        timestamp: MemberTimestamp | Unset
        if isinstance(_timestamp, Unset):
            timestamp = UNSET
        else:
            timestamp = MemberTimestamp.from_dict(_timestamp)

        _initiator = d.pop("initiator", UNSET)
        initiator: MemberInitiator | Unset
        if isinstance(_initiator, Unset):
            initiator = UNSET
        else:
            initiator = MemberInitiator.from_dict(_initiator)

        _channel = d.pop("channel", UNSET)
        channel: Channel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = Channel.from_dict(_channel)

        _media = d.pop("media", UNSET)
        media: Media | Unset
        if isinstance(_media, Unset):
            media = UNSET
        else:
            media = Media.from_dict(_media)

        _field_links = d.pop("_links", UNSET)
        field_links: SelfLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = SelfLinks.from_dict(_field_links)

        name = d.pop("name", UNSET)

        display_name = d.pop("display_name", UNSET)

        user_id = d.pop("user_id", UNSET)

        member = cls(
            id=id,
            conversation_id=conversation_id,
            field_embedded=field_embedded,
            state=state,
            timestamp=timestamp,
            initiator=initiator,
            channel=channel,
            media=media,
            field_links=field_links,
            name=name,
            display_name=display_name,
            user_id=user_id,
        )

        member.additional_properties = d
        return member

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_member_request_state import CreateMemberRequestState, check_create_member_request_state
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.channel import Channel
    from ..models.create_member_request_user import CreateMemberRequestUser
    from ..models.media import Media


T = TypeVar("T", bound="CreateMemberRequest")


@_attrs_define
class CreateMemberRequest:
    user: CreateMemberRequestUser
    """ Either the user id or name is required. """
    state: CreateMemberRequestState | Unset = "invited"
    """ Invite or join a member to a conversation """
    channel: Channel | Unset = UNSET
    """ A user who joins a conversation as a member can have one channel per membership type. Channels can be app,
    phone, sip, websocket, or vbc """
    media: Media | Unset = UNSET
    """ Media Object """
    knocking_id: str | Unset = UNSET
    """ Knocker ID. A knocker is a pre-member of a conversation who does not exist yet """
    member_id_inviting: str | Unset = UNSET
    """ Member ID of the member that sends the invitation """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user = self.user.to_dict()

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state

        channel: dict[str, Any] | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.to_dict()

        media: dict[str, Any] | Unset = UNSET
        if not isinstance(self.media, Unset):
            media = self.media.to_dict()

        knocking_id = self.knocking_id

        member_id_inviting = self.member_id_inviting

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user": user,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if channel is not UNSET:
            field_dict["channel"] = channel
        if media is not UNSET:
            field_dict["media"] = media
        if knocking_id is not UNSET:
            field_dict["knocking_id"] = knocking_id
        if member_id_inviting is not UNSET:
            field_dict["member_id_inviting"] = member_id_inviting

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel import Channel
        from ..models.create_member_request_user import CreateMemberRequestUser
        from ..models.media import Media

        d = dict(src_dict)
        user = CreateMemberRequestUser.from_dict(d.pop("user"))

        _state = d.pop("state", UNSET)
        state: CreateMemberRequestState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = check_create_member_request_state(_state)

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

        knocking_id = d.pop("knocking_id", UNSET)

        member_id_inviting = d.pop("member_id_inviting", UNSET)

        create_member_request = cls(
            user=user,
            state=state,
            channel=channel,
            media=media,
            knocking_id=knocking_id,
            member_id_inviting=member_id_inviting,
        )

        create_member_request.additional_properties = d
        return create_member_request

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

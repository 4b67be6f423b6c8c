from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from dateutil.parser import isoparse

from ..models.member_invited_event_type import MemberInvitedEventType, check_member_invited_event_type
from ..models.member_state import MemberState, check_member_state
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member import Member
    from ..models.self_links import SelfLinks


T = TypeVar("T", bound="MemberInvitedEvent")


@_attrs_define
class MemberInvitedEvent:
    """Member Invited"""

    id: str
    """ Event id. This is a progressive integer """
    type_: MemberInvitedEventType
    """ The event type (`member:invited`) """
    body: Member
    timestamp: datetime.datetime
    """ Time of creation """
    from_: str | Unset = UNSET
    """ Member ID """
    to: str | Unset = UNSET
    """ Member ID """
    state: MemberState | str | Unset = UNSET
    href: str | Unset = UNSET
    """ A link towards a conversation event included in Conversation API """
    field_links: SelfLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_: str = self.type_

        body = self.body.to_dict()

        timestamp = self.timestamp.isoformat()

        from_ = self.from_

        to = self.to

        state: str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, str):
            state = self.state
        else:
            state = self.state

        href = self.href

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "body": body,
                "timestamp": timestamp,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if state is not UNSET:
            field_dict["state"] = state
        if href is not UNSET:
            field_dict["href"] = href
        if field_links is not UNSET:
            field_dict["_links"] = field_links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member import Member
        from ..models.self_links import SelfLinks

        d = dict(src_dict)
        id = d.pop("id")

        type_ = check_member_invited_event_type(d.pop("type"))

        body = Member.from_dict(d.pop("body"))

        timestamp = isoparse(d.pop("timestamp"))

        from_ = d.pop("from", UNSET)

        to = d.pop("to", UNSET)

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

        href = d.pop("href", UNSET)

        _field_links = d.pop("_links", UNSET)
        field_links: SelfLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = SelfLinks.from_dict(_field_links)

        member_invited_event = cls(
            id=id,
            type_=type_,
            body=body,
            timestamp=timestamp,
            from_=from_,
            to=to,
            state=state,
            href=href,
            field_links=field_links,
        )

        member_invited_event.additional_properties = d
        return member_invited_event

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

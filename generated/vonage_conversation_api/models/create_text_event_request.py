from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_text_event_request_type import CreateTextEventRequestType, check_create_text_event_request_type
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_text_event_request_body import CreateTextEventRequestBody


T = TypeVar("T", bound="CreateTextEventRequest")


@_attrs_define
class CreateTextEventRequest:
    """A text message from a member."""

    type_: CreateTextEventRequestType
    from_: str
    """ Member ID """
    body: CreateTextEventRequestBody
    to: str | Unset = UNSET
    """ Member ID """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        from_ = self.from_

        body = self.body.to_dict()

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "from": from_,
                "body": body,
            }
        )
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_text_event_request_body import CreateTextEventRequestBody

        d = dict(src_dict)
        type_ = check_create_text_event_request_type(d.pop("type"))

        from_ = d.pop("from")

        body = CreateTextEventRequestBody.from_dict(d.pop("body"))

        to = d.pop("to", UNSET)

        create_text_event_request = cls(
            type_=type_,
            from_=from_,
            body=body,
            to=to,
        )

        create_text_event_request.additional_properties = d
        return create_text_event_request

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

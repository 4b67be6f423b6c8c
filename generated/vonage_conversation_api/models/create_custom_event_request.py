from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_custom_event_request_body import CreateCustomEventRequestBody


T = TypeVar("T", bound="CreateCustomEventRequest")


@_attrs_define
class CreateCustomEventRequest:
    """An event of your own, `custom:<name>`, with any JSON object as its body."""

    type_: str
    from_: str
    """ Member ID """
    to: str | Unset = UNSET
    """ Member ID """
    body: CreateCustomEventRequestBody | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        from_ = self.from_

        to = self.to

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "from": from_,
            }
        )
        if to is not UNSET:
            field_dict["to"] = to
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_custom_event_request_body import CreateCustomEventRequestBody

        d = dict(src_dict)
        type_ = d.pop("type")

        from_ = d.pop("from")

        to = d.pop("to", UNSET)

        _body = d.pop("body", UNSET)
        body: CreateCustomEventRequestBody | Unset
        if isinstance(_body, Unset):
            body = UNSET
        else:
            body = CreateCustomEventRequestBody.from_dict(_body)

        create_custom_event_request = cls(
            type_=type_,
            from_=from_,
            to=to,
            body=body,
        )

        create_custom_event_request.additional_properties = d
        return create_custom_event_request

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

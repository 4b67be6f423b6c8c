from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.session_embedded import SessionEmbedded
    from ..models.session_properties import SessionProperties


T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    id: str
    field_embedded: SessionEmbedded
    properties: SessionProperties
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        field_embedded = self.field_embedded.to_dict()

        properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "_embedded": field_embedded,
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_embedded import SessionEmbedded
        from ..models.session_properties import SessionProperties

        d = dict(src_dict)
        id = d.pop("id")

        field_embedded = SessionEmbedded.from_dict(d.pop("_embedded"))

        properties = SessionProperties.from_dict(d.pop("properties"))

        session = cls(
            id=id,
            field_embedded=field_embedded,
            properties=properties,
        )

        session.additional_properties = d
        return session

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

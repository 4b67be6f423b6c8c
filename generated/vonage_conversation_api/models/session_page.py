from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.page_links import PageLinks
    from ..models.session_page_embedded import SessionPageEmbedded


T = TypeVar("T", bound="SessionPage")


@_attrs_define
class SessionPage:
    page_size: int = 10
    """ The amount of records returned in this response """
    field_embedded: SessionPageEmbedded | Unset = UNSET
    """ A list of session objects. """
    field_links: PageLinks | Unset = UNSET
    """ A series of links between resources in this API in the http://stateless.co/hal_specification.html. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        page_size = self.page_size

        field_embedded: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_embedded, Unset):
            field_embedded = self.field_embedded.to_dict()

        field_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_links, Unset):
            field_links = self.field_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "page_size": page_size,
            }
        )
        if field_embedded is not UNSET:
            field_dict["_embedded"] = field_embedded
        if field_links is not UNSET:
            field_dict["_links"] = field_links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.page_links import PageLinks
        from ..models.session_page_embedded import SessionPageEmbedded

        d = dict(src_dict)
        page_size = d.pop("page_size")

        _field_embedded = d.pop("_embedded", UNSET)
        field_embedded: SessionPageEmbedded | Unset
        if isinstance(_field_embedded, Unset):
            field_embedded = UNSET
        else:
            field_embedded = SessionPageEmbedded.from_dict(_field_embedded)

        _field_links = d.pop("_links", UNSET)
        field_links: PageLinks | Unset
        if isinstance(_field_links, Unset):
            field_links = UNSET
        else:
            field_links = PageLinks.from_dict(_field_links)

        session_page = cls(
            page_size=page_size,
            field_embedded=field_embedded,
            field_links=field_links,
        )

        session_page.additional_properties = d
        return session_page

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

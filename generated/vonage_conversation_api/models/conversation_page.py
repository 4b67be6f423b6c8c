from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.conversation_page_embedded import ConversationPageEmbedded
    from ..models.page_links import PageLinks


T = TypeVar("T", bound="ConversationPage")


@_attrs_define
class ConversationPage:
    field_embedded: ConversationPageEmbedded
    """ A list of conversation objects. See the get details of a specific conversation response fields for a
    description of the nested objects """
    field_links: PageLinks
    """ A series of links between resources in this API in the http://stateless.co/hal_specification.html. """
    page_size: int = 10
    """ The amount of records returned in this response """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        page_size = self.page_size

        field_embedded = self.field_embedded.to_dict()

        field_links = self.field_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "page_size": page_size,
                "_embedded": field_embedded,
                "_links": field_links,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_page_embedded import ConversationPageEmbedded
        from ..models.page_links import PageLinks

        d = dict(src_dict)
        page_size = d.pop("page_size")

        field_embedded = ConversationPageEmbedded.from_dict(d.pop("_embedded"))

        field_links = PageLinks.from_dict(d.pop("_links"))

        conversation_page = cls(
            page_size=page_size,
            field_embedded=field_embedded,
            field_links=field_links,
        )

        conversation_page.additional_properties = d
        return conversation_page

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.leg_page_embedded import LegPageEmbedded
    from ..models.leg_page_links import LegPageLinks


T = TypeVar("T", bound="LegPage")


@_attrs_define
class LegPage:
    count: int
    """ The total number of records returned by your request. """
    record_index: int
    """ Return page_size amount of conversations from this index in the response. That is, if your request returns
    300 conversations, set record_index to 5 in order to return conversations 50 to 59. The default value is 0. That
    is, the first page_size calls. """
    field_links: LegPageLinks
    field_embedded: LegPageEmbedded
    """ A list of conversation objects. See the get details of a specific conversation response fields for a
    description of the nested objects """
    page_size: int = 10
    """ The amount of records returned in this response """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        page_size = self.page_size

        record_index = self.record_index

        field_links = self.field_links.to_dict()

        field_embedded = self.field_embedded.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "page_size": page_size,
                "record_index": record_index,
                "_links": field_links,
                "_embedded": field_embedded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.leg_page_embedded import LegPageEmbedded
        from ..models.leg_page_links import LegPageLinks

        d = dict(src_dict)
        count = d.pop("count")

        page_size = d.pop("page_size")

        record_index = d.pop("record_index")

        field_links = LegPageLinks.from_dict(d.pop("_links"))

        field_embedded = LegPageEmbedded.from_dict(d.pop("_embedded"))

        leg_page = cls(
            count=count,
            page_size=page_size,
            record_index=record_index,
            field_links=field_links,
            field_embedded=field_embedded,
        )

        leg_page.additional_properties = d
        return leg_page

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link import Link


T = TypeVar("T", bound="PageLinks")


@_attrs_define
class PageLinks:
    """A series of links between resources in this API in the http://stateless.co/hal_specification.html."""

    self_: Link
    first: Link | Unset = UNSET
    next_: Link | Unset = UNSET
    prev: Link | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_.to_dict()

        first: dict[str, Any] | Unset = UNSET
        if not isinstance(self.first, Unset):
            first = self.first.to_dict()

        next_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.next_, Unset):
            next_ = self.next_.to_dict()

        prev: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prev, Unset):
            prev = self.prev.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "self": self_,
            }
        )
        if first is not UNSET:
            field_dict["first"] = first
        if next_ is not UNSET:
            field_dict["next"] = next_
        if prev is not UNSET:
            field_dict["prev"] = prev

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.link import Link

        d = dict(src_dict)
        self_ = Link.from_dict(d.pop("self"))

        _first = d.pop("first", UNSET)
        first: Link | Unset
        if isinstance(_first, Unset):
            first = UNSET
        else:
            first = Link.from_dict(_first)

        _next_ = d.pop("next", UNSET)
        next_: Link | Unset
        if isinstance(_next_, Unset):
            next_ = UNSET
        else:
            next_ = Link.from_dict(_next_)

        _prev = d.pop("prev", UNSET)
        prev: Link | Unset
        if isinstance(_prev, Unset):
            prev = UNSET
        else:
            prev = Link.from_dict(_prev)

        page_links = cls(
            self_=self_,
            first=first,
            next_=next_,
            prev=prev,
        )

        page_links.additional_properties = d
        return page_links

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.conversation_callback_method import ConversationCallbackMethod, check_conversation_callback_method
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversation_callback_params import ConversationCallbackParams


T = TypeVar("T", bound="ConversationCallback")


@_attrs_define
class ConversationCallback:
    url: str | Unset = UNSET
    event_mask: str | Unset = UNSET
    params: ConversationCallbackParams | Unset = UNSET
    method: ConversationCallbackMethod | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_mask = self.event_mask

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        method: str | Unset = UNSET
        if not isinstance(self.method, Unset):
            method = self.method

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if event_mask is not UNSET:
            field_dict["event_mask"] = event_mask
        if params is not UNSET:
            field_dict["params"] = params
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversation_callback_params import ConversationCallbackParams

        d = dict(src_dict)
        url = d.pop("url", UNSET)

        event_mask = d.pop("event_mask", UNSET)

        _params = d.pop("params", UNSET)
        params: ConversationCallbackParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = ConversationCallbackParams.from_dict(_params)

        _method = d.pop("method", UNSET)
        method: ConversationCallbackMethod | Unset
        if isinstance(_method, Unset):
            method = UNSET
        else:
            method = check_conversation_callback_method(_method)

        conversation_callback = cls(
            url=url,
            event_mask=event_mask,
            params=params,
            method=method,
        )

        conversation_callback.additional_properties = d
        return conversation_callback

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

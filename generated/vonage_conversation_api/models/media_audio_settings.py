from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaAudioSettings")


@_attrs_define
class MediaAudioSettings:
    """The current audio state for the member"""

    enabled: bool | Unset = UNSET
    """ Is audio enabled? """
    earmuffed: bool | Unset = UNSET
    """ Can the member hear other participants? """
    muted: bool | Unset = UNSET
    """ Can the member speak to other participants? """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        earmuffed = self.earmuffed

        muted = self.muted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if earmuffed is not UNSET:
            field_dict["earmuffed"] = earmuffed
        if muted is not UNSET:
            field_dict["muted"] = muted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        earmuffed = d.pop("earmuffed", UNSET)

        muted = d.pop("muted", UNSET)

        media_audio_settings = cls(
            enabled=enabled,
            earmuffed=earmuffed,
            muted=muted,
        )

        media_audio_settings.additional_properties = d
        return media_audio_settings

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

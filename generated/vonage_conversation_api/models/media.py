from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.media_audio_settings import MediaAudioSettings


T = TypeVar("T", bound="Media")


@_attrs_define
class Media:
    """Media Object

    Example:
        {'audio_settings': {'enabled': False, 'earmuffed': False, 'muted': False}}

    """

    audio_settings: MediaAudioSettings | Unset = UNSET
    """ The current audio state for the member """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audio_settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.audio_settings, Unset):
            audio_settings = self.audio_settings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if audio_settings is not UNSET:
            field_dict["audio_settings"] = audio_settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.media_audio_settings import MediaAudioSettings

        d = dict(src_dict)
        _audio_settings = d.pop("audio_settings", UNSET)
        audio_settings: MediaAudioSettings | Unset
        if isinstance(_audio_settings, Unset):
            audio_settings = UNSET
        else:
            audio_settings = MediaAudioSettings.from_dict(_audio_settings)

        media = cls(
            audio_settings=audio_settings,
        )

        media.additional_properties = d
        return media

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

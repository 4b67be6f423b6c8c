"""Contains all the data models used in inputs/outputs"""

from .channel import Channel
from .channel_endpoint import ChannelEndpoint
from .channel_leg_ids_item import ChannelLegIdsItem
from .channel_type import ChannelType
from .conversation import Conversation
from .conversation_callback import ConversationCallback
from .conversation_callback_method import ConversationCallbackMethod
from .conversation_callback_params import ConversationCallbackParams
from .conversation_numbers import ConversationNumbers
from .conversation_page import ConversationPage
from .conversation_page_embedded import ConversationPageEmbedded
from .conversation_page_v02 import ConversationPageV02
from .conversation_page_v02_embedded import ConversationPageV02Embedded
from .conversation_page_v02_embedded_data import ConversationPageV02EmbeddedData
from .conversation_properties import ConversationProperties
from .conversation_properties_custom_data import ConversationPropertiesCustomData
from .conversation_request import ConversationRequest
from .conversation_summary import ConversationSummary
from .conversation_timestamp import ConversationTimestamp
from .create_custom_event_request import CreateCustomEventRequest
from .create_custom_event_request_body import CreateCustomEventRequestBody
from .create_member_request import CreateMemberRequest
from .create_member_request_state import CreateMemberRequestState
from .create_member_request_user import CreateMemberRequestUser
from .create_text_event_request import CreateTextEventRequest
from .create_text_event_request_body import CreateTextEventRequestBody
from .create_text_event_request_type import CreateTextEventRequestType
from .created_event import CreatedEvent
from .custom_event import CustomEvent
from .custom_event_body import CustomEventBody
from .empty import Empty
from .error import Error
from .event import Event
from .event_body import EventBody
from .event_page import EventPage
from .event_page_embedded import EventPageEmbedded
from .event_page_v02 import EventPageV02
from .event_page_v02_embedded import EventPageV02Embedded
from .event_page_v02_embedded_data import EventPageV02EmbeddedData
from .initiator import Initiator
from .leg import Leg
from .leg_embedded import LegEmbedded
from .leg_from import LegFrom
from .leg_links import LegLinks
from .leg_page import LegPage
from .leg_page_embedded import LegPageEmbedded
from .leg_page_links import LegPageLinks
from .leg_state import LegState
from .leg_to import LegTo
from .link import Link
from .list_user_conversations_state import ListUserConversationsState
from .media import Media
from .media_audio_settings import MediaAudioSettings
from .member import Member
from .member_embedded import MemberEmbedded
from .member_initiator import MemberInitiator
from .member_invited_event import MemberInvitedEvent
from .member_invited_event_type import MemberInvitedEventType
from .member_joined_event import MemberJoinedEvent
from .member_joined_event_type import MemberJoinedEventType
from .member_left_event import MemberLeftEvent
from .member_left_event_type import MemberLeftEventType
from .member_page import MemberPage
from .member_page_embedded import MemberPageEmbedded
from .member_page_v02 import MemberPageV02
from .member_page_v02_embedded import MemberPageV02Embedded
from .member_page_v02_embedded_data import MemberPageV02EmbeddedData
from .member_state import MemberState
from .member_timestamp import MemberTimestamp
from .page_links import PageLinks
from .self_links import SelfLinks
from .session import Session
from .session_embedded import SessionEmbedded
from .session_page import SessionPage
from .session_page_embedded import SessionPageEmbedded
from .session_properties import SessionProperties
from .sort_order import SortOrder
from .text_event import TextEvent
from .text_event_body import TextEventBody
from .text_event_type import TextEventType
from .update_member_request import UpdateMemberRequest
from .update_member_request_state import UpdateMemberRequestState
from .user import User
from .user_page import UserPage
from .user_page_embedded import UserPageEmbedded
from .user_page_embedded_data import UserPageEmbeddedData

__all__ = (
    "Channel",
    "ChannelEndpoint",
    "ChannelLegIdsItem",
    "ChannelType",
    "Conversation",
    "ConversationCallback",
    "ConversationCallbackMethod",
    "ConversationCallbackParams",
    "ConversationNumbers",
    "ConversationPage",
    "ConversationPageEmbedded",
    "ConversationPageV02",
    "ConversationPageV02Embedded",
    "ConversationPageV02EmbeddedData",
    "ConversationProperties",
    "ConversationPropertiesCustomData",
    "ConversationRequest",
    "ConversationSummary",
    "ConversationTimestamp",
    "CreateCustomEventRequest",
    "CreateCustomEventRequestBody",
    "CreatedEvent",
    "CreateMemberRequest",
    "CreateMemberRequestState",
    "CreateMemberRequestUser",
    "CreateTextEventRequest",
    "CreateTextEventRequestBody",
    "CreateTextEventRequestType",
    "CustomEvent",
    "CustomEventBody",
    "Empty",
    "Error",
    "Event",
    "EventBody",
    "EventPage",
    "EventPageEmbedded",
    "EventPageV02",
    "EventPageV02Embedded",
    "EventPageV02EmbeddedData",
    "Initiator",
    "Leg",
    "LegEmbedded",
    "LegFrom",
    "LegLinks",
    "LegPage",
    "LegPageEmbedded",
    "LegPageLinks",
    "LegState",
    "LegTo",
    "Link",
    "ListUserConversationsState",
    "Media",
    "MediaAudioSettings",
    "Member",
    "MemberEmbedded",
    "MemberInitiator",
    "MemberInvitedEvent",
    "MemberInvitedEventType",
    "MemberJoinedEvent",
    "MemberJoinedEventType",
    "MemberLeftEvent",
    "MemberLeftEventType",
    "MemberPage",
    "MemberPageEmbedded",
    "MemberPageV02",
    "MemberPageV02Embedded",
    "MemberPageV02EmbeddedData",
    "MemberState",
    "MemberTimestamp",
    "PageLinks",
    "SelfLinks",
    "Session",
    "SessionEmbedded",
    "SessionPage",
    "SessionPageEmbedded",
    "SessionProperties",
    "SortOrder",
    "TextEvent",
    "TextEventBody",
    "TextEventType",
    "UpdateMemberRequest",
    "UpdateMemberRequestState",
    "User",
    "UserPage",
    "UserPageEmbedded",
    "UserPageEmbeddedData",
)

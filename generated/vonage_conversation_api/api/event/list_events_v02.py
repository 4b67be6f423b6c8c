from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.event_page_v02 import EventPageV02
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: str,
    *,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
    start_id: str | Unset = UNSET,
    end_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page_size"] = page_size

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order

    params["order"] = json_order

    params["cursor"] = cursor

    params["start_id"] = start_id

    params["end_id"] = end_id

    params["event_type"] = event_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v0.2/conversations/{conversation_id}/events".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | EventPageV02 | None:
    if response.status_code == 200:
        response_200 = EventPageV02.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = Error.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | EventPageV02]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
    start_id: str | Unset = UNSET,
    end_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
) -> Response[Error | EventPageV02]:
    """List Events

     Deprecated: use `listEvents` (v0.3).

    Args:
        conversation_id (str):
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):
        start_id (str | Unset):
        end_id (str | Unset):
        event_type (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventPageV02]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        page_size=page_size,
        order=order,
        cursor=cursor,
        start_id=start_id,
        end_id=end_id,
        event_type=event_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
    start_id: str | Unset = UNSET,
    end_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
) -> Error | EventPageV02 | None:
    """List Events

     Deprecated: use `listEvents` (v0.3).

    Args:
        conversation_id (str):
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):
        start_id (str | Unset):
        end_id (str | Unset):
        event_type (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventPageV02
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        page_size=page_size,
        order=order,
        cursor=cursor,
        start_id=start_id,
        end_id=end_id,
        event_type=event_type,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
    start_id: str | Unset = UNSET,
    end_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
) -> Response[Error | EventPageV02]:
    """List Events

     Deprecated: use `listEvents` (v0.3).

    Args:
        conversation_id (str):
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):
        start_id (str | Unset):
        end_id (str | Unset):
        event_type (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | EventPageV02]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        page_size=page_size,
        order=order,
        cursor=cursor,
        start_id=start_id,
        end_id=end_id,
        event_type=event_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
    start_id: str | Unset = UNSET,
    end_id: str | Unset = UNSET,
    event_type: str | Unset = UNSET,
) -> Error | EventPageV02 | None:
    """List Events

     Deprecated: use `listEvents` (v0.3).

    Args:
        conversation_id (str):
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):
        start_id (str | Unset):
        end_id (str | Unset):
        event_type (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | EventPageV02
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            page_size=page_size,
            order=order,
            cursor=cursor,
            start_id=start_id,
            end_id=end_id,
            event_type=event_type,
        )
    ).parsed

import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.conversation_page import ConversationPage
from ...models.error import Error
from ...models.sort_order import SortOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    date_start: datetime.datetime | Unset = UNSET,
    date_end: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_date_start: str | Unset = UNSET
    if not isinstance(date_start, Unset):
        json_date_start = date_start.isoformat()
    params["date_start"] = json_date_start

    json_date_end: str | Unset = UNSET
    if not isinstance(date_end, Unset):
        json_date_end = date_end.isoformat()
    params["date_end"] = json_date_end

    params["page_size"] = page_size

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order

    params["order"] = json_order

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v0.3/conversations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConversationPage | Error | None:
    if response.status_code == 200:
        response_200 = ConversationPage.from_dict(response.json())

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
) -> Response[ConversationPage | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    date_start: datetime.datetime | Unset = UNSET,
    date_end: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ConversationPage | Error]:
    """List conversations

     Please note that not all data is available in the list endpoint. Once you've identified the
    conversation you need to work with, use the GET /conversations/:id endpoint to fetch all of the
    conversation details

    Args:
        date_start (datetime.datetime | Unset):  Example: 2018-01-01T10:00:00Z.
        date_end (datetime.datetime | Unset):  Example: 2018-01-01T12:00:00Z.
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPage | Error]
    """

    kwargs = _get_kwargs(
        date_start=date_start,
        date_end=date_end,
        page_size=page_size,
        order=order,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    date_start: datetime.datetime | Unset = UNSET,
    date_end: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ConversationPage | Error | None:
    """List conversations

     Please note that not all data is available in the list endpoint. Once you've identified the
    conversation you need to work with, use the GET /conversations/:id endpoint to fetch all of the
    conversation details

    Args:
        date_start (datetime.datetime | Unset):  Example: 2018-01-01T10:00:00Z.
        date_end (datetime.datetime | Unset):  Example: 2018-01-01T12:00:00Z.
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPage | Error
    """

    return sync_detailed(
        client=client,
        date_start=date_start,
        date_end=date_end,
        page_size=page_size,
        order=order,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    date_start: datetime.datetime | Unset = UNSET,
    date_end: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[ConversationPage | Error]:
    """List conversations

     Please note that not all data is available in the list endpoint. Once you've identified the
    conversation you need to work with, use the GET /conversations/:id endpoint to fetch all of the
    conversation details

    Args:
        date_start (datetime.datetime | Unset):  Example: 2018-01-01T10:00:00Z.
        date_end (datetime.datetime | Unset):  Example: 2018-01-01T12:00:00Z.
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConversationPage | Error]
    """

    kwargs = _get_kwargs(
        date_start=date_start,
        date_end=date_end,
        page_size=page_size,
        order=order,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    date_start: datetime.datetime | Unset = UNSET,
    date_end: datetime.datetime | Unset = UNSET,
    page_size: int | Unset = 10,
    order: SortOrder | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> ConversationPage | Error | None:
    """List conversations

     Please note that not all data is available in the list endpoint. Once you've identified the
    conversation you need to work with, use the GET /conversations/:id endpoint to fetch all of the
    conversation details

    Args:
        date_start (datetime.datetime | Unset):  Example: 2018-01-01T10:00:00Z.
        date_end (datetime.datetime | Unset):  Example: 2018-01-01T12:00:00Z.
        page_size (int | Unset):  Default: 10. Example: 10.
        order (SortOrder | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConversationPage | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            date_start=date_start,
            date_end=date_end,
            page_size=page_size,
            order=order,
            cursor=cursor,
        )
    ).parsed

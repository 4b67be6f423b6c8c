from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.member import Member
from ...models.update_member_request import UpdateMemberRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: str,
    member_id: str,
    *,
    body: UpdateMemberRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v0.3/conversations/{conversation_id}/members/{member_id}".format(
            conversation_id=quote(str(conversation_id), safe=""),
            member_id=quote(str(member_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Member | None:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Member]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    conversation_id: str,
    member_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateMemberRequest | Unset = UNSET,
) -> Response[Error | Member]:
    """Update a member

     Setting the state to left will result in the member leaving the conversation.

    Args:
        conversation_id (str):
        member_id (str):
        body (UpdateMemberRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Member]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        member_id=member_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: str,
    member_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateMemberRequest | Unset = UNSET,
) -> Error | Member | None:
    """Update a member

     Setting the state to left will result in the member leaving the conversation.

    Args:
        conversation_id (str):
        member_id (str):
        body (UpdateMemberRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Member
    """

    return sync_detailed(
        conversation_id=conversation_id,
        member_id=member_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    conversation_id: str,
    member_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateMemberRequest | Unset = UNSET,
) -> Response[Error | Member]:
    """Update a member

     Setting the state to left will result in the member leaving the conversation.

    Args:
        conversation_id (str):
        member_id (str):
        body (UpdateMemberRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Member]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        member_id=member_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: str,
    member_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateMemberRequest | Unset = UNSET,
) -> Error | Member | None:
    """Update a member

     Setting the state to left will result in the member leaving the conversation.

    Args:
        conversation_id (str):
        member_id (str):
        body (UpdateMemberRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Member
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            member_id=member_id,
            client=client,
            body=body,
        )
    ).parsed

"""Rapport's calls to the Feishu Open Platform, through the official lark-oapi client's requests and
responses, sent over one kept HTTP client (`adapters.feishu.transport`: the SDK opens a new one per call).

lark-oapi fetches the tenant_access_token with a blocking HTTP call inside its async methods and
keeps it in a process-wide cache; it never refreshes a token Feishu rejects. So Rapport keeps its
own token (fetched with the same client, asynchronously) and passes it on each request
(`enable_set_token`): a token Feishu rejects (99991663 and its peers) is fetched again once.

Every failure is a `FeishuError` that says whether trying again can help:
* HTTP 429 or code 99991400 (the app's rate limit): `retry_after` is Feishu's
  `x-ogw-ratelimit-reset` header (seconds).
* A 5xx, a page that is not JSON (a gateway's; lark-oapi raises on it), a timeout: passing.
* Anything else Feishu refuses (230013: the person is outside the app's availability; 230002: the
  bot is not in the chat; 230001: a card Feishu will not show): permanent, with Feishu's own code
  and message.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import aiohttp
import lark_oapi as lark
from lark_oapi.api.contact.v3 import (
    BatchGetIdUserRequest,
    BatchGetIdUserRequestBody,
    BatchGetIdUserResponse,
    GetUserRequest,
    GetUserResponse,
)
from lark_oapi.api.im.v1 import CreateMessageRequest, CreateMessageRequestBody, CreateMessageResponse

from adapters.feishu.settings import FeishuSettings
from adapters.feishu.transport import SharedTransport
from bot.platform import Profile

RATE_LIMITED = 99991400
TOKEN_REJECTED = frozenset({99991661, 99991663, 99991664, 99991665, 99991668})
TOKEN_MARGIN = 300  # seconds before its expiry a token is fetched again
TIMEOUT = 10.0

Result = TypeVar("Result")


class FeishuError(Exception):
    """A call Feishu did not answer with success.

    Attributes:
        code: Feishu's code (0 when it gave none), status: the HTTP status (0: no answer at all).
        retry_after: seconds Feishu asked to wait; permanent: retrying cannot help.
    """

    def __init__(
        self,
        reason: str,
        *,
        code: int = 0,
        status: int = 0,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent


def _reset_seconds(headers: dict[str, str]) -> float | None:
    for name, value in headers.items():
        if name.lower() == "x-ogw-ratelimit-reset":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


def check(response: Any) -> None:
    """Raise the FeishuError a lark-oapi response stands for; nothing on success."""
    raw = getattr(response, "raw", None)
    status = getattr(raw, "status_code", 0) or 0
    code = getattr(response, "code", None) or 0
    if status < 400 and code == 0:
        return
    reason = f"Feishu {status}, code {code}: {getattr(response, 'msg', '') or ''}".strip()
    if status == 429 or code == RATE_LIMITED:
        raise FeishuError(reason, code=code, status=status, retry_after=_reset_seconds(raw.headers or {}))
    passing = status >= 500 or code in TOKEN_REJECTED or code == 0
    raise FeishuError(reason, code=code, status=status, permanent=not passing)


class FeishuApi:
    """The calls Rapport makes, each with a current tenant_access_token."""

    def __init__(self, settings: FeishuSettings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = (
            lark.Client.builder()
            .app_id(settings.app_id)
            .app_secret(settings.app_secret)
            .domain(settings.domain)
            .enable_set_token(True)
            .timeout(TIMEOUT)
            .log_level(lark.LogLevel.ERROR)
            .build()
        )
        # The client's configuration, as lark-oapi builds it; its requests go over one kept HTTP client.
        self.transport = SharedTransport(self.client.config, timeout=TIMEOUT)
        self.settings = settings
        self._clock = clock
        self._token: tuple[str, float] | None = None
        self._fetching = asyncio.Lock()  # concurrent sends share one fetch

    async def close(self) -> None:
        await self.transport.close()

    async def _fetch_token(self) -> str:
        request = (
            lark.BaseRequest.builder()
            .http_method(lark.HttpMethod.POST)
            .uri("/open-apis/auth/v3/tenant_access_token/internal")
            .body({"app_id": self.settings.app_id, "app_secret": self.settings.app_secret})
            .build()
        )
        response = await self._call(
            lambda: self.transport.call(request, lark.RequestOption(), lark.BaseResponse)
        )
        data = json.loads(response.raw.content)
        self._token = (data["tenant_access_token"], self._clock() + int(data.get("expire", 0)) - TOKEN_MARGIN)
        return self._token[0]

    async def token(self) -> str:
        async with self._fetching:
            if self._token is None or self._clock() >= self._token[1]:
                return await self._fetch_token()
            return self._token[0]

    def _reject(self, token: str) -> None:
        """Forget `token`, unless another send has already fetched its successor."""
        if self._token is not None and self._token[0] == token:
            self._token = None

    async def _call(self, call: Callable[[], Awaitable[Result]]) -> Result:
        try:
            response = await call()
        except (aiohttp.ClientError, OSError) as error:  # TimeoutError is an OSError
            raise FeishuError(f"Feishu could not be reached: {type(error).__name__}") from error
        except (ValueError, TypeError) as error:  # lark-oapi reading a page that is not JSON
            raise FeishuError("Feishu answered with something that is not JSON") from error
        check(response)
        return response

    async def _authorised(self, call: Callable[[lark.RequestOption], Awaitable[Result]]) -> Result:
        """`call` with the current token; once more with a new one when Feishu rejects the token."""
        for attempt in (1, 2):
            token = await self.token()
            option = lark.RequestOption.builder().tenant_access_token(token).build()
            try:
                return await self._call(lambda option=option: call(option))
            except FeishuError as error:
                if error.code not in TOKEN_REJECTED or attempt == 2:
                    raise
                self._reject(token)
        raise AssertionError("unreachable")

    async def send(self, *, receive_id_type: str, receive_id: str, card: str) -> str:
        """Send one card (`content` JSON) to an open_id or chat_id; the new message's id."""
        request = (
            CreateMessageRequest.builder()
            .receive_id_type(receive_id_type)
            .request_body(
                CreateMessageRequestBody.builder()
                .receive_id(receive_id)
                .msg_type("interactive")
                .content(card)
                .build()
            )
            .build()
        )
        response = await self._authorised(
            lambda option: self.transport.call(request, option, CreateMessageResponse)
        )
        return response.data.message_id if response.data else ""

    async def bot_open_id(self) -> str:
        """Rapport's own open_id, to tell its mention from the people's."""
        request = (
            lark.BaseRequest.builder()
            .http_method(lark.HttpMethod.GET)
            .uri("/open-apis/bot/v3/info")
            .token_types({lark.AccessTokenType.TENANT})
            .build()
        )
        response = await self._authorised(
            lambda option: self.transport.call(request, option, lark.BaseResponse)
        )
        return json.loads(response.raw.content)["bot"]["open_id"]

    async def profile(self, open_id: str) -> Profile:
        """A person's name, email and time zone (each may be absent)."""
        request = GetUserRequest.builder().user_id(open_id).user_id_type("open_id").build()
        response = await self._authorised(
            lambda option: self.transport.call(request, option, GetUserResponse)
        )
        user = response.data.user if response.data else None
        if user is None:
            return Profile()
        return Profile(
            name=user.name or None,
            email=user.enterprise_email or user.email or None,
            timezone=user.time_zone or None,
        )

    async def open_ids_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        """The open_id of each email Feishu knows, by lower-cased email (50 at a time)."""
        found: dict[str, str] = {}
        emails = sorted({e.lower() for e in emails})
        for start in range(0, len(emails), 50):
            body = BatchGetIdUserRequestBody.builder().emails(emails[start : start + 50]).build()
            request = BatchGetIdUserRequest.builder().user_id_type("open_id").request_body(body).build()
            response = await self._authorised(
                lambda option, request=request: self.transport.call(request, option, BatchGetIdUserResponse)
            )
            for user in (response.data.user_list if response.data else None) or ():
                if user.email and user.user_id:
                    found[user.email.lower()] = user.user_id
        return found

"""DingTalk's Open API, as Rapport calls it: the app's access token, the robot's messages, the user lookup.

One aiohttp session for every call. The access token (`/v1.0/oauth2/accessToken`) is kept until five
minutes before DingTalk says it ends, and fetched again at once when DingTalk refuses it as expired or
invalid (the call is then made once more). DingTalk's answers become exceptions a sender can act on:

* `Throttled`: a 403 whose code names a QPS limit (`Forbidden.AccessDenied.QpsLimitForApi`, …), or an
  `oapi` error code for the same; wait `retry_after` seconds and try again.
* `Unavailable`: a 5xx, a timeout, DingTalk out of reach: try again later.
* `Refused`: anything else (a bad parameter, a robot not allowed to write there): retrying cannot help.

`batch_send` says which staff ids DingTalk throttled (`flowControlledStaffIdList`) and which are not
valid (`invalidStaffIdList`); the others have the message.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from adapters.dingtalk.render import RobotMessage
from adapters.dingtalk.settings import DingTalkSettings

MOST_RECIPIENTS = 20  # oToMessages/batchSend takes at most 20 staff ids a call
TOKEN_MARGIN = 300  # seconds before its end that a token is fetched again
THROTTLE_WAIT = 1.0  # DingTalk gives no Retry-After; its QPS limits are per second
WEBHOOK_EXPIRED = 300001  # "session 不存在": a sessionWebhook past its time
TOKEN_CODES = frozenset({"InvalidAuthentication", "InvalidAccessToken", "Unauthorized"})
OAPI_TOKEN_ERRORS = frozenset({40014, 42001, 88})
OAPI_THROTTLED = frozenset({90018, 90002, 90006, 143103, 143104})
TIMEOUT = aiohttp.ClientTimeout(total=15)


class DingTalkError(Exception):
    def __init__(self, reason: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code


class Throttled(DingTalkError):
    retry_after = THROTTLE_WAIT


class Unavailable(DingTalkError):
    pass


class Refused(DingTalkError):
    pass


class _TokenRefused(DingTalkError):
    pass


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    """What DingTalk did with one batch: the staff ids it throttled and those it does not know."""

    throttled: frozenset[str] = frozenset()
    invalid: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Profile:
    staff_id: str
    name: str | None = None
    email: str | None = None


class DingTalkApi:
    """The calls Rapport makes to DingTalk, on one HTTP session."""

    def __init__(self, *, settings: DingTalkSettings, session: aiohttp.ClientSession | None = None) -> None:
        self.settings = settings
        self._session = session
        self._token: tuple[str, float] | None = None  # (token, monotonic time to fetch it again)
        self._token_lock = asyncio.Lock()

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def token(self, *, stale: str | None = None) -> str:
        """The app's access token; a new one when none is kept, it is near its end, or it is `stale`
        (refused by DingTalk). Concurrent callers share one fetch."""
        async with self._token_lock:
            kept = self._token
            if kept and kept[0] != stale and time.monotonic() < kept[1]:
                return kept[0]
            body = {"appKey": self.settings.client_id, "appSecret": self.settings.client_secret}
            data = await self._post(f"{self.settings.openapi}/v1.0/oauth2/accessToken", body, headers={})
            token, expires_in = data.get("accessToken"), data.get("expireIn") or 7200
            if not token:
                raise Refused(f"DingTalk gave no access token: {data}")
            self._token = (token, time.monotonic() + max(float(expires_in) - TOKEN_MARGIN, 60.0))
            return token

    async def call(self, path: str, body: dict[str, Any], *, method: str = "POST") -> dict[str, Any]:
        """Call `api.dingtalk.com` with the access token; once more with a new one if refused."""
        url = f"{self.settings.openapi}{path}"
        token = await self.token()
        try:
            return await self._post(url, body, headers=_auth(token), method=method)
        except _TokenRefused:
            token = await self.token(stale=token)
            return await self._post(url, body, headers=_auth(token), method=method)

    async def batch_send(self, staff_ids: list[str], message: RobotMessage) -> BatchResult:
        """One robot message to up to 20 people, each in their 1:1 chat with the robot."""
        if not 0 < len(staff_ids) <= MOST_RECIPIENTS:
            raise ValueError(f"batchSend takes 1 to {MOST_RECIPIENTS} staff ids, not {len(staff_ids)}")
        key, param = message.openapi()
        body = {"robotCode": self.settings.robot_code, "userIds": staff_ids, "msgKey": key, "msgParam": param}
        data = await self.call("/v1.0/robot/oToMessages/batchSend", body)
        return BatchResult(
            throttled=frozenset(data.get("flowControlledStaffIdList") or ()),
            invalid=frozenset(data.get("invalidStaffIdList") or ()),
        )

    async def group_send(self, conversation_id: str, message: RobotMessage) -> None:
        """One robot message into a group the robot is in (its `openConversationId`)."""
        key, param = message.openapi()
        body = {
            "robotCode": self.settings.robot_code,
            "openConversationId": conversation_id,
            "msgKey": key,
            "msgParam": param,
        }
        await self.call("/v1.0/robot/groupMessages/send", body)

    async def user(self, staff_id: str) -> Profile | None:
        """A person's name and email from the older `oapi` user lookup; None when DingTalk does not
        know the staff id."""
        token = await self.token()
        data = await self._user_get(staff_id, token)
        if data.get("errcode") in OAPI_TOKEN_ERRORS:
            data = await self._user_get(staff_id, await self.token(stale=token))
        code = data.get("errcode", 0)
        if code == 60121:  # no such user
            return None
        if code in OAPI_THROTTLED:
            raise Throttled(f"DingTalk throttled the user lookup ({code})", code=str(code))
        if code:
            raise Refused(f"DingTalk refused the user lookup: {code} {data.get('errmsg')}", code=str(code))
        result = data.get("result") or {}
        email = result.get("email") or result.get("org_email") or None
        return Profile(staff_id=staff_id, name=result.get("name") or None, email=email)

    async def _user_get(self, staff_id: str, token: str) -> dict[str, Any]:
        url = f"{self.settings.oapi}/topapi/v2/user/get"
        return await self._post(url, {"userid": staff_id}, headers={}, params={"access_token": token})

    async def webhook(self, url: str, message: RobotMessage) -> None:
        """Answer through a message's `sessionWebhook`. Raises `Refused` when DingTalk did not take the
        answer (an expired session: code 300001), which the SDK's `reply_text` would only log."""
        data = await self._post(url, message.webhook(), headers={})
        code = data.get("errcode", 0)
        if code:
            raise Refused(f"the sessionWebhook refused the answer: {code} {data.get('errmsg')}", code=str(code))

    async def _post(
        self,
        url: str,
        body: dict[str, Any],
        *,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
        method: str = "POST",
    ) -> dict[str, Any]:
        try:
            request = self.session.request(method, url, json=body, headers=headers, params=params)
            async with request as response:
                data = await _json(response)
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Unavailable(f"DingTalk could not be reached: {error!r}") from error
        if status < 300:
            return data
        raise _classified(status, data)


def _auth(token: str) -> dict[str, str]:
    return {"x-acs-dingtalk-access-token": token}


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        data = await response.json(content_type=None)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _classified(status: int, data: dict[str, Any]) -> DingTalkError:
    code = str(data.get("code") or "")
    reason = f"DingTalk answered {status} {code}: {data.get('message') or ''}".strip()
    if "QpsLimit" in code or status == 429:
        return Throttled(reason, status=status, code=code)
    if status == 401 or code in TOKEN_CODES:
        return _TokenRefused(reason, status=status, code=code)
    if status >= 500 or status == 408:
        return Unavailable(reason, status=status, code=code)
    return Refused(reason, status=status, code=code)

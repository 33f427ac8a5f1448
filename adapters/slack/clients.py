"""Slack Web API clients: one per workspace, all on one shared HTTP session.

A new HTTP session per call halved delivery throughput (measured for issue 3), so the composition
root makes one `SlackClients` and everything that talks to Slack borrows from it.
"""

from __future__ import annotations

import json
import logging

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient


def _compact_json(value: object) -> str:
    """Request bodies without json.dumps' spaces and with text as UTF-8, not \\u escapes: a Block Kit
    message with emoji buttons is about a tenth smaller."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _calls_logger() -> logging.Logger:
    """slack_sdk's logger for its calls, with a level of its own unless debugging is on.

    slack_sdk formats a debug line holding the whole request body before every call whenever its
    logger's own level is unset (it reads `logger.level`, not the effective level), even though the
    line is then dropped; for a Block Kit message that was a tenth of a send's CPU time."""
    logger = logging.getLogger("slack_sdk.web.async_base_client.calls")
    if logger.level == logging.NOTSET and not logger.isEnabledFor(logging.DEBUG):
        logger.setLevel(logging.INFO)
    return logger


class SlackClients:
    """Web API clients keyed by bot token, created on first use and closed together.

    Args:
        base_url: the Web API base URL (SLACK_API_URL), ending in "/".
        timeout: seconds before a call that hangs is given up (the outbox retries it later).
        rate_limit_retries: how often one call waits out a 429's Retry-After before the outbox takes over.
        server_error_retries: how often one call is tried again at once after a 500 or 503 (about a
            second later) before the outbox takes over with its backoff.
    """

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float = 10.0,
        rate_limit_retries: int = 2,
        server_error_retries: int = 1,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.timeout = timeout
        self.rate_limit_retries = rate_limit_retries
        self.server_error_retries = server_error_retries
        self._session: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}

    def client(self, token: str | None) -> AsyncWebClient:
        """The workspace's client (a token-less one for calls such as oauth.v2.access)."""
        key = token or ""
        if key not in self._clients:
            if self._session is None:
                # With a shared session slack_sdk ignores its own timeout; the session's applies.
                self._session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=100),
                    timeout=aiohttp.ClientTimeout(total=self.timeout),
                    json_serialize=_compact_json,
                )
            self._clients[key] = AsyncWebClient(
                token=token,
                base_url=self.base_url,
                session=self._session,
                logger=_calls_logger(),
                retry_handlers=[
                    AsyncRateLimitErrorRetryHandler(max_retry_count=self.rate_limit_retries),
                    AsyncServerErrorRetryHandler(max_retry_count=self.server_error_retries),
                    AsyncConnectionErrorRetryHandler(max_retry_count=1),
                ],
            )
        return self._clients[key]

    def forget(self, token: str) -> None:
        """Drop a workspace's client (its app was uninstalled or its token revoked)."""
        self._clients.pop(token, None)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._clients.clear()

"""botbuilder's authentication for what comes in, and the Bot Framework connector REST API for what goes out.

In: a `CloudAdapter` over `ConfigurationBotFrameworkAuthentication` verifies each request's token and
runs the turn. Out of the box every turn also builds a new ConnectorClient and a new UserTokenClient:
each builds an msrest retry policy (about 3.5 ms of CPU apiece, a 900-entry status list scanned
against a 500-entry one) and new app credentials, which in production also means a fresh token from
login.microsoftonline.com, since the token cache lives in the credentials object. Here the clients it
makes are kept per service URL for as long as the adapter lives.

Out: replies and proactive messages do not go through those clients (msrest serialises the activity
through its models, and its "async" client runs `requests` on a thread pool), but through one aiohttp
session speaking the connector's REST API with plain JSON:

* `POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}]` sends a message;
* `POST {serviceUrl}/v3/conversations` creates a 1:1 conversation.

The bearer token comes from botbuilder's own app credentials (MSAL caches it); in local mode (no app
id) no token is sent. No call retries on an HTTP status: Rapport's outbox retries with Retry-After and
backoff, and a reply on the request path must not sleep.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from adapters.teams.recent import RecentlySeen
from adapters.teams.settings import TeamsSettings
from bot.clock import Clock

Json = dict[str, Any]
TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=10)


class _CachedConnectorFactory(ConnectorFactory):
    """Hands out one connector client per (service URL, audience), made by botbuilder's own factory."""

    def __init__(self, inner: ConnectorFactory, clients: dict[tuple[str, str | None], ConnectorClient]):
        self._inner = inner
        self._clients = clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        client = self._clients.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            client = self._clients.setdefault(key, client)
        return client


class CachingAuthentication(BotFrameworkAuthentication):
    """`ConfigurationBotFrameworkAuthentication`, reusing the clients it makes.

    Rapport is one bot with one app id, so clients are keyed by service URL and audience only.
    """

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._clients: dict[tuple[str, str | None], ConnectorClient] = {}
        self._token_clients: dict[str | None, UserTokenClient] = {}

    def _cached(self, factory: ConnectorFactory | None) -> ConnectorFactory | None:
        return _CachedConnectorFactory(factory, self._clients) if factory else None

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._cached(result.connector_factory)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._cached(self._inner.create_connector_factory(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = claims_identity.get_claim_value("aud") or claims_identity.get_claim_value("appid")
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            client = self._token_clients.setdefault(app_id, client)
        return client

    def create_bot_framework_client(self):
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class ConnectorError(Exception):
    """The connector refused a call: its HTTP status, and its Retry-After header when it gave one."""

    def __init__(self, status: int, *, retry_after: str | None = None, detail: str = "") -> None:
        super().__init__(f"the Bot Framework connector answered {status}: {detail[:300]}")
        self.status = status
        self.retry_after = retry_after


class BotConnector:
    """The connector REST API over one shared aiohttp session. Raises `ConnectorError` for a refusal,
    and aiohttp's errors (or TimeoutError) when the connector could not be reached."""

    def __init__(self, *, authentication: CachingAuthentication, app_id: str | None) -> None:
        self._authentication = authentication
        self._app_id = app_id
        self._session: aiohttp.ClientSession | None = None
        self._credentials: dict[str, Any] = {}  # service URL -> botbuilder's app credentials

    async def send(
        self, *, service_url: str, conversation_id: str, activity: Json, reply_to: str | None = None
    ) -> Json:
        """Send `activity` into a conversation, as a reply to activity `reply_to` when given."""
        path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to:
            path += f"/{quote(reply_to, safe='')}"
        return await self._post(service_url, path, activity)

    async def create_conversation(self, *, service_url: str, parameters: Json) -> str:
        """Create a conversation (`ConversationParameters` as JSON) and return its id."""
        return (await self._post(service_url, "v3/conversations", parameters))["id"]

    async def member(self, *, service_url: str, conversation_id: str, user_id: str) -> Json:
        """One member of a conversation (`TeamsChannelAccount`: name, email, userPrincipalName...)."""
        path = f"v3/conversations/{quote(conversation_id, safe='')}/members/{quote(user_id, safe='')}"
        return await self._request("GET", service_url, path)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post(self, service_url: str, path: str, body: Json) -> Json:
        return await self._request("POST", service_url, path, body)

    async def _request(self, method: str, service_url: str, path: str, body: Json | None = None) -> Json:
        if self._session is None:  # made here, inside the event loop that uses it
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        # UTF-8 as it is, not aiohttp's default ASCII escapes: a Chinese card would take twice the
        # bytes of Teams' 28 KB limit on a message (each character \uXXXX, six bytes instead of three).
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            **await self._authorization(service_url),
        }
        async with self._session.request(
            method,
            f"{service_url.rstrip('/')}/{path}",
            data=orjson.dumps(body) if body is not None else None,
            headers=headers,
        ) as response:
            text = await response.text()
            if response.status >= 300:
                raise ConnectorError(
                    response.status, retry_after=response.headers.get("Retry-After"), detail=text
                )
            return json.loads(text) if text else {}

    async def _authorization(self, service_url: str) -> dict[str, str]:
        """The bearer header from botbuilder's app credentials for this service URL; none in local mode."""
        if not self._app_id:
            return {}
        credentials = self._credentials.get(service_url)
        if credentials is None:  # the credentials CloudAdapter.continue_conversation would use
            claims = ClaimsIdentity(
                {
                    AuthenticationConstants.AUDIENCE_CLAIM: self._app_id,
                    AuthenticationConstants.APP_ID_CLAIM: self._app_id,
                },
                True,
            )
            factory = self._authentication.create_connector_factory(claims)
            client = await factory.create(service_url, self._authentication.get_originating_audience())
            credentials = self._credentials.setdefault(service_url, client.config.credentials)
        # MSAL answers from its token cache; only a missing or expired token goes to the network.
        token = await asyncio.to_thread(credentials.get_access_token)
        return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class TeamsConnection:
    """What the endpoint and the sender share: the CloudAdapter (in), its authentication, the connector
    (out), and what was recently seen of tenants and references."""

    adapter: CloudAdapter
    authentication: CachingAuthentication
    connector: BotConnector
    recent: RecentlySeen


def build_adapter(settings: TeamsSettings, *, clock: Clock) -> TeamsConnection:
    """The CloudAdapter configured from the Teams settings, its authentication, and the connector."""
    authentication = CachingAuthentication(
        ConfigurationBotFrameworkAuthentication(settings.bot_configuration())
    )
    connector = BotConnector(authentication=authentication, app_id=settings.app_id or None)
    return TeamsConnection(CloudAdapter(authentication), authentication, connector, RecentlySeen(clock=clock))

"""botbuilder's CloudAdapter, with connector clients kept per service URL instead of built per turn.

Out of the box every turn builds a new ConnectorClient and a new UserTokenClient: each builds an
msrest retry policy (about 3.5 ms of CPU apiece, a 900-entry status list scanned against a 500-entry
one) and new app credentials, which in production also means a fresh token from
login.microsoftonline.com, since the token cache lives in the credentials object. Here the
authentication is `ConfigurationBotFrameworkAuthentication` as configured, wrapped so that the
clients it makes are reused for as long as the adapter lives.

Connector clients do not retry on an HTTP status: Rapport's outbox retries with Retry-After and
backoff, and a reply on the request path must not sleep. A refused connection is retried once.
"""

from __future__ import annotations

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from urllib3 import Retry

from adapters.teams.settings import TeamsSettings

_NO_STATUS_RETRIES = Retry(total=1, connect=1, read=0, status=0, redirect=3, status_forcelist=None)


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
            client.config.retry_policy.policy = _NO_STATUS_RETRIES
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


def build_adapter(settings: TeamsSettings) -> tuple[CloudAdapter, CachingAuthentication]:
    """A CloudAdapter configured from the Teams settings, and the authentication it uses."""
    authentication = CachingAuthentication(
        ConfigurationBotFrameworkAuthentication(settings.bot_configuration())
    )
    return CloudAdapter(authentication), authentication

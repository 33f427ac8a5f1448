"""Teams configuration, from the same environment variables the Bot Framework samples use.

How a Teams tenant maps to a Rapport organisation (through the Workspace table, platform "teams",
external id = tenant id):

* SingleTenant (`MICROSOFT_APP_TYPE=SingleTenant`): the one tenant `MICROSOFT_APP_TENANT_ID` belongs to
  the organisation `RAPPORT_ORG`; the organisation and the link are created on first contact.
* Local mode (no `MICROSOFT_APP_ID`, as with the Bot Framework Emulator): whatever tenant an activity
  names (or "local" when it names none) belongs to `RAPPORT_ORG`, created likewise.
* MultiTenant: a tenant must already be linked to an organisation (the org import, or the single
  tenant of `MICROSOFT_APP_TENANT_ID` when set, which is linked to `RAPPORT_ORG` as above). People of
  an unlinked tenant get a polite "not set up" reply and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dotenv import dotenv_values

DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/"
LOCAL_TENANT = "local"


@dataclass(frozen=True, kw_only=True)
class TeamsSettings:
    """The Teams adapter's settings. The README lists each variable.

    Attributes:
        app_id: MICROSOFT_APP_ID, the bot's Azure app id; empty for local mode (no authentication).
        app_password: MICROSOFT_APP_PASSWORD, the app's client secret.
        app_type: MICROSOFT_APP_TYPE, "MultiTenant" (default) or "SingleTenant".
        tenant_id: MICROSOFT_APP_TENANT_ID, the home tenant (required for SingleTenant).
        org: RAPPORT_ORG, the organisation a single (or local) tenant belongs to.
        service_url: RAPPORT_TEAMS_SERVICE_URL, where to create conversations before anyone in the
            tenant has written (Teams' global endpoint by default).
        allow_local: RAPPORT_TEAMS_LOCAL, serve `/api/messages` without an app id (local mode).
    """

    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    tenant_id: str = ""
    org: str = "demo"
    service_url: str = DEFAULT_SERVICE_URL
    allow_local: bool = False

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env"
    ) -> TeamsSettings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        app_type = (values.get("MICROSOFT_APP_TYPE") or "MultiTenant").strip()
        if app_type.lower() not in ("multitenant", "singletenant"):
            raise ValueError(f"MICROSOFT_APP_TYPE must be MultiTenant or SingleTenant, not {app_type!r}")
        settings = cls(
            app_id=values.get("MICROSOFT_APP_ID") or "",
            app_password=values.get("MICROSOFT_APP_PASSWORD") or "",
            app_type="SingleTenant" if app_type.lower() == "singletenant" else "MultiTenant",
            tenant_id=values.get("MICROSOFT_APP_TENANT_ID") or "",
            org=values.get("RAPPORT_ORG") or "demo",
            service_url=values.get("RAPPORT_TEAMS_SERVICE_URL") or DEFAULT_SERVICE_URL,
            allow_local=(values.get("RAPPORT_TEAMS_LOCAL") or "").lower() in ("1", "true", "yes"),
        )
        if settings.single_tenant and not (settings.app_id and settings.tenant_id):
            raise ValueError("SingleTenant needs MICROSOFT_APP_ID and MICROSOFT_APP_TENANT_ID")
        return settings

    @property
    def local(self) -> bool:
        """No app id: no token checks in, no tokens out (the Emulator's way)."""
        return not self.app_id

    @property
    def enabled(self) -> bool:
        """`rapport serve` answers Teams with an app id, or in local mode only when asked to
        (RAPPORT_TEAMS_LOCAL=1): an endpoint without token checks must never be on by accident."""
        return bool(self.app_id) or self.allow_local

    @property
    def single_tenant(self) -> bool:
        return self.app_type == "SingleTenant"

    def home_tenant(self, activity_tenant: str | None) -> str | None:
        """The tenant that belongs to `org` by configuration, given the tenant an activity names."""
        if self.local:
            return activity_tenant or LOCAL_TENANT
        return self.tenant_id or None

    def bot_configuration(self) -> object:
        """The attribute bag `ConfigurationBotFrameworkAuthentication` reads."""
        return _BotConfiguration(
            APP_ID=self.app_id or None,
            APP_PASSWORD=self.app_password or None,
            APP_TYPE=self.app_type,
            APP_TENANTID=self.tenant_id or None,
        )


@dataclass(frozen=True)
class _BotConfiguration:
    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None

"""DingTalk configuration, from the environment (and `.env`).

One internal app with a robot serves one corporation, which belongs to the organisation `RAPPORT_ORG`
(created on first contact), as a single Slack workspace does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dotenv import dotenv_values

DEFAULT_API_URL = "https://api.dingtalk.com"
DEFAULT_OAPI_URL = "https://oapi.dingtalk.com"


@dataclass(frozen=True, kw_only=True)
class DingTalkSettings:
    """The DingTalk adapter's settings. The README lists each variable.

    Attributes:
        client_id: DINGTALK_CLIENT_ID, the app's Client ID (formerly AppKey).
        client_secret: DINGTALK_CLIENT_SECRET, the app's Client Secret (formerly AppSecret).
        robot_code: DINGTALK_ROBOT_CODE, the robot that sends; the client id by default, as DingTalk
            makes it for an internal app's robot.
        api_url: DINGTALK_API_URL, one base for every DingTalk host Rapport calls (the Stream gateway,
            `api.dingtalk.com` and the older `oapi.dingtalk.com`), for tests and proxies; unset, each
            host is DingTalk's own.
        card_template_id: DINGTALK_CARD_TEMPLATE_ID, an interactive card template (optional): buttons
            become card buttons whose clicks arrive over the stream.
        org: RAPPORT_ORG, the organisation the corporation belongs to.
    """

    client_id: str = ""
    client_secret: str = ""
    robot_code: str = ""
    api_url: str = ""
    card_template_id: str = ""
    org: str = "demo"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env"
    ) -> DingTalkSettings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        client_id = (values.get("DINGTALK_CLIENT_ID") or "").strip()
        return cls(
            client_id=client_id,
            client_secret=(values.get("DINGTALK_CLIENT_SECRET") or "").strip(),
            robot_code=(values.get("DINGTALK_ROBOT_CODE") or "").strip() or client_id,
            api_url=(values.get("DINGTALK_API_URL") or "").strip().rstrip("/"),
            card_template_id=(values.get("DINGTALK_CARD_TEMPLATE_ID") or "").strip(),
            org=values.get("RAPPORT_ORG") or "demo",
        )

    @property
    def enabled(self) -> bool:
        """DingTalk is on when the app's credentials are both set."""
        return bool(self.client_id and self.client_secret)

    @property
    def missing(self) -> list[str]:
        """The variables still unset that DingTalk needs, for `rapport serve` to name."""
        pairs = (("DINGTALK_CLIENT_ID", self.client_id), ("DINGTALK_CLIENT_SECRET", self.client_secret))
        return [name for name, value in pairs if not value]

    @property
    def openapi(self) -> str:
        """The base of `api.dingtalk.com` (the gateway and the v1.0 APIs)."""
        return self.api_url or DEFAULT_API_URL

    @property
    def oapi(self) -> str:
        """The base of the older `oapi.dingtalk.com` APIs (the user lookup)."""
        return self.api_url or DEFAULT_OAPI_URL

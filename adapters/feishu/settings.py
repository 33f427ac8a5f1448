"""Feishu configuration, from the environment variables the README lists.

An internal app ("企业自建应用") serves one tenant: its `tenant_key` belongs to the organisation
RAPPORT_ORG, linked the first time Rapport hears from it, as a single Slack workspace is. Feishu is
off when FEISHU_APP_ID is unset.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from dotenv import dotenv_values

FEISHU_DOMAIN = "https://open.feishu.cn"
LARK_DOMAIN = "https://open.larksuite.com"
_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True, kw_only=True)
class FeishuSettings:
    """The Feishu adapter's settings.

    Attributes:
        app_id, app_secret: FEISHU_APP_ID, FEISHU_APP_SECRET (the app's credentials page).
        verification_token: FEISHU_VERIFICATION_TOKEN, which every HTTP callback carries.
        encrypt_key: FEISHU_ENCRYPT_KEY, optional; with it, bodies are encrypted and signed.
        domain: FEISHU_DOMAIN, the Open Platform (Feishu's by default, Lark's abroad).
        long_connection: FEISHU_LONG_CONNECTION, events over lark-oapi's long connection rather
            than HTTP callbacks (no public URL needed).
        org: RAPPORT_ORG, the organisation the app's tenant belongs to.
    """

    app_id: str = ""
    app_secret: str = ""
    verification_token: str = ""
    encrypt_key: str = ""
    domain: str = FEISHU_DOMAIN
    long_connection: bool = False
    org: str = "demo"

    @property
    def enabled(self) -> bool:
        return bool(self.app_id)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, env_file: str | None = ".env"
    ) -> FeishuSettings:
        values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file else {}
        values.update(os.environ if environ is None else environ)
        settings = cls(
            app_id=(values.get("FEISHU_APP_ID") or "").strip(),
            app_secret=(values.get("FEISHU_APP_SECRET") or "").strip(),
            verification_token=(values.get("FEISHU_VERIFICATION_TOKEN") or "").strip(),
            encrypt_key=(values.get("FEISHU_ENCRYPT_KEY") or "").strip(),
            domain=(values.get("FEISHU_DOMAIN") or FEISHU_DOMAIN).strip().rstrip("/"),
            long_connection=(values.get("FEISHU_LONG_CONNECTION") or "").strip().lower() in _TRUE,
            org=values.get("RAPPORT_ORG") or "demo",
        )
        if settings.enabled and not settings.app_secret:
            raise ValueError("FEISHU_APP_SECRET is required with FEISHU_APP_ID")
        if settings.enabled and not settings.long_connection and not settings.verification_token:
            raise ValueError("FEISHU_VERIFICATION_TOKEN is required for HTTP callbacks")
        return settings

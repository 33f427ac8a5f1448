"""Feishu's row of the platform table. Light: lark-oapi is imported only when Feishu is built."""

from __future__ import annotations

from bot.platform import Environ, PlatformEntry, Runtime


def _enabled(environ: Environ) -> bool:
    return bool((environ.get("FEISHU_APP_ID") or "").strip())


def _notices(environ: Environ, host: str) -> list[str]:
    if not _enabled(environ):
        return ["Feishu is off: set FEISHU_APP_ID and FEISHU_APP_SECRET (see `rapport feishu setup`)."]
    return []


def _build(runtime: Runtime, environ: Environ):
    from adapters.feishu.platform import FeishuPlatform
    from adapters.feishu.settings import FeishuSettings

    return FeishuPlatform(runtime, FeishuSettings.from_env(environ, env_file=None))


ENTRY = PlatformEntry(
    name="feishu", user_id_column="feishu_user_id", enabled=_enabled, notices=_notices, build=_build
)

"""DingTalk's row of the platform table. Light: the SDK is imported by `build` only."""

from __future__ import annotations

from bot.platform import Environ, Platform, PlatformEntry, Runtime


def _settings(environ: Environ):
    from adapters.dingtalk.settings import DingTalkSettings

    return DingTalkSettings.from_env(environ, env_file=None)


def _notices(environ: Environ, host: str) -> list[str]:
    settings = _settings(environ)
    if settings.enabled:
        return []
    return [f"DingTalk is off: set {' and '.join(settings.missing)} (see `rapport dingtalk setup`)."]


def _build(runtime: Runtime, environ: Environ) -> Platform:
    from adapters.dingtalk import sdk

    settings = _settings(environ)
    sdk.load(settings)  # before the SDK's first import: it reads its endpoint then
    from adapters.dingtalk.platform import DingTalkPlatform

    return DingTalkPlatform(runtime=runtime, settings=settings)


ENTRY = PlatformEntry(
    name="dingtalk",
    user_id_column="dingtalk_user_id",
    enabled=lambda environ: _settings(environ).enabled,
    notices=_notices,
    build=_build,
)

"""Slack's row of the platform table. Light: slack-bolt is imported only when Slack is built."""

from __future__ import annotations

from adapters.slack import tables  # noqa: F401  (Slack's own tables join the shared metadata)
from adapters.slack.settings import SlackSettings
from bot.platform import Environ, Platform, PlatformEntry, Runtime


def _build(runtime: Runtime, environ: Environ) -> Platform:
    from adapters.slack.platform import build_slack

    return build_slack(runtime, settings=SlackSettings.from_env(environ))


ENTRY = PlatformEntry(
    name="slack",
    user_id_column="slack_user_id",
    enabled=lambda environ: SlackSettings.from_env(environ).configured,
    notices=lambda environ, host: SlackSettings.from_env(environ).notices(),
    build=_build,
)

"""The platform table: every chat platform Rapport knows, one line each.

A platform is a package under `adapters/` whose `entry` module holds its row (`ENTRY`, a
`bot.platform.PlatformEntry`); importing the row brings its own tables into the shared metadata.
`rapport serve` builds and mounts the enabled ones; the org import reads their user-id columns.
"""

from __future__ import annotations

from importlib import import_module

from bot.platform import Environ, Platform, PlatformEntry, Runtime


def entry(package: str) -> PlatformEntry:
    """The platform table's row a package declares in its `entry` module."""
    return import_module(f"{package}.entry").ENTRY


PLATFORMS: tuple[PlatformEntry, ...] = (
    entry("adapters.console"),
    entry("adapters.slack"),
    entry("adapters.teams"),
    entry("adapters.feishu"),
    entry("adapters.dingtalk"),
)


def enabled(
    runtime: Runtime, environ: Environ, *, table: tuple[PlatformEntry, ...] = PLATFORMS
) -> list[Platform]:
    """The platforms the environment configures, built."""
    return [row.build(runtime, environ) for row in table if row.build and row.enabled(environ)]

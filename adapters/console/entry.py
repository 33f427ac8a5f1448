"""The console's row of the platform table: never served by `rapport serve` (`rapport shell` is it)."""

from __future__ import annotations

from bot.platform import Environ, Platform, PlatformEntry, Runtime


def _build(runtime: Runtime, environ: Environ) -> Platform:
    from adapters.console.platform import Console

    return Console(app=runtime)


ENTRY = PlatformEntry(name="console", build=_build)

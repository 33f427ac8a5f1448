"""Teams' row of the platform table. Light: botbuilder and its Azure libraries (40 MB of memory a
server without Teams need not hold) are imported only when Teams is built."""

from __future__ import annotations

import ipaddress

from adapters.teams import tables  # noqa: F401  (Teams' own tables join the shared metadata)
from adapters.teams.settings import TeamsSettings
from bot.platform import Environ, Platform, PlatformEntry, Runtime


def _settings(environ: Environ) -> TeamsSettings:
    return TeamsSettings.from_env(environ, env_file=None)


def _build(runtime: Runtime, environ: Environ) -> Platform:
    from adapters.teams.platform import build_teams

    return build_teams(runtime, settings=_settings(environ))


def notices(environ: Environ, host: str) -> list[str]:
    """Why Teams is off, or the warnings local mode (no app id, no token checks) deserves."""
    settings = _settings(environ)
    if not settings.enabled:
        return ["Teams is off: set MICROSOFT_APP_ID (or RAPPORT_TEAMS_LOCAL=1 for the Emulator)."]
    return teams_local_warnings(host) if settings.local else []


def teams_local_warnings(host: str) -> list[str]:
    """What to say when `/api/messages` runs without an app id (RAPPORT_TEAMS_LOCAL=1)."""
    warnings = [
        "Warning: RAPPORT_TEAMS_LOCAL=1: /api/messages checks no token. Anyone who can reach it can act "
        "as anyone in the organisation. It is for the Bot Framework Emulator on this machine only."
    ]
    if not is_loopback(host):
        warnings.append(
            f"Warning: --host {host} makes that endpoint reachable from other machines. Leave --host out "
            "(127.0.0.1) unless that is what you want."
        )
    return warnings


def is_loopback(host: str) -> bool:
    """Whether `host` is an address only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name other than localhost: it may resolve anywhere
        return False


ENTRY = PlatformEntry(
    name="teams",
    user_id_column="teams_user_id",
    enabled=lambda environ: _settings(environ).enabled,
    notices=notices,
    build=_build,
)

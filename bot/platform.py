"""The contract a chat platform implements, and the neutral things it hands the core.

A platform is one package under `adapters/<name>/` and one row of the platform table in the
composition root (`adapters/platforms.py`). The row (`PlatformEntry`) says how to read the
platform's settings from the environment and how to build it; what it builds is a `Platform`:

* `mount(host)`: its routes on the web server (or the connection it opens, for socket and stream
  modes) and its background work (the delivery worker, a profile filler);
* `to_event(payload)`: one request (already verified) as a core `Event`, or None. Mentions are
  resolved by the platform: the event's text keeps each mention as the platform wrote it, and
  `Event.mentions` says which span of the text names which platform user id;
* `render(reply)`: a `Reply` as the platform's messages, in order;
* `send(message)`: one claimed outbox message sent, or `SendError` (with `retry_after` for a rate
  limit, `permanent` when retrying cannot help);
* `fetch_profile(workspace=..., user_id=...)`: a user's `Profile` as the platform knows it.

What the platform learns about organisations and people goes to the core as neutral facts, never as
platform payloads: a `WorkspaceSeen` (a workspace, team or tenant: `bot.identity.onboard` links it
to its organisation) and a `ProfileSeen` (`bot.identity.learn_profile` fills or refreshes the person,
merging a first-sight person into the imported one with the same email).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from bot.clock import Clock
from bot.core import Core
from bot.events import Event
from bot.i18n import Catalogue
from bot.replies import Reply
from bot.settings import Settings
from store.db import Database
from store.outbox import Claimed

Environ = Mapping[str, str]
Hook = Callable[[], Awaitable[None]]
Handler = Callable[[Any], Awaitable[Any]]  # the web server's request in, its response out


class SendError(Exception):
    """A send that did not happen. `permanent` ones fail at once; the rest are retried.

    Args:
        reason: what went wrong, kept on the row for `rapport outbox`.
        retry_after: seconds the platform asked us to wait (HTTP 429 Retry-After).
        permanent: retrying cannot help (no such channel, the person blocked the app).
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True, kw_only=True)
class Profile:
    """A person as a platform knows them; any field may be missing."""

    name: str | None = None
    email: str | None = None
    timezone: str | None = None
    locale: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "email": self.email, "timezone": self.timezone, "locale": self.locale}


@dataclass(frozen=True, kw_only=True)
class WorkspaceSeen:
    """A platform's organisation key (its workspace, tenant, team or corporation) met.

    Attributes:
        platform: the platform's name.
        external_id: its key for the workspace.
        org_slug: the organisation it belongs to by the platform's configuration (the one of
            RAPPORT_ORG in a single-workspace set-up), created when missing; None when the workspace
            may only be served if it is linked already (multi-tenant: by the org import or an install).
        org_name: the name of the organisation when it has to be created.
    """

    platform: str
    external_id: str
    org_slug: str | None = None
    org_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProfileSeen:
    """A user's profile, fetched or pushed by the platform.

    Attributes:
        org_id: the organisation the user's workspace belongs to.
        platform, user_id: the identity.
        profile: what the platform says now.
        before: what it said last time (None: the first profile Rapport sees for this user). A field
            that still holds what the platform said before follows the platform; what the org import
            set stands.
    """

    org_id: int
    platform: str
    user_id: str
    profile: Profile
    before: Profile | None = None


class Runtime(Protocol):
    """What the composition root gives a platform to build on (`adapters.app.App` is one)."""

    settings: Settings
    db: Database
    clock: Clock
    catalogue: Catalogue
    core: Core
    metrics: Any  # adapters.metrics.Metrics: `delivering(platform)` observes a delivery worker


class Host(Protocol):
    """Where a platform runs inside `rapport serve` (`adapters.host.WebHost`, on aiohttp)."""

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Serve `method path` with `handler` (an aiohttp request in, an aiohttp response out)."""
        ...

    def background(self, name: str, work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        """Run `work(stop)` while the server runs; `stop` is set when it stops listening, and the
        server waits for `work` to return. `/readyz` reports the server unready when it dies."""
        ...

    def on_start(self, hook: Hook) -> None:
        """Run `hook` when the server starts (open a socket or stream connection, learn the bot)."""
        ...

    def on_stopping(self, hook: Hook) -> None:
        """Run `hook` as soon as the server stops listening (close a socket or stream connection)."""
        ...

    def on_stop(self, hook: Hook) -> None:
        """Run `hook` once requests in flight and background work are done (close clients)."""
        ...


@runtime_checkable
class Platform(Protocol):
    """One chat platform, built from its settings by its `PlatformEntry`."""

    name: str  # the Actor.platform, Identity.platform and outbox platform of everything it handles

    def mount(self, host: Host) -> None:
        """Add its routes (or connection) and its background work (delivery, profiles) to `host`."""
        ...

    def to_event(self, payload: Mapping[str, Any]) -> Event | None:
        """One verified request, parsed, as a core event; None when Rapport stays silent."""
        ...

    def render(self, reply: Reply) -> Sequence[Any]:
        """The platform messages (Block Kit, Adaptive Card, text...) `reply` is shown as, in order."""
        ...

    async def send(self, message: Claimed) -> None:
        """Send one claimed outbox message, all its parts, or raise SendError."""
        ...

    async def fetch_profile(self, *, workspace: str, user_id: str) -> Profile | None:
        """The user's profile from the platform (None: the platform has none to give)."""
        ...


@dataclass(frozen=True, kw_only=True)
class PlatformEntry:
    """One row of the platform table: everything the rest of Rapport knows about a platform.

    The module that defines the row imports the platform's own tables (so they join the shared
    metadata before anything migrates, erases or exports) and nothing heavy: `build` imports the
    platform's SDK, so a server pays only for the platforms it runs.

    Attributes:
        name: the platform's name ("console", ...), as `Actor.platform` and identities name it.
        user_id_column: the org import's column of the platform's user ids ("<name>_user_id"), or
            None when people are not imported with one.
        enabled: whether the environment configures the platform for `rapport serve`.
        notices: what `rapport serve` tells the operator about the platform's configuration (why it
            is off, a warning about an unsafe mode), given the environment and the listening host.
        build: the platform, from the runtime and the environment.
    """

    name: str
    user_id_column: str | None = None
    enabled: Callable[[Environ], bool] = lambda environ: False
    notices: Callable[[Environ, str], list[str]] = lambda environ, host: []
    build: Callable[[Runtime, Environ], Platform] | None = None


def user_id_columns(entries: Sequence[PlatformEntry]) -> dict[str, str]:
    """The org import's platform columns: column name → platform name."""
    return {e.user_id_column: e.name for e in entries if e.user_id_column}

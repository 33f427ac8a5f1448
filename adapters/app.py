"""The composition root: builds the engine, clock, catalogue, router and core, and passes them in."""

from __future__ import annotations

from dataclasses import dataclass, field

import adapters.platforms  # noqa: F401  (the platforms' own tables join the shared metadata)
from adapters.metrics import Metrics
from bot.clock import Clock, SystemClock
from bot.core import Core
from bot.features import build_router
from bot.i18n import Catalogue
from bot.settings import Settings
from store.db import Database


@dataclass(kw_only=True)
class App:
    settings: Settings
    db: Database
    clock: Clock
    catalogue: Catalogue
    core: Core
    metrics: Metrics = field(default_factory=Metrics)

    async def close(self) -> None:
        await self.db.dispose()


def build_app(settings: Settings, *, clock: Clock | None = None, db: Database | None = None) -> App:
    """Everything Rapport runs on, built once. Tests pass their own clock and database."""
    clock = clock or SystemClock()
    db = db or Database(url=settings.database_url)
    catalogue = Catalogue.load()
    core = Core(db=db, router=build_router(public_url=settings.public_url), clock=clock, catalogue=catalogue)
    return App(settings=settings, db=db, clock=clock, catalogue=catalogue, core=core)

"""Features: each registers its commands, actions and jobs on the router it is given.

This index is the one place that knows every feature; the composition root builds the router and the
scheduler from it, and nothing below imports it back.
"""

from __future__ import annotations

from bot.features import (
    actions,
    checkins,
    feedback,
    forms,
    goals,
    help,
    home,
    kudos,
    presence,
    privacy,
    reviews,
)
from bot.i18n import Catalogue
from bot.router import Router
from bot.scheduler import BATCH, Scheduler
from bot.settings import DEFAULT_PUBLIC_URL
from store.db import Database


def build_router(*, public_url: str = DEFAULT_PUBLIC_URL) -> Router:
    """A router with every feature registered; `public_url` is where dashboard links point."""
    router = Router()
    # Forms come before help: help answers any free text that no form is waiting for.
    for feature in (kudos, feedback, actions, goals, reviews, checkins, forms, home, privacy):
        feature.register(router)
    presence.register(router, public_url=public_url)
    help.register(router)
    return router


def build_scheduler(*, db: Database, catalogue: Catalogue, batch: int = BATCH) -> Scheduler:
    """The scheduler with every feature's jobs (as registered on the router)."""
    return Scheduler(db=db, catalogue=catalogue, jobs=build_router().jobs, batch=batch)

"""Features: each module registers its commands and actions on the router it is given."""

from __future__ import annotations

from bot.features import actions, checkins, feedback, forms, goals, help, home, kudos, presence, reviews
from bot.router import Router
from bot.settings import DEFAULT_PUBLIC_URL


def build_router(*, public_url: str = DEFAULT_PUBLIC_URL) -> Router:
    """A router with every feature registered; `public_url` is where dashboard links point."""
    router = Router()
    # Forms come before help: help answers any free text that no form is waiting for.
    for feature in (kudos, feedback, actions, goals, reviews, checkins, forms, home):
        feature.register(router)
    presence.register(router, public_url=public_url)
    help.register(router)
    return router

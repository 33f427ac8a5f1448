"""Features: each module registers its commands and actions on the router it is given."""

from __future__ import annotations

from bot.features import actions, checkins, feedback, help, home, kudos, presence, reviews
from bot.router import Router


def build_router() -> Router:
    """A router with every feature registered."""
    router = Router()
    # Check-ins come before help: help answers any free text that no open form is waiting for.
    for feature in (kudos, feedback, actions, reviews, checkins, presence, home, help):
        feature.register(router)
    return router

"""Features: each module registers its commands and actions on the router it is given."""

from __future__ import annotations

from bot.features import actions, feedback, help, kudos
from bot.router import Router


def build_router() -> Router:
    """A router with every feature registered."""
    router = Router()
    for feature in (kudos, feedback, actions, help):
        feature.register(router)
    return router

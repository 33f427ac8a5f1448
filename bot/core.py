"""The core's single entry point: one event in, one reply for the person who acted out."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.errors import UserError
from bot.events import Event
from bot.i18n import Catalogue
from bot.people import resolve_actor
from bot.replies import Reply
from bot.router import Router
from bot.turn import Turn
from store import events, orgs
from store.db import Database

log = logging.getLogger(__name__)


class UnknownWorkspace(Exception):
    """The event came from a workspace that no organisation owns (not installed, or uninstalled)."""


class Core:
    """Handles events: resolves organisation and person, de-duplicates, runs the feature.

    Everything a turn writes, the processed-event record included, commits in one transaction, so
    a retried or duplicated event has its effect once and a failed one leaves nothing behind.
    """

    def __init__(self, *, db: Database, router: Router, clock: Clock, catalogue: Catalogue) -> None:
        self.db = db
        self.router = router
        self.clock = clock
        self.catalogue = catalogue

    async def handle(self, event: Event) -> Reply | None:
        """Handle one event; None when there is nothing to show (a duplicate, a silent event)."""
        try:
            try:
                async with self.db.transaction() as session:
                    return await self._handle(session, event, run_feature=True)
            except UserError as error:
                # The feature's writes went with the transaction; what the turn itself records
                # (the processed event, a person met for the first time) is written again without them.
                async with self.db.transaction() as session:
                    return await self._handle(session, event, run_feature=False, refusal=error)
        except UnknownWorkspace:
            raise
        except Exception:
            log.exception("event failed: %s", type(event).__name__)
            return Reply.text(self.catalogue.messages(event.actor.locale)("error.internal"))

    async def _handle(
        self, session, event: Event, *, run_feature: bool, refusal: UserError | None = None
    ) -> Reply | None:
        """The turn: organisation, de-duplication, person; then the feature, or the refusal's reply.

        The feature runs without a savepoint (two round trips saved on every turn): a UserError it
        raises rolls the whole transaction back, and `handle` runs this again with `refusal`.
        """
        now = self.clock.now()
        actor = event.actor
        org, person = await orgs.for_workspace_and_user(
            session, platform=actor.platform, external_id=actor.org, user_id=actor.user_id
        )
        if org is None:
            raise UnknownWorkspace(f"{actor.platform}:{actor.org}")
        if event.event_id and not await events.claim(
            session, org_id=org.id, platform=actor.platform, event_id=event.event_id, now=now
        ):
            return None
        if person is None:
            person = await resolve_actor(session, org=org, actor=actor, now=now)
        turn = Turn(
            event=event, org=org, person=person, session=session, clock=self.clock, catalogue=self.catalogue
        )
        if run_feature:
            reply = await self.router.dispatch(turn)
            await turn.flush()
            return reply
        return Reply.mistake(turn.t(refusal.key, **refusal.params), field=refusal.field)

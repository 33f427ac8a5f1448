"""The core's single entry point: one event in, one reply for the person who acted out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.batch import Outcome, TurnBatcher
from bot.clock import Clock
from bot.errors import UserError
from bot.events import Command, Event, storable
from bot.i18n import Catalogue
from bot.people import resolve_actor
from bot.replies import Reply
from bot.router import BatchHandler, Router
from bot.turn import Turn, answer_target, flush_all
from store import events, orgs, outbox
from store.db import Database

log = logging.getLogger(__name__)

# Whether a reply is to be queued in the outbox (`Core.handle`), e.g. not a form error a platform shows
# inline (beside a form's input): True queues it where the event happened, PRIVATELY as a direct message to the person who acted.
QueueReply = Callable[[Reply], bool | str]
PRIVATELY = "privately"


class UnknownWorkspace(Exception):
    """The event came from a workspace that no organisation owns (not installed, or uninstalled)."""


class Core:
    """Handles events: resolves organisation and person, de-duplicates, runs the feature.

    Everything a turn writes, the processed-event record included, commits in one transaction, so
    a retried or duplicated event has its effect once and a failed one leaves nothing behind. Slash
    commands that arrive together may share that transaction (`bot.batch`); each still has its
    effect, or its refusal, as if it had come alone.
    """

    def __init__(self, *, db: Database, router: Router, clock: Clock, catalogue: Catalogue) -> None:
        self.db = db
        self.router = router
        self.clock = clock
        self.catalogue = catalogue
        self._batcher = TurnBatcher(handle_batch=self._handle_batch, handle_alone=self._handle_alone)

    async def handle(self, event: Event, *, queue_reply: QueueReply | None = None) -> Reply | None:
        """Handle one event; None when there is nothing to show (a duplicate, a silent event).

        With `queue_reply`, an adapter that cannot answer in its response (events and button presses,
        on some platforms) has each reply it accepts written to the outbox in the turn's own transaction,
        where the event happened (`Turn.answer_where_asked`): the effect and its answer land
        together or not at all.

        A command registered for batches (a slash command such as `/kudos`, with nothing to queue) is
        handled together with those arriving at the same time, in one transaction (`bot.batch`), its
        event id (a replayed request's) recorded with the others'.
        """
        event = storable(event)
        if queue_reply is None and self._batchable(event):
            return await self._batcher.submit(event)
        return await self._handle_alone(event, queue_reply=queue_reply)

    def _batchable(self, event: Event) -> bool:
        return isinstance(event, Command) and self.router.batched(event.name) is not None

    async def _handle_alone(self, event: Event, *, queue_reply: QueueReply | None = None) -> Reply | None:
        try:
            try:
                async with self.db.transaction() as session:
                    return await self._handle(session, event, run_feature=True, queue_reply=queue_reply)
            except UserError as error:
                # The feature's writes went with the transaction; what the turn itself records
                # (the processed event, a person met for the first time) is written again without them.
                async with self.db.transaction() as session:
                    return await self._handle(
                        session, event, run_feature=False, refusal=error, queue_reply=queue_reply
                    )
        except UnknownWorkspace:
            raise
        except Exception:
            log.exception("event failed: %s", type(event).__name__)
            reply = Reply.text(self.catalogue.messages(event.actor.locale)("error.internal"))
            if queue_reply is not None and queue_reply(reply):
                await self._queue_apology(event, reply)
            return reply

    async def _handle_batch(self, events: Sequence[Command]) -> list[Outcome]:
        """Batchable commands in one transaction: who acted (a query per workspace for all of them),
        then each command's batch handler with its turns, then their outgoing messages in one insert.
        A refusal is that turn's reply; an event from an unknown workspace gets UnknownWorkspace."""
        now = self.clock.now()
        outcomes: list[Outcome] = [None] * len(events)
        async with self.db.transaction() as session:
            users: dict[tuple[str, str], set[str]] = {}
            for event in events:
                users.setdefault((event.actor.platform, event.actor.org), set()).add(event.actor.user_id)
            known = {
                key: await orgs.for_workspace_users(
                    session, platform=key[0], external_id=key[1], user_ids=ids
                )
                for key, ids in users.items()
            }
            repeated = await _claim_event_ids(session, events, known=known, now=now)
            batches: dict[BatchHandler, list[tuple[int, Turn]]] = {}
            for index, event in enumerate(events):
                actor = event.actor
                org, people_met = known[(actor.platform, actor.org)]
                if org is None:
                    outcomes[index] = UnknownWorkspace(f"{actor.platform}:{actor.org}")
                    continue
                if index in repeated:  # a duplicate (a replayed request): nothing to show, as alone
                    continue
                person = people_met.get(actor.user_id)
                if person is None:  # met for the first time; twice in one batch is still one person
                    person = people_met[actor.user_id] = await resolve_actor(
                        session, org=org, actor=actor, now=now
                    )
                turn = Turn(
                    event=event,
                    org=org,
                    person=person,
                    session=session,
                    clock=self.clock,
                    catalogue=self.catalogue,
                )
                batches.setdefault(self.router.batched(event.name), []).append((index, turn))
            for handler, items in batches.items():
                results = await handler([turn for _, turn in items])
                for (index, turn), result in zip(items, results, strict=True):
                    if isinstance(result, UserError):
                        result = Reply.mistake(result.explain(turn.t), field=result.field)
                    outcomes[index] = result
            await flush_all([turn for items in batches.values() for _, turn in items])
        return outcomes

    async def _queue_apology(self, event: Event, reply: Reply) -> None:
        """The internal-error reply, queued on its own after the turn was rolled back (best effort)."""
        actor = event.actor
        try:
            async with self.db.transaction() as session:
                org, person = await orgs.for_workspace_and_user(
                    session, platform=actor.platform, external_id=actor.org, user_id=actor.user_id
                )
                target = answer_target(event, person.id if person else None) if org else None
                if target and (target.get("channel_id") or target.get("recipient_id")):
                    await outbox.enqueue_many(
                        session,
                        org_id=org.id,
                        messages=[target | {"payload": reply.to_dict()}],
                        now=self.clock.now(),
                    )
        except Exception:
            log.exception("could not queue the apology for a failed %s", type(event).__name__)

    async def _handle(
        self,
        session,
        event: Event,
        *,
        run_feature: bool,
        refusal: UserError | None = None,
        queue_reply: QueueReply | None = None,
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
        else:
            reply = Reply.mistake(refusal.explain(turn.t), field=refusal.field)
        where = queue_reply(reply) if reply is not None and queue_reply is not None else False
        if where == PRIVATELY:
            turn.answer_privately(reply)
        elif where:
            turn.answer_where_asked(reply)
        await turn.flush()
        return reply


async def _claim_event_ids(session, batch: Sequence[Command], *, known: dict, now) -> set[int]:
    """Record a batch's event ids with its effect (one insert per workspace), as `_handle` records one
    event's: the indexes of those seen already, in an earlier request or earlier in the batch."""
    by_workspace: dict[tuple[str, str], list[int]] = {}
    for index, event in enumerate(batch):
        key = (event.actor.platform, event.actor.org)
        if event.event_id and known[key][0] is not None:
            by_workspace.setdefault(key, []).append(index)
    repeated: set[int] = set()
    for key, indexes in by_workspace.items():
        ids = [batch[index].event_id for index in indexes]
        org_id = known[key][0].id
        claimed = await events.claim_many(session, org_id=org_id, platform=key[0], event_ids=ids, now=now)
        for index in indexes:
            if batch[index].event_id in claimed:
                claimed.discard(batch[index].event_id)  # the first of the batch's copies acts
            else:
                repeated.add(index)
    return repeated

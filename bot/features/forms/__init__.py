"""Forms across features: every form's runner by its key, the DM line and answer-button handlers
that reach them (`bot.forms.conversations`: one conversation at a time), and the due work that moves
a person on when a form closes (`bot.forms.queue.EXPIRY`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.evidence import Source
from bot.features.checkins import checkin_runner, cycle
from bot.features.feedback.request_common import FORM_KEY as FEEDBACK_FORM
from bot.features.feedback.request_form import request_runner
from bot.features.goals import checkin as goal_checkin
from bot.features.goals import newform as goal_new
from bot.features.reviews import review_runner
from bot.forms import queue
from bot.forms.conversations import Conversations
from bot.forms.session import Audience
from bot.jobs import JobContext, Outcome
from bot.replies import Reply, Text
from bot.router import Router
from store import forms, people
from store.checkin_models import DueWork, FormSession


def conversations(*, sources: Mapping[str, Source] = MappingProxyType({})) -> Conversations:
    """Every form Rapport runs, by form key, with the runner that answers it; `sources`, the evidence
    the self-review sums up under its first question (the router's; none, to list the forms)."""
    reviews = review_runner(sources=sources)
    return Conversations(
        runners={
            cycle.FORM_KEY: checkin_runner(),
            **dict.fromkeys(reviews.builtins, reviews),
            FEEDBACK_FORM: request_runner(),
            goal_checkin.FORM_KEY: goal_checkin.runner(),  # issue 18
            goal_new.FORM_KEY: goal_new.runner(),
        }
    )


def register(router: Router) -> None:
    desk = conversations(sources=router.sources)
    for action_id in {runner.action_id for runner in desk.runners.values()}:
        router.action(action_id)(desk.on_action)
    router.message(desk.on_message)
    router.job(queue.EXPIRY)(expiry_job(desk))
    router.after_commands(desk.still_open)


def expiry_job(desk: Conversations):
    """At a form's expiry, when it was waiting or others waited behind it: tell the person it closed
    and what they can still do; if it was the open one, show the next waiting form."""

    async def expired(ctx: JobContext, due: DueWork) -> Outcome:
        row = await forms.by_id(ctx.session, org_id=ctx.org.id, session_id=due.subject)
        if row is not None and row.status in forms.LIVE and row.expires_at > ctx.now:  # a meeting moved
            await queue.watch(ctx.session, rows=(row,), now=ctx.now)
            return Outcome(status="skipped", note="open for longer now")
        discarded = await _discard_unfinished(ctx, row) if row is not None else 0
        if row is None or (row.status not in forms.LIVE and not discarded):
            return Outcome(status="skipped", note="finished before it closed")
        person = await people.by_id(ctx.session, org_id=ctx.org.id, person_id=row.person_id)
        t = ctx.messages_for(person)
        waited, was_open = row.status == "waiting", row.status == "open"
        alone = len(await forms.live_for(ctx.session, org_id=ctx.org.id, person_id=person.id)) == 1
        if was_open and alone and not discarded:
            return Outcome(status="skipped", note="nothing waits behind it")
        if row.status in forms.LIVE:
            queue.expire(row, now=ctx.now)
        line = queue.expired_line(t, row, timezone=ctx.zone_for(person), waited=waited, discarded=discarded)
        to = Audience(session=ctx.session, t=t, person=person, now=ctx.now, timezone=ctx.zone_for(person))
        following = await desk.next_up(to) if was_open and not alone else []
        reply = Reply(parts=(Text(text=line), *following), summary=line)
        await ctx.send_dm(to=person, reply=reply)
        return Outcome(status="done")

    async def _discard_unfinished(ctx: JobContext, row: FormSession) -> int:
        """For a form whose answers are promised anonymous once finished: what was left unfinished
        is discarded now, never kept by name. How many answers were."""
        runner = desk.runners.get(row.form_key)
        if runner is None or row.status == "done":
            return 0
        form = await runner.definition(
            ctx.session, org_id=ctx.org.id, key=row.form_key, version=row.template_version
        )
        given = len(row.answers) if form.unfinished_discarded else 0
        if form.unfinished_discarded:
            row.answers = {}
        return given

    return expired

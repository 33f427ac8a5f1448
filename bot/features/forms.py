"""Forms across features: every form's runner by its key, the DM line and answer-button handlers
that reach them (`bot.forms.conversations`: one conversation at a time), and the due work that moves
a person on when a form closes (`bot.forms.queue.EXPIRY`)."""

from __future__ import annotations

from bot.checkins import cycle
from bot.features.checkins import checkin_runner
from bot.features.feedback.request_common import FORM_KEY as FEEDBACK_FORM
from bot.features.feedback.request_form import request_runner
from bot.features.goals import checkin as goal_checkin
from bot.features.goals import newform as goal_new
from bot.features.reviews import review_runner
from bot.forms import queue
from bot.forms.conversations import Conversations
from bot.forms.session import Audience
from bot.replies import Reply, Text
from bot.router import Router
from bot.scheduler import JobContext, Outcome
from store import forms, people
from store.checkin_models import DueWork


def conversations() -> Conversations:
    """Every form Rapport runs, by form key, with the runner that answers it."""
    reviews = review_runner()
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
    desk = conversations()
    for action_id in {runner.action_id for runner in desk.runners.values()}:
        router.action(action_id)(desk.on_action)
    router.message(desk.on_message)


def expiry_job(desk: Conversations):
    """At a form's expiry, when it was waiting or others waited behind it: tell the person it closed
    and what they can still do; if it was the open one, show the next waiting form."""

    async def expired(ctx: JobContext, due: DueWork) -> Outcome:
        row = await forms.by_id(ctx.session, org_id=ctx.org.id, session_id=due.subject)
        if row is None or row.status not in forms.LIVE:
            return Outcome(status="skipped", note="finished before it closed")
        if row.expires_at > ctx.now:  # given longer since (a meeting moved)
            await queue.watch(ctx.session, rows=(row,), now=ctx.now)
            return Outcome(status="skipped", note="open for longer now")
        person = await people.by_id(ctx.session, org_id=ctx.org.id, person_id=row.person_id)
        t = cycle.messages_for(ctx.catalogue, person, ctx.org.default_locale)
        waited = row.status == "waiting"
        if not waited and len(await forms.live_for(ctx.session, org_id=ctx.org.id, person_id=person.id)) == 1:
            return Outcome(status="skipped", note="nothing waits behind it")
        queue.expire(row, now=ctx.now)
        line = queue.expired_line(t, row, person=person, waited=waited)
        to = Audience(session=ctx.session, t=t, person=person, now=ctx.now)
        following = [] if waited else await desk.next_up(to)
        reply = Reply(parts=(Text(text=line), *following), summary=line)
        await cycle.send_dm(ctx.session, org_id=ctx.org.id, to=person, reply=reply, now=ctx.now)
        return Outcome(status="done")

    return expired


def jobs() -> dict:
    """The forms' kind of due work and what runs it."""
    return {queue.EXPIRY: expiry_job(conversations())}

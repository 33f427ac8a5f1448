"""Answering a peer-feedback request: the form in a DM, declining, pausing and carrying on."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.events import Action
from bot.features.feedback import request_release
from bot.features.feedback.request_common import (
    FORM,
    FORM_KEY,
    about,
    decline_button,
    means_decline,
    own_ask,
    parse_id,
    person_of,
    until,
)
from bot.forms import queue
from bot.forms.definition import FormDefinition
from bot.forms.render import summary
from bot.forms.session import Audience, FormRunner, first_question, start, vocabulary
from bot.i18n import Messages
from bot.messaging import Messaging
from bot.replies import Reply, Text
from bot.turn import Turn
from store import feedback_requests, forms, orgs, people
from store.checkin_models import FormSession
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person


async def open_ask(
    sender: Messaging, *, request: FeedbackRequest, ask: FeedbackAsk, respondent: Person
) -> None:
    """Start the respondent's form and DM its first question, with who asked and who will see what;
    or, while they are answering another form, the line saying this one waits (`bot.forms.queue`)."""
    row = await start(
        sender.session,
        org_id=sender.org.id,
        person_id=respondent.id,
        form=FORM,
        subject=str(request.id),
        expires_at=request.closes_at,
        now=sender.now,
    )
    ask.session_id = row.id
    t = sender.messages_for(respondent)
    requester = await person_of(sender, request.requester_id)
    zone = sender.zone_for(respondent)
    if not await queue.offer(sender.session, row=row, now=sender.now):
        about = " ".join(introduction(t, request=request, requester=requester, timezone=zone))
        line = queue.waiting_line(t, form_key=FORM_KEY, expires_at=row.expires_at, timezone=zone, about=about)
        await sender.send_dm(to=respondent, reply=Reply.text(line))
        return
    lone = await lone_language(sender.session, request=request, respondent=respondent)
    reply = shown(t, row, request=request, requester=requester, timezone=zone, lone_language=lone)
    await sender.send_dm(to=respondent, reply=reply)


async def lone_language(session: AsyncSession, *, request: FeedbackRequest, respondent: Person) -> bool:
    """Whether, of those asked for an anonymous request, only the respondent uses Rapport in their
    language: an answer written in it would say who wrote it, and no batch can hide that."""
    if not request.anonymous:
        return False
    asks = await feedback_requests.asks_of(session, org_id=request.org_id, request_id=request.id)
    default = (await orgs.by_id(session, request.org_id)).default_locale
    others = [a.respondent_id for a in asks if a.respondent_id != respondent.id]
    found = await people.locales(session, org_id=request.org_id, person_ids=others)
    locales = {locale or default for locale in found.values()}
    return bool(others) and (respondent.locale or default) not in locales


def shown(
    t: Messages,
    row: FormSession,
    *,
    request: FeedbackRequest,
    requester: Person,
    timezone: str,
    before: tuple[str, ...] = (),
    lone_language: bool = False,
) -> Reply:
    """The form's current question as it is shown whenever it comes up: who asks, until when, who
    will see the answers, and the Decline button."""
    hello, privacy = introduction(t, request=request, requester=requester, timezone=timezone)
    if lone_language:
        privacy += " " + t("feedback_request.lone_language")
    question = first_question(t, FORM, row, before=(*before, hello, privacy))
    return Reply(parts=(*question.parts, *decline_button(t, request)), summary=before[0] if before else hello)


def introduction(
    t: Messages, *, request: FeedbackRequest, requester: Person, timezone: str
) -> tuple[str, str]:
    """Who asks, about what and until when; and who will see the answers."""
    hello = t(
        "feedback_request.ask_dm",
        requester=requester.display_name,
        about=about(t, request),
        until=until(t, request, timezone),
    )
    return hello, _privacy(t, request, requester)


def _privacy(t, request: FeedbackRequest, requester: Person) -> str:
    if request.anonymous:
        return t(
            "feedback_request.privacy_anonymous",
            requester=requester.display_name,
            threshold=request.threshold,
        )
    return t("feedback_request.privacy_named", requester=requester.display_name)


class RequestForms(FormRunner):
    """The runner for a feedback request's form: "decline" and "cancel" (which pauses it) work at
    any step, and the form comes up with who asks and who will see the answers."""

    async def step(self, turn: Turn, row: FormSession, text: str) -> Reply:
        if means_decline(turn.catalogue, text):
            return await decline(turn, row.subject)
        if vocabulary(turn.catalogue).meaning(text) == "cancel":
            forms.save(row, step=row.step, answers=row.answers, status="cancelled", now=turn.clock.now())
            return Reply.text(turn.t("feedback_request.paused", id=row.subject))
        return await super().step(turn, row, text)

    async def question(self, to: Audience, row: FormSession, *, before: tuple[str, ...] = ()) -> Reply:
        request = await feedback_requests.by_id(to.session, org_id=row.org_id, request_id=int(row.subject))
        requester = await people.by_id(to.session, org_id=row.org_id, person_id=request.requester_id)
        lone = await lone_language(to.session, request=request, respondent=to.person)
        return shown(
            to.t,
            row,
            request=request,
            requester=requester,
            timezone=to.timezone,
            before=before,
            lone_language=lone,
        )


def request_runner() -> FormRunner:
    return RequestForms(builtins={FORM_KEY: FORM}, finishers={FORM_KEY: finished})


async def finished(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """The last answer is in: record it, show or hold it for the requester, thank the respondent."""
    ask = await feedback_requests.ask_for_session(turn.session, org_id=turn.org.id, session_id=row.id)
    request = await feedback_requests.by_id(turn.session, org_id=turn.org.id, request_id=ask.request_id)
    ask.status, ask.responded_at = "answered", turn.now
    requester = await person_of(turn, request.requester_id)
    if request.anonymous:
        asks = await feedback_requests.asks_of(turn.session, org_id=turn.org.id, request_id=request.id)
        await request_release.release_and_tell(turn, request, asks)
    else:
        t = turn.messages_for(requester)
        heading = t(
            "feedback_request.answer_dm",
            name=turn.person.display_name,
            id=request.id,
            about=about(t, request),
        )
        lines = [heading, *summary(t, form, row.answers)]
        await turn.send_dm(to=requester, reply=Reply(parts=(Text(text="\n".join(lines)),), summary=heading))
        seen_by = turn.t("feedback_request.thanks_named", requester=requester.display_name)
    await close_when_all_in(turn, request)
    if request.anonymous:
        seen_by = _anonymous_fate(turn.t, request, ask, requester=requester)
    lines = [turn.t("feedback_request.thanks"), *summary(turn.t, form, row.answers), seen_by]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


def _anonymous_fate(t: Messages, request: FeedbackRequest, ask: FeedbackAsk, *, requester: Person) -> str:
    """What will become of an anonymous answer just given, as it stands: shown now in a batch, held
    for more, or (the request closed without enough) never shown. Never a promise that may not hold."""
    if ask.batch is not None:
        key = "feedback_request.thanks_anonymous_shown"
    elif request.status == "closed":
        key = "feedback_request.thanks_anonymous_hidden"
    else:
        key = "feedback_request.thanks_anonymous_held"
    return t(key, requester=requester.display_name, threshold=request.threshold)


async def close_when_all_in(sender: Messaging, request: FeedbackRequest) -> None:
    """Everyone answered or declined: nothing more can come, so close the request now."""
    from bot.features.feedback.request_jobs import close  # the jobs use this module's form

    asks = await feedback_requests.asks_of(sender.session, org_id=sender.org.id, request_id=request.id)
    if all(a.status != "asked" for a in asks):
        await close(sender, request, asks)


async def decline(turn: Turn, text: str) -> Reply:
    """`/feedback decline N`, the Decline button, or typing "decline" in the form."""
    request, ask = await own_ask(turn, parse_id(text)[0])
    ask.status, ask.responded_at = "declined", turn.now
    row = (
        await forms.by_id(turn.session, org_id=turn.org.id, session_id=ask.session_id)
        if ask.session_id
        else None
    )
    if row is not None:
        forms.save(row, step=row.step, answers=row.answers, status="cancelled", now=turn.now)
    requester = await person_of(turn, request.requester_id)
    if not request.anonymous:
        t = turn.messages_for(requester)
        text = t(
            "feedback_request.declined_dm",
            name=turn.person.display_name,
            id=request.id,
            about=about(t, request),
        )
        await turn.send_dm(to=requester, reply=Reply.text(text))
    await close_when_all_in(turn, request)
    key = "feedback_request.declined_anonymous" if request.anonymous else "feedback_request.declined"
    return Reply.text(turn.t(key, requester=requester.display_name))


async def decline_button_pressed(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Action)
    return await decline(turn, event.value)


async def answer(turn: Turn, text: str) -> Reply:
    """`/feedback answer N`: carry on with a paused (or waiting) form where it was left; it is the
    form answered now, and one the person was answering waits."""
    request, ask = await own_ask(turn, parse_id(text)[0])
    row = await forms.by_id(turn.session, org_id=turn.org.id, session_id=ask.session_id)
    aside = await queue.bring_forward(turn.session, row=row, now=turn.clock.now())
    requester = await person_of(turn, request.requester_id)
    intro = turn.t("feedback_request.resume", requester=requester.display_name, about=about(turn.t, request))
    return queue.with_aside(turn.t, first_question(turn.t, FORM, row, before=(intro,)), aside)

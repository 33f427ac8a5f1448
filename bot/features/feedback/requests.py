"""`/feedback request @bob @wei [about "Billing migration"] [by next friday] [--anonymous]`, and
`/feedback requests`, `/feedback request show N`.

A named request shows the requester each answer with its giver's name as it arrives. An anonymous one
shows answers only in nameless, shuffled batches of at least the organisation's threshold: the exact
rule is in `bot.features.feedback.request_release`. The list of one's requests is in `request_list`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.access import can_view_anonymous_answers, can_view_answer_with_name
from bot.anonymity import threshold_of
from bot.dates import parse_day
from bot.errors import UserError
from bot.events import Command
from bot.features.feedback import request_form, request_jobs, request_release
from bot.features.feedback.request_common import FORM, about, load, parse_id, person_of, until
from bot.forms.render import summary
from bot.parse import PersonRef, ValueTag, tokenize
from bot.people import resolve_refs
from bot.replies import Reply, Text
from bot.subcommands import HELP_WORDS, help_text, words
from bot.turn import Turn
from bot.workdays import WORK_END, person_zone
from store import feedback_requests
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person

ANONYMOUS_FLAGS = ("--anonymous", "--anon", "--匿名")
DEFAULT_DAYS = 7
MAX_PEOPLE = 20
MAX_TOPIC = 200
_QUOTED_TOPIC = re.compile(r"(?:^|\s)(?:about|关于)\s*[\"“「](?P<topic>[^\"”」]+)[\"”」]", re.I)
_DEADLINE = re.compile(r"(?:(?:^|\s)by\s+|截止(?:日期)?[:：]?\s*|期限[:：]?\s*)(?P<due>\S.*)$", re.I | re.S)
_TOPIC = re.compile(r"^\s*(?:about|关于)\s*(?P<topic>\S.*?)\s*$", re.I | re.S)


def parse_details(text: str) -> tuple[str | None, str | None]:
    """The topic and the typed deadline in what is left once the mentions are taken out."""
    topic = None
    if match := _QUOTED_TOPIC.search(text):
        topic, text = match["topic"].strip(), text[: match.start()] + " " + text[match.end() :]
    due = None
    if match := _DEADLINE.search(text):
        due, text = match["due"].strip(), text[: match.start()]
    if topic is None and (match := _TOPIC.match(text)):
        topic, text = match["topic"], ""
    if text.strip():
        raise UserError("feedback_request.not_understood", text=text.strip())
    return topic, due


async def request(turn: Turn, text: str) -> Reply:
    """Ask peers for feedback: each gets the form in a DM; the requester is told who will see what."""
    event = turn.event
    assert isinstance(event, Command)
    anonymous = any(flag in text for flag in ANONYMOUS_FLAGS)
    for flag in ANONYMOUS_FLAGS:
        text = text.replace(flag, " ")
    segments = tokenize(text, mentions=event.mentions)
    respondents = await _respondents(turn, [s for s in segments if isinstance(s, PersonRef)])
    rest = " ".join(
        s.text if isinstance(s, ValueTag) else s for s in segments if not isinstance(s, PersonRef)
    )
    topic, phrase = parse_details(" ".join(rest.split()))
    if topic is not None and len(topic) > MAX_TOPIC:
        raise UserError("feedback_request.topic_long", length=len(topic), max=MAX_TOPIC)
    threshold = threshold_of(turn.org)
    if anonymous and len(respondents) < threshold:
        raise UserError("feedback_request.too_few", threshold=threshold, count=len(respondents))
    now = turn.clock.now()
    made, asks = await feedback_requests.create(
        turn.session,
        org_id=turn.org.id,
        requester_id=turn.person.id,
        topic=topic,
        anonymous=anonymous,
        threshold=threshold,
        closes_at=_closes_at(turn, phrase),
        respondent_ids=[p.id for p in respondents],
        now=now,
    )
    for ask, person in zip(asks, respondents, strict=True):
        await request_form.open_ask(turn, request=made, ask=ask, respondent=person)
    asked = list(zip(asks, respondents, strict=True))
    await request_jobs.plan(turn.session, org_id=turn.org.id, request=made, asked=asked, now=now)
    return _confirmation(turn, made, names=[p.display_name for p in respondents])


async def _respondents(turn: Turn, refs: list[PersonRef]) -> list[Person]:
    """The people asked, each once, in the order named; never the requester."""
    if not refs:
        raise UserError("feedback_request.no_people")
    found = await resolve_refs(turn, refs)
    respondents = list({p.id: p for p in found.values()}.values())
    if any(p.id == turn.person.id for p in respondents):
        raise UserError("feedback_request.self")
    if len(respondents) > MAX_PEOPLE:
        raise UserError("feedback_request.too_many", max=MAX_PEOPLE)
    return respondents


def _closes_at(turn: Turn, phrase: str | None) -> datetime:
    """The end of the working day of the deadline, in the requester's time zone (a week by default)."""
    tz = person_zone(turn.person, turn.org)
    local_now = turn.clock.now().astimezone(tz)
    day = parse_day(phrase, now=local_now) if phrase else local_now.date() + timedelta(days=DEFAULT_DAYS)
    closes = datetime.combine(day, WORK_END, tzinfo=tz).astimezone(UTC)
    if closes <= turn.clock.now():
        raise UserError("feedback_request.deadline_passed", text=phrase or "")
    return closes


def _confirmation(turn: Turn, made: FeedbackRequest, *, names: list[str]) -> Reply:
    t = turn.t
    text = t(
        "feedback_request.sent",
        id=made.id,
        names=t.join(names),
        about=about(t, made),
        until=until(t, made, turn.zone_for(turn.person)),
    )
    key = "feedback_request.sent_anonymous" if made.anonymous else "feedback_request.sent_named"
    lines = [text, t(key, threshold=made.threshold), t("feedback_request.show_hint", id=made.id)]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=text)


async def show(turn: Turn, text: str) -> Reply:
    """One request: to its requester, what the rules let them see; to a respondent, their own answer."""
    made, asks = await load(turn, parse_id(text)[0])
    t = turn.t
    requester = await person_of(turn, made.requester_id)
    state = (
        t("feedback_request.state_open", until=until(t, made, turn.zone_for(turn.person)))
        if made.status == "open"
        else t("feedback_request.state_closed")
    )
    kind = t("feedback_request.kind_anonymous" if made.anonymous else "feedback_request.kind_named")
    heading = t(
        "feedback_request.show_heading",
        id=made.id,
        name=requester.display_name,
        about=about(t, made),
        kind=kind,
        state=state,
    )
    parts: list = [Text(text=heading)]
    if can_view_anonymous_answers(turn.person, made):
        parts += await request_release.anonymous_view(turn, t, made, asks)
    else:
        visible = [a for a in asks if can_view_answer_with_name(turn.person, made, a)]
        parts += await _named_view(turn, visible)
    return Reply(parts=tuple(parts), summary=heading)


async def _named_view(turn: Turn, asks: list[FeedbackAsk]) -> list[Text]:
    """Each ask the viewer may see with its giver: its state, and the answers when there are some."""
    t = turn.t
    answers = await feedback_requests.answers(turn.session, org_id=turn.org.id, asks=asks)
    parts = []
    for ask in asks:
        person = await person_of(turn, ask.respondent_id)
        line = t(f"feedback_request.ask_{ask.status}", name=person.display_name)
        lines = [line, *summary(t, FORM, answers[ask.id])] if ask.id in answers else [line]
        parts.append(Text(text="\n".join(lines)))
    return parts


_HELP = help_text("feedback_request.help")
# `/feedback request ...`: `show N`, help, or a new request (a word like "shwo 3" is asked back).
request_command = words(
    {"show": show, "查看": show, **dict.fromkeys(HELP_WORDS, _HELP)},
    otherwise=request,
    synonyms=dict.fromkeys(("view", "details", "status"), "show") | dict.fromkeys(("显示", "详情"), "查看"),
    content="feedback_request.as_content",
)

"""The manager's digest before a review, following the meeting's structure, and the short notes
around it (the employee's preparation note, the reminder an hour before).

`build` gathers the evidence (`evidence`) and `render` turns it into a Reply; `render` is pure, so
what the digest says can be read and tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_digest
from bot.answers import says_something
from bot.dates import format_when
from bot.evidence import Source
from bot.features.reviews import agenda
from bot.features.reviews.agenda import short_day, sparkline
from bot.features.reviews.evidence import Evidence, gather
from bot.i18n import Messages
from bot.replies import Context, Reply, Text
from store.models import Person
from store.review_models import ReviewMeeting

PREPARATION = timedelta(days=3)
EXAMPLES = (3, 5)
QUESTIONS = 3


@dataclass(frozen=True, kw_only=True)
class Check:
    done: bool
    text: str


async def build(
    session: AsyncSession,
    *,
    sources: Mapping[str, Source],
    t: Messages,
    meeting: ReviewMeeting,
    employee: Person,
    manager: Person,
    now: datetime,
) -> Reply | None:
    """The digest for the meeting's manager; None when they may not see it (no longer her manager)."""
    if not can_view_digest(manager, meeting, employee):
        return None
    evidence = await gather(
        session, sources=sources, meeting=meeting, employee=employee, manager=manager, now=now
    )
    return render(t, evidence)


def render(t: Messages, evidence: Evidence) -> Reply:
    name = evidence.employee.display_name
    when = format_when(t, evidence.meeting.starts_at, evidence.tz.key)
    title = t("review_digest.title", name=name, when=when)
    topics = agenda.rank(t, evidence)
    sections = [
        ("goals", _goals(t, evidence)),
        ("process", _process(t, evidence)),
        ("lessons", _lessons(t, evidence)),
        ("development", _development(t, evidence)),
        (
            "agenda",
            [f"{n}. {t('review_digest.topic.' + x.key, **x.params)}" for n, x in enumerate(topics, 1)],
        ),
        ("questions", [f"• _{step}_: {q}" for step, q in agenda.questions(t, evidence, topics)]),
        ("checklist", [("✅ " if c.done else "⬜ ") + c.text for c in checklist(t, evidence)]),
    ]
    parts: list = [Text(text=title)]
    for key, lines in sections:
        body = "\n".join(lines) or t("review_digest.nothing")
        parts.append(Text(text=f"*{t('review_digest.section.' + key)}*\n{body}"))
    parts.append(Context(text=t("review_digest.private", handle=evidence.employee.handle or "")))
    return Reply(parts=tuple(parts), summary=title)


def _quoted(t: Messages, items, limit: int = 4) -> list[str]:
    return [t("review_digest.said", day=short_day(t, d.day), text=d.text) for d in items[-limit:]]


def _goals(t: Messages, e: Evidence) -> list[str]:
    lines = e.goals.lines(t, today=e.today, short_day=short_day)  # issue 18
    if e.priorities:
        lines += [t("review_digest.priorities"), *_quoted(t, e.priorities)]
    if e.went_well:
        lines += [t("review_digest.went_well"), *_quoted(t, e.went_well)]
    return lines


def _process(t: Messages, e: Evidence) -> list[str]:
    lines = []
    if e.moods:
        numbers = ", ".join(f"{d.value} ({short_day(t, d.day)})" for d in e.moods)
        lines.append(t("review_digest.mood", spark=sparkline(e.moods), numbers=numbers, count=len(e.moods)))
    lines += [t("review_digest.blocker", day=short_day(t, d.day), text=d.text) for d in e.blockers]
    if e.hard:
        lines += [t("review_digest.hard"), *_quoted(t, e.hard)]
    for k in e.kudos:
        tags = " ".join(f"#{v}" for v in k.value)
        lines.append(
            t("review_digest.kudos", day=short_day(t, k.day), who=k.who, text=k.text, values=tags).strip()
        )
    lines += [
        t("review_digest.feedback", day=short_day(t, f.day), who=f.who, text=f.text) for f in e.feedback
    ]
    return lines


def _lessons(t: Messages, e: Evidence) -> list[str]:
    lines = _agreed(t, e)
    if e.overdue:
        lines.append(t("review_digest.overdue_heading", count=len(e.overdue)))
        lines += [
            t("review_digest.action_overdue", title=a.title, day=short_day(t, a.due_on)) for a in e.overdue
        ]
    return lines


def _agreed(t: Messages, e: Evidence) -> list[str]:
    """The actions agreed at the previous review, and what became of them."""
    if e.previous is None:
        return [t("review_digest.no_previous")]
    lines = [t("review_digest.previous", day=short_day(t, e.previous.starts_at.astimezone(e.tz).date()))]
    for label, items in (
        ("done", agenda.done(e)),
        ("overdue", agenda.overdue(e)),
        ("open", agenda.still_open(e)),
    ):
        for a in items:
            day = a.closed_at.astimezone(e.tz).date() if label == "done" and a.closed_at else a.due_on
            lines.append(
                t(f"review_digest.action_{label}", title=a.title, day=short_day(t, day) if day else "—")
            )
    return lines


def _development(t: Messages, e: Evidence) -> list[str]:
    lines = e.development.lines(t, today=e.today, short_day=short_day)  # issue 18
    if e.support:
        lines += [t("review_digest.support"), *_quoted(t, e.support, limit=3)]
    if e.self_review is None:
        lines.append(t("review_digest.self_review_missing"))
        return lines
    answers = e.self_review.value
    lines.append(
        t(
            "review_digest.self_review_sent",
            day=short_day(t, e.self_review.day),
            handle=e.employee.handle or "",
        )
    )
    for key in ("expectations", "support"):
        if says_something(answers.get(key)):
            lines.append(t(f"review_digest.self_{key}", text=answers[key]))
    return lines


def checklist(t: Messages, e: Evidence) -> list[Check]:
    """The manager's preparation, as it stands."""
    meeting, prep, handle = e.meeting, e.prep, e.employee.handle or ""
    ahead = meeting.starts_at - meeting.scheduled_at >= PREPARATION
    read = prep is not None and prep.self_review_read_at is not None
    examples = len(prep.examples) if prep else 0
    asked = len(prep.questions) if prep else 0
    if e.self_review is None:
        read_text = t("review_digest.check.read_missing")
    else:
        read_text = t("review_digest.check.read" if read else "review_digest.check.read_todo", handle=handle)
    return [
        Check(done=ahead, text=t("review_digest.check.ahead" if ahead else "review_digest.check.ahead_late")),
        Check(done=read, text=read_text),
        Check(
            done=EXAMPLES[0] <= examples <= EXAMPLES[1],
            text=t("review_digest.check.examples", count=examples, handle=handle),
        ),
        Check(done=asked >= QUESTIONS, text=t("review_digest.check.questions", count=asked, handle=handle)),
    ]


def employee_note(
    t: Messages,
    *,
    meeting: ReviewMeeting,
    employee: Person,
    manager: Person,
    sent: datetime | None,
    timezone: str,
) -> Reply:
    """The employee's shorter preparation in her `timezone`: what will be discussed, and her
    self-review's state."""
    when = format_when(t, meeting.starts_at, timezone)
    lines = [
        t("review_digest.employee_title", manager=manager.display_name, when=when),
        t("review_digest.employee_topics"),
    ]
    if sent is None:
        lines.append(t("review_digest.employee_self_missing"))
    else:
        day = short_day(t, sent.astimezone(ZoneInfo(timezone)).date())
        lines.append(t("review_digest.employee_self_sent", day=day))
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


def reminder(t: Messages, evidence: Evidence) -> Reply:
    """An hour before: the meeting, and what of the preparation is still open."""
    when = format_when(t, evidence.meeting.starts_at, evidence.tz.key)
    text = t("review_digest.reminder", name=evidence.employee.display_name, when=when)
    left = [c.text for c in checklist(t, evidence) if not c.done]
    lines = [text, *(f"⬜ {line}" for line in left)] if left else [text, t("review_digest.ready")]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=text)

"""Review meetings: scheduling, preparation (self-review, digest, draft), the record, the pulse; the
evidence the digest gathers (what the features register with `router.evidence`, and the review's
own), the forms, and the jobs that send them (`jobs`, at `timing`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from bot.dates import format_when
from bot.evidence import Source
from bot.features.reviews import amend, carry, finish, history, jobs, prepare, record, schedule, timing
from bot.features.reviews.evidence import DRAFT_FORM, SELF_REVIEW_FORM
from bot.features.reviews.forms import ACTION_ID, NOTES_FORM, PULSE_FORM, ReviewForms, review_forms
from bot.replies import Reply, Text
from bot.router import Router
from bot.subcommands import HELP_WORDS, help_text, subcommands
from bot.turn import Turn
from store import people, reviews, roles


async def list_reviews(turn: Turn, text: str) -> Reply:
    """Upcoming reviews: one's own and one's reports'; HR sees the organisation's (dates only)."""
    t, session, org_id = turn.t, turn.session, turn.org.id
    is_hr = await roles.has_role(session, org_id=org_id, person_id=turn.person.id, role="hr")
    meetings = await reviews.upcoming(
        session, org_id=org_id, since=turn.clock.now(), people=None if is_hr else [turn.person.id]
    )
    names = (
        {p.id: p.display_name for p in await people.all_in_org(session, org_id=org_id)} if meetings else {}
    )
    lines = [
        "• "
        + t(
            "review.line",
            id=m.id,
            employee=names[m.employee_id],
            manager=names[m.manager_id],
            when=format_when(t, m.starts_at, turn.zone_for(turn.person)),
            minutes=m.minutes,
        )
        for m in meetings
    ]
    return Reply(
        parts=(Text(text=t("review.list_heading")), Text(text="\n".join(lines) or t("review.list_empty"))),
        summary=t("review.list_heading"),
    )


SUBCOMMANDS = {
    "schedule": schedule.schedule,
    "安排": schedule.schedule,
    "move": schedule.move,
    "改期": schedule.move,
    "cancel": schedule.cancel,
    "取消": schedule.cancel,
    "list": list_reviews,
    "列表": list_reviews,
    "digest": prepare.show_digest,
    "摘要": prepare.show_digest,
    "read": prepare.read,
    "阅读": prepare.read,
    "example": prepare.example,
    "事例": prepare.example,
    "questions": prepare.questions,
    "question": prepare.questions,
    "问题": prepare.questions,
    "draft": prepare.draft,
    "草稿": prepare.draft,
    "self": prepare.own_self_review,
    "自评": prepare.own_self_review,
    "notes": record.notes,
    "记录": record.notes,
    "amend": amend.amend,
    "修订": amend.amend,
    "confirm": record.confirm,
    "确认": record.confirm,
    "comment": record.comment,
    "意见": record.comment,
    "history": history.history,
    "历史": history.history,
    "pulse": history.pulse,
    "反馈": history.pulse,
}
READ_EVIDENCE = (prepare.show_digest, prepare.questions, prepare.own_self_review, record.notes, amend.amend)
# Words people use for a sub-command: asked back ("did you mean `/review move @alice ...`?").
SYNONYMS = {
    **dict.fromkeys(("book", "set", "plan", "add", "new"), "schedule"),
    **dict.fromkeys(("预约", "新建"), "安排"),
    **dict.fromkeys(("reschedule", "postpone", "change"), "move"),
    **dict.fromkeys(("推迟", "改时间"), "改期"),
    **dict.fromkeys(("delete", "remove", "drop"), "cancel"),
    **dict.fromkeys(("删除",), "取消"),
    **dict.fromkeys(("record", "minutes"), "notes"),
    **dict.fromkeys(("agree", "approve", "accept"), "confirm"),
    **dict.fromkeys(("同意",), "确认"),
    **dict.fromkeys(("selfreview", "self-review"), "self"),
    **dict.fromkeys(("ls", "upcoming"), "list"),
}


def review_runner(*, sources: Mapping[str, Source]) -> ReviewForms:
    """The runner for the review forms, with what happens when each is finished; `sources`: the
    evidence features registered (`router.sources`), which the self-review sums up."""
    return ReviewForms(
        sources=sources,
        builtins=review_forms(),
        finishers={
            SELF_REVIEW_FORM: finish.self_review_done,
            DRAFT_FORM: finish.draft_done,
            NOTES_FORM: amend.notes_finished,
            PULSE_FORM: finish.pulse_done,
        },
        action_id=ACTION_ID,
        checks={
            (NOTES_FORM, "next_goals"): carry.check_next_goals,
            (NOTES_FORM, "development_goals"): carry.check_development_goals,
            (NOTES_FORM, "actions"): record.check_actions,
        },
        finals={NOTES_FORM: carry.passed_since},
    )


def register(router: Router) -> None:
    # Its forms' answers (lines and buttons) reach them through `bot.features.forms`.
    # What reads the evidence gets what every feature registers on the router (`router.evidence`).
    evidence = {"sources": router.sources}
    show_help = help_text("review.help")
    table = {
        **{word: partial(h, **evidence) if h in READ_EVIDENCE else h for word, h in SUBCOMMANDS.items()},
        **dict.fromkeys(HELP_WORDS, show_help),
    }
    router.command("review", "面谈")(subcommands(table, otherwise=show_help, synonyms=SYNONYMS))
    router.action(record.CONFIRM)(record.pressed_confirm)
    router.action(record.COMMENT)(record.pressed_comment)
    router.job(timing.SELF_REVIEW)(partial(jobs.self_review, **evidence))
    router.job(timing.SELF_REMINDER)(jobs.self_reminder)
    router.job(timing.DIGEST)(partial(jobs.send_digest, **evidence))
    router.job(timing.REMINDER)(partial(jobs.hour_before, **evidence))
    router.job(timing.PULSE)(jobs.pulse)

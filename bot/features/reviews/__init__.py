"""Review meetings: scheduling now; the self-review, digest, notes and pulse build on it."""

from __future__ import annotations

from bot.dates import format_when
from bot.events import Command
from bot.features.reviews import schedule
from bot.replies import Reply, Text
from bot.router import Router
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
            when=format_when(t, m.starts_at, turn.person.timezone),
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
}


async def review_command(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Command)
    word, _, rest = event.text.strip().partition(" ")
    handler = SUBCOMMANDS.get(word.lower())
    if handler is None:
        return Reply(parts=(Text(text=turn.t("review.help")),), summary=turn.t("review.help"))
    return await handler(turn, rest)


def register(router: Router) -> None:
    router.command("review", "面谈")(review_command)

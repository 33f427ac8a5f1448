"""Goals for the next cycle, agreed at a review: `/goal next [@alice] Title; Another title` sets them as
drafts of the cycle after this one, which their owner confirms with `/goal confirm N` (or drops). A
draft is seen by its owner and their managers only (`bot.access.can_view_goal`)."""

from __future__ import annotations

import re

from bot import goal_pace as pace
from bot.access import manages
from bot.errors import UserError
from bot.events import Action
from bot.features.goals import talks
from bot.features.goals.addressed import addressed
from bot.features.goals.common import check_title, load, objective_ref
from bot.replies import Button, Buttons, Reply, Text
from bot.turn import Turn
from bot.workdays import person_zone
from store import goals

_SEPARATOR = re.compile(r"\s*[;；\n]\s*")
CONFIRM_ACTION = "goal.confirm"
MAX_DRAFTS = 5


async def next_cycle(turn: Turn, text: str) -> Reply:
    owner, said = await addressed(turn, text)
    if owner.id != turn.person.id and not manages(turn.person, owner):
        raise UserError("goal.not_your_report", name=owner.display_name)
    titles = read_titles(said)
    _, cycle = await goals.settings(turn.session, org_id=turn.org.id)
    first, last = pace.next_cycle(
        turn.clock.now().astimezone(person_zone(owner, turn.org)).date(), kind=cycle
    )
    drafts = [
        await goals.create_objective(
            turn.session,
            org_id=turn.org.id,
            now=turn.clock.now(),
            owner_id=owner.id,
            creator_id=turn.person.id,
            level="person",
            title=title,
            cycle_start=first,
            cycle_end=last,
            status="draft",
            source="review" if owner.id != turn.person.id else "command",
        )
        for title in titles
    ]
    lines = [f"#{d.id} {d.title}" for d in drafts]
    if owner.id != turn.person.id:
        await turn.send_dm(to=owner, reply=_to_confirm(turn, drafts, lines, owner=owner))
    key = "goal.next_set_for" if owner.id != turn.person.id else "goal.next_set"
    text = turn.t(
        key, count=len(drafts), name=owner.display_name, start=turn.t.day(first), lines="\n".join(lines)
    )
    return Reply.text(text)


def read_titles(text: str) -> list[str]:
    """ "Lead the Q2 project; Mentor a new hire": the titles of goals for the next cycle."""
    titles = [title for title in _SEPARATOR.split(text.strip()) if title]
    if not titles:
        raise UserError("goal.next_usage")
    if len(titles) > MAX_DRAFTS:
        raise UserError("goal.next_too_many", max=MAX_DRAFTS)
    for title in titles:
        check_title(title)
    return titles


def _to_confirm(turn: Turn, drafts, lines: list[str], *, owner) -> Reply:
    t = turn.messages_for(owner)
    text = t("goal.next_dm", count=len(drafts), actor=turn.person.display_name, lines="\n".join(lines))
    buttons = tuple(
        Button(
            label=t("goal.confirm_button", id=d.id),
            action_id=CONFIRM_ACTION,
            value=str(d.id),
            style="primary",
        )
        for d in drafts
    )
    return Reply(parts=(Text(text=text), Buttons(buttons=buttons)), summary=text)


async def confirm(turn: Turn, text: str) -> Reply:
    """The owner makes a draft hers: it opens in its cycle."""
    loaded = await load(turn, objective_ref(text)[0], to_change=False)
    objective = loaded.objective
    if loaded.owner.id != turn.person.id:
        raise UserError("goal.only_owner_confirms", owner=loaded.owner.display_name, id=objective.id)
    if objective.status != "draft":
        raise UserError("goal.not_a_draft", id=objective.id)
    objective.status, objective.updated_at = "open", turn.clock.now()
    await talks.plan_for_owner(turn.session, org=turn.org, owner=loaded.owner, now=turn.clock.now())
    return Reply.text(
        turn.t(
            "goal.confirmed", id=objective.id, title=objective.title, start=turn.t.day(objective.cycle_start)
        )
    )


async def confirm_button(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Action)
    return await confirm(turn, event.value)

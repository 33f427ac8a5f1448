"""What the action commands share: loading with permission checks, dates, notices to the owner."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.access import can_change_action, can_view_action
from bot.dates import format_day, parse_day
from bot.errors import UserError
from bot.i18n import Messages
from bot.limits import check_length
from bot.numbers import leading_id
from bot.replies import Reply
from bot.turn import Turn
from bot.workdays import person_zone
from store import actions, people
from store.action_models import ActionItem
from store.models import Person

MIN_TITLE, MAX_TITLE = 3, 300
_DUE_PATTERNS = (
    re.compile(r"^(?P<title>.*?)\s*(?:截止|截至|到期)(?:日期)?[:：]?\s*(?P<due>\S.*)$", re.S),
    re.compile(r"^(?P<title>.*\S)?\s*(?:^|\s)(?:by|due|before)\s+(?P<due>\S.*)$", re.S | re.I),
    re.compile(r"^(?P<title>.*\S)\s+(?P<due>\S+?)(?:之前|前)$", re.S),
)


def split_due(text: str) -> tuple[str, str | None]:
    """Split "Draft the doc by friday" into the title and the typed due date (None when there is none).
    A title in quotes is the title as it is, "by" and all (`"Meet by the lake" by friday`)."""
    if quoted := _QUOTED.match(text):
        rest_title, due = _split(quoted["rest"])
        return " ".join(part for part in (quoted["title"].strip(), rest_title) if part), due
    return _split(text)


_QUOTED = re.compile(r'^\s*["“„«](?P<title>[^"“”»]+)["”»]\s*(?P<rest>.*)$', re.S)


def _split(text: str) -> tuple[str, str | None]:
    for pattern in _DUE_PATTERNS:
        if match := pattern.match(text.strip()):
            return (match["title"] or "").strip(), match["due"].strip()
    return text.strip(), None


def local_now(turn: Turn, person: Person) -> datetime:
    """Now in `person`'s time zone: due dates are days where the owner lives."""
    return turn.clock.now().astimezone(person_zone(person, turn.org))


def due_on(turn: Turn, owner: Person, phrase: str | None) -> date | None:
    return parse_day(phrase, now=local_now(turn, owner)) if phrase else None


def check_title(title: str) -> None:
    check_length(title, minimum=MIN_TITLE, maximum=MAX_TITLE, key="action.title_")


def due_text(t: Messages, action: ActionItem, *, today: date | None = None) -> str:
    """ ", due Fri 5 Dec 2026", with "(overdue)" when `today` is past it; empty without a date."""
    if action.due_on is None:
        return ""
    text = t("action.due_suffix", day=format_day(t, action.due_on))
    if today is not None and action.due_on < today and action.status in actions.OPEN_STATUSES:
        text += t("action.overdue")
    return text


def parse_id(text: str) -> tuple[int, str]:
    """The action number at the start of `text`, and the rest."""
    return leading_id(text, bad="action.bad_id", missing="action.not_found")


async def load(turn: Turn, action_id: int, *, to_change: bool) -> tuple[ActionItem, Person]:
    """The action and its owner, if the person acting may see it (and change it, when asked)."""
    action = await actions.by_id(turn.session, org_id=turn.org.id, action_id=action_id)
    owner = action and await people.by_id(turn.session, org_id=turn.org.id, person_id=action.owner_id)
    if action is None or not can_view_action(turn.person, action, owner):
        raise UserError("action.not_found", id=action_id)
    if to_change and not can_change_action(turn.person, action, owner):
        raise UserError("action.not_allowed", id=action_id)
    return action, owner


async def tell(turn: Turn, *, person_id: int, key: str, action: ActionItem, **params: object) -> None:
    """DM someone about a change to the action, unless they made it themselves."""
    if person_id == turn.person.id:
        return
    person = await people.by_id(turn.session, org_id=turn.org.id, person_id=person_id)
    t = turn.messages_for(person)
    text = t(key, actor=turn.person.display_name, id=action.id, title=action.title, **params)
    await turn.send_dm(to=person, reply=Reply.text(text))

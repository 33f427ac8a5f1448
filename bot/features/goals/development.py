"""The individual development plan: `/goal idp add [@person] Skill: activity; support: …; by DATE`,
`/goal idp list [@person]`, `/goal idp done N`, `/goal idp drop N [reason]`. A development goal is seen
and changed by the person and their manager only (`bot.access.can_view_development_goal`)."""

from __future__ import annotations

import re
from datetime import date

from bot.access import can_view_development_goal, manages
from bot.dates import parse_day
from bot.errors import UserError
from bot.events import Command
from bot.features.goals.addressed import addressed
from bot.limits import check_length
from bot.numbers import leading_id
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.replies import Reply
from bot.subcommands import HELP_WORDS, help_text, words
from bot.turn import Turn
from bot.workdays import person_zone
from store import goals, people
from store.goal_models import DevelopmentGoal
from store.models import Person

_PARTS = re.compile(r"\s*[;；]\s*")
_KEEP_PARTS = re.compile(r"(\s*[;；]\s*)")  # the parts and, between them, the separators as typed
_SUPPORT = re.compile(r"^(?:support|支持)\s*[:：]?\s*(?P<text>.+)$", re.S | re.I)
_DUE = re.compile(r"^(?:by|due|截止|截至)\s*[:：]?\s*(?P<text>.+)$", re.S | re.I)
_SKILL = re.compile(r"^(?P<skill>[^:：]+?)\s*[:：]\s*(?P<activity>.*)$", re.S)
MAX_TEXT = 300


async def add(turn: Turn, text: str) -> Reply:
    person, body = await addressed(turn, text)
    if person.id != turn.person.id and not manages(turn.person, person):
        raise UserError("goal.idp_not_yours", name=person.display_name)
    fields = read_fields(body.strip())
    local = turn.clock.now().astimezone(person_zone(person, turn.org))
    due = parse_day(fields.pop("due"), now=local) if fields.get("due") else None
    goal = await goals.create_development_goal(
        turn.session,
        org_id=turn.org.id,
        now=turn.clock.now(),
        person_id=person.id,
        creator_id=turn.person.id,
        due_on=due,
        status="open",
        source="command",
        **{k: v for k, v in fields.items() if k != "due"},
    )
    if person.id != turn.person.id:
        t = turn.messages_for(person)
        notice = t("goal.idp_added_dm", actor=turn.person.display_name, line=line(t, goal))
        await turn.send_dm(to=person, reply=Reply.text(notice))
    return Reply.text(turn.t("goal.idp_added", line=line(turn.t, goal), name=person.display_name))


def read_fields(text: str) -> dict[str, str | None]:
    """ "Public speaking: two team demos; support: a demo slot; by 2027-03-31" read into its parts."""
    parts = [part for part in _PARTS.split(text) if part]
    if not parts:
        raise UserError("goal.idp_usage")
    head = _SKILL.match(parts[0])
    fields: dict[str, str | None] = {
        "skill": (head["skill"] if head else parts[0]).strip(),
        "activity": (head["activity"].strip() or None) if head else None,
        "support": None,
        "due": None,
    }
    for part in parts[1:]:
        if match := _SUPPORT.match(part):
            fields["support"] = match["text"].strip()
        elif match := _DUE.match(part):
            fields["due"] = match["text"].strip()
        else:
            raise UserError("goal.idp_unknown_part", part=part)
    check_length(fields["skill"] or "", minimum=3, maximum=MAX_TEXT, key="goal.idp_skill_")
    for name in ("activity", "support"):
        if fields[name] and len(fields[name]) > MAX_TEXT:
            raise UserError("goal.idp_skill_long", length=len(fields[name]), max=MAX_TEXT)
    return fields


def with_day(text: str, day: date) -> str:
    """`text` (one development goal, as `read_fields` reads it) with the date of its due part written
    as `day` (`2027-03-05`), every other word as it was typed: `截止 下周五` becomes `截止 2027-03-05`."""
    pieces = _KEEP_PARTS.split(text)
    for index in range(2, len(pieces), 2):  # the parts after the first; odd indexes are separators
        if not _SUPPORT.match(pieces[index]) and (match := _DUE.match(pieces[index])):
            pieces[index] = pieces[index][: match.start("text")] + day.isoformat()
    return "".join(pieces)


def line(t, goal: DevelopmentGoal) -> str:
    """ "#2 Public speaking: present at two team demos · support: a demo slot · due Wed 31 Mar 2027"."""
    text = t("goal.idp_line", id=goal.id, skill=goal.skill)
    if goal.activity:
        text += t("goal.idp_activity", activity=goal.activity)
    if goal.support:
        text += t("goal.idp_support", support=goal.support)
    if goal.due_on:
        text += t("goal.idp_due", day=t.day(goal.due_on))
    if goal.status != "open":
        text += t(f"goal.idp_status_{goal.status}")
    return text


async def list_plan(turn: Turn, text: str) -> Reply:
    event = turn.event
    assert isinstance(event, Command)
    refs = [s for s in tokenize(text, mentions=event.mentions) if isinstance(s, PersonRef)]
    if len(refs) > 1 or (text.strip() and not refs):
        raise UserError("goal.idp_bad_list")
    person = (await resolve_refs(turn, refs))[refs[0]] if refs else turn.person
    if not can_view_development_goal(
        turn.person, DevelopmentGoal(org_id=turn.org.id, person_id=person.id), person
    ):
        raise UserError("goal.idp_not_yours", name=person.display_name)
    found = await goals.development_goals(turn.session, org_id=turn.org.id, person_ids=[person.id])
    heading = turn.t(
        "goal.idp_list_mine" if person.id == turn.person.id else "goal.idp_list_of", name=person.display_name
    )
    lines = [line(turn.t, g) for g in found] or [turn.t("goal.idp_empty")]
    return Reply.text("\n".join([heading, *lines]))


async def done(turn: Turn, text: str) -> Reply:
    goal, person = await _load(turn, text)
    return await _close(turn, goal, person, status="done")


async def drop(turn: Turn, text: str) -> Reply:
    goal, person = await _load(turn, text)
    return await _close(turn, goal, person, status="dropped")


async def _load(turn: Turn, text: str) -> tuple[DevelopmentGoal, Person]:
    goal_id, _ = leading_id(text, bad="goal.idp_bad_id", missing="goal.idp_not_found")
    goal = await goals.development_goal_by_id(turn.session, org_id=turn.org.id, goal_id=goal_id)
    person = goal and await people.by_id(turn.session, org_id=turn.org.id, person_id=goal.person_id)
    if goal is None or not can_view_development_goal(turn.person, goal, person):
        raise UserError("goal.idp_not_found", id=goal_id)
    if goal.status != "open":
        raise UserError("goal.idp_closed", id=goal_id, status=turn.t(f"goal.status_{goal.status}"))
    return goal, person


async def _close(turn: Turn, goal: DevelopmentGoal, person: Person, *, status: str) -> Reply:
    now = turn.clock.now()
    goal.status, goal.closed_at, goal.updated_at = status, now, now
    other_id = person.manager_id if person.id == turn.person.id else person.id
    other = other_id and await people.by_id(turn.session, org_id=turn.org.id, person_id=other_id)
    if other:
        t = turn.messages_for(other)
        notice = t(f"goal.idp_{status}_dm", actor=turn.person.display_name, line=line(t, goal))
        await turn.send_dm(to=other, reply=Reply.text(notice))
    return Reply.text(turn.t(f"goal.idp_{status}", line=line(turn.t, goal)))


_HELP = help_text("goal.idp_help")
command = words(
    {
        "add": add,
        "添加": add,
        "list": list_plan,
        "列表": list_plan,
        "done": done,
        "完成": done,
        "drop": drop,
        "放弃": drop,
        **dict.fromkeys(HELP_WORDS, _HELP),
    },
    otherwise=_HELP,
    synonyms=dict.fromkeys(("new", "create"), "add")
    | dict.fromkeys(("complete", "finish"), "done")
    | dict.fromkeys(("delete", "remove", "cancel"), "drop"),
)

"""`/goal add Title [by DATE] [for @person|team|company] [under N]` and `/goal kr N Title [A -> B unit]`."""

from __future__ import annotations

import re

from bot import goal_pace as pace
from bot.access import manages
from bot.dates import parse_day
from bot.errors import UserError
from bot.events import Command
from bot.features.goals import talks
from bot.features.goals.common import (
    MAX_KEY_RESULTS,
    NUMBER,
    check_title,
    is_hr,
    load,
    number,
    objective_ref,
    read_number,
    refuse_closed,
)
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.replies import Reply
from bot.turn import Turn
from bot.workdays import person_zone
from store import goals, people
from store.goal_models import Objective
from store.models import Person

_PLACE = "\x01"  # stands for the mentioned person while the options are read
_OPTION = re.compile(
    r"^(?P<rest>.*\S)\s+(?P<word>by|due|before|for|under|截止|截至|负责人|为|属于|对齐)[:：]?\s*(?P<value>\S.*?)\s*$",
    re.S | re.I,
)
_FOR = {"team": "team", "团队": "team", "company": "company", "公司": "company"}
_ARROW = r"\s*(?:->|→|=>|到|至)\s*"
_KEY_RESULT = re.compile(
    rf"^(?P<title>.*?\S)\s*(?<![A-Za-z0-9.,])(?P<start>{NUMBER})\s*(?P<unit1>%|元|个)?{_ARROW}"
    rf"(?P<target>{NUMBER})\s*(?P<unit>.*?)\s*$",
    re.S,
)


async def add(turn: Turn, text: str) -> Reply:
    """Create an objective for the cycle under way: one's own, a report's, the team's or the company's."""
    event = turn.event
    assert isinstance(event, Command)
    segments = tokenize(text, mentions=event.mentions)
    refs = [s for s in segments if isinstance(s, PersonRef)]
    if len(refs) > 1:
        raise UserError("goal.one_owner")
    plain = "".join(_PLACE if isinstance(s, PersonRef) else str(getattr(s, "text", s)) for s in segments)
    title, options = _options(plain)
    if _PLACE in title:
        raise UserError("goal.mention_with_for")
    check_title(title)
    owner, level = await _owner(turn, options.get("for"), refs)
    parent = await _parent(turn, options.get("under"))
    local = turn.clock.now().astimezone(person_zone(owner, turn.org))
    due = parse_day(options["by"], now=local) if "by" in options else None
    objective = await write(turn, title=title, owner=owner, level=level, parent=parent, due=due)
    return Reply.text(confirmation(turn, objective, owner, parent))


async def write(
    turn: Turn, *, title: str, owner: Person, level: str, parent: Objective | None, due
) -> Objective:
    """The objective, in the cycle under way where its owner lives; its owner told when someone else
    set it."""
    local = turn.clock.now().astimezone(person_zone(owner, turn.org))
    _, cycle = await goals.settings(turn.session, org_id=turn.org.id)
    first, last = pace.cycle_of(local.date(), kind=cycle)
    objective = await goals.create_objective(
        turn.session,
        org_id=turn.org.id,
        now=turn.clock.now(),
        owner_id=owner.id,
        creator_id=turn.person.id,
        level=level,
        title=title,
        parent_id=parent.id if parent else None,
        cycle_start=first,
        cycle_end=max(last, due) if due else last,
        due_on=due,
        status="open",
        source="command",
    )
    await talks.plan_for_owner(turn.session, org=turn.org, owner=owner, now=turn.clock.now())
    if owner.id != turn.person.id:
        t = turn.messages_for(owner)
        notice = t("goal.added_for_you_dm", actor=turn.person.display_name, id=objective.id, title=title)
        await turn.send_dm(to=owner, reply=Reply.text(notice))
    return objective


def _options(text: str) -> tuple[str, dict[str, str]]:
    """Peel `by …`, `for …` and `under …` off the end, in any order; a word that does not introduce a
    valid option ("for the data team") stays in the title."""
    options: dict[str, str] = {}
    rest = text.strip()
    while match := _OPTION.match(rest):
        word, value = match["word"].lower(), match["value"]
        kind = {
            "by": "by",
            "due": "by",
            "before": "by",
            "截止": "by",
            "截至": "by",
            "for": "for",
            "负责人": "for",
            "为": "for",
            "under": "under",
            "属于": "under",
            "对齐": "under",
        }[word]
        if kind in options or (kind == "for" and value.lower() not in _FOR and value != _PLACE):
            break
        if kind == "under" and not value.lstrip("#＃").strip().isdigit():
            break
        options[kind], rest = value, match["rest"]
    return rest.strip(), options


async def _owner(turn: Turn, target: str | None, refs: list[PersonRef]) -> tuple[Person, str]:
    if target is None:
        return turn.person, "person"
    if target == _PLACE:
        owner = (await resolve_refs(turn, refs))[refs[0]]
        if owner.id != turn.person.id and not manages(turn.person, owner):
            raise UserError("goal.not_your_report", name=owner.display_name)
        return owner, "person"
    level = _FOR[target.lower()]
    if level == "team":
        if not await people.reports_of(turn.session, org_id=turn.org.id, manager_id=turn.person.id):
            raise UserError("goal.no_team")
    elif not await is_hr(turn):
        raise UserError("goal.company_is_hr")
    return turn.person, level


async def _parent(turn: Turn, typed: str | None) -> Objective | None:
    if typed is None:
        return None
    parent_id = objective_ref(typed)[0]
    loaded = await load(turn, parent_id, to_change=False)
    if loaded.objective.status not in goals.OPEN_STATUSES:
        raise UserError("goal.parent_closed", id=parent_id)
    return loaded.objective


def confirmation(turn: Turn, objective: Objective, owner: Person, parent: Objective | None) -> str:
    t = turn.t
    key = {"team": "goal.added_team", "company": "goal.added_company"}.get(objective.level, "goal.added")
    text = t(
        key, id=objective.id, title=objective.title, owner=owner.display_name, end=t.day(objective.cycle_end)
    )
    if owner.id != turn.person.id:
        text = t("goal.added_for", id=objective.id, title=objective.title, owner=owner.display_name)
    if parent is not None:
        text += "\n" + t("goal.aligned_under", id=parent.id, title=parent.title)
    return text + "\n" + t("goal.add_kr_hint", id=objective.id)


async def key_result(turn: Turn, text: str) -> Reply:
    """Add a key result: numeric ("Migrate customers 0 -> 40 customers") or a milestone (no numbers)."""
    if not text.strip():
        raise UserError("goal.kr_usage")
    objective_id, rest = objective_ref(text)
    loaded = await load(turn, objective_id, to_change=True)
    objective = loaded.objective
    refuse_closed(turn, objective)
    existing = await goals.key_results(turn.session, org_id=turn.org.id, objective_ids=[objective.id])
    if sum(kr.status != "dropped" for kr in existing) >= MAX_KEY_RESULTS:
        raise UserError("goal.too_many_krs", id=objective.id, max=MAX_KEY_RESULTS)
    fields = key_result_fields(rest.strip())
    check_title(fields["title"])
    result = await goals.add_key_result(
        turn.session, org_id=turn.org.id, objective=objective, now=turn.clock.now(), **fields
    )
    ref = f"{objective.id}.{result.position}"
    if result.kind == "milestone":
        return Reply.text(turn.t("goal.kr_added_milestone", ref=ref, title=result.title))
    unit = f" {result.unit}" if result.unit else ""
    return Reply.text(
        turn.t(
            "goal.kr_added",
            ref=ref,
            title=result.title,
            start=number(result.start_value),
            target=number(result.target_value),
            unit=unit,
        )
    )


def key_result_fields(text: str) -> dict:
    if not text:
        raise UserError("goal.kr_usage")
    match = _KEY_RESULT.match(text)
    if match is None:
        return {"title": text, "kind": "milestone", "start_value": 0.0, "target_value": 1.0}
    start, target = read_number(match["start"]), read_number(match["target"])
    if start == target:
        raise UserError("goal.same_start_target", value=number(start))
    unit = (match["unit"] or match["unit1"] or "").strip() or None
    if unit and len(unit) > 40:
        raise UserError("goal.unit_long", max=40)
    return {
        "title": match["title"].strip(),
        "kind": "number",
        "start_value": start,
        "target_value": target,
        "unit": unit,
    }

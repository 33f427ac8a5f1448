"""`/goal list [mine|@person|team|company]` and `/goal show N`."""

from __future__ import annotations

from bot.errors import UserError
from bot.events import Command
from bot.features.goals.common import Loaded, load, number, objective_ref, viewer, visible
from bot.features.goals.view import kr_line, objective_line
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.replies import Reply
from bot.turn import Turn
from store import goals, people
from store.goal_models import GoalUpdate, KeyResult

_MINE, _TEAM, _COMPANY = ("", "mine", "我的"), ("team", "团队"), ("company", "公司")
HISTORY_SHOWN = 10


async def list_goals(turn: Turn, text: str) -> Reply:
    word = text.strip().lower()
    t = turn.t
    if word in _MINE:
        heading, found = t("goal.list_mine"), await _objectives(turn, owner_ids=[turn.person.id])
    elif word in _TEAM:
        reports = await people.reports_of(turn.session, org_id=turn.org.id, manager_id=turn.person.id)
        if not reports:
            raise UserError("goal.no_team")
        heading = t("goal.list_team")
        found = await _objectives(turn, owner_ids=[turn.person.id, *(p.id for p in reports)], team=True)
    elif word in _COMPANY:
        heading, found = t("goal.list_company"), await _objectives(turn, levels=["company"])
    else:
        person = await _person(turn, text)
        heading = t("goal.list_of", name=person.display_name)
        found = await _objectives(turn, owner_ids=[person.id])
    if not found:
        return Reply.text(f"{heading}\n{t('goal.list_empty')}")
    return Reply.text("\n".join([heading, *await _lines(turn, found, owners=word in _TEAM)]))


async def _person(turn: Turn, text: str):
    event = turn.event
    assert isinstance(event, Command)
    refs = [s for s in tokenize(text, mentions=event.mentions) if isinstance(s, PersonRef)]
    if len(refs) != 1:
        raise UserError("goal.bad_list")
    return (await resolve_refs(turn, refs))[refs[0]]


async def _objectives(turn: Turn, *, owner_ids=None, levels=None, team: bool = False) -> list[Loaded]:
    if team:
        levels = ["person", "team"]
    rows = await goals.objectives(turn.session, org_id=turn.org.id, owner_ids=owner_ids, levels=levels)
    who, owners = await viewer(turn), {}
    found = [await visible(turn, objective, who=who, owners=owners) for objective in rows]
    return [loaded for loaded in found if loaded is not None]


async def _lines(turn: Turn, found: list[Loaded], *, owners: bool) -> list[str]:
    results = await _results(turn, [loaded.objective.id for loaded in found])
    lines = []
    for loaded in found:
        mine = results.get(loaded.objective.id, [])
        name = loaded.owner.display_name if owners else None
        lines.append(objective_line(turn.t, loaded.objective, mine, today=turn.today, owner=name))
        lines += [
            "    " + kr_line(turn.t, loaded.objective, kr, today=turn.today, confidence=loaded.details)
            for kr in mine
            if kr.status != "dropped"
        ]
    return lines


async def _results(turn: Turn, objective_ids: list[int]) -> dict[int, list[KeyResult]]:
    by_objective: dict[int, list[KeyResult]] = {}
    for kr in await goals.key_results(turn.session, org_id=turn.org.id, objective_ids=objective_ids):
        by_objective.setdefault(kr.objective_id, []).append(kr)
    return by_objective


async def show(turn: Turn, text: str) -> Reply:
    objective_id = objective_ref(text)[0]
    loaded = await load(turn, objective_id, to_change=False)
    objective, t = loaded.objective, turn.t
    results = (await _results(turn, [objective.id])).get(objective.id, [])
    level = t(f"goal.level_{objective.level}")
    end = objective.due_on or objective.cycle_end
    lines = [
        t("goal.show_heading", id=objective.id, title=objective.title),
        t("goal.show_facts", owner=loaded.owner.display_name, level=level, end=t.day(end)),
        objective_line(t, objective, results, today=turn.today),
    ]
    if objective.override:
        lines.append(t("goal.show_override", reason=objective.override_reason or ""))
    if objective.drop_reason:
        lines.append(t("goal.show_dropped", reason=objective.drop_reason))
    lines += await _alignment(turn, loaded)
    lines += [
        "    " + kr_line(t, objective, kr, today=turn.today, confidence=loaded.details) for kr in results
    ]
    if not results:
        lines.append(t("goal.no_krs", id=objective.id))
    lines += await _history(turn, loaded, results)
    return Reply.text("\n".join(lines))


async def _alignment(turn: Turn, loaded: Loaded) -> list[str]:
    """The objective it sits under, if the viewer may see that one too."""
    parent_id = loaded.objective.parent_id
    parent = parent_id and await goals.objective_by_id(
        turn.session, org_id=turn.org.id, objective_id=parent_id
    )
    if not parent or not await visible(turn, parent, who=await viewer(turn)):
        return []
    return [turn.t("goal.aligned_under", id=parent.id, title=parent.title)]


async def _history(turn: Turn, loaded: Loaded, results: list[KeyResult]) -> list[str]:
    positions = {kr.id: f"{loaded.objective.id}.{kr.position}" for kr in results}
    found = await goals.updates(turn.session, org_id=turn.org.id, key_result_ids=list(positions))
    if not found:
        return []
    names = await people.names(
        turn.session, org_id=turn.org.id, person_ids={u.actor_id for u in found if u.actor_id}
    )
    shown = [_update_line(turn, u, positions[u.key_result_id], names, details=loaded.details) for u in found]
    return [turn.t("goal.show_history"), *shown[-HISTORY_SHOWN:]]


def _update_line(turn: Turn, update: GoalUpdate, ref: str, names: dict[int, str], *, details: bool) -> str:
    t = turn.t
    day = t.day(turn.day_of(update.created_at))
    key = "goal.history_done" if update.done else "goal.history_update"
    line = t(key, day=day, ref=ref, value=number(update.value), actor=names.get(update.actor_id, "—"))
    if details and update.confidence is not None:
        line += t("goal.confidence_suffix", confidence=update.confidence)
    if details and update.note:
        line += t("goal.note_suffix", note=update.note)
    return line

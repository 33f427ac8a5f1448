"""What the goal commands share: loading with permission checks, numbers as people type them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.access import can_change_goal, can_view_goal, can_view_goal_details
from bot.errors import UserError
from bot.limits import check_length
from bot.numbers import ascii_digits, read_id
from bot.turn import Turn
from store import goals, people, roles
from store.goal_models import KeyResult, Objective
from store.models import Person

MIN_TITLE, MAX_TITLE = 3, 300
MAX_KEY_RESULTS = 5
MAX_VALUE = 1e12  # nobody counts past a trillion of anything; a longer number is a typo
NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMBER = re.compile(rf"^{NUMBER}$")


@dataclass(frozen=True)
class Loaded:
    """An objective as the person acting may see it: its owner, the owner's manager chain, and what the
    person may do with it."""

    objective: Objective
    owner: Person
    chain: tuple[int, ...]
    can_change: bool
    details: bool  # confidence and notes


@dataclass(frozen=True)
class Viewer:
    """What decides what the person acting sees of goals: whether they are HR, and whether the
    organisation keeps goals private."""

    hr: bool
    private: bool


async def is_hr(turn: Turn) -> bool:
    return await roles.has_role(turn.session, org_id=turn.org.id, person_id=turn.person.id, role="hr")


async def viewer(turn: Turn) -> Viewer:
    private, _ = await goals.settings(turn.session, org_id=turn.org.id)
    return Viewer(hr=await is_hr(turn), private=private)


async def visible(
    turn: Turn, objective: Objective, *, who: Viewer, owners: dict[int, Person] | None = None
) -> Loaded | None:
    """The objective with what the person acting may do with it, or None when they may not see it."""
    owners = owners if owners is not None else {}
    owner = owners.get(objective.owner_id) or await people.by_id(
        turn.session, org_id=turn.org.id, person_id=objective.owner_id
    )
    owners[owner.id] = owner
    chain = tuple(await goals.manager_chain(turn.session, org_id=turn.org.id, person=owner))
    person = turn.person
    if not can_view_goal(person, objective, owner, private=who.private, chain=chain, is_hr=who.hr):
        return None
    return Loaded(
        objective=objective,
        owner=owner,
        chain=chain,
        can_change=can_change_goal(person, objective, owner, chain=chain, is_hr=who.hr),
        details=can_view_goal_details(person, owner, chain=chain),
    )


async def load(turn: Turn, objective_id: int, *, to_change: bool) -> Loaded:
    """The objective, if the person acting may see it (and change it, when asked): otherwise the same
    answer as for an objective that does not exist, so that nobody learns what they may not see."""
    objective = await goals.objective_by_id(turn.session, org_id=turn.org.id, objective_id=objective_id)
    loaded = objective and await visible(turn, objective, who=await viewer(turn))
    if not loaded:
        raise UserError("goal.not_found", id=objective_id)
    if to_change and not loaded.can_change:
        raise UserError("goal.not_allowed", id=objective_id, owner=loaded.owner.display_name)
    return loaded


async def load_key_result(turn: Turn, text: str, *, to_change: bool) -> tuple[Loaded, KeyResult, str]:
    """The key result `N.M` at the start of `text`, its objective, and the rest of the text."""
    head, _, rest = text.strip().partition(" ")
    objective_id, position = read_ref(head)
    if position is None:
        raise UserError("goal.kr_ref_needed", id=objective_id)
    loaded = await load(turn, objective_id, to_change=to_change)
    found = await goals.key_results(turn.session, org_id=turn.org.id, objective_ids=[objective_id])
    result = next((kr for kr in found if kr.position == position), None)
    if result is None or result.status == "dropped":
        raise UserError("goal.kr_not_found", ref=f"{objective_id}.{position}", id=objective_id)
    return loaded, result, rest.strip()


def read_ref(word: str) -> tuple[int, int | None]:
    """ "3" or "#3" is objective 3; "3.2" its second key result."""
    word = ascii_digits(word).removeprefix("#")
    if not word:
        raise UserError("goal.bad_id")
    main, dot, sub = word.partition(".")
    objective_id = read_id(main, bad="goal.bad_id", missing="goal.not_found")
    if not dot:
        return objective_id, None
    position = read_id(sub, bad="goal.bad_id", missing="goal.kr_not_found")
    return objective_id, position


def read_number(word: str) -> float:
    """A value as typed: "25", "-3.5", "１２", "500,000"; anything else is asked again."""
    typed = ascii_digits(word.strip())
    if not _NUMBER.match(typed):
        raise UserError("goal.bad_number", text=word.strip())
    value = float(typed.replace(",", ""))
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        raise UserError("goal.number_too_large", text=word.strip())
    return value


def read_confidence(word: str) -> int:
    typed = ascii_digits(word.strip())
    if not typed.isdigit() or not 1 <= int(typed) <= 10:
        raise UserError("goal.bad_confidence", text=word.strip())
    return int(typed)


def check_title(title: str) -> None:
    check_length(title, minimum=MIN_TITLE, maximum=MAX_TITLE, key="goal.title_")


def number(value: float) -> str:
    """A value as people read it: "12", "12.5", "500,000"."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def objective_ref(text: str) -> tuple[int, str]:
    """The objective's number that starts `text` ("3", "#3"), and the rest."""
    head, _, rest = text.strip().partition(" ")
    return read_id(head, bad="goal.bad_id", missing="goal.not_found"), rest.strip()


def refuse_closed(turn: Turn, objective: Objective) -> None:
    """A done or dropped objective stays as it was."""
    if objective.status not in goals.OPEN_STATUSES:
        raise UserError("goal.closed", id=objective.id, status=turn.t(f"goal.status_{objective.status}"))

"""`/action [@owner] What is to be done [by DATE]`."""

from __future__ import annotations

from bot.access import manages
from bot.errors import UserError
from bot.events import Command
from bot.features.actions import reminders
from bot.features.actions.common import check_title, due_on, due_text, split_due
from bot.parse import PersonRef, as_text, tokenize
from bot.people import resolve_refs
from bot.replies import Button, Buttons, Reply, Text
from bot.turn import Turn
from store import actions
from store.action_models import ActionItem
from store.models import Person


async def create(turn: Turn, text: str) -> Reply:
    """Create an action. For oneself, or by a manager for a report, it is on the list at once;
    for anyone else it is proposed until the owner accepts it."""
    event = turn.event
    assert isinstance(event, Command)
    segments = tokenize(text, mentions=event.mentions)
    owner_refs, body = _leading_refs(segments)
    if len(owner_refs) > 1:
        raise UserError("action.one_owner")
    people = await resolve_refs(turn, [s for s in segments if isinstance(s, PersonRef)])
    owner = people[owner_refs[0]] if owner_refs else turn.person
    typed = as_text(body, names={ref: p.display_name for ref, p in people.items()})
    title, phrase = split_due(typed)
    check_title(title)
    try:
        due = due_on(turn, owner, phrase)
    except UserError as error:  # "Meet the people by the lake": the words after "by" may be the title's
        if error.key != "date.unreadable":
            raise
        raise UserError("action.due_or_title", text=phrase, typed=typed) from None
    accepted = owner.id == turn.person.id or manages(turn.person, owner)
    action = await actions.create(
        turn.session,
        org_id=turn.org.id,
        title=title,
        owner_id=owner.id,
        creator_id=turn.person.id,
        status="open" if accepted else "proposed",
        due_on=due,
        source="command",
        now=turn.clock.now(),
    )
    await reminders.replan(turn, action, owner)
    if owner.id != turn.person.id:
        await turn.send_dm(to=owner, reply=_notice(turn, action=action, owner=owner, accepted=accepted))
    return _confirmation(turn, action=action, owner=owner, accepted=accepted)


def _leading_refs(segments: list) -> tuple[list[PersonRef], list]:
    """The mentions before the title (who owns it), and the rest."""
    refs = []
    for index, segment in enumerate(segments):
        if isinstance(segment, PersonRef):
            refs.append(segment)
        elif not (isinstance(segment, str) and not segment.strip()):
            return refs, segments[index:]
    return refs, []


def _notice(turn: Turn, *, action: ActionItem, owner: Person, accepted: bool) -> Reply:
    t = turn.messages_for(owner)
    key = "action.assigned_dm" if accepted else "action.proposed_dm"
    text = t(key, creator=turn.person.display_name, title=action.title, due=due_text(t, action))
    if accepted:
        return Reply.text(text)
    button = Button(
        label=t("action.accept_button"), action_id="action.accept", value=str(action.id), style="primary"
    )
    return Reply(parts=(Text(text=text), Buttons(buttons=(button,))), summary=text)


def _confirmation(turn: Turn, *, action: ActionItem, owner: Person, accepted: bool) -> Reply:
    t = turn.t
    params = {"id": action.id, "title": action.title, "due": due_text(t, action), "owner": owner.display_name}
    if owner.id == turn.person.id:
        text = t("action.created_own", **params)
    else:
        text = t("action.created_accepted" if accepted else "action.created_proposed", **params)
    if action.due_on is None:
        text = f"{text}\n{t('action.no_due', id=action.id)}"
    return Reply.text(text)

"""`/feedback @ann text [--share-with-manager]`, and sharing it with Ann's manager afterwards."""

from __future__ import annotations

from bot.errors import UserError
from bot.events import Command
from bot.features.feedback.common import load, parse_id, person
from bot.limits import check_daily_cap, check_length, count_given
from bot.parse import PersonRef, as_text, tokenize
from bot.people import resolve_refs
from bot.replies import Button, Buttons, Context, Reply, Text
from bot.turn import Turn
from store import feedback
from store.feedback_models import Feedback
from store.models import Person

SHARE_FLAG = "--share-with-manager"
MIN_LENGTH, MAX_LENGTH = 3, 2000


async def give(turn: Turn, text: str) -> Reply:
    """Store private feedback, DM it to its recipient, and tell the giver exactly who will see it."""
    event = turn.event
    assert isinstance(event, Command)
    share = SHARE_FLAG in text
    segments = tokenize(text.replace(SHARE_FLAG, " "), mentions=event.mentions)
    refs = [s for s in segments if isinstance(s, PersonRef)]
    if not refs:
        raise UserError("feedback.no_recipient")
    people = await resolve_refs(turn, refs)
    body = as_text(segments, names={ref: p.display_name for ref, p in people.items()})
    recipient, words = _recipient_and_words(people, refs, body)
    if recipient.id == turn.person.id:
        raise UserError("feedback.self")
    check_length(words, minimum=MIN_LENGTH, maximum=MAX_LENGTH, key="feedback.too_")
    await check_daily_cap(turn)
    manager = await person(turn, recipient.manager_id) if recipient.manager_id else None
    item = await feedback.add(
        turn.session,
        org_id=turn.org.id,
        giver_id=turn.person.id,
        recipient_id=recipient.id,
        text=words,
        shared_with_id=manager.id if share and manager else None,
        now=turn.clock.now(),
    )
    await count_given([turn])
    await turn.send_dm(to=recipient, reply=_for_recipient(turn, item, recipient=recipient, manager=manager))
    if item.shared_with_id:
        await _tell_manager(turn, item, recipient=recipient, manager=manager)
    return _confirmation(turn, item, recipient=recipient, manager=manager, asked_to_share=share)


def _recipient_and_words(
    people: dict[PersonRef, Person], refs: list[PersonRef], body: str
) -> tuple[Person, str]:
    """Exactly one person, named first; the rest of the text is the feedback."""
    if len({p.id for p in people.values()}) > 1:
        raise UserError("feedback.one_recipient")
    recipient = people[refs[0]]
    words = body.removeprefix(f"@{recipient.display_name}").strip()
    return recipient, words


def _for_recipient(turn: Turn, item: Feedback, *, recipient: Person, manager: Person | None) -> Reply:
    t = turn.messages_for(recipient)
    text = t("feedback.dm", giver=turn.person.display_name, text=item.text)
    parts: list = [Text(text=text)]
    if item.shared_with_id:
        parts.append(
            Context(
                text=t("feedback.dm_shared", giver=turn.person.display_name, manager=manager.display_name)
            )
        )
    parts.append(
        Buttons(
            buttons=(
                Button(label=t("feedback.thank_button"), action_id="feedback.thank", value=str(item.id)),
            )
        )
    )
    parts.append(Context(text=t("feedback.reply_hint", id=item.id)))
    return Reply(parts=tuple(parts), summary=text)


async def _tell_manager(turn: Turn, item: Feedback, *, recipient: Person, manager: Person) -> None:
    t = turn.messages_for(manager)
    text = t(
        "feedback.manager_dm", giver=turn.person.display_name, name=recipient.display_name, text=item.text
    )
    await turn.send_dm(to=manager, reply=Reply.text(text))


def _confirmation(
    turn: Turn, item: Feedback, *, recipient: Person, manager: Person | None, asked_to_share: bool
) -> Reply:
    t, name = turn.t, recipient.display_name
    if item.shared_with_id:
        return Reply.text(t("feedback.sent_shared", name=name, manager=manager.display_name))
    text = t("feedback.sent_private", name=name)
    if manager is None:
        return Reply.text(f"{text}\n{t('feedback.no_manager', name=name)}" if asked_to_share else text)
    share = Button(
        label=t("feedback.share_button", manager=manager.display_name),
        action_id="feedback.share",
        value=str(item.id),
    )
    return Reply(parts=(Text(text=text), Buttons(buttons=(share,))), summary=text)


async def share(turn: Turn, text: str) -> Reply:
    """The giver shares feedback with the recipient's current manager, who gets a copy."""
    item = await load(turn, parse_id(text)[0])
    if item.giver_id != turn.person.id:
        raise UserError("feedback.only_giver_shares", id=item.id)
    recipient = await person(turn, item.recipient_id)
    if item.shared_with_id:
        manager = await person(turn, item.shared_with_id)
        raise UserError("feedback.already_shared", manager=manager.display_name)
    if recipient.manager_id is None:
        raise UserError("feedback.no_manager", name=recipient.display_name)
    manager = await person(turn, recipient.manager_id)
    item.shared_with_id = manager.id
    await _tell_manager(turn, item, recipient=recipient, manager=manager)
    return Reply.text(turn.t("feedback.shared", manager=manager.display_name, name=recipient.display_name))

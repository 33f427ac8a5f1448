"""Kudos: `/kudos @ann [@bob ...] message [#value ...]`."""

from __future__ import annotations

from bot.errors import UserError
from bot.events import Command
from bot.i18n import Messages
from bot.limits import check_daily_cap
from bot.parse import as_text, person_refs, strip_edges, tokenize, value_tags
from bot.people import resolve_refs
from bot.replies import Context, Reply, Text
from bot.router import Router
from bot.turn import Turn
from store import kudos as kudos_store
from store.models import Person

MIN_LENGTH = 3
MAX_LENGTH = 1000


async def give(turn: Turn) -> Reply:
    """Store the kudos, DM each recipient, post in the channel it was given in, confirm to the giver."""
    event = turn.event
    assert isinstance(event, Command)
    if event.text.strip().lower() in ("", "help", "帮助"):
        return _help(turn)
    await check_daily_cap(turn)
    segments = tokenize(event.text, mentions=event.mentions)
    refs = person_refs(segments)
    if not refs:
        raise UserError("kudos.no_recipient")
    people = await resolve_refs(turn, refs)
    mentioned = list({p.id: p for p in people.values()}.values())
    recipients = [p for p in mentioned if p.id != turn.person.id]
    if not recipients:
        raise UserError("kudos.only_self")
    message = as_text(strip_edges(segments), names={ref: p.display_name for ref, p in people.items()})
    _check_length(message)
    values = _check_values(turn, value_tags(segments))

    await kudos_store.add(
        turn.session,
        org_id=turn.org.id,
        giver_id=turn.person.id,
        recipient_ids=[p.id for p in recipients],
        message=message,
        values=values,
        platform=event.actor.platform,
        channel_id=event.channel.id if event.channel else None,
        now=turn.clock.now(),
    )
    for recipient in recipients:
        t = turn.messages_for(recipient)
        await turn.send_dm(to=recipient, reply=_dm(t, giver=turn.person, message=message, values=values))
    in_channel = event.channel is not None and not event.channel.is_dm
    if in_channel:
        t = turn.messages_for(None)
        post = _channel_post(t, giver=turn.person, recipients=recipients, message=message, values=values)
        await turn.post(channel_id=event.channel.id, reply=post)
    return _confirmation(
        turn, recipients=recipients, posted=in_channel, left_out_self=len(mentioned) > len(recipients)
    )


def _help(turn: Turn) -> Reply:
    parts = [Text(text=turn.t("kudos.help"))]
    if turn.org.company_values:
        parts.append(
            Context(text=turn.t("kudos.values_hint", values=", ".join(_tags(turn.org.company_values))))
        )
    return Reply(parts=tuple(parts), summary=turn.t("kudos.help"))


def _check_length(message: str) -> None:
    if len(message) < MIN_LENGTH:
        raise UserError("kudos.too_short", min=MIN_LENGTH)
    if len(message) > MAX_LENGTH:
        raise UserError("kudos.too_long", length=len(message), max=MAX_LENGTH)


def _check_values(turn: Turn, values: list[str]) -> list[str]:
    allowed = turn.org.company_values
    if not allowed:
        return values
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise UserError(
            "kudos.unknown_value", values=turn.t.join(_tags(unknown)), valid=", ".join(_tags(allowed))
        )
    return values


def _tags(values: list[str]) -> list[str]:
    return [f"#{v}" for v in values]


def _dm(t: Messages, *, giver: Person, message: str, values: list[str]) -> Reply:
    text = t("kudos.dm", giver=giver.display_name, message=message)
    return _with_values(t, text, values)


def _channel_post(
    t: Messages, *, giver: Person, recipients: list[Person], message: str, values: list[str]
) -> Reply:
    names = t.join(p.display_name for p in recipients)
    text = t("kudos.channel_post", giver=giver.display_name, names=names, message=message)
    return _with_values(t, text, values)


def _with_values(t: Messages, text: str, values: list[str]) -> Reply:
    parts = [Text(text=text)]
    if values:
        parts.append(Context(text=f"{t('kudos.values_label')}: {' '.join(_tags(values))}"))
    return Reply(parts=tuple(parts), summary=text)


def _confirmation(turn: Turn, *, recipients: list[Person], posted: bool, left_out_self: bool) -> Reply:
    names = turn.t.join(p.display_name for p in recipients)
    text = turn.t("kudos.sent_with_post" if posted else "kudos.sent", names=names)
    if left_out_self:
        text = f"{text}\n{turn.t('kudos.self_skipped')}"
    return Reply.text(text)


def register(router: Router) -> None:
    router.command("kudos", "点赞")(give)

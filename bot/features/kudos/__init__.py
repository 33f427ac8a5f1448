"""Kudos: `/kudos @ann [@bob ...] message [#value ...]`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import UserError
from bot.events import Command
from bot.features.kudos import evidence
from bot.i18n import Messages
from bot.limits import check_length, count_given, given_today
from bot.parse import as_text, person_refs, strip_edges, tokenize, value_tags
from bot.people import resolve_refs_many
from bot.replies import Context, Reply, Text
from bot.router import Router
from bot.turn import Turn
from store import kudos as kudos_store
from store.models import Person

MIN_LENGTH = 3
MAX_LENGTH = 1000


async def give_many(turns: list[Turn]) -> list[Reply | UserError]:
    """`/kudos` for turns handled together (one alone is a batch of one): store each kudos, DM each
    recipient, post in the channel it was given in, confirm to the giver; or refuse, turn by turn.

    The checks are those of one turn, in the same order, and a giver's kudos earlier in the batch count
    towards their daily cap. The reads (caps, the people named) and the writes (kudos, recipients) are
    a few statements for the whole batch.
    """
    results: list[Reply | UserError | None] = [None] * len(turns)
    named: dict[int, tuple[list, list]] = {}  # index → (segments, refs) of turns that name people
    for index, turn in enumerate(turns):
        event = turn.event
        assert isinstance(event, Command)
        if event.text.strip().lower() in ("", "help", "帮助"):
            results[index] = _help(turn)
            continue
        segments = tokenize(event.text, mentions=event.mentions)
        named[index] = (segments, person_refs(segments))
    asking = [i for i in named if named[i][1]]
    resolved = dict(
        zip(asking, await resolve_refs_many([(turns[i], named[i][1]) for i in asking]), strict=True)
    )
    given = await given_today([turns[i] for i in named])
    accepted: list[tuple[int, Decision]] = []
    for index, (segments, refs) in named.items():
        turn = turns[index]
        try:
            if given.get(turn.person.id, 0) >= turn.org.daily_give_cap:
                raise UserError("limits.daily_cap", count=turn.org.daily_give_cap)
            decision = _decide(turn, segments, refs, resolved.get(index))
        except UserError as refusal:
            results[index] = refusal
            continue
        given[turn.person.id] = given.get(turn.person.id, 0) + 1
        accepted.append((index, decision))
    for org_id, group in _by_org(turns, accepted).items():
        await kudos_store.add_many(
            turns[group[0][0]].session,
            org_id=org_id,
            kudos=[decision.kudos for _, decision in group],
            now=turns[group[0][0]].clock.now(),
        )
    await count_given([turns[index] for index, _ in accepted])
    for index, decision in accepted:
        results[index] = await _announce(turns[index], decision)
    return results


@dataclass(frozen=True, kw_only=True)
class Decision:
    """What one accepted `/kudos` gives: the kudos to store, and who it names."""

    kudos: kudos_store.NewKudos
    recipients: list[Person]
    left_out_self: bool


def _decide(turn: Turn, segments: list, refs: list, found: dict | UserError | None) -> Decision:
    """Check one turn's kudos, or raise the refusal."""
    if not refs:
        raise UserError("kudos.no_recipient")
    if isinstance(found, UserError):
        raise found
    mentioned = list({p.id: p for p in found.values()}.values())
    recipients = [p for p in mentioned if p.id != turn.person.id]
    if not recipients:
        raise UserError("kudos.only_self")
    message = as_text(strip_edges(segments), names={ref: p.display_name for ref, p in found.items()})
    check_length(message, minimum=MIN_LENGTH, maximum=MAX_LENGTH, key="kudos.too_")
    values = _check_values(turn, value_tags(segments))
    event = turn.event
    kudos = kudos_store.NewKudos(
        giver_id=turn.person.id,
        recipient_ids=tuple(p.id for p in recipients),
        message=message,
        values=tuple(values),
        platform=event.actor.platform,
        channel_id=event.channel.id if event.channel else None,
    )
    return Decision(kudos=kudos, recipients=recipients, left_out_self=len(mentioned) > len(recipients))


def _by_org(turns: list[Turn], accepted: list[tuple[int, Decision]]) -> dict[int, list[tuple[int, Decision]]]:
    groups: dict[int, list[tuple[int, Decision]]] = {}
    for index, decision in accepted:
        groups.setdefault(turns[index].org.id, []).append((index, decision))
    return groups


async def _announce(turn: Turn, decision: Decision) -> Reply:
    """DM each recipient, post in the channel, and the giver's confirmation."""
    event, kudos, recipients = turn.event, decision.kudos, decision.recipients
    message, values = kudos.message, list(kudos.values)
    for recipient in recipients:
        t = turn.messages_for(recipient)
        await turn.send_dm(to=recipient, reply=_dm(t, giver=turn.person, message=message, values=values))
    in_channel = event.channel is not None and not event.channel.is_dm
    if in_channel:
        t = turn.messages_for(None)
        post = _channel_post(t, giver=turn.person, recipients=recipients, message=message, values=values)
        await turn.post(channel_id=event.channel.id, reply=post)
    return _confirmation(turn, recipients=recipients, posted=in_channel, left_out_self=decision.left_out_self)


def _help(turn: Turn) -> Reply:
    parts = [Text(text=turn.t("kudos.help"))]
    if turn.org.company_values:
        parts.append(
            Context(text=turn.t("kudos.values_hint", values=", ".join(_tags(turn.org.company_values))))
        )
    return Reply(parts=tuple(parts), summary=turn.t("kudos.help"))


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
    router.batch_command("kudos", "点赞")(give_many)
    router.evidence("kudos")(evidence.gather)

"""One conversation at a time: which of a person's forms they are answering, and which wait.

A person may have several forms in progress (a check-in, a pulse, a self-review...), but only one is
"open": the one whose question was shown last, which their typed lines answer. The others are
"waiting", in the order they last came due or were set aside. A form that comes due while another
is open waits, and the person is told so in one line; a form the person asks for (a command, a
button on its question, `switch`) is shown at once, and the one they were answering waits instead.

Which form comes up (`bot.forms.conversations`): `switch` opens the one they were told about last
(the one that just came due, or the one they just left), so that every line saying "type `switch`"
is true; when the open form is finished, cancelled or closes, and on `later`, the one waiting
longest comes next, so that `later` again and again visits every form.

Nothing waits unnoticed: whenever a form waits, due work (`EXPIRY`) is planned at its expiry and
at that of the form it waits behind, so that a waiting form that closes is not dropped silently and
one that closes while open lets the next come forward.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_when
from bot.i18n import Messages
from bot.replies import Context, Reply, Text
from store import due_work, forms
from store.checkin_models import FormSession

EXPIRY = "forms.expiry"
STEERING = ("later", "switch")  # words that move between forms, at any step (the catalogue spells them)


def _set(row: FormSession, status: str, now: datetime) -> None:
    row.status, row.updated_at = status, now


def _wait(row: FormSession, live: list[FormSession], now: datetime) -> None:
    """The form waits, as the one that started waiting last."""
    _set(row, "waiting", now)
    row.queued = max((other.queued for other in live), default=0) + 1


async def offer(session: AsyncSession, *, row: FormSession, now: datetime) -> bool:
    """A form comes due without the person asking for it now (a prompt, a reminder, someone's
    request): it is shown when they are answering no other form, else it waits its turn. Whether
    it is shown.

    An open form whose window has closed is closed on the way, unless others wait behind it: then
    its expiry's due work brings the one waiting longest forward, and this one waits behind them.
    """
    live = await forms.live_for(session, org_id=row.org_id, person_id=row.person_id)
    others = [other for other in live if other is not row]
    active = next((other for other in others if other.status == "open"), None)
    if row.status == "open" and active is None:
        return True
    if active is not None and active.expires_at <= now and len(others) == 1:
        _set(active, "expired", now)
        await session.flush()  # before another takes its place: one open form a person
        active = None
    if active is None:
        _set(row, "open", now)
        return True
    _wait(row, live, now)
    await watch(session, rows=(row, active), now=now)
    return False


async def bring_forward(session: AsyncSession, *, row: FormSession, now: datetime) -> FormSession | None:
    """The person asked for this form: it is the one they answer now. The form they were answering
    waits and is returned (to say how to go back to it); None when there was none, or it had closed."""
    live = await forms.live_for(session, org_id=row.org_id, person_id=row.person_id)
    active = next((other for other in live if other.status == "open" and other is not row), None)
    if active is not None and active.expires_at <= now:
        _set(active, "expired", now)
    elif active is not None:
        _wait(active, live, now)
    if active is not None:
        await session.flush()  # before this one takes its place: one open form a person
    _set(row, "open", now)
    if active is None or active.status == "expired":
        return None
    await watch(session, rows=(active, row), now=now)
    return active


async def set_aside(session: AsyncSession, *, row: FormSession, now: datetime) -> None:
    """`later` with nothing else waiting: the form waits, and no form is open until the person
    switches back to it (or it comes due again: a reminder)."""
    _wait(row, [row], now)
    await watch(session, rows=(row,), now=now)


def expire(row: FormSession, *, now: datetime) -> None:
    forms.save(row, step=row.step, answers=row.answers, status="expired", now=now)


async def watch(session: AsyncSession, *, rows: Iterable[FormSession], now: datetime) -> None:
    """Plan `EXPIRY` work at each form's expiry (once: planning it again is ignored)."""
    for row in rows:
        await due_work.add_due(
            session, org_id=row.org_id, kind=EXPIRY, subject=row.id, run_at=row.expires_at, now=now
        )


def label(t: Messages, form_key: str) -> str:
    """What a form is called in one word or two ("Check-in"), for every form key."""
    return t(f"forms.label.{form_key}")


def until(t: Messages, row: FormSession, timezone: str) -> str:
    """When the form closes, in `timezone` (its person's)."""
    return format_when(t, row.expires_at, timezone)


def waiting_line(
    t: Messages, *, form_key: str, expires_at: datetime, timezone: str | None, about: str = ""
) -> str:
    """The line that says a form is waiting, until when, and how to answer it now; with `about`, the
    form's own introduction first (who asks, about what), so the person knows what waits."""
    key = "forms.queue.waiting_about" if about else "forms.queue.waiting"
    return t(key, label=label(t, form_key), until=format_when(t, expires_at, timezone), about=about)


def aside_line(t: Messages, row: FormSession) -> str:
    """Said under the question of a form the person brought forward: the one they left waits."""
    return t("forms.queue.aside", label=label(t, row.form_key))


def expired_line(t: Messages, row: FormSession, *, timezone: str, waited: bool, discarded: int = 0) -> str:
    """A form closed before it was finished: which, when, what became of the answers given (when
    they were discarded) and what the person can still do."""
    key = "forms.queue.expired_waiting" if waited else "forms.queue.expired_open"
    then = t(f"forms.queue.then.{row.form_key}")
    if discarded:
        then = t("forms.queue.discarded", count=discarded) + " " + then
    return t(key, label=label(t, row.form_key), until=until(t, row, timezone), then=then)


def named(t: Messages, row: FormSession, reply: Reply) -> Reply:
    """The reply to an answer, beginning with the name of the form it went to ("Check-in: ...")."""
    name = label(t, row.form_key)
    parts = list(reply.parts)
    if parts and isinstance(parts[0], Text):
        parts[0] = Text(text=t("forms.queue.named", label=name, text=parts[0].text))
    else:
        parts.insert(0, Text(text=t("forms.queue.heading", label=name)))
    summary = t("forms.queue.named", label=name, text=reply.summary)
    return Reply(parts=tuple(parts), summary=summary, error=reply.error, field=reply.field)


def with_aside(t: Messages, reply: Reply, aside: FormSession | None) -> Reply:
    """The question of a form the person brought forward, with how to go back to the one they left
    (`bring_forward`'s answer), if it still waits."""
    if aside is None or aside.status != "waiting":
        return reply
    return Reply(parts=(*reply.parts, Context(text=aside_line(t, aside))), summary=reply.summary)

"""Check-ins: `/checkin` (answer now, or change answers), `/checkin schedule`, the form itself, the
prompts and reminders it sends (`jobs`) in each person's own time (`cadence`, `cycle`), and the signals
managers get from the answers (`signals`)."""

from __future__ import annotations

from bot import workdays
from bot.errors import UserError
from bot.features.checkins import cycle, evidence, jobs
from bot.features.checkins.schedule_text import describe, parse
from bot.features.checkins.signals import escalate_blocker, raise_signals
from bot.features.checkins.team import set_schedule, stop
from bot.features.goals import checkin as goal_checkin
from bot.forms import queue
from bot.forms.builtin import builtin_forms
from bot.forms.definition import FormDefinition
from bot.forms.render import summary
from bot.forms.session import FormRunner, first_question, reopen, start
from bot.jobs import Batched
from bot.replies import Reply, Text
from bot.router import Router
from bot.subcommands import help_text, subcommands
from bot.turn import Turn
from store import forms, schedules
from store.checkin_models import FormSession
from store.schedules import PERSON


def checkin_runner() -> FormRunner:
    """The form runner for check-ins, with what happens when one is finished."""
    return FormRunner(
        builtins=builtin_forms(),
        finishers={cycle.FORM_KEY: finished},
        listeners={cycle.FORM_KEY: escalate_blocker},
    )


async def finished(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """Thank the person, read the answers back, raise signals, say until when they can change them."""
    signal_lines = await raise_signals(turn, row)
    await goal_checkin.offer_step(turn, row)  # issue 18: a step per open key result comes next
    tz = (
        await workdays.calendar(turn.session, org_id=turn.org.id, person=turn.person, around=row.expires_at)
    ).tz
    lines = [
        turn.t("checkins.done"),
        *summary(turn.t, form, row.answers),
        *signal_lines,
        turn.t("checkins.edit_until", deadline=cycle.deadline(turn.t, row.expires_at, tz)),
    ]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


# Words people use for `schedule`: asked back ("did you mean `/checkin schedule`?").
SYNONYMS = {
    **dict.fromkeys(("when", "time", "cadence", "frequency", "rhythm"), "schedule"),
    **dict.fromkeys(("时间", "频率", "计划"), "日程"),
}


def _command(runner: FormRunner):
    """`/checkin` answers now; `/checkin schedule ...`; `/checkin help`."""

    async def now(turn: Turn, _text: str) -> Reply:
        return await answer_now(turn, runner)

    show_help = help_text("checkins.help")
    table = {"": now, "help": show_help, "帮助": show_help, "schedule": schedule, "日程": schedule}
    return subcommands(table, otherwise=show_help, synonyms=SYNONYMS)


async def answer_now(turn: Turn, runner: FormRunner) -> Reply:
    """Resume an open check-in, reopen a finished one still in its window, or start the next one:
    it is the form answered now, and one the person was answering waits (they are told how to go back)."""
    now, org_id, person = turn.clock.now(), turn.org.id, turn.person
    row = await forms.latest_live(
        turn.session, org_id=org_id, person_id=person.id, form_key=cycle.FORM_KEY, now=now
    )
    if row is not None:
        form = await runner.definition(
            turn.session, org_id=org_id, key=row.form_key, version=row.template_version
        )
        tz = (await workdays.calendar(turn.session, org_id=org_id, person=person, around=now)).tz
        if row.status == "done":
            reopen(row, form, expires_at=row.expires_at, now=now)
            intro = turn.t("checkins.editing", deadline=cycle.deadline(turn.t, row.expires_at, tz))
        else:
            intro = turn.t("checkins.resume")
        aside = await queue.bring_forward(turn.session, row=row, now=now)
        return queue.with_aside(turn.t, first_question(turn.t, form, row, before=(intro,)), aside)
    subject, closes, cal = await cycle.new_cycle(turn.session, org_id=org_id, person=person, now=now)
    form = await runner.current(turn.session, org_id=org_id, key=cycle.FORM_KEY)
    row = await forms.by_subject(
        turn.session, org_id=org_id, person_id=person.id, form_key=cycle.FORM_KEY, subject=subject
    )
    if row is not None:  # that cycle's window has closed already
        raise UserError("forms.expired")
    row = await start(
        turn.session,
        org_id=org_id,
        person_id=person.id,
        form=form,
        subject=subject,
        expires_at=closes,
        now=now,
    )
    aside = await queue.bring_forward(turn.session, row=row, now=now)
    intro = turn.t("checkins.started", deadline=cycle.deadline(turn.t, closes, cal.tz))
    return queue.with_aside(turn.t, first_question(turn.t, form, row, before=(intro,)), aside)


async def schedule(turn: Turn, text: str) -> Reply:
    """Show the person's schedule, or change it and plan the next prompt."""
    session, org_id, person, now = turn.session, turn.org.id, turn.person, turn.clock.now()
    if text.strip():
        wanted = parse(turn.catalogue, text)
        if wanted.off:
            await stop(session, org_id=org_id, person=person, now=now, set_by=PERSON)
            return Reply.text(turn.t("checkins.schedule.off"))
        await set_schedule(session, org_id=org_id, person=person, wanted=wanted, now=now, set_by=PERSON)
    row = await schedules.schedule_of(session, org_id=org_id, person_id=person.id)
    if row is None:
        return Reply.text(turn.t("checkins.schedule.none"))
    cal = await workdays.calendar(session, org_id=org_id, person=person, around=now)
    next_at = await cycle.upcoming_prompt(session, org_id=org_id, person_id=person.id)
    if next_at is None:
        next_at = await cycle.plan_next_prompt(session, org_id=org_id, row=row, tz=cal.tz, after=now, now=now)
    key = "checkins.schedule.set" if text.strip() else "checkins.schedule.show"
    return Reply.text(
        turn.t(
            key,
            cadence=describe(turn.t, cadence=row.cadence, weekday=row.weekday),
            time=f"{row.hour:02d}:{row.minute:02d}",
            timezone=cal.tz.key,
            next=cycle.deadline(turn.t, next_at, cal.tz),
        )
    )


def register(router: Router) -> None:
    # Its form's answers (lines and buttons) reach it through `bot.features.forms`.
    router.command("checkin", "签到")(_command(checkin_runner()))
    router.job(cycle.PROMPT)(Batched(each=jobs.prompt, many=jobs.prompt_many))
    router.job(cycle.REMINDER)(jobs.reminder)
    router.evidence("checkins")(evidence.gather)

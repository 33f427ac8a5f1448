"""Looking at figures: every look is checked against `bot.access` and written to the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_figures
from bot.anonymity import threshold_of
from bot.errors import UserError
from bot.i18n import Messages
from bot.insights.period import Period
from bot.insights.report import Report, Scope, build_report
from store import audit, people, roles
from store.models import Organisation, Person

VIEW_FIGURES = "view_figures"


async def may_view(session: AsyncSession, *, org: Organisation, viewer: Person, scope: Scope) -> bool:
    is_hr = await roles.has_role(session, org_id=org.id, person_id=viewer.id, role="hr")
    has_reports = bool(await people.reports_of(session, org_id=org.id, manager_id=viewer.id))
    team_manager = scope.manager if scope.kind == "team" else None
    return can_view_figures(viewer, is_hr=is_hr, has_reports=has_reports, team_manager=team_manager)


async def view_report(
    session: AsyncSession,
    *,
    org: Organisation,
    scope: Scope,
    period: Period,
    t: Messages,
    now: datetime,
    viewer: Person | None,
    actor_label: str,
    what: str,
    years: dict | None = None,
) -> Report:
    """The report, for a viewer who may see it (None: an operator at the command line), audited;
    `years` keeps the years' figures read for other reports of the same request.

    Raises:
        UserError: the viewer may not see these figures.
    """
    scope = await allowed_scope(session, org=org, scope=scope, t=t, viewer=viewer)
    report = await build_report(
        session,
        org=org,
        scope=scope,
        period=period,
        t=t,
        today=now.date(),
        threshold=threshold_of(org),
        years=years,
    )
    await record_look(
        session,
        org=org,
        scope=scope,
        period=period,
        now=now,
        viewer=viewer,
        actor_label=actor_label,
        what=what,
    )
    return report


async def allowed_scope(
    session: AsyncSession, *, org: Organisation, scope: Scope, t: Messages, viewer: Person | None
) -> Scope:
    """The scope as the organisation spells it (a department's name in its own case), once it is
    known that the viewer (None: an operator) may see it.

    Raises:
        UserError: the viewer may not see these figures, or there is no such department.
    """
    if viewer is not None and not await may_view(session, org=org, viewer=viewer, scope=scope):
        raise UserError("dashboard.not_allowed")
    if scope.kind == "department":
        scope = replace(scope, department=await _department(session, org=org, t=t, name=scope.department))
    return scope


async def record_look(
    session: AsyncSession,
    *,
    org: Organisation,
    scope: Scope,
    period: Period,
    now: datetime,
    viewer: Person | None,
    actor_label: str,
    what: str,
) -> None:
    """Write a look at figures to the audit trail."""
    await audit.record(
        session,
        org_id=org.id,
        action=VIEW_FIGURES,
        now=now,
        actor_id=viewer.id if viewer else None,
        actor_label=actor_label,
        subject_id=scope.manager.id if scope.manager else None,
        detail={"what": what, "scope": scope.kind, "department": scope.department, "period": period.label},
    )


async def _department(session: AsyncSession, *, org: Organisation, t: Messages, name: str | None) -> str:
    """The department `name` as the organisation spells it (any case); refused when there is none, so
    that a mistyped name is not read as a department of nobody."""
    known = await people.departments(session, org_id=org.id)
    wanted = (name or "").strip().casefold()
    for department in known:
        if department.casefold() == wanted:
            return department
    raise UserError("insights.unknown_department", name=name or "", departments=", ".join(known) or "—")

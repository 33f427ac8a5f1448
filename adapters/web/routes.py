"""`/admin`: the HR dashboard on `rapport serve`. Sign-in by one-time link, then a session cookie.

Handlers translate HTTP into calls on `bot.insights` (who may see what, the figures, the audit
trail) and render what comes back; they decide nothing themselves. Here: the pages of figures, the
CSV, and `add_dashboard`; the sign-in routes are in `adapters.web.signin_routes`, and what all the
routes share in `adapters.web.responses`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.app import App
from adapters.web import pages
from adapters.web.reports import Ask, ReportWorker
from adapters.web.responses import APP_KEY, COOKIE, HEADERS, WORKER_KEY, _guest_page, _html
from adapters.web.signin_routes import signin, signin_form, signout
from bot.anonymity import threshold_of
from bot.errors import UserError
from bot.i18n import Messages
from bot.insights.formats import to_csv
from bot.insights.period import Period, parse_period, quarter_of
from bot.insights.report import TABLE_KEYS, TOTAL, Report, Scope
from bot.insights.signin import signed_in
from bot.insights.views import allowed_scope, record_look
from bot.numbers import as_id
from store import people, roles
from store.models import Organisation, Person

# A refusal's HTTP status by its message (others are 400).
STATUS = {"dashboard.not_found": 404, "insights.unknown_department": 404, "dashboard.not_allowed": 403}
TREND = 4


@dataclass(kw_only=True)
class Viewer:
    """The signed-in person on this request."""

    app: App
    org: Organisation
    person: Person
    is_hr: bool
    t: Messages
    lang: str


Page = Callable[[web.Request, Viewer], Awaitable[web.StreamResponse]]


def signed_in_page(handler: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Find who the session cookie belongs to, and refuse politely: not signed in (401), or a figure
    the person may not see (403). No transaction stays open while the page is made: its figures
    take seconds, and the database is not held for them (`adapters.web.reports`)."""

    async def wrapper(request: web.Request) -> web.StreamResponse:
        app = request.app[APP_KEY]
        async with app.db.read() as session:
            found = await signed_in(session, token=request.cookies.get(COOKIE, ""), now=app.clock.now())
            if found is None:
                return _guest_page(request, key="dashboard.sign_in_how", status=401)
            org, person = found
            is_hr = await roles.has_role(session, org_id=org.id, person_id=person.id, role="hr")
        lang = person.locale or org.default_locale
        viewer = Viewer(
            app=app, org=org, person=person, is_hr=is_hr, t=app.catalogue.messages(lang), lang=lang
        )
        try:
            return await handler(request, viewer)
        except UserError as error:
            title = viewer.t("dashboard.refused_title")
            body = pages.message(error.explain(viewer.t))
            return _html(
                pages.page(t=viewer.t, lang=lang, title=title, body=body, who=person.display_name),
                status=STATUS.get(error.key, 400),
            )

    return wrapper


def _period(request: web.Request, viewer: Viewer) -> Period:
    text = request.query.get("period", "")
    return parse_period(text) if text else quarter_of(viewer.app.clock.now().date())


async def _scope(request: web.Request, viewer: Viewer, session: AsyncSession, kind: str) -> Scope:
    if kind == "department":
        name = request.query.get("name", "")
        if not name:
            raise UserError("dashboard.not_found")
        return Scope(kind="department", department=name)
    if kind == "team":
        manager_id = as_id(request.match_info.get("manager") or request.query.get("manager", ""))
        if manager_id is None:
            raise UserError("dashboard.bad_address")
        manager = await people.by_id(session, org_id=viewer.org.id, person_id=manager_id)
        if not manager:
            raise UserError("dashboard.not_found")
        return Scope(kind="team", manager=manager)
    return Scope(kind="organisation")


async def _figures(
    request: web.Request, viewer: Viewer, *, kind: str, period: Period, what: str, periods: int
) -> list[Report]:
    """The reports of `periods` periods ending with `period`, oldest first, if the viewer may see
    them, computed by the report worker; the look is audited."""
    app, org = viewer.app, viewer.org
    async with app.db.read() as session:
        scope = await _scope(request, viewer, session, kind)
        scope = await allowed_scope(session, org=org, scope=scope, t=viewer.t, viewer=viewer.person)
    ask = Ask(
        org_id=org.id,
        kind=scope.kind,
        department=scope.department,
        manager_id=scope.manager.id if scope.manager else None,
        period=period,
        periods=periods,
        trend_tables=pages.TREND_TABLES,
        lang=viewer.lang,
        today=app.clock.now().date(),
        threshold=threshold_of(org),
    )
    reports = await request.app[WORKER_KEY].reports(
        ask, scope=scope, viewer=viewer.person.id, now=app.clock.now()
    )
    async with app.db.transaction() as session:
        await record_look(
            session,
            org=org,
            scope=scope,
            period=period,
            now=app.clock.now(),
            viewer=viewer.person,
            actor_label=viewer.person.display_name,
            what=what,
        )
    return reports


async def _render(
    request: web.Request, viewer: Viewer, *, kind: str, what: str, query, links
) -> web.Response:
    """A page of figures: the period's tables and the trend of the periods before it."""
    period = _period(request, viewer)
    trend = await _figures(request, viewer, kind=kind, period=period, what=what, periods=TREND)
    report = trend[-1]
    link_of = {row.group: links(row.group) for row in report.table("checkins").rows if row.group != TOTAL and not row.combined}
    body = pages.report_body(
        t=viewer.t,
        report=report,
        trend=trend,
        csv_query=query,
        links=link_of,
        timezone=viewer.person.timezone,
    )
    title = f"{report.scope.describe(viewer.t)} · {period.label}"
    return _html(
        pages.page(t=viewer.t, lang=viewer.lang, title=title, body=body, who=viewer.person.display_name)
    )


@signed_in_page
async def overview(request: web.Request, viewer: Viewer) -> web.StreamResponse:
    """HR: the organisation by department. A manager who is not HR goes to their own team."""
    if not viewer.is_hr:
        raise web.HTTPSeeOther(f"/admin/team/{viewer.person.id}")

    def links(group):
        return f"/admin/department?name={quote(group)}" if group else None

    query = {"scope": "organisation"}
    return await _render(request, viewer, kind="organisation", what="overview", query=query, links=links)


@signed_in_page
async def department(request: web.Request, viewer: Viewer) -> web.StreamResponse:
    def links(group):
        return f"/admin/team/{group}" if group else None

    query = {"scope": "department", "name": request.query.get("name", "")}
    return await _render(request, viewer, kind="department", what="department", query=query, links=links)


@signed_in_page
async def team(request: web.Request, viewer: Viewer) -> web.StreamResponse:
    manager = request.match_info.get("manager") or request.query.get("manager", "")
    query = {"scope": "team", "manager": str(as_id(manager))}
    return await _render(request, viewer, kind="team", what="team", query=query, links=lambda group: None)


@signed_in_page
async def csv_download(request: web.Request, viewer: Viewer) -> web.StreamResponse:
    """The same CSV as `rapport report --format csv` (one table with `table=`)."""
    kind = request.query.get("scope", "organisation")
    table = request.query.get("table") or None
    if kind not in ("organisation", "department", "team") or (table and table not in TABLE_KEYS):
        raise UserError("dashboard.not_found")
    period = _period(request, viewer)
    (report,) = await _figures(
        request, viewer, kind=kind, period=period, what=f"csv:{table or 'all'}", periods=1
    )
    name = f"rapport-{kind}-{period.label}{'-' + table if table else ''}.csv"
    return web.Response(
        text=to_csv(report, viewer.t, table=table),
        content_type="text/csv",
        charset="utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


def add_dashboard(web_app: web.Application, *, app: App, reports: ReportWorker | None = None) -> None:
    """Add the dashboard's routes to `rapport serve`'s application, and its report worker (stopped
    with the application)."""
    web_app[APP_KEY] = app
    web_app[WORKER_KEY] = reports or ReportWorker(db=app.db)

    async def stop_worker(_: web.Application) -> None:
        await web_app[WORKER_KEY].close()

    web_app.on_cleanup.append(stop_worker)
    web_app.router.add_get("/admin", overview)
    web_app.router.add_get("/admin/department", department)
    web_app.router.add_get("/admin/team/{manager}", team)
    web_app.router.add_get("/admin/csv", csv_download)
    web_app.router.add_get("/admin/signin", signin_form)
    web_app.router.add_post("/admin/signin", signin)
    web_app.router.add_post("/admin/signout", signout)

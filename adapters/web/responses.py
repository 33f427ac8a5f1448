"""What every dashboard route shares: the application keys, the session cookie's name, the headers every
response carries, an HTML response, and a page for someone not signed in (in their browser's
language).
"""

from __future__ import annotations

from aiohttp import web

from adapters.app import App
from adapters.web import pages
from adapters.web.reports import ReportWorker
from bot.i18n import Messages, normalise_locale

APP_KEY = web.AppKey("rapport_dashboard", App)
WORKER_KEY = web.AppKey("rapport_reports", ReportWorker)
COOKIE = "rapport_session"
HEADERS = {
    "Cache-Control": "no-store",
    # The sign-in link's token must not leak to other sites; the dashboard's own forms still say
    # where they come from (with "no-referrer", a browser sends `Origin: null` with every form).
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}


def _html(text: str, *, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


def _guest_messages(request: web.Request) -> tuple[Messages, str]:
    app = request.app[APP_KEY]
    lang = normalise_locale(request.headers.get("Accept-Language", "")[:16]) or "en"
    return app.catalogue.messages(lang), lang


def _guest_page(request: web.Request, *, key: str, status: int) -> web.Response:
    t, lang = _guest_messages(request)
    body = pages.message(t(key))
    return _html(pages.page(t=t, lang=lang, title=t("dashboard.sign_in_title"), body=body), status=status)

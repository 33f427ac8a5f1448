"""The dashboard's sign-in routes: the form a one-time link opens, signing in with it (a session cookie)
and signing out; both posts refused from another site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.web import pages
from adapters.web.origin import same_origin
from adapters.web.responses import APP_KEY, COOKIE, HEADERS, _guest_messages, _guest_page, _html
from bot.insights.signin import SESSION_LIFETIME, redeem_link, sign_out


async def signin_form(request: web.Request) -> web.Response:
    """Show a sign-in button for the link's token; nothing is used up until it is pressed."""
    t, lang = _guest_messages(request)
    body = pages.sign_in_form(t=t, token=request.query.get("token", ""))
    return _html(pages.page(t=t, lang=lang, title=t("dashboard.sign_in_title"), body=body))


def same_site(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """Refuse (403) a form posted from another site: without it, a page elsewhere could sign a
    visitor in to the dashboard as someone else, with a link of that someone's (login CSRF)."""

    async def wrapper(request: web.Request) -> web.StreamResponse:
        if not same_origin(request, public_url=request.app[APP_KEY].settings.public_url):
            return _guest_page(request, key="dashboard.cross_site", status=403)
        return await handler(request)

    return wrapper


@same_site
async def signin(request: web.Request) -> web.StreamResponse:
    """Use the link once: open a session, set its cookie, go to the dashboard."""
    app = request.app[APP_KEY]
    try:
        token = str((await request.post()).get("token", ""))
    except ValueError:  # a body that is not a form (bad UTF-8, a broken multipart)
        return _guest_page(request, key="dashboard.link_invalid", status=400)
    async with app.db.transaction() as session:
        opened = await redeem_link(session, token=token, now=app.clock.now())
    if opened is None:
        return _guest_page(request, key="dashboard.link_invalid", status=400)
    response = web.Response(status=303, headers={**HEADERS, "Location": "/admin"})
    response.set_cookie(
        COOKIE,
        opened,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/admin",
        httponly=True,
        samesite="Lax",
        secure=app.settings.public_url.startswith("https://"),
    )
    return response


@same_site
async def signout(request: web.Request) -> web.StreamResponse:
    app = request.app[APP_KEY]
    async with app.db.transaction() as session:
        await sign_out(session, token=request.cookies.get(COOKIE, ""))
    response = web.Response(status=303, headers={**HEADERS, "Location": "/admin/signin"})
    response.del_cookie(COOKIE, path="/admin")
    return response

"""The dashboard's edges over HTTP: sign-in refused from other sites (login CSRF), and tokens,
addresses and periods it cannot read answered with 400 or 401, never a 500."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.insights.signin import issue_link
from store import people, roles
from tests.support import seed_org
from tests.web.conftest import app_on_loopback, serving


@pytest.fixture
async def site(db, clock):
    """Rapport's server on 127.0.0.1 (its public URL its own address), Carol of Acme an HR person."""
    app, sock, url = app_on_loopback(db, clock, org="acme")
    org = await seed_org(app, slug="acme", values=[])
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        await roles.grant(session, org_id=org.id, person_id=carol.id, role="hr", now=clock.now())
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1, an address rather than a name
    async with serving(app, sock), aiohttp.ClientSession(base_url=url, cookie_jar=jar) as http:
        yield Site(app=app, org=org, carol=carol, url=url, http=http)


class Site:
    def __init__(self, **parts) -> None:
        self.__dict__.update(parts)

    async def link(self) -> str:
        async with self.app.db.transaction() as session:
            return await issue_link(
                session, org_id=self.org.id, person_id=self.carol.id, now=self.app.clock.now()
            )

    async def sign_in(self, token: str, **headers: str) -> tuple[int, str, str | None]:
        """Post the sign-in form: the status, the page, and where it sends the browser."""
        async with self.http.post(
            "/admin/signin", data={"token": token}, headers=headers, allow_redirects=False
        ) as response:
            return response.status, await response.text(), response.headers.get("Location")

    async def status(self, path: str) -> int:
        async with self.http.get(path, allow_redirects=False) as response:
            await response.read()
            return response.status


def no_errors_logged(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_sign_in_posted_from_another_site_is_refused_and_the_link_kept(site):
    token = await site.link()
    refused = [
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {"Referer": "https://elsewhere.example/page"},
        {},  # names no origin at all: not the dashboard's form
    ]
    for headers in refused:
        status, page, _ = await site.sign_in(token, **headers)
        assert status == 403, headers
        assert "own page, so it was refused" in page
    status, _, location = await site.sign_in(token, Origin=site.url)
    assert (status, location) == (303, "/admin")
    assert await site.status("/admin") == 200


async def test_a_sign_in_from_its_own_page_may_name_it_in_referer_only(site):
    status, _, _ = await site.sign_in(await site.link(), Referer=f"{site.url}/admin/signin?token=x")
    assert status == 303


async def test_signing_out_from_another_site_is_refused(site):
    await site.sign_in(await site.link(), Origin=site.url)
    async with site.http.post("/admin/signout", headers={"Origin": "https://elsewhere.example"}) as response:
        assert response.status == 403
    assert await site.status("/admin") == 200


@pytest.mark.parametrize(
    "token",
    ["²." + "s" * 30, "1" * 23 + "." + "s" * 30, "٣." + "s" * 30, "-1." + "s" * 30, "", "{not json"],
)
async def test_a_sign_in_token_that_cannot_be_ours_gets_400(site, caplog, token):
    status, page, _ = await site.sign_in(token, Origin=site.url)
    assert status == 400
    assert "expired or has been used already" in page
    assert no_errors_logged(caplog)


async def test_a_sign_in_body_that_is_not_a_form_gets_400(site, caplog):
    headers = {"Origin": site.url, "Content-Type": "application/x-www-form-urlencoded"}
    async with site.http.post("/admin/signin", data=b"token=\xff\xfe", headers=headers) as response:
        assert response.status == 400
    assert no_errors_logged(caplog)


@pytest.mark.parametrize("cookie", ["².secret" + "s" * 30, "1" * 23 + ".s" + "s" * 30, "garbage"])
async def test_a_session_cookie_that_cannot_be_ours_gets_401(site, caplog, cookie):
    site.http.cookie_jar.update_cookies({"rapport_session": cookie})
    assert await site.status("/admin") == 401
    assert no_errors_logged(caplog)


@pytest.mark.parametrize(
    "path",
    [
        "/admin?period=9999",
        "/admin?period=0001-Q1",
        "/admin?period=２０２６-Q5",
        "/admin/team/²",
        "/admin/team/" + "1" * 23,
        "/admin/team/-3",
        "/admin/csv?scope=team&manager=²",
    ],
)
async def test_an_address_the_dashboard_cannot_read_gets_400(site, caplog, path):
    await site.sign_in(await site.link(), Origin=site.url)
    assert await site.status(path) == 400
    assert no_errors_logged(caplog)


async def test_an_unknown_team_is_still_not_found(site):
    await site.sign_in(await site.link(), Origin=site.url)
    assert await site.status("/admin/team/999999") == 404
    assert await site.status("/admin?period=2026-Q4") == 200

"""The dashboard's figures are computed off the server's event loop: while HR's page is being made,
Slack's requests are answered and stored (issue 16 §2). Held, not timed: the report worker stops
mid-way (a read transaction open on the database) until the test lets it go."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import timedelta

import aiohttp
from sqlalchemy import select

from adapters.web.reports import ReportWorker
from bot.insights.signin import issue_link, redeem_link
from store import people, roles
from store.models import Kudos
from tests.slack.conftest import start_server, wait_until
from tests.slack.held_reports import held_compute, start_held
from tests.slack.support import USERS, SlackRequests


async def _hr_cookie(app, handle: str) -> str:
    async with app.db.transaction() as session:
        person = await people.by_handle(session, org_id=1, handle=handle)
        await roles.grant(session, org_id=1, person_id=person.id, role="hr", now=app.clock.now())
        link = await issue_link(session, org_id=1, person_id=person.id, now=app.clock.now())
        return await redeem_link(session, token=link, now=app.clock.now())


class Worker:
    """A report worker whose computations wait for `release`; `started` once one is under way. A
    finished page is reused for `reuse_seconds` (long by default: the test's own pace is not timed)."""

    def __init__(self, app, *, reuse_seconds: float = 60.0, reuse_per_second: float = 5.0) -> None:
        context = multiprocessing.get_context("spawn")
        self.started, self.release, self.computed = context.Event(), context.Event(), context.Value("i", 0)
        self.reports = ReportWorker(
            db=app.db,
            job=held_compute,
            initializer=start_held,
            initargs=(self.started, self.release, self.computed),
            reuse_seconds=reuse_seconds,
            reuse_per_second=reuse_per_second,
        )

    async def wait_started(self) -> None:
        assert await asyncio.to_thread(self.started.wait, 60), "the report worker did not start"


async def _page(http: aiohttp.ClientSession, url: str, cookie: str) -> tuple[int, str]:
    async with http.get(f"{url}/admin", headers={"Cookie": f"rapport_session={cookie}"}) as answer:
        return answer.status, await answer.text()


async def test_a_kudos_is_acknowledged_and_stored_while_hr_figures_are_computed(slack_app, fake_slack):
    worker = Worker(slack_app)
    cookie = await _hr_cookie(slack_app, "carol")
    async with slack_app.db.read() as session:
        given = len(list(await session.scalars(select(Kudos.id))))
    server = await start_server(slack_app, fake_slack, deliver=False, reports=worker.reports)
    try:
        async with aiohttp.ClientSession() as http:
            page = asyncio.create_task(_page(http, server.url, cookie))
            await worker.wait_started()

            slack = SlackRequests(url=f"{server.url}/slack/events", session=http)
            ack = await slack.command(USERS["alice"], f"<@{USERS['bob']}|bob> thanks for the careful review")
            assert ack.status == 200 and "Kudos sent" in ack.text
            async with slack_app.db.read() as session:
                assert len(list(await session.scalars(select(Kudos.id)))) == given + 1
            assert not page.done()  # HR's page is still being made

            worker.release.set()
            status, html = await page
            assert status == 200 and 'id="table-kudos"' in html
    finally:
        await server.runner.cleanup()


async def test_hr_reloading_while_a_page_is_computed_shares_it_and_a_reload_just_after_reuses_it(
    slack_app, fake_slack
):
    worker = Worker(slack_app)
    cookie = await _hr_cookie(slack_app, "carol")
    server = await start_server(slack_app, fake_slack, deliver=False, reports=worker.reports)
    try:
        async with aiohttp.ClientSession() as http:
            first = asyncio.create_task(_page(http, server.url, cookie))
            await worker.wait_started()
            reloads = [asyncio.create_task(_page(http, server.url, cookie)) for _ in range(3)]
            await wait_until(lambda: worker.reports.waiting(begun=True) == 4)  # all on the one under way
            worker.release.set()
            answers = await asyncio.gather(first, *reloads)
            assert [status for status, _ in answers] == [200] * 4
            assert len({html for _, html in answers}) == 1
            assert worker.computed.value == 1  # one computation for the four loads
            assert "Figures as of Tue 24 Nov 2026, 09:00 (Europe/London)." in answers[0][1]

            slack_app.clock.advance(timedelta(minutes=5))
            status, html = await _page(http, server.url, cookie)  # within the reuse window
            assert (status, html) == answers[0]  # and it still says when its figures were read
            assert worker.computed.value == 1
    finally:
        await server.runner.cleanup()


async def test_two_hr_viewers_never_share_a_computation_or_a_reused_page(slack_app, fake_slack):
    worker = Worker(slack_app)
    carol, dan = await _hr_cookie(slack_app, "carol"), await _hr_cookie(slack_app, "dan")
    server = await start_server(slack_app, fake_slack, deliver=False, reports=worker.reports)
    try:
        async with aiohttp.ClientSession() as http:
            first = asyncio.create_task(_page(http, server.url, carol))
            await worker.wait_started()
            other = asyncio.create_task(_page(http, server.url, dan))  # the same page, someone else
            await wait_until(lambda: worker.reports.waiting() == 1)  # queued: not joined to carol's
            worker.release.set()
            (carol_status, carol_html), (dan_status, dan_html) = await asyncio.gather(first, other)
            assert carol_status == dan_status == 200
            assert "Carol" in carol_html and "Dan" in dan_html  # each page names who is signed in
            assert worker.computed.value == 2

            assert (await _page(http, server.url, dan))[0] == 200  # dan's own page, reused
            assert worker.computed.value == 2
    finally:
        await server.runner.cleanup()


async def test_a_page_older_than_the_reuse_window_is_computed_again(slack_app, fake_slack):
    worker = Worker(slack_app, reuse_seconds=0.5, reuse_per_second=0)  # the window alone
    worker.release.set()
    cookie = await _hr_cookie(slack_app, "wei")  # reads Chinese, in Shanghai
    server = await start_server(slack_app, fake_slack, deliver=False, reports=worker.reports)
    try:
        async with aiohttp.ClientSession() as http:
            status, html = await _page(http, server.url, cookie)
            assert status == 200 and "数据截至 2026年11月24日（周二） 17:00（Asia/Shanghai）。" in html
            assert worker.computed.value == 1
            await asyncio.sleep(0.6)
            slack_app.clock.advance(timedelta(minutes=10))
            status, html = await _page(http, server.url, cookie)
            assert status == 200 and "数据截至 2026年11月24日（周二） 17:10（Asia/Shanghai）。" in html
            assert worker.computed.value == 2
    finally:
        await server.runner.cleanup()


async def test_a_page_that_took_long_to_compute_is_reused_for_longer(slack_app, fake_slack):
    """A heavy page (here held for 0.6 s) is reused five times as long as it took (ten in the
    server), not for the usual 0.2 s: HR reloading it every second does not keep the worker and the
    database computing it."""
    worker = Worker(slack_app, reuse_seconds=0.2, reuse_per_second=5.0)
    cookie = await _hr_cookie(slack_app, "carol")
    server = await start_server(slack_app, fake_slack, deliver=False, reports=worker.reports)
    try:
        async with aiohttp.ClientSession() as http:
            first = asyncio.create_task(_page(http, server.url, cookie))
            await worker.wait_started()
            await asyncio.sleep(0.6)
            worker.release.set()
            assert (await first)[0] == 200
            await asyncio.sleep(0.5)  # past 0.2 s, well within 5 x 0.6 s
            assert (await _page(http, server.url, cookie))[0] == 200
            assert worker.computed.value == 1
    finally:
        await server.runner.cleanup()

"""The dashboard in a real headless Chromium against a real server: sign in with the one-time link,
read the figures, download the CSV, and be refused what one may not see."""

from __future__ import annotations

import re
from datetime import timedelta

from adapters.cli import parser
from store import audit, roles

LINK = re.compile(r"(http://127\.0\.0\.1:\d+/admin/signin\?token=\S+)")


async def _link(served, handle: str) -> str:
    await served.chat.send(handle, "/rapport dashboard")
    served.chat.expect_reply("sign-in link", "15 minutes")
    return LINK.search(served.chat.expect_dm(handle, "works once"))[1]


async def _sign_in(browser, link: str):
    context = await browser.new_context(accept_downloads=True)
    page = await context.new_page()
    await page.goto(link)
    await page.click("#sign-in")
    return context, page


async def _grant_hr(served, handle: str) -> None:
    async with served.app.db.transaction() as session:
        person = served.ledger.people[handle]
        await roles.grant(
            session, org_id=served.org.id, person_id=person.id, role="hr", now=served.app.clock.now()
        )


async def test_hr_signs_in_reads_the_overview_opens_a_department_and_downloads_the_csv(
    served, browser, tmp_path, capsys
):
    await _grant_hr(served, "nora")
    link = await _link(served, "nora")
    assert link.startswith(served.url)
    context, page = await _sign_in(browser, link)
    assert page.url == f"{served.url}/admin"
    assert await page.inner_text("h1") == "Whole organisation · 2026-Q4"
    checkins = page.locator("#table-checkins tbody tr")
    assert (
        await checkins.count() == 6
    )  # (no department), Engineering, Legal, Sales, the two small together, All
    together = await page.locator("#table-checkins tr", has_text="(no department) + Legal").inner_text()
    assert "too few to show" not in together
    engineering = await page.locator("#table-checkins tr", has_text="Engineering").inner_text()
    assert "84.7" in engineering and "72" in engineering
    legal = page.locator("#table-checkins").get_by_role("row", name=re.compile(r"^Legal too few to show"))
    assert await legal.count() == 1
    assert await page.locator(".trend-section svg.chart").count() == 2 * 6  # two trends per group
    assert await page.locator("svg.chart g.bar").count() > 0
    goal_rows = await page.locator("#table-goals tbody tr").count()
    assert await page.locator("#table-goals svg.chart").count() == goal_rows  # a chart per group
    goals_engineering = page.locator("#table-goals figure", has_text="Engineering").first
    assert await goals_engineering.locator("text.period").all_text_contents() == [
        "Goals",
        "Updated",
        "On track",
        "Talks",
    ]
    shown = await goals_engineering.locator("g.bar:not(.empty) title").all_text_contents()
    assert shown[:3] == ["Goals: 100.0%", "Updated: 34.8%", "On track: 87.0%"]  # talks: too few alone
    legal_caption = page.locator("figcaption", has_text=re.compile(r"^Legal$"))
    goals_legal = page.locator("#table-goals figure").filter(has=legal_caption)
    assert await goals_legal.locator("g.bar.empty").count() == 4  # two people: every bar "too few"
    text = await page.inner_text("body")
    assert "private words" not in text and "words" not in text.replace("Figures only", "")
    [cookie] = await context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/admin"

    await page.click("#table-checkins a:text('Engineering')")
    assert await page.inner_text("h1") == "Department Engineering · 2026-Q4"
    assert await page.locator("#table-checkins tr", has_text="Hal's team").count() == 1

    await page.goto(f"{served.url}/admin")
    async with page.expect_download() as download_info:
        await page.click("#csv-all")
    download = await download_info.value
    saved = tmp_path / "all.csv"
    await download.save_as(saved)
    capsys.readouterr()
    args = parser().parse_args(["report", "--period", "2026-Q4", "--format", "csv"])
    assert await args.run(served.app, args) == 0
    assert saved.read_text("utf-8") == capsys.readouterr().out
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    assert "Engineering,72,61,84.7,44,61.1" in saved.read_text("utf-8")

    async with served.app.db.read() as session:
        entries = await audit.entries(session, org_id=served.org.id)
    seen = [(e.actor_label, e.action, e.detail["what"]) for e, _ in entries]
    assert ("Nora", "view_figures", "overview") in seen
    assert ("Nora", "view_figures", "department") in seen
    assert ("Nora", "view_figures", "csv:all") in seen
    await context.close()


async def test_a_link_works_once_and_not_after_fifteen_minutes(served, browser):
    await _grant_hr(served, "nora")
    link = await _link(served, "nora")
    _, page = await _sign_in(browser, link)
    assert page.url.endswith("/admin")
    _, page = await _sign_in(browser, link)
    assert "expired or has been used already" in await page.inner_text("main")
    assert await page.locator("#table-checkins").count() == 0
    late = await _link(served, "nora")
    served.app.clock.advance(timedelta(minutes=16))
    _, page = await _sign_in(browser, late)
    assert "expired or has been used already" in await page.inner_text("main")
    await page.goto(f"{served.url}/admin")
    assert "/rapport dashboard" in await page.inner_text("main")  # not signed in: told how


async def test_a_manager_sees_only_their_team(served, browser, tmp_path, capsys):
    hal, ivy = served.ledger.people["hal"], served.ledger.people["ivy"]
    _, page = await _sign_in(browser, await _link(served, "hal"))
    assert page.url == f"{served.url}/admin/team/{hal.id}"
    assert await page.inner_text("h1") == "Hal's team · 2026-Q4"
    assert [await r.inner_text() for r in await page.locator("#table-checkins tbody th").all()] == [
        "Hal's team"
    ]
    for path in (
        f"/admin/team/{ivy.id}",
        "/admin/department?name=Engineering",
        "/admin/csv?scope=organisation",
    ):
        response = await page.goto(served.url + path)
        assert response.status == 403, path
        assert "not among yours" in await page.inner_text("main")
    await page.goto(f"{served.url}/admin/team/{hal.id}")
    async with page.expect_download() as download_info:
        await page.click("#table-actions a.csv")
    saved = tmp_path / "actions.csv"
    await (await download_info.value).save_as(saved)
    capsys.readouterr()
    args = parser().parse_args(
        ["report", "--period", "2026-Q4", "--team", "hal@gen.test", "--format", "csv", "--table", "actions"]
    )
    assert await args.run(served.app, args) == 0
    assert saved.read_text("utf-8") == capsys.readouterr().out
    assert saved.read_text("utf-8").splitlines()[2].startswith("Hal's team,")


async def test_an_employee_gets_no_link_and_a_link_of_theirs_opens_no_figures(served, browser):
    from bot.insights.signin import issue_link

    await served.chat.send("h1", "/rapport dashboard")
    served.chat.expect_reply("for HR and for managers")
    served.chat.expect_no_dm("h1")
    async with served.app.db.transaction() as session:  # a link from when h1 still managed someone
        token = await issue_link(
            session, org_id=served.org.id, person_id=served.ledger.people["h1"].id, now=served.app.clock.now()
        )
    _, page = await _sign_in(browser, f"{served.url}/admin/signin?token={token}")
    assert "not among yours" in await page.inner_text("main")
    for path in ("/admin", "/admin/department?name=Engineering", "/admin/csv?scope=organisation"):
        response = await page.goto(served.url + path)
        assert response.status == 403, path
        assert await page.locator("table").count() == 0


_COLOURS = """(element) => {
    let background = "rgba(0, 0, 0, 0)", node = element;
    while (node && background === "rgba(0, 0, 0, 0)") {
        background = getComputedStyle(node).backgroundColor;
        node = node.parentElement;
    }
    return [getComputedStyle(element).color, background];
}"""


def _contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_the_page_reads_well_one_heading_a_legible_sign_out_charts_with_scales(served, browser):
    await _grant_hr(served, "nora")
    link = await _link(served, "nora")
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(link)
    assert await page.get_by_text("Sign in to the Rapport dashboard").count() == 1  # the title, once
    await page.click("#sign-in")
    colours = await page.locator("header button").evaluate(_COLOURS)
    assert _contrast(*colours) >= 4.5, colours  # WCAG AA for text
    engineering = page.locator(".trend .group", has_text="Engineering").locator("svg.chart").first
    assert await engineering.locator("g.axis text").all_text_contents() == ["0%", "50%", "100%"]
    assert await engineering.locator("text.period").all_text_contents() == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert "85%" in await engineering.locator("g.bar:not(.empty)").last.text_content()
    await context.close()


async def test_an_unknown_department_is_said_to_be_unknown(served, browser, capsys):
    await _grant_hr(served, "nora")
    _, page = await _sign_in(browser, await _link(served, "nora"))
    response = await page.goto(f"{served.url}/admin/department?name=Enginering")
    assert response.status == 404
    assert "There is no department “Enginering”. The departments are: Engineering, Legal, Sales." in (
        await page.inner_text("main")
    )
    await page.goto(f"{served.url}/admin/department?name=engineering")
    assert await page.inner_text("h1") == "Department Engineering · 2026-Q4"
    assert await page.locator("#table-checkins tr", has_text="Hal's team").count() == 1
    args = parser().parse_args(["report", "--period", "2026-Q4", "--department", "Enginering"])
    capsys.readouterr()
    assert await args.run(served.app, args) == 1
    assert "There is no department “Enginering”" in capsys.readouterr().err

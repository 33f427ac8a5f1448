"""`rapport demo-org`: the demo organisation, seeded idempotently, and the first thing a new user tries."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.cli import parser
from store import orgs, people
from store.db import Database
from store.models import Kudos, Person

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rapport(app, capsys):
    async def run(*argv: str) -> tuple[int, str]:
        args = parser().parse_args(list(argv))
        code = await args.run(app, args)
        return code, capsys.readouterr().out

    return run


async def demo_people(app) -> dict[str, Person]:
    async with app.db.read() as session:
        org = await orgs.by_slug(session, "demo")
        return {p.handle: p for p in await people.all_in_org(session, org_id=org.id)}


async def test_demo_org_seeds_two_teams_with_values(app, rapport):
    code, out = await rapport("demo-org")
    assert code == 0
    assert "Created organisation 'demo'. Imported into 'demo': created 10, updated 0, unchanged 0." in out
    async with app.db.read() as session:
        org = await orgs.by_slug(session, "demo")
    assert (org.name, org.company_values) == ("Demo Co", ["ownership", "teamwork", "customer"])
    staff = await demo_people(app)
    carol, dan, wei = staff["carol"], staff["dan"], staff["wei"]
    assert {h for h, p in staff.items() if p.manager_id == carol.id} >= {"alice", "bob", "wei"}
    assert (carol.display_name, carol.locale, carol.manager_id) == ("Carol Jones", "en", None)
    assert (staff["alice"].display_name, staff["bob"].display_name) == ("Alice Smith", "Bob Brown")
    assert (wei.display_name, wei.locale, wei.timezone, wei.email) == (
        "张伟",
        "zh-Hans",
        "Asia/Shanghai",
        "wei@example.com",
    )
    sales = [p for p in staff.values() if p.manager_id == dan.id]
    assert 3 <= len(sales) + 1 <= 4 and {p.department for p in [*sales, dan]} == {"Sales"}
    assert len({p.timezone for p in [*sales, dan]}) == len(sales) + 1
    assert all(p.email.split("@")[0] == handle for handle, p in staff.items())


async def test_demo_org_twice_changes_nothing_and_says_so(app, rapport):
    await rapport("demo-org")
    before = await demo_people(app)
    code, out = await rapport("demo-org")
    assert code == 0
    assert "The demo organisation is already up to date (10 people); nothing changed." in out
    after = await demo_people(app)
    assert [(p.id, p.updated_at) for p in after.values()] == [(p.id, p.updated_at) for p in before.values()]


async def test_demo_org_puts_back_what_was_changed(app, rapport):
    await rapport("demo-org")
    async with app.db.transaction() as session:
        org = await orgs.by_slug(session, "demo")
        wei = await people.by_email(session, org_id=org.id, email="wei@example.com")
        wei.locale = "en"
        await orgs.set_company_values(session, org_id=org.id, values=[])
    _, out = await rapport("demo-org")
    assert "Imported into 'demo': created 0, updated 1, unchanged 9. Company values set." in out
    assert (await demo_people(app))["wei"].locale == "zh-Hans"


async def cli(*argv: str, env: dict, cwd: Path, stdin: str = "") -> str:
    """Run the real `rapport` command line (`python -m adapters.cli`) in a child process."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_a_new_user_gives_kudos_in_the_demo_from_the_real_command_line(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'rapport.db'}"
    env = {**os.environ, "RAPPORT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("RAPPORT_ORG", None)
    await cli("migrate", env=env, cwd=tmp_path)
    await cli("demo-org", env=env, cwd=tmp_path)
    out = await cli(
        "shell",
        "--as",
        "bob@example.com",
        env=env,
        cwd=tmp_path,
        stdin="/kudos @alice @wei great demo #ownership\n:quit\n",
    )
    assert "Rapport: Kudos sent to Alice Smith and 张伟. I've let them know." in out
    assert "→ DM to Alice Smith <alice@example.com>: 🎉 Bob Brown gave you kudos: great demo" in out
    assert "→ DM to 张伟 <wei@example.com>: 🎉 Bob Brown 给你点赞：great demo" in out
    db = Database(url=url)
    try:
        async with db.read() as session:
            kudos = (await session.scalars(select(Kudos))).one()
            giver = await session.get(Person, kudos.giver_id)
            recipients = {(await session.get(Person, r.person_id)).handle for r in kudos.recipients}
    finally:
        await db.dispose()
    assert (giver.handle, recipients, kudos.message, kudos.company_values) == (
        "bob",
        {"alice", "wei"},
        "great demo",
        ["ownership"],
    )

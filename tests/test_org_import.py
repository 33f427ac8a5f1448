"""`rapport org import` as an operator runs it: a CSV file in, a summary or numbered problems out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from textwrap import dedent

import pytest
from sqlalchemy import func, select

from adapters.cli import parser
from bot.features.checkins import cycle
from bot.orgcheck import Row
from bot.orgimport import import_people
from store import due_work, orgs, people
from store.models import Identity, Organisation, Person

HEADER = "email,name,manager_email,department,timezone,locale,slack_user_id,teams_user_id"


@pytest.fixture
def rapport(app, capsys, tmp_path):
    """Run `rapport org import` on CSV text; returns (exit code, stdout, stderr)."""

    async def run(csv_text: str, *options: str) -> tuple[int, str, str]:
        path = tmp_path / "people.csv"
        path.write_text(dedent(csv_text).lstrip(), encoding="utf-8")
        args = parser().parse_args(["org", "import", str(path), *options])
        code = await args.run(app, args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


async def person(app, email: str, slug: str = "acme") -> Person | None:
    async with app.db.read() as session:
        org = await orgs.by_slug(session, slug)
        return await people.by_email(session, org_id=org.id, email=email)


async def snapshot(app) -> list[tuple]:
    """Everything an import may write, to show that a refused import wrote nothing."""
    async with app.db.read() as session:
        rows = await session.execute(select(Person).order_by(Person.id))
        persons = [
            (
                p.email,
                p.handle,
                p.display_name,
                p.manager_id,
                p.department,
                p.timezone,
                p.locale,
                p.updated_at,
            )
            for p in rows.scalars()
        ]
        identities = (await session.execute(select(Identity.platform, Identity.platform_user_id))).all()
        orgs_count = await session.scalar(select(func.count()).select_from(Organisation))
    return [*persons, *sorted(identities), orgs_count]


async def test_a_new_organisation_is_created_with_its_people(app, rapport):
    code, out, _ = await rapport(
        f"""
        {HEADER}
        maria@globex.com,Maria Garcia,,Engineering,Europe/Madrid,en-GB,U100,
        li@globex.com,李娜,maria@globex.com,Engineering,Asia/Shanghai,zh-CN,,29:li
        MARIA@other.org,Maria Other,maria@globex.com,Support,,,,
        """,
        "--org",
        "globex",
        "--create",
    )
    assert code == 0
    assert (
        out == "Created organisation 'globex'. Imported into 'globex': created 3, updated 0, unchanged 0.\n"
    )
    maria, li = await person(app, "maria@globex.com", "globex"), await person(app, "li@globex.com", "globex")
    assert (maria.handle, maria.locale, maria.timezone, maria.manager_id) == (
        "maria",
        "en",
        "Europe/Madrid",
        None,
    )
    assert (li.handle, li.display_name, li.locale, li.manager_id) == ("li", "李娜", "zh-Hans", maria.id)
    other = await person(app, "maria@other.org", "globex")
    assert other.handle == "maria.other"  # the first Maria keeps `maria`
    async with app.db.read() as session:
        org = await orgs.by_slug(session, "globex")
        assert (
            await people.by_identity(session, org_id=org.id, platform="slack", user_id="U100")
        ).id == maria.id
        assert (
            await people.by_identity(session, org_id=org.id, platform="teams", user_id="29:li")
        ).id == li.id


async def test_an_unknown_organisation_needs_create(app, rapport):
    code, out, err = await rapport(f"{HEADER}\nann@x.com,Ann,,,,,,\n", "--org", "nowhere")
    assert code == 1 and out == ""
    assert "There is no organisation 'nowhere'. Pass --create" in err
    assert await snapshot(app) == [0]


async def test_importing_the_same_file_twice_changes_nothing(app, org, rapport):
    csv_text = f"""
        {HEADER}
        carol@example.com,Carol Jones,,Engineering,Europe/London,en,UCAROL,
        nina@example.com,Nina Novak,carol@example.com,Engineering,Europe/Prague,en,UNINA,
        """
    assert (await rapport(csv_text))[1] == "Imported into 'acme': created 1, updated 1, unchanged 0.\n"
    before = await snapshot(app)
    code, out, _ = await rapport(csv_text)
    assert (code, out) == (0, "Imported into 'acme': created 0, updated 0, unchanged 2.\n")
    assert await snapshot(app) == before


async def test_a_changed_row_updates_that_person_matched_by_email_in_any_case(app, org, rapport, clock):
    clock.advance(timedelta(hours=1))
    code, out, _ = await rapport(
        """
        email,name,manager_email,department
        BOB@Example.com,Bob Brown,dan@example.com,Sales
        alice@example.com,Alice Smith,carol@example.com,Engineering
        """
    )
    assert (code, out) == (0, "Imported into 'acme': created 0, updated 1, unchanged 1.\n")
    bob, dan, alice = [await person(app, f"{h}@example.com") for h in ("bob", "dan", "alice")]
    assert (bob.department, bob.manager_id, bob.updated_at) == ("Sales", dan.id, clock.now())
    assert bob.timezone == "America/New_York"  # no timezone column: left as it was
    assert alice.updated_at < clock.now()


async def test_an_empty_cell_clears_the_field(app, org, rapport):
    await rapport("email,name,manager_email,timezone\nbob@example.com,Bob Brown,,\n")
    bob = await person(app, "bob@example.com")
    assert (bob.manager_id, bob.timezone) == (None, None)


async def test_a_new_time_zone_moves_the_next_check_in_to_that_local_time(app, org, rapport):
    schedule = parser().parse_args(["checkin", "schedule", "weekly monday 09:00", "--org", "acme"])
    assert await schedule.run(app, schedule) == 0

    async def next_prompt() -> datetime:
        async with app.db.read() as session:
            bob = await people.by_email(session, org_id=org.id, email="bob@example.com")
            (due,) = await due_work.pending(session, org_id=org.id, kind=cycle.PROMPT, subject=bob.id)
            return due.run_at

    assert await next_prompt() == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 09:00 in New York
    code, out, _ = await rapport("email,name,timezone\nbob@example.com,Bob Brown,Asia/Shanghai\n")
    assert code == 0 and out.endswith("Imported into 'acme': created 0, updated 1, unchanged 0.\n")
    assert await next_prompt() == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


BAD_ROWS = {
    "missing email": (",Nobody,,,,,,", "line 3: the email is missing"),
    "missing name": ("nameless@example.com,,,,,,,", "line 3: the name is missing"),
    "malformed email": ("not-an-email,Pat,,,,,,", "line 3: 'not-an-email' is not an email address"),
    "duplicate email": ("NEW@example.com,New Again,,,,,,", "line 3: new@example.com is already on line 2"),
    "unknown manager": (
        "pat@example.com,Pat,zed@example.com,,,,,",
        "line 3: the manager zed@example.com is neither in the file nor in the organisation",
    ),
    "self-management": (
        "pat@example.com,Pat,pat@example.com,,,,,",
        "line 3: pat@example.com cannot be their own manager",
    ),
    "bad time zone": (
        "pat@example.com,Pat,,,Mars/Olympus,,,",
        "line 3: 'Mars/Olympus' is not an IANA time zone",
    ),
    "unsupported locale": ("pat@example.com,Pat,,,,fr-FR,,", "line 3: the locale 'fr-FR' is not supported"),
    "slack id of another person": (
        "pat@example.com,Pat,,,,,UBOB,",
        "line 3: the slack user id UBOB already belongs to bob@example.com",
    ),
    "teams id twice in the file": (
        "pat@example.com,Pat,,,,,,29:new",
        "line 3: the teams user id 29:new is also on line 2",
    ),
    "more values than columns": (
        "pat@example.com,Pat,,,,,,,extra",
        "line 3: more values than there are columns",
    ),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
async def test_a_bad_row_is_reported_by_line_and_nothing_is_written(app, org, rapport, kind):
    async with app.db.transaction() as session:
        bob = await people.by_email(session, org_id=org.id, email="bob@example.com")
        await people.add_identity(session, org_id=org.id, person_id=bob.id, platform="slack", user_id="UBOB")
    before = await snapshot(app)
    line, expected = BAD_ROWS[kind]
    code, out, err = await rapport(
        f"{HEADER}\nnew@example.com,New Person,carol@example.com,,,,,29:new\n{line}\n"
    )
    assert (code, out) == (1, "")
    assert err.startswith("Nothing was imported. Please fix 1 problem and run the import again:\n")
    assert expected in err
    assert await snapshot(app) == before


async def test_every_bad_row_is_reported_at_once_in_line_order(app, org, rapport):
    code, _, err = await rapport(
        f"""
        {HEADER}
        ann@example.com,Ann,,,Nowhere/City,,,
        ben@example.com,,,,,,,
        ok@example.com,Fine Person,,,,,,
        cat@example.com,Cat,cat@example.com,,,,,
        """
    )
    assert code == 1
    assert err.splitlines()[1:] == [
        "  line 2: 'Nowhere/City' is not an IANA time zone (like Europe/Berlin)",
        "  line 3: the name is missing",
        "  line 5: cat@example.com cannot be their own manager",
    ]
    assert await person(app, "ok@example.com") is None


async def test_a_manager_loop_in_the_file_names_every_row_in_it(app, org, rapport):
    _, _, err = await rapport(
        """
        email,name,manager_email
        ann@example.com,Ann,ben@example.com
        ben@example.com,Ben,ann@example.com
        """
    )
    assert "line 2: manager loop: ann@example.com → ben@example.com → ann@example.com" in err
    assert "line 3: manager loop: ben@example.com → ann@example.com → ben@example.com" in err


async def test_a_manager_loop_through_people_already_in_the_organisation(app, org, rapport):
    before = await snapshot(app)
    # Carol manages Alice in the database; making Alice Carol's manager closes a loop.
    code, _, err = await rapport(
        "email,name,manager_email\ncarol@example.com,Carol Jones,alice@example.com\n"
    )
    assert code == 1
    assert "line 2: manager loop: carol@example.com → alice@example.com → carol@example.com" in err
    assert await snapshot(app) == before


async def test_the_header_names_unknown_and_missing_columns(app, org, rapport):
    code, _, err = await rapport("email,full_name,phone\nann@example.com,Ann,123\n")
    assert code == 1
    assert "line 1: unknown columns 'full_name', 'phone'; the columns are email, name," in err
    assert "line 1: missing required column: name" in err


async def test_line_numbers_follow_the_file_across_quoted_line_breaks(app, org, rapport):
    _, _, err = await rapport(
        'email,name,department\nann@example.com,Ann,"Research\nand Development"\nben@example.com,,\n'
    )
    assert "line 4: the name is missing" in err


async def test_handles_stay_unique_against_people_already_there(app, org, rapport):
    await rapport(
        """
        email,name
        alice@acme.org,Alice Other
        alice@acme.net,Alice Third
        """
    )
    assert (await person(app, "alice@example.com")).handle == "alice"
    assert (await person(app, "alice@acme.org")).handle == "alice.acme"
    assert (await person(app, "alice@acme.net")).handle == "alice.acme2"


async def test_a_large_file_is_written_in_batches_reporting_progress(app, org):
    rows = [Row(line=n, values={"email": f"p{n}@example.com", "name": f"P {n}"}) for n in range(2, 2502)]
    seen: list[int] = []
    result = await import_people(app.db, slug="acme", rows=rows, now=app.clock.now(), progress=seen.append)
    assert (result.created, sum(seen)) == (2500, 2500)
    assert (await person(app, "p2501@example.com")).handle == "p2501"


async def run_bytes(app, capsys, tmp_path, content: bytes) -> tuple[int, str, str]:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    args = parser().parse_args(["org", "import", str(path)])
    code = await args.run(app, args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


async def test_excel_files_as_they_come(app, org, capsys, tmp_path):
    """A semicolon-separated file (Excel in much of Europe) and Excel's UTF-16 "Unicode text" are read;
    a Windows-1252 file is refused with its line and how to save it, and writes nothing."""
    before = await snapshot(app)
    code, _, err = await run_bytes(
        app, capsys, tmp_path, b"email,name,department\r\nhr@example.com,Jos\xe9 Ross,People\r\n"
    )
    assert code == 1 and "codec" not in err
    assert "line 2 is not UTF-8 text ('hr@example.com,Jos\ufffd Ross,People'). Save the file as CSV UTF-8" in err
    assert await snapshot(app) == before
    code, _, err = await run_bytes(
        app, capsys, tmp_path, "email;name;department\r\nhr@example.com;José Ross;People\r\n".encode()
    )
    assert code == 0, err
    assert (await person(app, "hr@example.com")).display_name == "José Ross"
    tabbed = "email\tname\tdepartment\r\nomar@example.com\tOmar Haddad\tSales\r\n".encode("utf-16")
    code, _, err = await run_bytes(app, capsys, tmp_path, tabbed)
    assert code == 0, err
    assert (await person(app, "omar@example.com")).department == "Sales"

"""The corpus the payload tests check: everything the tour recorded, in English and in Chinese, plus
the manager's digest after a busy quarter and after a busy half year."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest

from adapters.app import build_app
from bot.clock import ManualClock
from bot.i18n import LOCALES, Catalogue
from bot.settings import Settings
from store.db import Database
from tests.conftest import START, _run
from tests.payloads import busy
from tests.payloads.steps import due_kinds_done, prepare, run
from tests.payloads.tour import Said, Tour
from tests.support import Chat, seed_org


@dataclass(frozen=True, kw_only=True)
class Corpus:
    """What Rapport said in one language, and what the tour touched to say it."""

    locale: str
    said: list[Said]
    commands: set[tuple[str, str]]
    pressed: set[str]
    jobs: set[str]


async def _tour(path: str, locale: str) -> Corpus:
    db = Database(url=f"sqlite+aiosqlite:///{path}")
    try:
        app = build_app(Settings(database_url=db.url, org="acme"), clock=ManualClock(START), db=db)
        org = await seed_org(app, slug="acme", values=["ownership", "teamwork", "customer"])
        await prepare(app, org.id, locale)
        chat = Chat(app=app, org="acme")
        await chat.open()
        tour = Tour(app=app, chat=chat, org_id=org.id, locale=locale)
        await run(tour)
        said = [*tour.said, *_digests(app.catalogue, locale)]
        return Corpus(
            locale=locale,
            said=said,
            commands=tour.commands,
            pressed=tour.pressed,
            jobs=await due_kinds_done(app),
        )
    finally:
        await db.dispose()


def _digests(catalogue: Catalogue, locale: str) -> list[Said]:
    return [
        Said(
            label=f"dm: digest after a busy {name}",
            kind="dm",
            reply=busy.busy_digest(catalogue, locale, weeks=weeks),
        )
        for name, weeks in (("quarter", 13), ("half year", 26))
    ]


@pytest.fixture(scope="session")
def corpora(sqlite_template, tmp_path_factory) -> dict[str, Corpus]:
    """The tour in each language, on a migrated SQLite copy of its own (the payloads do not depend on
    the database; the tour runs once a session)."""
    found: dict[str, Corpus] = {}
    for locale in LOCALES:
        path = tmp_path_factory.mktemp(f"tour-{locale}") / "rapport.db"
        shutil.copy(sqlite_template, path)

        async def tour(path=path, locale=locale) -> None:
            found[locale] = await _tour(str(path), locale)

        _run(tour())
    return found

"""Importing an organisation's people: an idempotent upsert by email, all rows or none.

Rows come in as dicts with their line numbers (`bot.orgcheck.Row`), whatever read them; a result comes
out. Every row is checked (`bot.orgcheck`) before anything is written, and the whole import is one
transaction. Lookups are in bulk (the organisation's directory and identities in one query each) and
writes are batched, so a file of ten thousand rows costs a handful of statements, not one per row.

Handles are what people type after `@`: the part of the email before the `@`, lower-cased. When that
is taken (by someone already in the organisation or by an earlier row of the file), the person gets
`local.domain` (`alice.acme` for alice@acme.com), then `local.domain2`, `local.domain3`, … in file
order. People who already have a handle keep it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.checkins import cycle
from bot.features.goals import talks
from bot.features.reviews import handover
from bot.i18n import Catalogue
from bot.orgcheck import NO_PLATFORMS, Entry, Problem, Row, check_identities, check_managers, check_rows
from store import directory, orgs
from store.db import Database

CHUNK = 1000  # rows per batched statement; also how often the progress callback hears from us

Progress = Callable[[int], None]


class NoSuchOrganisation(LookupError):
    """The organisation to import into does not exist, and creating it was not asked for."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


@dataclass(kw_only=True)
class ImportResult:
    """What an import did, or why it did nothing (`problems`, sorted by line)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    org_created: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return self.org_created or bool(self.created or self.updated)


@dataclass(kw_only=True)
class _Plan:
    creates: list[dict] = field(default_factory=list)
    updates: dict[int, dict] = field(default_factory=dict)
    managers: dict[str, str | None] = field(default_factory=dict)  # email → new manager's email
    identities: list[tuple[str, str, str]] = field(default_factory=list)  # email, platform, user id
    unchanged: int = 0


async def import_people(
    db: Database,
    *,
    slug: str,
    rows: Sequence[Row],
    now: datetime,
    create: bool = False,
    progress: Progress | None = None,
    catalogue: Catalogue | None = None,
    platform_columns: Mapping[str, str] = NO_PLATFORMS,
) -> ImportResult:
    """Upsert `rows` into organisation `slug` in one transaction (see `import_rows`)."""
    async with db.transaction() as session:
        return await import_rows(
            session,
            slug=slug,
            rows=rows,
            now=now,
            create=create,
            progress=progress,
            platform_columns=platform_columns,
            catalogue=catalogue,
        )


async def import_rows(
    session: AsyncSession,
    *,
    slug: str,
    rows: Sequence[Row],
    now: datetime,
    create: bool = False,
    name: str | None = None,
    progress: Progress | None = None,
    catalogue: Catalogue | None = None,
    platform_columns: Mapping[str, str] = NO_PLATFORMS,
) -> ImportResult:
    """Check every row, then, only if all are good, create, update or leave each person.

    Args:
        session: the write transaction; nothing is written in it when a row is bad.
        slug: the organisation.
        rows: the data rows with their line numbers.
        now: the time stamped on created and updated people.
        create: create the organisation (named `name`, else `slug`) when it does not exist.
        name: see `create`.
        progress: called with the number of rows written, batch by batch.
        catalogue: the messages for the people told about reviews handed to a new manager.
        platform_columns: the platforms' user-id columns (column → platform), from the platform table.

    Raises:
        NoSuchOrganisation: the organisation does not exist and `create` is false.
    """
    org = await orgs.by_slug(session, slug)
    if org is None and not create:
        raise NoSuchOrganisation(slug)
    known = _Known(await directory.directory(session, org_id=org.id) if org else [])
    platforms = set(platform_columns.values())
    owners = (
        await _identity_owners(session, org_id=org.id, known=known.rows, platforms=platforms) if org else {}
    )
    entries, problems = check_rows(rows, platform_columns=platform_columns)
    rejected = {_email(row) for row in rows} - {e.email for e in entries}
    problems += check_managers(entries, current=known.managers, rejected=rejected)
    problems += check_identities(entries, owners=owners, person_ids=known.ids)
    if problems:
        return ImportResult(problems=sorted(problems, key=lambda p: p.line))
    plan = _plan(entries, known=known, owners=owners)
    result = ImportResult(
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        org_created=org is None,
    )
    if org is None:
        org = await orgs.create(session, slug=slug, name=name or slug, now=now)
    ids = dict(known.ids)
    await _write(session, org_id=org.id, plan=plan, ids=ids, now=now, progress=progress)
    moves = {ids[email]: ids[m] if m else None for email, m in plan.managers.items() if email in known.ids}
    await handover.follow_managers(
        session, org=org, moves=moves, catalogue=catalogue or Catalogue.load(), now=now
    )
    await talks.follow_managers(session, org=org, moves=moves, now=now)
    return result


class _Known:
    """The people already in the organisation, indexed the ways an import looks them up."""

    def __init__(self, rows: list) -> None:
        self.rows = rows
        self.by_email = {p.email.lower(): p for p in rows if p.email}
        self.ids = {email: p.id for email, p in self.by_email.items()}
        email_of = {p.id: email for email, p in self.by_email.items()}
        self.managers = {email: email_of.get(p.manager_id) for email, p in self.by_email.items()}


def _email(row: Row) -> str:
    return (row.values.get("email") or "").strip().lower()


async def _identity_owners(session: AsyncSession, *, org_id: int, known: list, platforms: set[str]) -> dict:
    label = {p.id: p.email or p.display_name for p in known}
    owners = {}
    for platform in sorted(platforms):
        for user_id, person_id in (
            await directory.identities(session, org_id=org_id, platform=platform)
        ).items():
            owners[(platform, user_id)] = (person_id, label.get(person_id, f"person {person_id}"))
    return owners


def _plan(entries: list[Entry], *, known: _Known, owners: dict) -> _Plan:
    """What to insert and what to change; people whose row matches them exactly are left alone."""
    plan = _Plan()
    handles = _Handles(p.handle for p in known.rows if p.handle)
    has_identity = {(pid, platform, uid) for (platform, uid), (pid, _) in owners.items()}
    for entry in entries:
        person = known.by_email.get(entry.email)
        handle = person.handle if person and person.handle else handles.claim(entry.email)
        fields = {"display_name": entry.name, "handle": handle, **entry.profile}
        new_ids = [
            (entry.email, platform, uid)
            for platform, uid in entry.identities.items()
            if person is None or (person.id, platform, uid) not in has_identity
        ]
        plan.identities += new_ids
        if person is None:
            plan.creates.append({"email": entry.email, **fields})
            if entry.manager_email:
                plan.managers[entry.email] = entry.manager_email
            continue
        changes = {k: v for k, v in fields.items() if getattr(person, k) != v}
        manager_moves = entry.has_manager_column and known.managers[entry.email] != entry.manager_email
        if manager_moves:
            plan.managers[entry.email] = entry.manager_email
        if changes or manager_moves or new_ids:
            plan.updates[person.id] = changes
        else:
            plan.unchanged += 1
    return plan


class _Handles:
    """Hands out unique handles in order, as the module docstring describes."""

    def __init__(self, taken) -> None:
        self.taken = {h.lower() for h in taken}

    def claim(self, email: str) -> str:
        local, _, domain = email.partition("@")
        candidate, fallback, n = local, f"{local}.{domain.split('.')[0]}", 1
        while candidate in self.taken:
            n += 1
            candidate = fallback if n == 2 else f"{fallback}{n - 1}"
        self.taken.add(candidate)
        return candidate


async def _write(
    session: AsyncSession, *, org_id: int, plan: _Plan, ids: dict, now: datetime, progress: Progress | None
) -> None:
    """Insert new people, then set fields and managers (which may be new people), then identities."""
    tick = progress or (lambda _n: None)
    for start in range(0, len(plan.creates), CHUNK):
        chunk = plan.creates[start : start + CHUNK]
        ids.update(await directory.insert_many(session, org_id=org_id, people=chunk, now=now))
        tick(len(chunk))
    changes = {pid: dict(c) for pid, c in plan.updates.items()}
    for email, manager in plan.managers.items():  # a new manager reads only what is written from now on
        changes.setdefault(ids[email], {}).update(
            manager_id=ids[manager] if manager else None, manager_since=now
        )
    rows = [{"id": pid, **c} for pid, c in changes.items() if c]
    for start in range(0, len(rows), CHUNK):
        await directory.update_many(session, org_id=org_id, changes=rows[start : start + CHUNK], now=now)
    # A new time zone moves the person's next check-in to the same local time in their new zone.
    await cycle.follow_timezones(
        session, org_id=org_id, person_ids=[row["id"] for row in rows if "timezone" in row], now=now
    )
    identities = [
        {"person_id": ids[email], "platform": platform, "platform_user_id": uid}
        for email, platform, uid in plan.identities
    ]
    for start in range(0, len(identities), CHUNK):
        await directory.add_identities(session, org_id=org_id, identities=identities[start : start + CHUNK])
    tick(len(plan.updates) + plan.unchanged)

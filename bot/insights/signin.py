"""Signing in to the dashboard without passwords: a one-time link sent in chat, then a session.

A token is `<organisation id>.<random secret>`; only the secret's SHA-256 is stored, so a copy of the
database opens nothing. Links last 15 minutes and work once; sessions last 8 hours. Sessions are
rows (not signed cookies), so signing out or erasing a person ends them at once and no secret key
needs configuring.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store import dashboard, orgs
from store.models import Organisation, Person
from store.types import parse_id

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(token: str) -> tuple[int, str] | None:
    org_part, _, secret = token.partition(".")
    org_id = parse_id(org_part)
    return (org_id, secret) if org_id is not None and len(secret) >= 20 else None


async def _mint(session: AsyncSession, store, *, org_id: int, person_id: int, now: datetime, lifetime) -> str:
    """A new token `org.secret`; `store` keeps only the secret's hash."""
    secret = secrets.token_urlsafe(32)
    await store(
        session,
        org_id=org_id,
        person_id=person_id,
        token_hash=_hash(secret),
        now=now,
        expires_at=now + lifetime,
    )
    return f"{org_id}.{secret}"


async def issue_link(session: AsyncSession, *, org_id: int, person_id: int, now: datetime) -> str:
    """A new one-time sign-in token for the person."""
    return await _mint(
        session, dashboard.add_link, org_id=org_id, person_id=person_id, now=now, lifetime=LINK_LIFETIME
    )


async def redeem_link(session: AsyncSession, *, token: str, now: datetime) -> str | None:
    """Use a link (once, in time) and open a session; the session token, or None for a bad link."""
    parts = _split(token)
    if parts is None:
        return None
    org_id, secret = parts
    person_id = await dashboard.use_link(session, org_id=org_id, token_hash=_hash(secret), now=now)
    if person_id is None:
        return None
    return await _mint(
        session, dashboard.add_session, org_id=org_id, person_id=person_id, now=now, lifetime=SESSION_LIFETIME
    )


async def signed_in(
    session: AsyncSession, *, token: str, now: datetime
) -> tuple[Organisation, Person] | None:
    """Who a session token belongs to, while it lasts."""
    parts = _split(token)
    if parts is None:
        return None
    org_id, secret = parts
    person = await dashboard.session_person(session, org_id=org_id, token_hash=_hash(secret), now=now)
    if person is None:
        return None
    return await orgs.by_id(session, org_id), person


async def sign_out(session: AsyncSession, *, token: str) -> None:
    parts = _split(token)
    if parts is not None:
        await dashboard.end_session(session, org_id=parts[0], token_hash=_hash(parts[1]))
